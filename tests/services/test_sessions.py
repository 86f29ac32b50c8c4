"""Guided sessions through the service layer, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from soleus.domain.clock import FakeClock
from soleus.domain.routine import Plan
from soleus.errors import NotFound, SoleusError
from soleus.services.context import Context
from soleus.services.sessions import guided as sessions
from soleus.store import checks


def do(
    ctx: Context, sid: str, plan: Plan, index: int, *, reps: Any = "target", skip: bool = False
) -> str:
    p = plan.sets[index]
    done_reps = p.target_reps if reps == "target" else reps
    return sessions.record(
        ctx,
        sid,
        plan_index=index,
        actual_reps=None if skip else done_reps,
        actual_seconds=None if skip else p.target_seconds,
        skipped=skip,
    )


def desk(ctx: Context) -> tuple[str, Plan]:
    routine = ctx.routines.get_routine("desk")
    return sessions.start(ctx, routine), Plan.build(routine, ctx.catalog)


def test_start_record_finish(db_ctx: Context, clock: FakeClock) -> None:
    sid, plan = desk(db_ctx)
    assert len(plan.sets) == 6  # 3 sets x left/right
    for i in range(len(plan.sets)):
        clock.advance(40)
        do(db_ctx, sid, plan, i, reps=10 - i)
    sessions.finish(db_ctx, sid, effort=6, pain=2)
    got = sessions.get(db_ctx, sid)
    assert got["status"] == "finished"
    assert (got["effort"], got["pain"]) == (6, 2)
    assert got["routine_id"] == "desk"
    assert got["ended_at"] == clock.now()
    assert [
        (s["plan_index"], s["side"], s["actual_reps"], s["target_reps"]) for s in got["sets"]
    ] == [(i, plan.sets[i].side, 10 - i, 10) for i in range(6)]
    assert sessions.resumable(db_ctx) is None


def test_finishing_with_pain_writes_a_pain_report(db_ctx: Context) -> None:
    sid, plan = desk(db_ctx)
    do(db_ctx, sid, plan, 0)
    sessions.finish(db_ctx, sid, pain=7)
    with db_ctx.store.begin() as conn:
        reports = checks.list_pain(conn, person_id=db_ctx.person_id)
    assert [(r["score"], r["context"], r["session_id"]) for r in reports] == [(7, "after", sid)]


def test_finishing_without_pain_writes_no_report(db_ctx: Context) -> None:
    sid, _ = desk(db_ctx)
    sessions.finish(db_ctx, sid, effort=3)
    with db_ctx.store.begin() as conn:
        assert checks.list_pain(conn, person_id=db_ctx.person_id) == []


def test_a_redo_of_the_same_plan_index_replaces(db_ctx: Context) -> None:
    sid, plan = desk(db_ctx)
    do(db_ctx, sid, plan, 0, reps=4)
    do(db_ctx, sid, plan, 0, reps=10)
    sets = sessions.get(db_ctx, sid)["sets"]
    assert [(s["plan_index"], s["actual_reps"]) for s in sets] == [(0, 10)]


def test_resumable_gives_plan_and_done_indices_and_offers_skipped_again(db_ctx: Context) -> None:
    sid, plan = desk(db_ctx)
    do(db_ctx, sid, plan, 0)
    do(db_ctx, sid, plan, 1, skip=True)
    do(db_ctx, sid, plan, 2)
    found = sessions.resumable(db_ctx)
    assert found is not None
    session, resumed, done = found
    assert session["id"] == sid
    assert [(p.exercise.id, p.side, p.set_number) for p in resumed.sets] == [
        (p.exercise.id, p.side, p.set_number) for p in plan.sets
    ]
    assert done == frozenset({0, 2})
    do(db_ctx, sid, plan, 1)  # the skipped set, redone
    assert sessions.resumable(db_ctx)[2] == frozenset({0, 1, 2})  # type: ignore[index]


def test_resumable_returns_the_latest_unfinished_session(db_ctx: Context, clock: FakeClock) -> None:
    first, _ = desk(db_ctx)
    clock.advance(60)
    second, _ = desk(db_ctx)
    found = sessions.resumable(db_ctx)
    assert found is not None and found[0]["id"] == second
    sessions.finish(db_ctx, second)
    found = sessions.resumable(db_ctx)
    assert found is not None and found[0]["id"] == first


def test_resume_uses_the_routine_as_it_was_when_started(db_ctx: Context) -> None:
    routine = db_ctx.routines.get_routine("full")
    sid = sessions.start(db_ctx, routine)
    found = sessions.resumable(db_ctx)
    assert found is not None
    assert found[1].routine == routine
    assert found[0]["id"] == sid


@pytest.mark.parametrize(
    "bad",
    [{"effort": 11}, {"pain": 11}, {"pain": -1}, {"effort": -3}],
)
def test_finish_refuses_out_of_range_scores_and_writes_nothing(
    db_ctx: Context, bad: dict[str, Any]
) -> None:
    sid, _ = desk(db_ctx)
    with pytest.raises(SoleusError):
        sessions.finish(db_ctx, sid, **bad)
    got = sessions.get(db_ctx, sid)
    assert got["status"] == "active" and got["pain"] is None and got["effort"] is None
    with db_ctx.store.begin() as conn:
        assert checks.list_pain(conn, person_id=db_ctx.person_id) == []


@pytest.mark.parametrize("field", ["actual_reps", "actual_seconds"])
def test_record_refuses_negative_values_and_writes_nothing(db_ctx: Context, field: str) -> None:
    sid, _ = desk(db_ctx)
    values: dict[str, Any] = {"actual_reps": 5, "actual_seconds": None, field: -1}
    with pytest.raises(SoleusError):
        sessions.record(db_ctx, sid, plan_index=0, skipped=False, **values)
    assert sessions.get(db_ctx, sid)["sets"] == []


def test_record_refuses_absurd_values(ctx: Context) -> None:
    sid, plan = desk(ctx)
    with pytest.raises(SoleusError):
        do(ctx, sid, plan, 0, reps=100_001)
    assert sessions.get(ctx, sid)["sets"] == []


def test_record_on_a_finished_or_unknown_session_is_refused(db_ctx: Context) -> None:
    sid, plan = desk(db_ctx)
    sessions.finish(db_ctx, sid)
    with pytest.raises(SoleusError, match="already finished"):
        do(db_ctx, sid, plan, 0)
    with pytest.raises(NotFound):
        do(db_ctx, "no-such-session", plan, 0)
    with pytest.raises(NotFound):
        sessions.finish(db_ctx, "no-such-session")
    assert sessions.get(db_ctx, sid)["sets"] == []


def test_record_fills_in_the_plan_and_checks_ranges(db_ctx: Context) -> None:
    sid, plan = desk(db_ctx)
    sessions.record(db_ctx, sid, plan_index=3, actual_reps=9, actual_seconds=None, skipped=False)
    [row] = sessions.get(db_ctx, sid)["sets"]
    item = plan.sets[3]
    assert (row["exercise_id"], row["side"], row["set_number"], row["target_reps"]) == (
        item.exercise.id,
        item.side,
        item.set_number,
        item.target_reps,
    )
    for kwargs in (
        {"plan_index": len(plan.sets), "actual_reps": 5},
        {"plan_index": -1, "actual_reps": 5},
        {"plan_index": 0, "actual_reps": 100_001},
        {"plan_index": 0, "actual_reps": -1},
    ):
        with pytest.raises(SoleusError):
            sessions.record(db_ctx, sid, actual_seconds=None, skipped=False, **kwargs)
    assert len(sessions.get(db_ctx, sid)["sets"]) == 1


def test_start_refuses_a_routine_with_an_unknown_exercise(db_ctx: Context) -> None:
    from dataclasses import replace

    from soleus.domain.routine import Block

    routine = replace(db_ctx.routines.get_routine("desk"), blocks=(Block("moonwalk"),))
    with pytest.raises(NotFound, match="moonwalk"):
        sessions.start(db_ctx, routine)
    assert sessions.resumable(db_ctx) is None


def test_a_session_with_every_set_saved_is_finished(db_ctx: Context, clock: FakeClock) -> None:
    sid, plan = desk(db_ctx)
    for i in range(len(plan.sets) - 1):
        do(db_ctx, sid, plan, i)
    assert sessions.get(db_ctx, sid)["status"] == "active"
    clock.advance(40)
    do(db_ctx, sid, plan, len(plan.sets) - 1)  # the summary is never answered
    got = sessions.get(db_ctx, sid)
    assert got["status"] == "finished" and got["ended_at"] == clock.now()
    assert sessions.resumable(db_ctx) is None
    clock.advance(600)  # effort and pain can still be added, and the pain is a report
    sessions.finish(db_ctx, sid, effort=5, pain=3)
    got = sessions.get(db_ctx, sid)
    assert (got["status"], got["effort"], got["pain"]) == ("finished", 5, 3)
    assert got["ended_at"] == clock.now() - timedelta(seconds=600)
    with db_ctx.store.begin() as conn:
        assert [r["score"] for r in checks.list_pain(conn, person_id=db_ctx.person_id)] == [3]


def test_a_skipped_set_keeps_the_session_resumable(db_ctx: Context) -> None:
    sid, plan = desk(db_ctx)
    for i in range(len(plan.sets)):
        do(db_ctx, sid, plan, i, skip=i == 2)
    found = sessions.resumable(db_ctx)
    assert found is not None and found[0]["id"] == sid and found[2] == frozenset({0, 1, 3, 4, 5})


def test_a_skipped_set_done_again_finishes_and_a_redo_replaces_not_adds(
    db_ctx: Context,
) -> None:
    sid, plan = desk(db_ctx)
    last = len(plan.sets) - 1
    for i in range(len(plan.sets)):
        do(db_ctx, sid, plan, i, skip=i == last)
    do(db_ctx, sid, plan, 0)  # a redo of a done set: still one row, still not finished
    assert sessions.get(db_ctx, sid)["status"] == "active"
    do(db_ctx, sid, plan, last)  # the skipped one done: every set saved
    assert sessions.get(db_ctx, sid)["status"] == "finished"
    with db_ctx.store.begin() as conn:
        from soleus.store import sessions as repo

        saved = repo.list_sets(conn, person_id=db_ctx.person_id, session_id=sid)
    assert sorted(s["plan_index"] for s in saved) == list(range(len(plan.sets)))
    assert not any(s["skipped"] for s in saved)


def test_a_save_is_two_statements_on_postgresql_and_a_first_sends_no_delete(
    db_ctx: Context,
) -> None:
    """On PostgreSQL a save, first or redo, is the locking read and one statement (the
    upsert and the other sets' read, WITH ... INSERT ... ON CONFLICT DO UPDATE); on
    SQLite a first save is one INSERT after the two reads, a redo DELETE then INSERT."""
    from sqlalchemy import event

    sid, plan = desk(db_ctx)
    sent: list[str] = []

    def on_execute(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        words = statement.split()
        if words[0] != "BEGIN":  # SQLite's BEGIN IMMEDIATE, a statement there
            sent.append(words[0] + (" ON CONFLICT" if "CONFLICT" in words else ""))

    event.listen(db_ctx.store.engine, "before_cursor_execute", on_execute)
    try:
        do(db_ctx, sid, plan, 0)
        first = list(sent)
        sent.clear()
        do(db_ctx, sid, plan, 0)
    finally:
        event.remove(db_ctx.store.engine, "before_cursor_execute", on_execute)
    if db_ctx.store.url.startswith("postgresql"):
        assert first == sent == ["SELECT", "WITH ON CONFLICT"]
    else:
        assert first == ["SELECT", "SELECT", "INSERT"]
        assert sent == ["SELECT", "SELECT", "DELETE", "INSERT"]
    from soleus.store import sessions as repo

    with db_ctx.store.read() as conn:
        saved = repo.list_sets(conn, person_id=db_ctx.person_id, session_id=sid)
    assert len(saved) == 1  # replaced, not added


def test_an_old_complete_session_left_active_is_not_offered(db_ctx: Context) -> None:
    from soleus.store.schema import sessions as sessions_table

    sid, plan = desk(db_ctx)
    for i in range(len(plan.sets)):
        do(db_ctx, sid, plan, i)
    with db_ctx.store.begin() as conn:  # as a session saved before this rule was
        conn.execute(
            sessions_table.update().where(sessions_table.c.id == sid).values(status="active")
        )
    assert sessions.resumable(db_ctx) is None
    assert sessions.get(db_ctx, sid)["status"] == "finished"


def slower_pushup(config_dir: Path) -> None:
    """The user's own soleus pushup: the same exercise with a slower tempo."""
    from soleus.content import builtin_dir

    text = (builtin_dir("exercises") / "soleus-pushup.toml").read_text(encoding="utf-8")
    mine = text.replace("up = 1.0\ntop = 0.3\ndown = 1.0", "up = 2.0\ntop = 1.0\ndown = 2.0")
    assert mine != text
    (config_dir / "exercises").mkdir(parents=True, exist_ok=True)
    (config_dir / "exercises" / "soleus-pushup.toml").write_text(mine, encoding="utf-8")


def reopened(ctx: Context, clock: FakeClock) -> Context:
    """The same person's store in a new process: the catalog read afresh, no cache."""
    from soleus.services import open_context

    sessions._PLANS.clear()
    return open_context(ctx.settings, clock)


def test_a_resume_plays_the_plan_as_started_after_the_catalog_changed(
    db_ctx: Context, clock: FakeClock
) -> None:
    sid, started = sessions.started(db_ctx, db_ctx.routines.get_routine("desk"))
    do(db_ctx, sid, started, 0)
    slower_pushup(db_ctx.settings.config_dir)
    later = reopened(db_ctx, clock)
    try:
        assert later.catalog["soleus-pushup"].dosage.pace.up == 2.0  # the catalog did change
        found = sessions.resumable(later)
        assert found is not None and found[0]["id"] == sid and found[2] == {0}
        plan = found[1]
        assert plan == started
        assert {p.dosage.pace.up for p in plan.sets} == {1.0}
        assert "plan" not in found[0]  # the session row keeps its usual shape
        do(later, sid, plan, 1)  # saving follows the stored plan too
        assert sessions.view(later, sid)[2] == {0, 1}
    finally:
        later.store.close()


def test_a_session_without_a_stored_plan_is_replanned_as_before(
    db_ctx: Context, clock: FakeClock
) -> None:
    from sqlalchemy import update

    from soleus.store.schema import sessions as table

    sid = sessions.start(db_ctx, db_ctx.routines.get_routine("desk"))
    with db_ctx.store.begin() as conn:  # a session started before 0005
        conn.execute(update(table).where(table.c.id == sid).values(plan=None))
    slower_pushup(db_ctx.settings.config_dir)
    later = reopened(db_ctx, clock)
    try:
        found = sessions.resumable(later)
        assert found is not None and found[0]["id"] == sid
        assert {p.dosage.pace.up for p in found[1].sets} == {2.0}
    finally:
        later.store.close()


def test_the_stored_plan_reads_back_exactly(ctx: Context) -> None:
    from dataclasses import asdict

    from soleus.content import validate
    from soleus.domain.routine import StoredPlan

    for routine in ctx.routines.values():
        plan = Plan.build(routine, ctx.catalog)
        data = json.loads(json.dumps(asdict(StoredPlan.of(plan))))
        back = validate(StoredPlan, data, text="", where="test").plan()
        assert [(p.exercise, p.side, p.set_number, p.block) for p in back.sets] == [
            (p.exercise, p.side, p.set_number, p.block) for p in plan.sets
        ]
        assert [p.dosage.pace for p in back.sets] == [p.dosage.pace for p in plan.sets]
        assert back.estimated_seconds() == plan.estimated_seconds()


def test_a_set_is_saved_the_same_once_its_plan_has_left_the_cache(
    db_ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The plan cache only saves time: with more sessions active than it holds, the
    oldest plans go and a save reads its session's stored plan again."""
    monkeypatch.setattr(sessions, "_PLANS", {})
    monkeypatch.setattr(sessions, "_PLANS_MAX", 2)
    started = [desk(db_ctx) for _ in range(3)]  # the first one's plan is pushed out
    assert started[0][0] not in sessions._PLANS and len(sessions._PLANS) == 2
    for sid, plan in started:
        for i in range(len(plan.sets)):
            do(db_ctx, sid, plan, i, reps=7)
    for sid, plan in started:
        got = sessions.get(db_ctx, sid)
        assert got["status"] == "finished"
        assert [
            (s["plan_index"], s["exercise_id"], s["side"], s["actual_reps"]) for s in got["sets"]
        ] == [(i, p.exercise.id, p.side, 7) for i, p in enumerate(plan.sets)]
