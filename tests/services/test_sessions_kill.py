"""Guided sessions at their edges: holds and bouts, several sessions, the 0-10 bounds."""

from __future__ import annotations

from typing import Any

import pytest

from soleus.domain.clock import FakeClock
from soleus.domain.routine import Plan
from soleus.errors import SoleusError
from soleus.services.context import Context
from soleus.services.sessions import guided as sessions
from soleus.store import checks


def started(ctx: Context, routine_id: str) -> tuple[str, Plan]:
    return sessions.started(ctx, ctx.routines.get_routine(routine_id))


@pytest.mark.parametrize(("routine_id", "kind"), [("full", "hold"), ("spu-bout", "bout")])
def test_a_hold_or_bout_set_keeps_its_seconds(db_ctx: Context, routine_id: str, kind: str) -> None:
    sid, plan = started(db_ctx, routine_id)
    index = next(i for i, p in enumerate(plan.sets) if p.dosage.kind == kind)
    sessions.record(
        db_ctx, sid, plan_index=index, actual_reps=None, actual_seconds=27.5, skipped=False
    )
    [row] = sessions.get(db_ctx, sid)["sets"]
    assert (row["kind"], row["actual_seconds"], row["actual_reps"]) == (kind, 27.5, None)
    assert row["target_seconds"] == plan.sets[index].target_seconds


def test_a_session_views_and_finishes_on_its_own_sets_only(
    db_ctx: Context, clock: FakeClock
) -> None:
    first, plan = started(db_ctx, "desk")
    second, _ = started(db_ctx, "desk")
    last = len(plan.sets) - 1
    for i in range(last):  # the first session: every set but the last
        sessions.record(
            db_ctx, first, plan_index=i, actual_reps=10, actual_seconds=None, skipped=False
        )
    clock.advance(30)
    sessions.record(
        db_ctx, second, plan_index=last, actual_reps=7, actual_seconds=None, skipped=False
    )
    got, _, done = sessions.view(db_ctx, second)
    assert [(s["plan_index"], s["actual_reps"]) for s in got["sets"]] == [(last, 7)]
    assert done == {last}
    assert got["status"] == "active"  # the first session's sets do not finish it
    assert sessions.get(db_ctx, first)["status"] == "active"
    assert len(sessions.get(db_ctx, first)["sets"]) == last


def test_two_sessions_finished_with_pain_give_two_reports(db_ctx: Context) -> None:
    first, _ = started(db_ctx, "desk")
    second, _ = started(db_ctx, "desk")
    sessions.finish(db_ctx, first, pain=2)
    sessions.finish(db_ctx, second, pain=3)
    with db_ctx.store.begin() as conn:
        reports = checks.list_pain(conn, person_id=db_ctx.person_id)
    assert sorted((r["session_id"], r["score"]) for r in reports) == sorted(
        [(first, 2), (second, 3)]
    )
    assert len({r["id"] for r in reports}) == 2


@pytest.mark.parametrize(("effort", "pain"), [(0, 10), (10, 0)])
def test_finish_takes_the_ends_of_the_scale(ctx: Context, effort: int, pain: int) -> None:
    sid, _ = started(ctx, "desk")
    sessions.finish(ctx, sid, effort=effort, pain=pain)
    got = sessions.get(ctx, sid)
    assert (got["status"], got["effort"], got["pain"]) == ("finished", effort, pain)


def test_start_records_the_source_and_the_routine_name(db_ctx: Context) -> None:
    routine = db_ctx.routines.get_routine("desk")
    got = sessions.get(db_ctx, sessions.start(db_ctx, routine))
    assert (got["source"], got["routine_name"]) == ("player", routine.name)
    web = sessions.get(db_ctx, sessions.start(db_ctx, routine, source="web"))
    assert web["source"] == "web"
    assert sessions.get(db_ctx, sessions.started(db_ctx, routine)[0])["source"] == "player"
    again, _ = sessions.start_over(db_ctx, routine)
    assert sessions.get(db_ctx, again)["source"] == "player"


def test_record_takes_zero_and_the_largest_amounts(ctx: Context) -> None:
    from soleus.domain.limits import MAX_LOGGED_REPS, MAX_LOGGED_SECONDS

    sid, plan = started(ctx, "full")
    hold = next(i for i, p in enumerate(plan.sets) if p.dosage.kind == "hold")
    reps = next(i for i, p in enumerate(plan.sets) if p.dosage.kind == "reps")
    for index, amount in ((reps, 0), (reps, MAX_LOGGED_REPS)):
        sessions.record(
            ctx, sid, plan_index=index, actual_reps=amount, actual_seconds=None, skipped=False
        )
        assert sessions.get(ctx, sid)["sets"][-1]["actual_reps"] == amount
    for index, seconds in ((hold, 0.0), (hold, MAX_LOGGED_SECONDS)):
        sessions.record(
            ctx, sid, plan_index=index, actual_reps=None, actual_seconds=seconds, skipped=False
        )
        saved = [s for s in sessions.get(ctx, sid)["sets"] if s["plan_index"] == hold]
        assert [s["actual_seconds"] for s in saved] == [seconds]


@pytest.mark.parametrize("name", ["effort", "pain"])
def test_an_out_of_range_score_is_named(ctx: Context, name: str) -> None:
    sid, _ = started(ctx, "desk")
    scores: dict[str, Any] = {name: 11}
    with pytest.raises(SoleusError, match=f"^{name} must be from 0 to 10, not 11$"):
        sessions.finish(ctx, sid, **scores)


