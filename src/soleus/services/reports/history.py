"""What was done, day by day, and the progress figures."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from soleus.domain.stats import PAIN_TREND_RULE, RECENT_DAYS, DayTotal, Stats, Volume, summarize
from soleus.services.context import Context
from soleus.store import checks
from soleus.store import sessions as repo


def history(ctx: Context, *, days: int = 14) -> list[dict[str, Any]]:
    """The last ``days`` days that have anything, newest first, with sessions, sets, pain."""
    since = ctx.today() - timedelta(days=days - 1)
    with ctx.store.begin() as conn:
        sessions = repo.list_sessions(conn, person_id=ctx.person_id, since=since)
        sets = repo.list_sets(conn, person_id=ctx.person_id, since=since)
        pain = checks.list_pain(conn, person_id=ctx.person_id, since=since)
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


def stats(ctx: Context) -> Stats:
    today = ctx.today()
    with ctx.store.begin() as conn:
        pid = ctx.person_id
        days = repo.active_days(conn, person_id=pid)
        totals = {
            r.exercise_id: Volume(int(r.sets), int(r.reps), float(r.seconds), int(r.days))
            for r in repo.exercise_totals(conn, person_id=pid)
        }
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
