"""What the Today and History pages show, gathered in as few queries as possible."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from soleus.domain.day import DayState
from soleus.domain.routine import Plan
from soleus.domain.stats import RECENT_DAYS, DayTotal, Stats, streaks, summarize, week_start
from soleus.errors import SoleusError
from soleus.services.context import Context
from soleus.services.safety import advice as progress
from soleus.services.safety import screen as safety
from soleus.services.sessions import guided as sessions_service
from soleus.store import checks
from soleus.store import sessions as repo

DEFAULT_SNACK_TARGET = 3


@dataclass(frozen=True)
class TodayView:
    day: date
    advice: DayState  # today's state and its plan (decide_day)
    plan: Plan | None
    routine_id: str
    sets_today: int
    reps_today: int
    seconds_today: float
    snacks_done: int
    snack_target: int
    streak: int
    screen_due: bool
    screen_failed: bool
    resumable: dict[str, Any] | None


def snack_target(ctx: Context) -> int:
    """The daily snack target of the reminder settings (3 if they cannot be read)."""
    try:
        from soleus.services.snacks import records as snacks

        return int(snacks.policy(ctx).target)
    except (ImportError, SoleusError, AttributeError):
        return DEFAULT_SNACK_TARGET


def snacks_done_today(ctx: Context, sessions: int) -> int:
    """Today's snacks as the Snacks page counts them (sessions, or nudges answered
    Start if more); ``sessions`` if the reminder statistics cannot be read."""
    try:
        from soleus.services.snacks import records as snacks

        return snacks.done_today(ctx)
    except (ImportError, SoleusError):
        return sessions


def today_view(ctx: Context, routine_id: str = progress.DEFAULT_ROUTINE) -> TodayView:
    advice = progress.day_state(ctx, routine_id)
    plan = Plan.build(advice.plan, ctx.catalog) if advice.plan is not None else None
    day = ctx.today()
    with ctx.store.begin() as conn:
        sets = repo.list_sets(conn, person_id=ctx.person_id, since=day)
        days = repo.active_days(conn, person_id=ctx.person_id)
    found = sessions_service.resumable(ctx)  # a session with every set saved is finished
    active = None if found is None else found[0]
    done = [s for s in sets if not s["skipped"]]
    current, _ = streaks(days, day)
    return TodayView(
        day=day,
        advice=advice,
        plan=plan,
        routine_id=routine_id,
        sets_today=len(done),
        reps_today=sum(s["actual_reps"] or 0 for s in done),
        seconds_today=sum(s["actual_seconds"] or 0 for s in done),
        snacks_done=snacks_done_today(ctx, len({s["session_id"] for s in done})),
        snack_target=snack_target(ctx),
        streak=current,
        screen_due=safety.screen_due(ctx),
        screen_failed=safety.failed_today(ctx),
        resumable=active,
    )


@dataclass(frozen=True)
class HistoryView:
    stats: Stats
    heatmap: dict[date, int]  # reps + seconds/3 per day, last year (a rough "work" score)
    heat_start: date
    weekly: list[tuple[date, dict[str, int]]]  # week start -> exercise -> sets
    exercises: list[str]
    pain: list[tuple[date, int]]  # worst pain per day, last 90 days
    effort: list[tuple[date, float]]  # mean session effort per day, last 90 days
    recent: list[dict[str, Any]] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        """Nothing logged at all (a new user): no sets, sessions, pain or effort."""
        return not (self.stats.active_days or self.recent or self.pain or self.effort)


def history_view(ctx: Context, *, weeks: int = 12, trend_days: int = 90) -> HistoryView:
    today = ctx.today()
    trend_from = today - timedelta(days=trend_days - 1)
    heat_start = week_start(today) - timedelta(weeks=52)
    # One transaction, and no all-time per-exercise totals: the page does not show them
    # and over ten years they are the most expensive query of ``history.stats``.
    with ctx.store.begin() as conn:
        days = repo.active_days(conn, person_id=ctx.person_id)
        rows = repo.daily_totals(conn, person_id=ctx.person_id, since=heat_start)
        pain_rows = checks.list_pain(conn, person_id=ctx.person_id, since=trend_from)
        sessions = repo.list_sessions(conn, person_id=ctx.person_id, since=trend_from)
    recent_from = today - timedelta(days=RECENT_DAYS)
    stats = summarize(
        days=days,
        totals={},
        recent=[DayTotal(*r) for r in rows if r[0] >= recent_from],
        pain=[
            (p["local_date"], p["score"])
            for p in pain_rows
            if p["local_date"] >= today - timedelta(days=60)
        ],
        today=today,
    )

    heat: dict[date, int] = defaultdict(int)
    first_week = week_start(today) - timedelta(weeks=weeks - 1)
    weekly: dict[date, dict[str, int]] = {
        first_week + timedelta(weeks=i): defaultdict(int) for i in range(weeks)
    }
    names: dict[str, None] = {}
    for day, exercise_id, _side, sets, reps, seconds in rows:
        heat[day] += int(reps) + int(float(seconds) / 3)
        if day >= first_week:
            weekly[week_start(day)][exercise_id] += int(sets)
            names[exercise_id] = None

    worst: dict[date, int] = {}
    for p in pain_rows:
        worst[p["local_date"]] = max(p["score"], worst.get(p["local_date"], 0))
    efforts: dict[date, list[int]] = defaultdict(list)
    for s in sessions:
        if s["effort"] is not None:
            efforts[s["local_date"]].append(s["effort"])
    effort = sorted((d, sum(v) / len(v)) for d, v in efforts.items())
    recent = sorted(sessions, key=lambda s: s["started_at"], reverse=True)[:10]
    return HistoryView(
        stats=stats,
        heatmap=dict(heat),
        heat_start=heat_start,
        weekly=[(w, dict(v)) for w, v in sorted(weekly.items())],
        exercises=sorted(names),
        pain=sorted(worst.items()),
        effort=effort,
        recent=recent,
    )
