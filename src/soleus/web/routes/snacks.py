"""Exercise snacks in the web app: the Snacks page, the reminder settings form and the
JSON API that the in-page nudges (static/js/nudges.js) poll."""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute

from soleus.domain.snacks.engine import Answer
from soleus.domain.snacks.policy import DAY_NAMES, when_label
from soleus.errors import SoleusError
from soleus.services.context import Context
from soleus.services.reports import history as history_service
from soleus.services.snacks import live as snack_live
from soleus.services.snacks import records as snacks
from soleus.services.snacks import settings as snack_settings
from soleus.web.charts.snacks import OUTCOME_WORDS, Item, timeline
from soleus.web.errors import ApiError
from soleus.web.requests import (
    form_body,
    json_object,
    opt_float,
    opt_str,
    req_str,
)
from soleus.web.routing import ApiRoute, PageRoute, query_param
from soleus.web.serialize import Json
from soleus.web.state import context_of, render_page

ANSWERS: dict[str, Answer] = {
    "taken": "taken",
    "start": "taken",
    "snoozed": "snoozed",
    "snooze": "snoozed",
    "skipped": "skipped",
    "skip": "skipped",
}


SKIP_REASONS = ("In a meeting", "On a call", "Pain", "Not now")


def _live(state: dict[str, Any]) -> dict[str, Any]:
    """The reminder state with its times worded for the page: ``next_due_label`` and
    ``sitting_since_label`` ("10:20", "tomorrow 10:20") in the person's zone."""
    now = datetime.fromisoformat(state["now"])
    for key in ("next_due", "sitting_since"):
        raw = state.get(key)
        state[f"{key}_label"] = when_label(datetime.fromisoformat(raw), now) if raw else None
    return state


def _items(ctx: Context, day: date, working: list[tuple[datetime, datetime]]) -> list[Item]:
    tz = ctx.tz
    rows, spans = snacks.day_log(ctx, day)
    items = [Item("work", a, b, "working hours") for a, b in working]
    for s in spans:
        minutes = (s.end - s.start).total_seconds() / 60
        what = "sitting" if s.kind == "sitting" else "natural break"
        items.append(
            Item(s.kind, s.start.astimezone(tz), s.end.astimezone(tz), f"{what}, {minutes:.0f} min")
        )
    for n in rows:
        outcome = n.outcome
        label = f"nudge {n.number} ({'target' if n.reason == 'target' else 'sitting'})"
        label += f": {OUTCOME_WORDS.get(outcome, outcome)}"
        if n.snoozes:
            label += f", postponed {n.snoozes}×"
        if n.skip_reason:
            label += f" — {n.skip_reason}"
        items.append(Item("nudge", n.prompted_at.astimezone(tz), None, label, f"tl-{outcome}"))
    for d in history_service.history(ctx, days=(ctx.today() - day).days + 1):
        if d["date"] != day:
            continue
        for s in d["sessions"]:
            end = s["ended_at"] or max(s["started_at"], ctx.now())
            name = s["routine_name"] or s["routine_id"] or "quick log"
            items.append(
                Item(
                    "session",
                    s["started_at"].astimezone(tz),
                    end.astimezone(tz),
                    f"session: {name} ({s['status']})",
                )
            )
    items.sort(key=lambda i: (i.start, i.lane))
    return items


def _item_json(item: Item) -> dict[str, Any]:
    return {
        "kind": item.lane,
        "start": item.start.isoformat(timespec="seconds"),
        "end": item.end.isoformat(timespec="seconds") if item.end else None,
        "label": item.label,
    }


def _totals(days: list[snacks.SnackDay]) -> dict[str, float]:
    keys = ("prompted", "taken", "natural_breaks", "skipped", "postponed", "expired", "target")
    out: dict[str, float] = {k: sum(getattr(d, k) for d in days) for k in keys}
    out["sitting_minutes"] = round(sum(d.sitting_minutes for d in days), 1)
    out["snacks_done"] = sum(d.snacks_done for d in days)
    return out


def _preview(ctx: Context, day: date) -> tuple[dict[str, Any] | None, str | None]:
    try:
        return snacks.preview(ctx, day), None
    except SoleusError as error:
        return None, str(error)


async def snacks_page(request: Request) -> Response:
    ctx = context_of(request)
    today = ctx.today()
    preview, error = _preview(ctx, today)
    working = preview["working"] if preview else []
    items = _items(ctx, today, working)
    month = snacks.days_stats(ctx, today - timedelta(days=29), today)
    return render_page(
        request,
        "snacks.html",
        {
            "nav_active": "Snacks",
            "today": today,
            "stats": month[-1],
            "items": items,
            "timeline_svg": timeline(items, now=ctx.now(), tz=ctx.tz),
            "week_totals": _totals(month[-7:]),
            "month_totals": _totals(month),
            "month": list(reversed(month)),
            "preview": preview,
            "policy_error": error,
            "live": _live(snack_live.peek(ctx)),
            "now": ctx.now().astimezone(ctx.tz),
        },
    )


