"""Health: what a load balancer or an operator asks an instance (nobody's data)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from soleus.errors import SoleusError
from soleus.web.routing import ApiRoute
from soleus.web.serialize import Json
from soleus.web.state import get_state


async def health(request: Request) -> Response:
    """The database's answer, whether accounts mode is on, and the client address and
    scheme as this instance sees them (behind a proxy: the proxy's forwarded values, if
    it is a trusted one). Public in accounts mode too (no sign-in, nobody's data)."""
    state = get_state(request)
    seen = {
        "accounts": state.accounts,
        "client": request.client.host if request.client else None,
        "scheme": request.url.scheme,
    }
    try:
        revision = state.store.checked_revision()
    except SoleusError as error:
        return Json({"status": "unavailable", "error": str(error), **seen}, status_code=503)
    return Json({"status": "ok", "revision": revision, **seen})


async def moved(_: Request) -> Response:
    """The one health route is /api/health; /health (an earlier name) points there."""
    return RedirectResponse("/api/health", status_code=308)


def routes() -> list[BaseRoute]:
    return [
        ApiRoute(
            "/api/health",
            health,
            "GET",
            "health",
            "Whether this instance and its database answer (for a load balancer)",
        ),
        Route("/health", moved, name="health_moved"),  # not in the API doc
    ]
