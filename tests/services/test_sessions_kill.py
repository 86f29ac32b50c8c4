"""Guided sessions at their edges: holds and bouts, several sessions, the 0-10 bounds."""

from __future__ import annotations

import pytest

from soleus.domain.clock import FakeClock
from soleus.domain.routine import Plan
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
