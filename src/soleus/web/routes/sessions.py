"""Guided sessions: the player page, today's plan of a routine, and the session API
(start, resume, save each set, finish)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute

from soleus.domain.day import DayState
from soleus.domain.limits import MAX_LOGGED_REPS, MAX_LOGGED_SECONDS
from soleus.domain.routine import Plan
from soleus.services.context import Context
from soleus.services.prescriptions import plan as prescribed
from soleus.services.safety import advice as progress
from soleus.services.safety import screen as safety
from soleus.services.sessions import guided as sessions
from soleus.services.today import finish as finish_screen
from soleus.web import serialize as out
from soleus.web.auth import acting
from soleus.web.errors import ApiError
from soleus.web.requests import (
    json_object,
    json_object_of,
    opt_bool,
    opt_flag,
    opt_float,
    opt_int,
    opt_str,
    req_int,
    req_str,
    routine_param,
)
from soleus.web.routing import STOP_DAY, ApiRoute, Conflict, PageRoute
from soleus.web.serialize import Json
from soleus.web.state import context_of, render_page


def _screen_redirect(request: Request) -> Response | None:
    """Before the first session of a day the red-flag screen must be answered (and passed)."""
    ctx = context_of(request)
    if safety.screen_due(ctx) or safety.failed_today(ctx):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/screen?next={quote(target, safe='')}", status_code=303)
    return None


async def player(request: Request) -> Response:
    ctx = context_of(request)
    session_id = request.path_params.get("session_id")
    routine_id: str | None
    # An unknown routine or session is a clear 404 page, before any safety questions.
    if session_id is not None:
        session, _, _ = sessions.view(ctx, session_id)
        routine_id = session["routine_id"]
    else:
        routine_id = routine_param(request)
        prescribed.resolve(ctx, routine_id)
    redirect = _screen_redirect(request)
    if redirect is not None:
        return redirect
    return render_page(
        request,
        "player.html",
        # No section of the navigation is this page: none is marked as the current one.
        {"routine_id": routine_id, "session_id": session_id, "nav_active": None},
    )


def _advice(state: DayState) -> dict[str, Any]:
    """Today's state as the API gives it: the same words as Today and the CLI."""
    return {"level": state.level, "reason": state.reason, "advice": state.advice}


async def routine_plan(request: Request) -> Response:
    """Today's plan of a routine: lighter when the day's state says so, as Today and the
    CLI show it (``?as_written=1``: the routine as written). On a rest or stopped day the
    plan is the routine as written and ``advice.level`` says so: starting it is refused."""
    ctx = context_of(request)
    routine_id = request.path_params["id"]
    if opt_flag(request, "as_written") and routine_id != prescribed.PRESCRIBED:
        r = ctx.routines.get_routine(routine_id)
        return Json({**out.plan(Plan.build(r, ctx.catalog), ctx.settings), "advice": None})
    r, state = prescribed.resolve(ctx, routine_id)
    data = out.plan(Plan.build(r, ctx.catalog), ctx.settings)
    return Json({**data, "advice": _advice(state)})


async def start_session(request: Request) -> Response:
    data = await json_object(request)
    ctx = context_of(request)
    # The same plan as Today and `soleus session`: lighter when the day's state says so
    # (the prescribed plan of the day too).
    r, state = prescribed.resolve(ctx, req_str(data, "routine_id", max_len=40))
    if not opt_bool(data, "start_over"):
        # An unfinished session of this routine today: the page offers Resume or Start
        # over (``start_over: true``) instead of piling up another active session. On a
        # rest or stopped day the refusal comes first: nothing is offered.
        progress.check_exercise_allowed(ctx)
        found = sessions.resumable(ctx, r.id)
        if found is not None:
            return _unfinished(ctx, found)
    session_id, plan = sessions.start_over(ctx, r)  # refused (409) on a rest or stopped day
    return Json(
        {
            "id": session_id,
            "plan": out.plan(plan, ctx.settings),
            "done": [],
            "advice": _advice(state),
        },
        status_code=201,
    )


def _unfinished(ctx: Context, found: tuple[dict[str, Any], Plan, frozenset[int]]) -> Response:
    session, plan, done = found
    name = session["routine_name"] or plan.routine.name
    return Json(
        {
            "error": f"{name} has an unfinished session today ({len(done)} of"
            f" {len(plan.sets)} sets done): resume it, or start over with"
            ' "start_over": true (it then ends as abandoned)',
            "unfinished": {
                "session": out.session(session),
                "plan": out.plan(plan, ctx.settings),
                "done": sorted(done),
            },
        },
        status_code=409,
    )


async def active_session(request: Request) -> Response:
    ctx = context_of(request)
    found = sessions.resumable(ctx)
    if found is None:
        return Json({"session": None, "plan": None, "done": []})
    session, plan, done = found
    data = out.plan(plan, ctx.settings)
    return Json({"session": out.session(session), "plan": data, "done": sorted(done)})


async def get_session(request: Request) -> Response:
    ctx = context_of(request)
    session, plan, done = sessions.view(ctx, request.path_params["id"])
    data = out.plan(plan, ctx.settings)
    return Json({"session": out.session(session), "plan": data, "done": sorted(done)})


