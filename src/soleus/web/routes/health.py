"""Health: what a load balancer or an operator asks an instance (nobody's data)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from soleus.errors import SoleusError
from soleus.web.routing import ApiRoute
from soleus.web.serialize import Json
from soleus.web.state import get_state


async def health(request: Request) -> Response:
    """The database's answer, and the client address and scheme as this instance sees
    them (behind a proxy: the proxy's forwarded values, if it is a trusted one)."""
    seen = {
        "client": request.client.host if request.client else None,
        "scheme": request.url.scheme,
    }
    try:
        revision = get_state(request).store.checked_revision()
    except SoleusError as error:
        return Json({"status": "unavailable", "error": str(error), **seen}, status_code=503)
    return Json({"status": "ok", "revision": revision, **seen})


def routes() -> list[BaseRoute]:
    return [
        ApiRoute(
            "/api/health",
            health,
            "GET",
            "health",
            "Whether this instance and its database answer (for a load balancer)",
        )
    ]
