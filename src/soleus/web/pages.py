"""HTML pages: thin handlers that call the services and render a template."""

from __future__ import annotations

from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from soleus.services import safety
from soleus.web.state import get_state


async def today(request: Request) -> Response:
    state = get_state(request)
    return state.render(request, "today.html", {"nav_active": "Today"})  # type: ignore[no-any-return]


def _screen_redirect(request: Request) -> Response | None:
    """Before the first session of a day the red-flag screen must be answered (and passed)."""
    ctx = get_state(request).ctx()
    if safety.screen_due(ctx) or safety.failed_today(ctx):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/screen?next={quote(target, safe='')}", status_code=303)
    return None


async def player(request: Request) -> Response:
    redirect = _screen_redirect(request)
    if redirect is not None:
        return redirect
    state = get_state(request)
    routine_id = request.query_params.get("routine")
    session_id = request.path_params.get("session_id")
    if session_id is None and not routine_id:
        routine_id = "desk"
    return state.render(  # type: ignore[no-any-return]
        request,
        "player.html",
        {"routine_id": routine_id, "session_id": session_id, "nav_active": "Today"},
    )


def routes() -> list[Route]:
    return [
        Route("/", today, name="today"),
        Route("/player", player, name="player"),
        Route("/player/{session_id}", player, name="player_session"),
    ]
