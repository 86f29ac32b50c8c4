"""HTML pages: thin handlers that call the services and render a template."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Route

from soleus.domain.catalog import is_valid_id
from soleus.domain.safety import DISCLAIMER, IF_WORSE, RED_FLAGS, SCREEN_INTRO, stopped_until
from soleus.errors import NotFound, SoleusError
from soleus.services.logs import quicklog
from soleus.services.logs.logbook import LOG_SIDES, PAIN_CONTEXTS
from soleus.services.routines import userfiles
from soleus.services.sessions import guided as sessions
from soleus.services.today import dashboard, safety
from soleus.web import charts
from soleus.web.errors import ApiError
from soleus.web.requests import form_body
from soleus.web.state import get_state

ILLUSTRATIONS = Path(__file__).resolve().parent.parent / "content" / "illustrations"
SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def _render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    response: Response = get_state(request).render(request, name, context, status=status)
    return response


def _safe_next(value: str | None, default: str = "/") -> str:
    """Only same-site relative paths: never an open redirect."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return default


def _routine_param(request: Request) -> str:
    routine_id = request.query_params.get("routine") or "desk"
    if not is_valid_id(routine_id):
        raise ApiError(400, f"routine must be an id like 'desk', not {routine_id!r}")
    return routine_id


async def today(request: Request) -> Response:
    ctx = get_state(request).ctx()
    view = dashboard.today_view(ctx, _routine_param(request))
    return _render(
        request,
        "today.html",
        {
            "nav_active": "Today",
            "view": view,
            "routines": list(ctx.routines.values()),
            "exercises": list(ctx.catalog.values()),
            "catalog": ctx.catalog,
            "sides": LOG_SIDES,
            "contexts": PAIN_CONTEXTS,
            "skipped": ctx.skipped.messages(),
        },
    )


def _screen_redirect(request: Request) -> Response | None:
    """Before the first session of a day the red-flag screen must be answered (and passed)."""
    ctx = get_state(request).ctx()
    if safety.screen_due(ctx) or safety.failed_today(ctx):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/screen?next={quote(target, safe='')}", status_code=303)
    return None


async def player(request: Request) -> Response:
    ctx = get_state(request).ctx()
    session_id = request.path_params.get("session_id")
    routine_id: str | None
    # An unknown routine or session is a clear 404 page, before any safety questions.
    if session_id is not None:
        session, _, _ = sessions.view(ctx, session_id)
        routine_id = session["routine_id"]
    else:
        routine_id = _routine_param(request)
        ctx.routines.get_routine(routine_id)
    redirect = _screen_redirect(request)
    if redirect is not None:
        return redirect
    return _render(
        request,
        "player.html",
        {"routine_id": routine_id, "session_id": session_id, "nav_active": "Today"},
    )


async def screen(request: Request) -> Response:
    ctx = get_state(request).ctx()
    failed = safety.failed_today(ctx)
    context: dict[str, Any] = {
        "nav_active": "Today",
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
            return _render(request, "screen.html", context, status=400)
        result = safety.record_screen(ctx, answers)
        if result.passed:
            return RedirectResponse(context["next"], status_code=303)
        context["result"] = result
        context["failed"] = True
    return _render(request, "screen.html", context)


async def exercises(request: Request) -> Response:
    ctx = get_state(request).ctx()
    own = {f.id for f in userfiles.list_files(ctx, "exercises")}
    return _render(
        request,
        "exercises.html",
        {"nav_active": "Exercises", "exercises": list(ctx.catalog.values()), "own": own},
    )


async def exercise(request: Request) -> Response:
    ctx = get_state(request).ctx()
    item = ctx.catalog.get_exercise(request.path_params["id"])
    return _render(
        request,
        "exercise.html",
        {
            "nav_active": "Exercises",
            "exercise": item,
            "own": userfiles.is_user(ctx, "exercises", item.id),
            "routines": [
                r for r in ctx.routines.values() if any(b.exercise == item.id for b in r.blocks)
            ],
        },
    )


async def illustration(request: Request) -> Response:
    exercise_id = request.path_params["id"]
    if not is_valid_id(exercise_id):
        raise NotFound(f"no illustration {exercise_id!r}")
    path = ILLUSTRATIONS / f"{exercise_id}.svg"
    if not path.is_file():
        path = Path(__file__).parent / "static" / "img" / "exercise.svg"
    return FileResponse(
        path,
        media_type="image/svg+xml",
        headers={"content-security-policy": SVG_CSP, "cache-control": "max-age=300"},
    )


async def history(request: Request) -> Response:
    ctx = get_state(request).ctx()
    view = dashboard.history_view(ctx)
    today = view.stats.today
    names = {e.id: e.name for e in ctx.catalog.values()}
    trend_start = today - timedelta(days=89)
    balance_rows = [
        (names.get(b.exercise_id, b.exercise_id), b.left, b.right, b.unit)
        for b in view.stats.balance
    ]
    return _render(
        request,
        "history.html",
        {
            "nav_active": "History",
            "view": view,
            "stats": view.stats,
            "names": names,
            "heat_svg": charts.heatmap(view.heatmap, start=view.heat_start, today=today),
            "weekly_svg": charts.stacked_bars(view.weekly, view.exercises, names),
            "balance_svg": charts.balance(balance_rows),
            "balance_rows": balance_rows,
            "trend_svg": charts.trend(view.pain, view.effort, start=trend_start, end=today),
            "heat_month": sorted(
                ((d, v) for d, v in view.heatmap.items() if d > today - timedelta(days=30)),
                reverse=True,
            ),
        },
    )


async def log(request: Request) -> Response:
    ctx = get_state(request).ctx()
    context: dict[str, Any] = {
        "nav_active": "Log",
        "exercises": list(ctx.catalog.values()),
        "sides": LOG_SIDES,
        "contexts": PAIN_CONTEXTS,
        "message": None,
        "advice": None,
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
            context["form"] = {}
        except SoleusError as error:
            context["error"], status = str(error), 400
    context["active"] = sessions.resumable(ctx)
    return _render(request, "log.html", context, status=status)


def _finish_from_form(ctx: Any, form: dict[str, str]) -> quicklog.Logged:
    from soleus.domain.safety import pain_message
    from soleus.services.logs.logbook import parse_pain

    session_id = form.get("session_id", "")
    effort = parse_pain(form["effort"]) if form.get("effort") else None
    pain = parse_pain(form["pain"]) if form.get("pain") else None
    sessions.finish(ctx, session_id, effort=effort, pain=pain)
    advice = None
    if pain is not None:
        advice = pain_message(pain, warn=ctx.settings.pain_warn, stop=ctx.settings.pain_stop)
    return quicklog.Logged("Session finished and saved.", advice)


def routes() -> list[Route]:
    from soleus.web import routine_pages

    return [
        Route("/", today, name="today"),
        Route("/player", player, name="player"),
        Route("/player/{session_id}", player, name="player_session"),
        Route("/screen", screen, methods=["GET", "POST"], name="screen"),
        Route("/exercises", exercises, name="exercises"),
        Route("/exercises/{id}", exercise, name="exercise"),
        Route("/illustrations/{id}.svg", illustration, name="illustration"),
        Route("/history", history, name="history"),
        Route("/log", log, methods=["GET", "POST"], name="log"),
        *routine_pages.routes(),
    ]
