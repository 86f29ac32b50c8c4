"""What the Today and History pages show, gathered in as few queries as possible."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

from soleus.domain.day import DayState
from soleus.domain.done import Tally, shown_status, tally
from soleus.domain.routine import Plan
from soleus.errors import SoleusError
from soleus.services.context import Context
from soleus.services.safety import advice as progress
from soleus.services.safety import screen as safety
from soleus.services.sessions import guided as sessions_service
from soleus.store import checks
from soleus.store import sessions as repo

if TYPE_CHECKING:  # the statistics load for the pages that show them, not `today`
    from soleus.domain.stats import Stats

DEFAULT_SNACK_TARGET = 3


class Unfinished(NamedTuple):  # a NamedTuple: cheaper to build at start-up
    """A session of today left unfinished: ``done`` of ``planned`` sets saved. A resume
    keeps the plan's numbering: after 2 of 6 it goes on at set 3 of 6 (``next_set``)."""

    id: str
    routine_id: str | None
    routine_name: str
    started_at: datetime  # in the person's time zone
    done: int
    planned: int
    next_set: int  # 1-based place in the plan of the first set not done

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "routine_id": self.routine_id,
            "routine_name": self.routine_name,
            "started_at": self.started_at.isoformat(),
            "done": self.done,
            "planned": self.planned,
            "next_set": self.next_set,
        }


@dataclass(frozen=True)
class DayProgress:
    """What today holds so far: sets done vs planned per exercise and side (guided
    sessions and quick logs alike), today's unfinished sessions, the snacks done."""

    day: date
    tallies: tuple[Tally, ...]  # the plan's exercises and sides, then the rest done
    unfinished: tuple[Unfinished, ...]  # newest first; `soleus resume` takes the first
    quick_logs: int
    snacks_done: int
    snack_target: int

    @property
    def sets_left(self) -> int:
        return sum(t.left for t in self.tallies)

    @property
    def planned(self) -> int:
        return sum(t.planned for t in self.tallies)

    def as_dict(self) -> dict[str, Any]:
        return {
            "date": self.day.isoformat(),
            "sets": [t.as_dict() for t in self.tallies],
            "planned": self.planned,
            "left": self.sets_left,
            "remaining": [t.as_dict() for t in self.tallies if t.left],
            "unfinished": [u.as_dict() for u in self.unfinished],
            "quick_logs": self.quick_logs,
            "snacks": {"done": self.snacks_done, "target": self.snack_target},
        }


def day_progress(ctx: Context, plan: Plan | None) -> DayProgress:
    """Today against ``plan`` (today's plan of the routine; None on a day without one)."""
    day = ctx.today()
    with ctx.store.read() as conn:
        sets = repo.list_sets(conn, person_id=ctx.person_id, since=day)
        sessions = repo.list_sessions(conn, person_id=ctx.person_id, since=day)
    return _progress(ctx, plan, day, sets, sessions)


