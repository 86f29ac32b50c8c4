"""Quick logs: the Log page (sets, pain, finishing a session) and its API."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from soleus.errors import SoleusError
from soleus.services.logs import quicklog
from soleus.services.logs.logbook import LOG_SIDES, PAIN_CONTEXTS
from soleus.services.safety.advice import day_state
from soleus.services.sessions import guided as sessions
from soleus.web.errors import ApiError
from soleus.web.requests import (
    form_body,
    json_object,
    opt_str,
    req_int,
    req_str,
)
from soleus.web.routing import ApiRoute, PageRoute
from soleus.web.serialize import Json
from soleus.web.state import context_of, render_page


async def log(request: Request) -> Response:
    ctx = context_of(request)
    context: dict[str, Any] = {
        "nav_active": "Log",
        "exercises": list(ctx.catalog.values()),
        "sides": LOG_SIDES,
        "contexts": PAIN_CONTEXTS,
        "message": None,
        "advice": None,
        "level": None,
        "error": None,
        "form": {},
    }
    status = 200
    if request.method == "POST":
        form = await form_body(request)
        context["form"] = form
        try:
            what = form.get("what", "sets")
            if what == "pain":
                logged = quicklog.log_pain(
                    ctx, score=form.get("pain", ""), context=form.get("context") or "other"
                )
            elif what == "finish":
                logged = _finish_from_form(ctx, form)
            else:
                logged = quicklog.log_sets(
                    ctx,
                    exercise_id=form.get("exercise_id", ""),
                    amount=form.get("amount", ""),
                    side=form.get("side") or None,
                )
            context["message"], context["advice"] = logged.message, logged.advice
            context["level"] = logged.level
            context["form"] = {}
        except SoleusError as error:
            context["error"], status = str(error), 400
    context["active"] = sessions.resumable(ctx)
    return render_page(request, "log.html", context, status=status)


def _finish_from_form(ctx: Any, form: dict[str, str]) -> quicklog.Logged:
    from soleus.services.logs.logbook import parse_pain

    session_id = form.get("session_id", "")
    effort = parse_pain(form["effort"]) if form.get("effort") else None
    pain = parse_pain(form["pain"]) if form.get("pain") else None
    sessions.finish(ctx, session_id, effort=effort, pain=pain)
    if pain is None:
        return quicklog.Logged("Session finished and saved.")
    state = day_state(ctx)
    return quicklog.Logged("Session finished and saved.", state.words, state.level)


async def add_log(request: Request) -> Response:
    data = await json_object(request)
    ctx = context_of(request)
    if "pain" in data:
        if "side" in data or "exercise_id" in data or "amount" in data:
            raise ApiError(
                400,
                "a pain log has pain and context only: side, exercise_id"
                " and amount are for exercises",
            )
        score = req_int(data, "pain", lo=0, hi=10)
        context = opt_str(data, "context", "other")
        if context not in PAIN_CONTEXTS:
            raise ApiError(400, f"context must be one of {', '.join(PAIN_CONTEXTS)}")
        logged = quicklog.log_pain(ctx, score=score, context=context)
    else:
        if "context" in data:
            raise ApiError(400, "context is for pain only (when it was felt), not for exercises")
        amount = data.get("amount")
        if isinstance(amount, int) and not isinstance(amount, bool):
            amount = str(amount)
        logged = quicklog.log_sets(
            ctx,
            exercise_id=req_str(data, "exercise_id", max_len=40),
            amount=req_str({"amount": amount}, "amount", max_len=40),
            side=opt_str(data, "side", "", max_len=10) or None,
        )
    body = {"message": logged.message, "advice": logged.advice, "level": logged.level}
    return Json(body, status_code=201)


ADD_LOG_BODY = {
    "oneOf": [
        {
            "type": "object",
            "required": ["exercise_id", "amount"],
            "properties": {
                "exercise_id": {"type": "string"},
                "amount": {"type": "string", "example": "2x10"},
                "side": {"enum": ["left", "right", "both", "each"]},
            },
        },
        {
            "type": "object",
            "required": ["pain"],
            "properties": {
                "pain": {"type": "integer", "minimum": 0, "maximum": 10},
                "context": {"enum": ["during", "after", "morning", "other"]},
            },
        },
    ]
}


def routes() -> list[BaseRoute]:
    """The Log page and API."""
    return [
        PageRoute("/log", log, name="log", methods=["GET", "POST"]),
        ApiRoute(
            "/api/logs",
            add_log,
            "POST",
            "add_log",
            "Quick log: sets of an exercise, or a pain score",
            body=ADD_LOG_BODY,
            status=201,
        ),
    ]
