"""History and stats over a real store (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

from soleus.domain.clock import FakeClock
from soleus.services.context import Context
from soleus.services.logs import quicklog
from soleus.services.reports import history

DAY = 86400


def test_stats_and_history_over_several_days(db_ctx: Context, clock: FakeClock) -> None:
    # Monday 2026-02-23 .. Wednesday 2026-03-04 (today); a gap on Saturday 28th.
    fake = FakeClock(clock.now() - timedelta(days=9))
    db_ctx.clock = fake
    for offset in range(10):
        if offset:
            fake.advance(DAY)
        if offset == 1:
            quicklog.log_pain(db_ctx, score=5, context="after")
        if fake.now().date().isoformat() == "2026-02-28":
            continue
        quicklog.log_sets(db_ctx, exercise_id="soleus-pushup", amount="2x10", side="left")
        quicklog.log_sets(db_ctx, exercise_id="soleus-pushup", amount="2x8", side="right")
    quicklog.log_pain(db_ctx, score=1, context="morning")
    assert fake.now() == clock.now()

    result = history.stats(db_ctx)
    assert str(result.today) == "2026-03-04"
    assert (result.current_streak, result.longest_streak, result.active_days) == (4, 5, 9)
    # This week: Mon 2 .. Wed 4 March = 3 days of 36 reps; last week: Mon 23 Feb .. Sun 1
    # March without Saturday = 6 days.
    assert (result.this_week.days, result.this_week.reps) == (3, 108)
    assert (result.last_week.days, result.last_week.reps) == (6, 216)
    [balance] = result.balance
    assert (balance.left, balance.right, balance.unit) == (180, 144, "reps")
    assert balance.asymmetry_pct == 20.0
    assert result.per_exercise["soleus-pushup"].sets == 36
    assert result.pain_recent == 3.0 and result.pain_trend == "not enough data"

    data = history.stats_dict(result)
    assert data["streak"] == {"current": 4, "longest": 5}
    assert data["balance"][0]["asymmetry_pct"] == 20.0
    assert data["pain"]["trend"] == "not enough data"  # pain on 2 days only
    assert "3 days or more" in data["pain"]["trend_rule"]

    days = history.history(db_ctx, days=3)
    assert [str(d["date"]) for d in days] == ["2026-03-04", "2026-03-03", "2026-03-02"]
    assert days[0]["pain"][0]["score"] == 1
    assert len(history.history(db_ctx, days=30)) == 9


def test_empty_store_gives_zero_stats(db_ctx: Context) -> None:
    result = history.stats(db_ctx)
    assert (result.current_streak, result.longest_streak, result.active_days) == (0, 0, 0)
    assert result.balance == [] and result.pain_trend == "not enough data"
    assert history.history(db_ctx) == []
