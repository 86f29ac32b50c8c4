"""The JSON API under /api: thin handlers over the services; errors are ``{"error": ...}``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from soleus.domain.limits import MAX_LOGGED_REPS, MAX_LOGGED_SECONDS
from soleus.domain.progress import Advice
from soleus.domain.routine import Plan
from soleus.domain.safety import pain_message
from soleus.services.logs import quicklog
from soleus.services.logs.logbook import PAIN_CONTEXTS
from soleus.services.reports import history as history_service
from soleus.services.reports import transfer
from soleus.services.routines import userfiles
from soleus.services.sessions import guided as sessions
from soleus.services.today import plan as progress
from soleus.web import serialize as out
from soleus.web.errors import ApiError
from soleus.web.requests import (
    CSRF_HEADER,
    check_csrf,
    json_body,
    json_object,
    opt_bool,
    opt_float,
    opt_int,
    opt_str,
    req_int,
    req_str,
)
from soleus.web.serialize import Json
from soleus.web.state import get_state


def _ctx(request: Request) -> Any:
    return get_state(request).ctx()


async def exercises(request: Request) -> Response:
    ctx = _ctx(request)
    return Json({"exercises": [out.exercise_full(e) for e in ctx.catalog.values()]})


async def exercise(request: Request) -> Response:
    ctx = _ctx(request)
    return Json(out.exercise_full(ctx.catalog.get_exercise(request.path_params["id"])))


async def routines(request: Request) -> Response:
    ctx = _ctx(request)
    items = []
    for r in ctx.routines.values():
        data = out.routine(r)
        data["own"] = userfiles.is_user(ctx, "routines", r.id)
        data["estimated_seconds"] = round(Plan.build(r, ctx.catalog).estimated_seconds(), 1)
        items.append(data)
    return Json({"routines": items})


async def routine(request: Request) -> Response:
    ctx = _ctx(request)
    r = ctx.routines.get_routine(request.path_params["id"])
    data = out.routine(r)
    data["own"] = userfiles.is_user(ctx, "routines", r.id)
    return Json(data)


def _advice(advice: Advice) -> dict[str, Any]:
    return {"level": advice.level, "reason": advice.reason}


async def routine_plan(request: Request) -> Response:
    """Today's plan of a routine: lighter when the pain rule says so, as Today and the CLI
    show it (``?as_written=1``: the routine as written). On a stop day the plan is the
    routine as written and ``advice.level`` is "rest": starting it is refused."""
    ctx = _ctx(request)
    r = ctx.routines.get_routine(request.path_params["id"])
    if opt_flag(request, "as_written"):
        return Json({**out.plan(Plan.build(r, ctx.catalog), ctx.settings), "advice": None})
    advice = progress.today(ctx, r.id)
    data = out.plan(Plan.build(advice.routine or r, ctx.catalog), ctx.settings)
    return Json({**data, "advice": _advice(advice)})


def opt_flag(request: Request, name: str) -> bool:
    raw = request.query_params.get(name, "0")
    if raw not in ("0", "1", "true", "false"):
        raise ApiError(400, f"{name} must be 1 or 0, not {raw!r}")
    return raw in ("1", "true")


def _save_item(kind: userfiles.Kind) -> Callable[[Request], Any]:
    async def save_item(request: Request) -> Response:
        """Create or replace one of your own items from its TOML text."""
        data = await json_object(request)
        text = req_str(data, "toml", max_len=256 * 1024)
        replaces = data.get("replaces")
        if replaces is not None and not isinstance(replaces, str):
            raise ApiError(400, "replaces must be a string id or null")
        saved = userfiles.save(_ctx(request), kind, text, replaces=replaces)
        return Json({"id": saved}, status_code=201)

    return save_item


def _delete_item(kind: userfiles.Kind) -> Callable[[Request], Any]:
    async def delete_item(request: Request) -> Response:
        check_csrf(request, request.headers.get(CSRF_HEADER))
        userfiles.delete(_ctx(request), kind, request.path_params["id"])
        return Json({"deleted": request.path_params["id"]})

    return delete_item


def _item_toml(kind: userfiles.Kind) -> Callable[[Request], Any]:
    async def item_toml(request: Request) -> Response:
        text = userfiles.source(_ctx(request), kind, request.path_params["id"])
        return Response(text, media_type="application/toml; charset=utf-8")

    return item_toml


async def start_session(request: Request) -> Response:
    data = await json_object(request)
    ctx = _ctx(request)
    r = ctx.routines.get_routine(req_str(data, "routine_id", max_len=40))
    # The same plan as Today and `soleus session`: lighter when the pain rule says so.
    advice = progress.today(ctx, r.id)
    if advice.routine is not None:
        r = advice.routine
    session_id = sessions.start(ctx, r)  # refuses on a stop day
    return Json(
        {
            "id": session_id,
            "plan": out.plan(Plan.build(r, ctx.catalog), ctx.settings),
            "done": [],
            "advice": _advice(advice),
        },
        status_code=201,
    )


async def active_session(request: Request) -> Response:
    ctx = _ctx(request)
    found = sessions.resumable(ctx)
    if found is None:
        return Json({"session": None, "plan": None, "done": []})
    session, plan, done = found
    data = out.plan(plan, ctx.settings)
    return Json({"session": out.session(session), "plan": data, "done": sorted(done)})


async def get_session(request: Request) -> Response:
    ctx = _ctx(request)
    session, plan, done = sessions.view(ctx, request.path_params["id"])
    data = out.plan(plan, ctx.settings)
    return Json({"session": out.session(session), "plan": data, "done": sorted(done)})


async def add_set(request: Request) -> Response:
    data = await json_object(request)
    set_id = sessions.record(
        _ctx(request),
        request.path_params["id"],
        plan_index=req_int(data, "plan_index", lo=0, hi=10_000),
        actual_reps=opt_int(data, "actual_reps", lo=0, hi=MAX_LOGGED_REPS),
        actual_seconds=opt_float(data, "actual_seconds", lo=0, hi=MAX_LOGGED_SECONDS),
        skipped=opt_bool(data, "skipped"),
    )
    return Json({"id": set_id}, status_code=201)


async def finish_session(request: Request) -> Response:
    data = await json_object(request)
    ctx = _ctx(request)
    effort = opt_int(data, "effort", lo=0, hi=10)
    pain = opt_int(data, "pain", lo=0, hi=10)
    status = opt_str(data, "status", "finished")
    if status not in ("finished", "abandoned"):
        raise ApiError(400, f'status must be "finished" or "abandoned", not {status!r}')
    sessions.finish(ctx, request.path_params["id"], effort=effort, pain=pain, status=status)
    advice = None
    if pain is not None:
        advice = pain_message(pain, warn=ctx.settings.pain_warn, stop=ctx.settings.pain_stop)
    return Json({"id": request.path_params["id"], "status": status, "advice": advice})


async def add_log(request: Request) -> Response:
    data = await json_object(request)
    ctx = _ctx(request)
    if "pain" in data:
        score = req_int(data, "pain", lo=0, hi=10)
        context = opt_str(data, "context", "other")
        if context not in PAIN_CONTEXTS:
            raise ApiError(400, f"context must be one of {', '.join(PAIN_CONTEXTS)}")
        logged = quicklog.log_pain(ctx, score=score, context=context)
    else:
        amount = data.get("amount")
        if isinstance(amount, int) and not isinstance(amount, bool):
            amount = str(amount)
        logged = quicklog.log_sets(
            ctx,
            exercise_id=req_str(data, "exercise_id", max_len=40),
            amount=req_str({"amount": amount}, "amount", max_len=40),
            side=opt_str(data, "side", "", max_len=10) or None,
        )
    return Json({"message": logged.message, "advice": logged.advice}, status_code=201)


async def stats(request: Request) -> Response:
    ctx = _ctx(request)
    return Json(history_service.stats_dict(history_service.stats(ctx)))


async def history(request: Request) -> Response:
    raw = request.query_params.get("days", "14")
    if not raw.isdigit() or not 1 <= int(raw) <= 3660:
        raise ApiError(400, f"days must be a whole number from 1 to 3660, not {raw!r}")
    return Json({"days": history_service.history(_ctx(request), days=int(raw))})


async def export(request: Request) -> Response:
    fmt = request.query_params.get("format", "json")
    if fmt not in ("json", "csv"):
        raise ApiError(400, f'format must be "json" or "csv", not {fmt!r}')
    data = transfer.collect(_ctx(request))
    body = transfer.to_json(data) if fmt == "json" else transfer.to_csv(data)
    media = "application/json" if fmt == "json" else "text/csv; charset=utf-8"
    return Response(
        body,
        media_type=media,
        headers={"content-disposition": f'attachment; filename="soleus-export.{fmt}"'},
    )


async def import_(request: Request) -> Response:
    body = await json_body(request, allow=("text/csv",))
    if isinstance(body, str):
        text, name = body, "upload.csv"
    else:
        import json

        text, name = json.dumps(body), "upload.json"
    added = transfer.import_text(_ctx(request), text, name=name)
    return Json({"added": added})


# (path, handler, methods, name): the one table the router and /openapi.json read.
API: list[tuple[str, Callable[[Request], Any], list[str], str]] = [
    ("/api/exercises", exercises, ["GET"], "list_exercises"),
    ("/api/exercises", _save_item("exercises"), ["POST"], "save_exercise"),
    ("/api/exercises/{id}.toml", _item_toml("exercises"), ["GET"], "get_exercise_toml"),
    ("/api/exercises/{id}", exercise, ["GET"], "get_exercise"),
    ("/api/exercises/{id}", _delete_item("exercises"), ["DELETE"], "delete_exercise"),
    ("/api/routines", routines, ["GET"], "list_routines"),
    ("/api/routines", _save_item("routines"), ["POST"], "save_routine"),
    ("/api/routines/{id}.toml", _item_toml("routines"), ["GET"], "get_routine_toml"),
    ("/api/routines/{id}", routine, ["GET"], "get_routine"),
    ("/api/routines/{id}", _delete_item("routines"), ["DELETE"], "delete_routine"),
    ("/api/routines/{id}/plan", routine_plan, ["GET"], "get_routine_plan"),
    ("/api/sessions", start_session, ["POST"], "start_session"),
    ("/api/sessions/active", active_session, ["GET"], "active_session"),
    ("/api/sessions/{id}", get_session, ["GET"], "get_session"),
    ("/api/sessions/{id}/sets", add_set, ["POST"], "add_set"),
    ("/api/sessions/{id}/finish", finish_session, ["POST"], "finish_session"),
    ("/api/logs", add_log, ["POST"], "add_log"),
    ("/api/stats", stats, ["GET"], "stats"),
    ("/api/history", history, ["GET"], "history"),
    ("/api/export", export, ["GET"], "export"),
    ("/api/import", import_, ["POST"], "import"),
]


async def openapi(request: Request) -> Response:
    from soleus.web.openapi import document

    return Json(document(API))


def routes() -> list[Route]:
    return [
        *(Route(path, fn, methods=methods, name=name) for path, fn, methods, name in API),
        Route("/openapi.json", openapi, name="openapi"),
    ]