async def session_summary(request: Request) -> Response:
    summary = finish_screen.summary(context_of(request), request.path_params["id"])
    return Json(summary.as_dict())


async def add_set(request: Request) -> Response:
    # The hot path of a shared deployment: its database round trips wait in a worker
    # thread (one of few, see web/threads.py), so the event loop serves others meanwhile;
    # a bearer token is checked in that same call and transaction (web/auth.acting),
    # before the body is looked at.
    raw = await request.body()
    set_id = await acting(request, _record_set, request, raw)
    return Json({"id": set_id}, status_code=201)


def _record_set(ctx: Context, request: Request, raw: bytes) -> str:
    data = json_object_of(request, raw)
    return sessions.record(
        ctx,
        request.path_params["id"],
        plan_index=req_int(data, "plan_index", lo=0, hi=10_000),
        actual_reps=opt_int(data, "actual_reps", lo=0, hi=MAX_LOGGED_REPS),
        actual_seconds=opt_float(data, "actual_seconds", lo=0, hi=MAX_LOGGED_SECONDS),
        skipped=opt_bool(data, "skipped"),
    )


async def finish_session(request: Request) -> Response:
    data = await json_object(request)
    ctx = context_of(request)
    effort = opt_int(data, "effort", lo=0, hi=10)
    pain = opt_int(data, "pain", lo=0, hi=10)
    status = opt_str(data, "status", "finished")
    if status not in ("finished", "abandoned"):
        raise ApiError(400, f'status must be "finished" or "abandoned", not {status!r}')
    sessions.finish(ctx, request.path_params["id"], effort=effort, pain=pain, status=status)
    advice = None if pain is None else progress.day_state(ctx).words
    return Json({"id": request.path_params["id"], "status": status, "advice": advice})


START_SESSION_BODY = {
    "type": "object",
    "required": ["routine_id"],
    "properties": {
        "routine_id": {"type": "string", "example": "desk"},
        "start_over": {
            "type": "boolean",
            "default": False,
            "description": "End today's unfinished session of this routine as abandoned"
            " and start a new one; without it such a session is answered with 409 and"
            " the session (its plan and the plan indices done) under `unfinished`",
        },
    },
}
ADD_SET_BODY = {
    "type": "object",
    "required": ["plan_index"],
    "properties": {
        "plan_index": {"type": "integer", "minimum": 0},
        "actual_reps": {"type": ["integer", "null"], "minimum": 0},
        "actual_seconds": {"type": ["number", "null"], "minimum": 0},
        "skipped": {"type": "boolean", "default": False},
    },
}
FINISH_SESSION_BODY = {
    "type": "object",
    "properties": {
        "effort": {"type": ["integer", "null"], "minimum": 0, "maximum": 10},
        "pain": {"type": ["integer", "null"], "minimum": 0, "maximum": 10},
        "status": {"enum": ["finished", "abandoned"], "default": "finished"},
    },
}


def routes() -> list[BaseRoute]:
    """The player pages and the session API."""
    return [
        PageRoute("/player", player, name="player"),
        PageRoute("/player/{session_id}", player, name="player_session"),
        ApiRoute(
            "/api/routines/{id}/plan",
            routine_plan,
            "GET",
            "get_routine_plan",
            "A routine expanded into its sets, with exercise, dosage and tempo",
        ),
        ApiRoute(
            "/api/sessions",
            start_session,
            "POST",
            "start_session",
            "Start a guided session (409 with the unfinished one if the routine has one today)",
            body=START_SESSION_BODY,
            status=201,
            conflict=Conflict(
                f"{STOP_DAY}; or, without start_over, the routine has an unfinished session"
                " today: `unfinished` holds it (session, plan, the plan indices done) to"
                " resume, or send start_over: true",
                {
                    "unfinished": {
                        "type": "object",
                        "required": ["session", "plan", "done"],
                        "properties": {
                            "session": {"type": "object"},
                            "plan": {"type": "object"},
                            "done": {"type": "array", "items": {"type": "integer"}},
                        },
                    }
                },
            ),
        ),
        ApiRoute(
            "/api/sessions/active",
            active_session,
            "GET",
            "active_session",
            "The unfinished session to resume, if any",
        ),
        ApiRoute(
            "/api/sessions/{id}",
            get_session,
            "GET",
            "get_session",
            "A session with its sets, plan and the plan indices done",
        ),
        ApiRoute(
            "/api/sessions/{id}/sets",
            add_set,
            "POST",
            "add_set",
            "Save one completed (or skipped) set by plan index",
            body=ADD_SET_BODY,
            status=201,
            checks_token=True,
        ),
        ApiRoute(
            "/api/sessions/{id}/summary",
            session_summary,
            "GET",
            "session_summary",
            "The finish screen: reps and seconds done vs planned per exercise and side,"
            " time worked, effort and pain, and what the day's plan says next",
        ),
        ApiRoute(
            "/api/sessions/{id}/finish",
            finish_session,
            "POST",
            "finish_session",
            "Finish a session with optional effort and pain",
            body=FINISH_SESSION_BODY,
        ),
    ]
