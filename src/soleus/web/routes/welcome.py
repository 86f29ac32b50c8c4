"""The first-run welcome: what the soleus pushup is, the safety questions, a goal and
working hours, then the first session. Today sends a newcomer here once."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute

from soleus.domain.safety import DISCLAIMER, RED_FLAGS, SCREEN_INTRO
from soleus.services.welcome import tour
from soleus.web.requests import form_body
from soleus.web.routing import PageRoute
from soleus.web.state import context_of, render_page


def _page(
    request: Request, form: dict[str, str], problems: tour.Problems | None = None
) -> Response:
    ctx = context_of(request)
    context: dict[str, Any] = {
        "nav_active": None,  # a step before everything else
        "what": tour.WHAT_IT_IS,
        "questions": RED_FLAGS,
        "intro": SCREEN_INTRO,
        "disclaimer": DISCLAIMER,
        "goals": tour.goals(ctx),
        "form": form,
        "errors": {p.field: p.message for p in problems.problems} if problems else {},
        "problems": problems.problems if problems else [],
        "first_time": tour.pending(ctx),
    }
    return render_page(request, "welcome.html", context, status=400 if problems else 200)


async def welcome(request: Request) -> Response:
    ctx = context_of(request)
    if request.method == "GET":
        form = {"goal": tour.DEFAULT_GOAL, "hours": tour.working_hours(ctx)}
        return _page(request, form)
    form = await form_body(request)
    try:
        done = tour.finish(ctx, form)
    except tour.Problems as problems:
        return _page(request, form, problems)
    if not done.screen.passed:  # a yes: the screen's own page says stop and why
        return RedirectResponse("/screen", status_code=303)
    return RedirectResponse(f"/player?routine={quote(done.routine_id)}", status_code=303)


async def skip(request: Request) -> Response:
    await form_body(request)  # CSRF-checked
    tour.skip(context_of(request))
    return RedirectResponse("/", status_code=303)


def routes() -> list[BaseRoute]:
    """The welcome and its skip."""
    return [
        PageRoute("/welcome", welcome, name="welcome", methods=["GET", "POST"]),
        PageRoute("/welcome/skip", skip, name="welcome-skip", methods=["POST"]),
    ]
