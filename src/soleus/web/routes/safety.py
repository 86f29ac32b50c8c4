"""The red-flag screen, answered before the first session of a day."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute

from soleus.domain.safety import DISCLAIMER, IF_WORSE, RED_FLAGS, SCREEN_INTRO, stopped_until
from soleus.services.safety import screen as safety
from soleus.web.requests import form_body
from soleus.web.routing import PageRoute
from soleus.web.state import context_of, render_page


def _safe_next(value: str | None, default: str = "/") -> str:
    """Only same-site relative paths: never an open redirect."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return default


async def screen(request: Request) -> Response:
    ctx = context_of(request)
    failed = safety.failed_today(ctx)
    context: dict[str, Any] = {
        "nav_active": None,  # a step before a session, in no section of the navigation
        "questions": RED_FLAGS,
        "next": _safe_next(request.query_params.get("next")),
        "failed": failed,
        "due": safety.screen_due(ctx),
        "disclaimer": DISCLAIMER,
        "intro": SCREEN_INTRO,
        "if_worse": IF_WORSE,
        "stopped_until": stopped_until(ctx.today()),
        # A yes stands for the rest of the day: no new answers until tomorrow.
        "result": safety.today_result(ctx) if failed else None,
    }
    if request.method == "POST" and not failed:
        form = await form_body(request)
        answers: dict[str, bool] = {}
        missing = []
        for q in RED_FLAGS:
            value = form.get(q.id)
            if value not in ("yes", "no"):
                missing.append(q.text)
            answers[q.id] = value == "yes"
        context["next"] = _safe_next(form.get("next"))
        if missing:
            context["error"] = f"Please answer every question (missing: {missing[0]})"
            context["answers"] = form
            return render_page(request, "screen.html", context, status=400)
        result = safety.record_screen(ctx, answers)
        if result.passed:
            return RedirectResponse(context["next"], status_code=303)
        context["result"] = result
        context["failed"] = True
    return render_page(request, "screen.html", context)


def routes() -> list[BaseRoute]:
    """The screen page."""
    return [
        PageRoute("/screen", screen, name="screen", methods=["GET", "POST"]),
    ]
