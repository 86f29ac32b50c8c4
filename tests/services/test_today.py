"""Today knows the day: sets done vs planned, unfinished sessions, start over, history
grouped by session, all in the person's time zone."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from soleus.domain.clock import FakeClock
from soleus.domain.routine import Plan
from soleus.services import open_context
from soleus.services.context import Context
from soleus.services.logs import quicklog
from soleus.services.reports import history
from soleus.services.sessions import guided as sessions
from soleus.services.today import dashboard
from soleus.settings import Settings

DAY = 24 * 3600


@pytest.fixture
def la(tmp_path: Path, clock: FakeClock) -> Iterator[Context]:
    """09:00 UTC on Wednesday 4 March is 01:00 on the same day in Los Angeles."""
    settings = Settings.load(
        env={
            "SOLEUS_DATA_DIR": str(tmp_path / "data"),
            "SOLEUS_CONFIG_DIR": str(tmp_path / "cfg"),
            "SOLEUS_TIMEZONE": "America/Los_Angeles",
        }
    )
    context = open_context(settings, clock)
    yield context
    context.store.close()


def two_of_six(ctx: Context) -> tuple[str, Plan]:
    sid, plan = sessions.started(ctx, ctx.get_routine("desk"))
    for i in (0, 1):
        sessions.record(ctx, sid, plan_index=i, actual_reps=10, actual_seconds=None, skipped=False)
    return sid, plan


def desk_plan(ctx: Context) -> Plan:
    return Plan.build(ctx.get_routine("desk"), ctx.catalog)


def test_today_counts_guided_and_quick_sets_against_the_plan(ctx: Context) -> None:
    sid, plan = two_of_six(ctx)
    assert len(plan.sets) == 6
    quicklog.log_sets(ctx, exercise_id="soleus-pushup", amount="1x10", side="right")
    quicklog.log_sets(ctx, exercise_id="wall-calf-stretch", amount="1x30s", side="left")
    from soleus.services.logs.inbox import drain

    drain(ctx)
    day = dashboard.day_progress(ctx, desk_plan(ctx))
    got = [(t.exercise_id, t.side, t.done, t.planned) for t in day.tallies]
    assert got == [
        ("soleus-pushup", "left", 1, 3),
        ("soleus-pushup", "right", 2, 3),
        ("wall-calf-stretch", "left", 1, 0),
    ]
    assert (day.planned, day.sets_left, day.quick_logs) == (6, 3, 2)
    [unfinished] = day.unfinished
    assert (unfinished.id, unfinished.done, unfinished.planned) == (sid, 2, 6)
    assert unfinished.next_set == 3  # closed at "2 of 6": a resume goes on at 3 of 6
    data = day.as_dict()
    assert data["remaining"] == [
        {"exercise_id": "soleus-pushup", "side": s, "done": d, "planned": 3, "left": 3 - d}
        for s, d in (("left", 1), ("right", 2))
    ]
    assert data["unfinished"][0]["next_set"] == 3 and data["left"] == 3


def test_a_resume_offers_the_plan_indices_not_done(ctx: Context) -> None:
    sid, _ = two_of_six(ctx)
    found = sessions.resumable(ctx, "desk")
    assert found is not None and found[0]["id"] == sid and found[2] == {0, 1}
    assert sessions.resumable(ctx, "full") is None


def test_starting_over_ends_the_unfinished_one_as_abandoned_keeping_its_sets(
    ctx: Context,
) -> None:
    old, _ = two_of_six(ctx)
    new, _ = sessions.start_over(ctx, ctx.get_routine("desk"))
    assert sessions.get(ctx, old)["status"] == "abandoned"
    assert len(sessions.get(ctx, old)["sets"]) == 2
    found = sessions.resumable(ctx)
    assert found is not None and found[0]["id"] == new
    assert [u.id for u in dashboard.day_progress(ctx, None).unfinished] == [new]


def test_another_routine_started_leaves_the_unfinished_one_resumable(ctx: Context) -> None:
    desk, _ = two_of_six(ctx)
    assert isinstance(ctx.clock, FakeClock)
    ctx.clock.advance(60)
    full, _ = sessions.start_over(ctx, ctx.get_routine("full"))
    assert sessions.get(ctx, desk)["status"] == "active"
    assert [u.id for u in dashboard.day_progress(ctx, None).unfinished] == [full, desk]


def test_a_session_left_unfinished_yesterday_is_abandoned_in_every_view(
    ctx: Context, clock: FakeClock
) -> None:
    sid, _ = two_of_six(ctx)
    clock.advance(DAY)
    assert sessions.resumable(ctx) is None
    assert dashboard.day_progress(ctx, desk_plan(ctx)).unfinished == ()
    assert sessions.get(ctx, sid)["status"] == "abandoned"
    [yesterday] = history.by_session(ctx, days=2)
    assert [s["status"] for s in yesterday["sessions"]] == ["abandoned"]
    [recent] = dashboard.history_view(ctx).recent
    assert recent["status"] == "abandoned"
    from soleus.store import sessions as repo

    with ctx.store.begin() as conn:  # the data is kept as it was recorded
        assert repo.get(conn, session_id=sid, person_id=ctx.person_id)["status"] == "active"  # type: ignore[index]


def test_history_groups_by_day_and_session_in_the_persons_time_zone(la: Context) -> None:
    sid, _ = two_of_six(la)
    sessions.finish(la, sid, effort=6, pain=3, status="abandoned")
    quicklog.log_sets(la, exercise_id="soleus-pushup", amount="2x10", side="each")
    quicklog.log_pain(la, score=2, context="morning")
    from soleus.services.logs.inbox import drain

    drain(la)
    [day] = history.by_session(la)
    assert day["date"].isoformat() == "2026-03-04"  # 01:00 in Los Angeles
    [session] = day["sessions"]
    assert session["started_at"].strftime("%H:%M %z") == "01:00 -0800"
    assert (session["routine_name"], session["status"]) == ("Desk break", "abandoned")
    assert (session["done"], session["planned"], session["effort"], session["pain"]) == (
        2, 6, 6, 3
    )  # fmt: skip
    assert [(t["side"], t["done"], t["planned"]) for t in session["sets"]] == [
        ("left", 1, 3),
        ("right", 1, 3),
    ]
    [logged] = day["quick_logs"]
    assert logged["exercise_id"] == "soleus-pushup" and len(logged["sets"]) == 4
    assert sorted((p["score"], p["context"]) for p in day["pain"]) == [(2, "morning"), (3, "after")]
    assert all(p["at"].utcoffset() == timedelta(hours=-8) for p in day["pain"])
    view = dashboard.history_view(la)
    assert view.recent[0]["started_local"].strftime("%H:%M") in ("01:00",)


@pytest.mark.parametrize("grouped", [True, False])
def test_the_history_pages_one_read_lists_what_the_history_commands_do(
    db_ctx: Context, clock: FakeClock, grouped: bool
) -> None:
    """The page reads its list with its charts (one transaction, a plan only for the
    sessions listed): the same days as ``soleus history`` / ``--sets``, on both databases."""
    from soleus.services.logs.inbox import drain

    ctx = db_ctx
    for days_ago, then in ((30, 17), (13, 13), (0, 0)):  # one before the two weeks listed
        sid, _ = two_of_six(ctx)
        sessions.finish(ctx, sid, effort=5, pain=2, status="finished")
        quicklog.log_pain(ctx, score=days_ago % 10, context="morning")
        quicklog.log_sets(ctx, exercise_id="soleus-pushup", amount="1x10", side="left")
        drain(ctx)
        clock.advance(then * DAY)
    view = dashboard.history_view(ctx, listing_days=14, grouped=grouped)
    expected = history.by_session(ctx, days=14) if grouped else history.history(ctx, days=14)
    assert view.listing == expected
    assert len(expected) == 2 and all(day["pain"] for day in expected)
    if grouped:
        assert [s["planned"] for day in expected for s in day["sessions"]] == [6, 6]
    assert len(view.recent) == 6 and len(view.effort) == 3  # the charts still see 90 days
    assert dashboard.history_view(ctx).listing == []
