"""What was done, day by day, and the progress figures."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

from soleus.domain.stats import PAIN_TREND_RULE, RECENT_DAYS, DayTotal, Stats, all_time, summarize
from soleus.services.context import Context
from soleus.store import checks
from soleus.store import sessions as repo


def history(ctx: Context, *, days: int = 14) -> list[dict[str, Any]]:
    """The last ``days`` days that have anything, newest first, with sessions, sets, pain."""
    since = ctx.today() - timedelta(days=days - 1)
    with ctx.store.read() as conn:
        sessions = repo.list_sessions(conn, person_id=ctx.person_id, since=since)
        sets = repo.list_sets(conn, person_id=ctx.person_id, since=since)
        pain = checks.list_pain(conn, person_id=ctx.person_id, since=since)
    return flat(sessions, sets, pain)


def flat(
    sessions: list[dict[str, Any]], sets: list[dict[str, Any]], pain: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """:func:`history` of rows already read (the History page reads them with its charts')."""
    by_day: dict[date, dict[str, Any]] = defaultdict(
        lambda: {"sessions": [], "sets": [], "pain": []}
    )
    for s in sessions:
        by_day[s["local_date"]]["sessions"].append(
            {
                k: s[k]
                for k in (
                    "id",
                    "source",
                    "status",
                    "routine_id",
                    "routine_name",
                    "started_at",
                    "ended_at",
                    "effort",
                    "pain",
                    "note",  # "Logged on a rest day: ..." for a quick log on such a day
                )
            }
        )
    for st in sets:
        by_day[st["local_date"]]["sets"].append(
            {
                k: st[k]
                for k in (
                    "session_id",
                    "exercise_id",
                    "kind",
                    "side",
                    "set_number",
                    "target_reps",
                    "actual_reps",
                    "target_seconds",
                    "actual_seconds",
                    "skipped",
                    "completed_at",
                )
            }
        )
    for p in pain:
        by_day[p["local_date"]]["pain"].append(
            {"score": p["score"], "context": p["context"], "at": p["at"]}
        )
    return [{"date": day, **by_day[day]} for day in sorted(by_day, reverse=True)]


def by_session(ctx: Context, *, days: int = 14) -> list[dict[str, Any]]:
    """The last ``days`` days that have anything, newest first, grouped: each guided
    session (routine, status as every view shows it, sets per exercise and side done vs
    planned, effort, pain), the quick logs, and the pain reports of the day. Times are
    in the person's time zone."""
    today = ctx.today()
    since = today - timedelta(days=days - 1)
    with ctx.store.read() as conn:
        sessions = repo.list_sessions(conn, person_id=ctx.person_id, since=since, with_plan=True)
        sets = repo.list_sets(conn, person_id=ctx.person_id, since=since)
        pain = checks.list_pain(conn, person_id=ctx.person_id, since=since)
    return grouped(ctx, sessions, sets, pain, today=today)


def grouped(
    ctx: Context,
    sessions: list[dict[str, Any]],
    sets: list[dict[str, Any]],
    pain: list[dict[str, Any]],
    *,
    today: date,
) -> list[dict[str, Any]]:
    """:func:`by_session` of rows already read (the sessions with their plans)."""
    from soleus.domain.done import shown_status, tally
    from soleus.services.sessions.guided import plan_of

    of_session: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for st in sets:
        of_session[st["session_id"]].append(st)
    by_day: dict[date, dict[str, Any]] = defaultdict(
        lambda: {"sessions": [], "quick_logs": [], "pain": []}
    )
    for s in sessions:
        rows = of_session.get(s["id"], [])
        done = [(r["exercise_id"], r["side"]) for r in rows if not r["skipped"]]
        day = by_day[s["local_date"]]
        if s["routine"] or s["plan"]:
            plan = plan_of(ctx, s)
            day["sessions"].append(
                {
                    "id": s["id"],
                    "source": s["source"],
                    "routine_id": s["routine_id"],
                    "routine_name": s["routine_name"] or plan.routine.name,
                    "status": shown_status(s["status"], s["local_date"], today),
                    "started_at": _local(ctx, s["started_at"]),
                    "ended_at": _local(ctx, s["ended_at"]),
                    "effort": s["effort"],
                    "pain": s["pain"],
                    "done": len(done),
                    "planned": len(plan.sets),
                    "skipped": sum(1 for r in rows if r["skipped"]),
                    "sets": [
                        t.as_dict()
                        for t in tally([(p.exercise.id, p.side) for p in plan.sets], done)
                    ],
                }
            )
        elif rows:  # a quick log (or a recording's sets): what was logged, as logged
            day["quick_logs"].append(
                {
                    "id": s["id"],
                    "source": s["source"],
                    "at": _local(ctx, s["started_at"]),
                    "exercise_id": rows[0]["exercise_id"],
                    "kind": rows[0]["kind"],
                    "sets": [
                        {
                            "side": r["side"],
                            "reps": r["actual_reps"],
                            "seconds": r["actual_seconds"],
                        }
                        for r in rows
                    ],
                    "note": s.get("note") or "",
                }
            )
    for p in pain:
        by_day[p["local_date"]]["pain"].append(
            {"score": p["score"], "context": p["context"], "at": _local(ctx, p["at"])}
        )
    return [{"date": day, **by_day[day]} for day in sorted(by_day, reverse=True)]


def _local(ctx: Context, moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.astimezone(ctx.tz)


def stats(ctx: Context) -> Stats:
    today = ctx.today()
    with ctx.store.read() as conn:
        pid = ctx.person_id
        days, totals = all_time(repo.exercise_days(conn, person_id=pid))
        recent = [
            DayTotal(day, ex, side, int(sets), int(reps), float(seconds))
            for day, ex, side, sets, reps, seconds in repo.daily_totals(
                conn, person_id=pid, since=today - timedelta(days=RECENT_DAYS)
            )
        ]
        pain = [
            (p["local_date"], p["score"])
            for p in checks.list_pain(conn, person_id=pid, since=today - timedelta(days=60))
        ]
    return summarize(days=days, totals=totals, recent=recent, pain=pain, today=today)


def stats_dict(result: Stats) -> dict[str, Any]:
    """The JSON shape of ``soleus stats --json`` and ``/api/stats``."""
    return {
        "today": result.today.isoformat(),
        "streak": {"current": result.current_streak, "longest": result.longest_streak},
        "active_days": result.active_days,
        "this_week": result.this_week.as_dict(),
        "last_week": result.last_week.as_dict(),
        "per_exercise": {k: v.as_dict() for k, v in sorted(result.per_exercise.items())},
        "balance": [
            {
                "exercise_id": b.exercise_id,
                "left": b.left,
                "right": b.right,
                "unit": b.unit,
                "asymmetry_pct": b.asymmetry_pct,
            }
            for b in result.balance
        ],
        "pain": {
            "last_14_days_avg": result.pain_recent,
            "previous_14_days_avg": result.pain_before,
            "trend": result.pain_trend,
            "trend_rule": PAIN_TREND_RULE,
            "series": [[d.isoformat(), s] for d, s in result.pain_series],
        },
        "daily_reps": [[d.isoformat(), n] for d, n in result.daily_reps],
    }
