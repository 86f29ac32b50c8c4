"""Saves of one session from two places at once (two tabs, two instances) take turns."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from soleus.domain.routine import Plan
from soleus.services.context import Context
from soleus.services.sessions import guided as sessions
from soleus.store import sessions as repo


def desk(ctx: Context) -> tuple[str, Plan]:
    routine = ctx.routines.get_routine("desk")
    return sessions.start(ctx, routine), Plan.build(routine, ctx.catalog)


def save(ctx: Context, sid: str, plan: Plan, index: int) -> str:
    item = plan.sets[index]
    return sessions.record(
        ctx,
        sid,
        plan_index=index,
        actual_reps=item.target_reps,
        actual_seconds=item.target_seconds,
        skipped=False,
    )


def test_a_save_waits_while_another_holds_the_session(db_ctx: Context) -> None:
    sid, plan = desk(db_ctx)
    done = threading.Event()

    def other() -> None:
        save(db_ctx, sid, plan, 0)
        done.set()

    with db_ctx.store.begin() as conn:
        assert repo.get(conn, session_id=sid, person_id=db_ctx.person_id, for_update=True)
        worker = threading.Thread(target=other)
        worker.start()
        assert not done.wait(0.5)  # blocked by the lock
    worker.join(10)
    assert done.is_set()
    assert sessions.view(db_ctx, sid)[2] == frozenset({0})


def test_the_same_set_saved_at_once_from_two_places_is_one_row(db_ctx: Context) -> None:
    sid, plan = desk(db_ctx)
    with ThreadPoolExecutor(4) as pool:
        ids = list(pool.map(lambda _: save(db_ctx, sid, plan, 1), range(24)))
    assert len(set(ids)) == 24
    with db_ctx.store.begin() as conn:
        rows = repo.list_sets(conn, person_id=db_ctx.person_id, session_id=sid)
    assert [r["plan_index"] for r in rows] == [1]
    assert rows[0]["id"] in ids


def test_the_last_sets_saved_at_once_still_finish_the_session(db_ctx: Context) -> None:
    sid, plan = desk(db_ctx)
    last = len(plan.sets)
    for i in range(last - 2):
        save(db_ctx, sid, plan, i)
    start = threading.Barrier(2)

    def at_once(index: int) -> str:
        start.wait()
        time.sleep(0)
        return save(db_ctx, sid, plan, index)

    with ThreadPoolExecutor(2) as pool:
        list(pool.map(at_once, [last - 2, last - 1]))
    assert sessions.get(db_ctx, sid)["status"] == "finished"