def test_finishing_again_keeps_the_answer_not_given_the_second_time(ctx: Context) -> None:
    sid, _ = started(ctx, "desk")
    sessions.finish(ctx, sid, effort=5)
    sessions.finish(ctx, sid, pain=3)
    got = sessions.get(ctx, sid)
    assert (got["effort"], got["pain"]) == (5, 3)
    sessions.finish(ctx, sid, effort=7)
    got = sessions.get(ctx, sid)
    assert (got["effort"], got["pain"]) == (7, 3)


def test_pain_given_at_the_end_reaches_the_quick_log_day_cache(ctx: Context) -> None:
    from soleus.services.safety import daycache

    sid, _ = started(ctx, "desk")
    sessions.finish(ctx, sid, pain=4)
    facts = daycache.read(daycache.path_in(ctx.settings.data_dir), person=ctx.settings.person)
    assert facts is not None
    assert [(p.score, p.context) for p in facts.pain] == [(4, "after")]


def test_resumable_of_a_routine_skips_a_newer_session_of_another(
    ctx: Context, clock: FakeClock
) -> None:
    desk, _ = started(ctx, "desk")
    clock.advance(60)
    full, _ = started(ctx, "full")
    assert [found[0]["id"] for found in sessions.unfinished_today(ctx)] == [full, desk]
    by_routine = sessions.resumable(ctx, "desk")
    assert by_routine is not None and by_routine[0]["id"] == desk
    assert sessions.resumable(ctx, "spu-bout") is None


def test_start_over_abandons_the_unfinished_session_of_that_routine_only(
    ctx: Context, clock: FakeClock
) -> None:
    old, plan = started(ctx, "desk")
    sessions.record(ctx, old, plan_index=0, actual_reps=9, actual_seconds=None, skipped=False)
    clock.advance(60)
    other, _ = started(ctx, "full")  # newer: the one a resume of any routine would offer
    clock.advance(60)
    new, new_plan = sessions.start_over(ctx, ctx.routines.get_routine("desk"), source="web")
    assert new_plan == plan and new not in (old, other)
    gone = sessions.get(ctx, old)
    assert gone["status"] == "abandoned" and [s["actual_reps"] for s in gone["sets"]] == [9]
    assert sessions.get(ctx, other)["status"] == "active"
    assert sessions.get(ctx, new)["source"] == "web"
    found = sessions.resumable(ctx, "desk")
    assert found is not None and found[0]["id"] == new


def test_start_over_on_a_stop_day_keeps_the_old_session(ctx: Context) -> None:
    from soleus.services.safety.advice import StopDay

    old, _ = started(ctx, "desk")
    sessions.finish(ctx, started(ctx, "full")[0], pain=9)
    with pytest.raises(StopDay):
        sessions.start_over(ctx, ctx.routines.get_routine("desk"))
    assert sessions.get(ctx, old)["status"] == "active"


def test_a_session_left_active_yesterday_shows_as_abandoned(ctx: Context, clock: FakeClock) -> None:
    sid, _ = started(ctx, "desk")
    clock.advance(24 * 3600)
    assert sessions.get(ctx, sid)["status"] == "abandoned"


def test_a_plan_is_read_once_and_replanned_when_the_catalog_changes(
    ctx: Context, clock: FakeClock
) -> None:
    from sqlalchemy import update
    from tests.services.test_sessions import slower_pushup

    from soleus.services import open_context
    from soleus.store import sessions as repo
    from soleus.store.schema import sessions as table

    def row() -> dict[str, Any]:
        with ctx.store.begin() as conn:
            got = repo.get(conn, session_id=sid, person_id=ctx.person_id)
        assert got is not None
        return got

    sid, plan = started(ctx, "desk")
    assert sessions.plan_of(ctx, row()) is plan  # kept from the start
    sessions._PLANS.clear()
    stored = sessions.plan_of(ctx, row())  # read from the row once, then kept
    assert stored == plan and sessions.plan_of(ctx, row()) is stored
    # A session from before plans were stored: planned against the catalog at hand...
    with ctx.store.begin() as conn:
        conn.execute(update(table).where(table.c.id == sid).values(plan=None))
    sessions._PLANS.clear()
    replanned = sessions.plan_of(ctx, row())
    assert replanned == plan and sessions.plan_of(ctx, row()) is replanned
    # ...and again against a changed one, and saving a set follows that plan.
    slower_pushup(ctx.settings.config_dir)
    later = open_context(ctx.settings, clock)
    try:
        again = sessions.plan_of(later, row())
        assert {p.dosage.pace.up for p in again.sets} == {2.0}
        assert sessions.plan_of(later, row()) is again
        sessions.record(later, sid, plan_index=1, actual_reps=4, actual_seconds=None, skipped=False)
        assert [s["plan_index"] for s in sessions.get(later, sid)["sets"]] == [1]
    finally:
        later.store.close()


def test_the_plan_cache_stays_within_its_bound(ctx: Context) -> None:
    plan = Plan.build(ctx.routines.get_routine("desk"), ctx.catalog)
    sessions._PLANS.clear()
    for n in range(sessions._PLANS_MAX + 1):
        sessions._remember(str(n), None, plan)
    assert 0 < len(sessions._PLANS) <= sessions._PLANS_MAX
    sessions._PLANS.clear()