def _progress(
    ctx: Context,
    plan: Plan | None,
    day: date,
    sets: list[dict[str, Any]],
    sessions: list[dict[str, Any]],
) -> DayProgress:
    done = [s for s in sets if not s["skipped"] and s["local_date"] == day]
    planned = [(p.exercise.id, p.side) for p in plan.sets] if plan is not None else []
    unfinished = []
    for session, session_plan, indices in sessions_service.unfinished_today(ctx):
        left = [p.index for p in session_plan.sets if p.index not in indices]
        unfinished.append(
            Unfinished(
                id=session["id"],
                routine_id=session["routine_id"],
                routine_name=session["routine_name"] or session_plan.routine.name,
                started_at=session["started_at"].astimezone(ctx.tz),
                done=len(indices),
                planned=len(session_plan.sets),
                next_set=(min(left) + 1) if left else len(session_plan.sets),
            )
        )
    return DayProgress(
        day=day,
        tallies=tuple(tally(planned, [(s["exercise_id"], s["side"]) for s in done])),
        unfinished=tuple(unfinished),
        quick_logs=sum(1 for s in sessions if s["source"] == "quick" and s["local_date"] == day),
        snacks_done=snacks_done_today(ctx, len({s["session_id"] for s in done})),
        snack_target=snack_target(ctx),
    )


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
    progress: DayProgress


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
    from soleus.domain.stats import streaks

    advice = progress.day_state(ctx, routine_id)
    plan = Plan.build(advice.plan, ctx.catalog) if advice.plan is not None else None
    day = ctx.today()
    with ctx.store.read() as conn:
        sets = repo.list_sets(conn, person_id=ctx.person_id, since=day)
        sessions = repo.list_sessions(conn, person_id=ctx.person_id, since=day)
        days = repo.active_days(conn, person_id=ctx.person_id)
    today_progress = _progress(ctx, plan, day, sets, sessions)
    done = [s for s in sets if not s["skipped"]]
    current, _ = streaks(days, day)
    first = today_progress.unfinished[0] if today_progress.unfinished else None
    return TodayView(
        day=day,
        advice=advice,
        plan=plan,
        routine_id=routine_id,
        sets_today=len(done),
        reps_today=sum(s["actual_reps"] or 0 for s in done),
        seconds_today=sum(s["actual_seconds"] or 0 for s in done),
        snacks_done=today_progress.snacks_done,
        snack_target=today_progress.snack_target,
        streak=current,
        screen_due=safety.screen_due(ctx),
        screen_failed=safety.failed_today(ctx),
        resumable=None if first is None else {"id": first.id, "routine_name": first.routine_name},
        progress=today_progress,
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
    listing: list[dict[str, Any]] = field(default_factory=list)  # see history_view

    @property
    def is_empty(self) -> bool:
        """Nothing logged at all (a new user): no sets, sessions, pain or effort."""
        return not (self.stats.active_days or self.recent or self.pain or self.effort)


def history_view(
    ctx: Context,
    *,
    weeks: int = 12,
    trend_days: int = 90,
    listing_days: int = 0,
    grouped: bool = True,
) -> HistoryView:
    """The History page's charts and, with ``listing_days``, its day-by-day list of that
    many days (``history.by_session``, or ``history.history`` unless ``grouped``): one
    read transaction, the sessions and pain of the list taken from the charts' rows."""
    from soleus.domain.stats import RECENT_DAYS, DayTotal, summarize, week_start
    from soleus.services.reports import history as listed

    today = ctx.today()
    trend_from = today - timedelta(days=trend_days - 1)
    list_from = today - timedelta(days=max(listing_days, 1) - 1)
    read_from = min(trend_from, list_from) if listing_days else trend_from
    plans_from = list_from if listing_days and grouped else None
    heat_start = week_start(today) - timedelta(weeks=52)
    # One transaction, and no all-time per-exercise totals: the page does not show them
    # and over ten years they are the most expensive query of ``history.stats``.
    pid = ctx.person_id
    with ctx.store.read() as conn:
        days = repo.active_days(conn, person_id=pid)
        rows = repo.daily_totals(conn, person_id=pid, since=heat_start)
        all_pain = checks.list_pain(conn, person_id=pid, since=read_from)
        all_sessions = repo.list_sessions(
            conn, person_id=pid, since=read_from, plans_since=plans_from
        )
        sets = repo.list_sets(conn, person_id=pid, since=list_from) if listing_days else []
    pain_rows = [p for p in all_pain if p["local_date"] >= trend_from]
    sessions = [s for s in all_sessions if s["local_date"] >= trend_from]
    listing: list[dict[str, Any]] = []
    if listing_days:
        in_list = [s for s in all_sessions if s["local_date"] >= list_from]
        list_pain = [p for p in all_pain if p["local_date"] >= list_from]
        listing = (
            listed.grouped(ctx, in_list, sets, list_pain, today=today)
            if grouped
            else listed.flat(in_list, sets, list_pain)
        )
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
    recent = [
        {
            **s,
            "status": shown_status(s["status"], s["local_date"], today),
            "started_local": s["started_at"].astimezone(ctx.tz),
        }
        for s in sorted(sessions, key=lambda s: s["started_at"], reverse=True)[:10]
    ]
    return HistoryView(
        stats=stats,
        heatmap=dict(heat),
        heat_start=heat_start,
        weekly=[(w, dict(v)) for w, v in sorted(weekly.items())],
        exercises=sorted(names),
        pain=sorted(worst.items()),
        effort=effort,
        recent=recent,
        listing=listing,
    )