async def settings_page(request: Request) -> Response:
    ctx = context_of(request)
    config_dir = ctx.settings.config_dir
    config, problem = snack_settings.current(config_dir)
    context: dict[str, Any] = {
        "nav_active": "Snacks",
        "form": snack_settings.form_values(config),
        "fieldsets": snack_settings.fieldsets(),
        "error": None,
        "problem": problem,
        "saved": request.query_params.get("saved") == "1",
        "path": snack_settings.config_path(config_dir),
        "overrides": snack_settings.env_overrides(os.environ),
        "day_names": DAY_NAMES,
    }
    status = 200
    if request.method == "POST":
        form = await form_body(request)
        try:
            snack_settings.save_form(config_dir, form)
        except SoleusError as error:
            context["error"], context["form"], status = (
                str(error),
                snack_settings.form_view(form),
                400,
            )
        else:
            return RedirectResponse("/snacks/settings?saved=1", status_code=303)
    return render_page(request, "snacks_settings.html", context, status=status)


async def api_today(request: Request) -> Response:
    ctx = context_of(request)
    today = ctx.today()
    preview, _ = _preview(ctx, today)
    items = _items(ctx, today, preview["working"] if preview else [])
    return Json({**snacks.day_stats(ctx).as_dict(), "timeline": [_item_json(i) for i in items]})


async def api_days(request: Request) -> Response:
    raw = request.query_params.get("days", "7")
    if not raw.isdigit() or not 1 <= int(raw) <= 366:
        raise ApiError(400, f"days must be a whole number from 1 to 366, not {raw!r}")
    ctx = context_of(request)
    today = ctx.today()
    days = snacks.days_stats(ctx, today - timedelta(days=int(raw) - 1), today)
    return Json({"days": [d.as_dict() for d in days], "totals": _totals(days)})


async def api_preview(request: Request) -> Response:
    ctx = context_of(request)
    raw = request.query_params.get("date")
    try:
        day = date.fromisoformat(raw) if raw else ctx.today()
    except ValueError:
        raise ApiError(400, f"date must be YYYY-MM-DD, not {raw!r}") from None
    return Json(snacks.preview(ctx, day))


async def api_next(request: Request) -> Response:
    return Json(_live(snack_live.peek(context_of(request))))


async def api_activity(request: Request) -> Response:
    data = await json_object(request)
    idle = opt_float(data, "idle_s", lo=0, hi=snack_live.MAX_IDLE_S) or 0.0
    raw = opt_str(data, "source", "open-tab", max_len=20)
    source = next((s for s in snack_live.SOURCES if s == raw), None)
    if source is None:
        raise ApiError(400, f"source must be one of {', '.join(snack_live.SOURCES)}")
    return Json(_live(snack_live.activity(context_of(request), idle, source)))


async def api_answer(request: Request) -> Response:
    data = await json_object(request)
    nudge_id = req_str(data, "id", max_len=40)
    raw = req_str(data, "answer", max_len=20)
    what = ANSWERS.get(raw)
    if what is None:
        raise ApiError(400, f'answer must be "taken", "snoozed" or "skipped", not {raw!r}')
    reason = opt_str(data, "reason", "", max_len=200)
    return Json(_live(snack_live.answer(context_of(request), nudge_id, what, reason)))


SNACKS_ACTIVITY_BODY = {
    "type": "object",
    "properties": {
        "idle_s": {"type": "number", "minimum": 0, "description": "seconds without input"},
        "source": {"enum": ["open-tab", "idle-detector"], "default": "open-tab"},
    },
}
SNACKS_ANSWER_BODY = {
    "type": "object",
    "required": ["id", "answer"],
    "properties": {
        "id": {"type": "string", "description": "the nudge's id from /api/snacks/next"},
        "answer": {"enum": ["taken", "snoozed", "skipped"]},
        "reason": {"type": "string", "description": "why you skip (required in strict mode)"},
    },
}


def routes() -> list[BaseRoute]:
    """The Snacks pages and the API the in-page nudges poll."""
    return [
        PageRoute("/snacks", snacks_page, name="snacks"),
        PageRoute(
            "/snacks/settings", settings_page, name="snack_settings", methods=["GET", "POST"]
        ),
        ApiRoute(
            "/api/snacks/today",
            api_today,
            "GET",
            "snacks_today",
            "Today's snack statistics and timeline (nudges, sitting, breaks, sessions)",
        ),
        ApiRoute(
            "/api/snacks/days",
            api_days,
            "GET",
            "snacks_days",
            "Snack statistics per day for the last N days, with totals",
            query=[query_param("days", type="integer", minimum=1, maximum=366, default=7)],
        ),
        ApiRoute(
            "/api/snacks/preview",
            api_preview,
            "GET",
            "snacks_preview",
            "When snacks are planned and nudges would come on a day",
            query=[query_param("date", type="string", format="date")],
        ),
        ApiRoute(
            "/api/snacks/next",
            api_next,
            "GET",
            "snacks_next",
            "When the next nudge is due and the nudge showing now, if any",
        ),
        ApiRoute(
            "/api/snacks/activity",
            api_activity,
            "POST",
            "snacks_activity",
            "Report activity from an open tab; nudges that fall due are logged",
            body=SNACKS_ACTIVITY_BODY,
        ),
        ApiRoute(
            "/api/snacks/answer",
            api_answer,
            "POST",
            "snacks_answer",
            "Answer the nudge showing now: taken (Start), snoozed or skipped",
            body=SNACKS_ANSWER_BODY,
        ),
    ]
