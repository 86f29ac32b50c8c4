"""The finish screen's figures: reps and seconds done vs planned per exercise and side,
time worked, and what the day's plan says next (a snack at HH:MM, or rest)."""

from __future__ import annotations

from soleus.domain.clock import FakeClock
from soleus.domain.done import DoneAmount, PlannedAmount, amounts
from soleus.domain.routine import Plan
from soleus.services.context import Context
from soleus.services.logs import quicklog
from soleus.services.sessions import guided as sessions
from soleus.services.today import finish


def test_amounts_count_skips_as_nothing_and_extra_sets_after_the_plan() -> None:
    planned = [
        PlannedAmount("spu", "left", "reps", 10),
        PlannedAmount("spu", "right", "reps", 10),
        PlannedAmount("spu", "left", "reps", 10),
        PlannedAmount("wall", "both", "hold", 30),
    ]
    done = [
        DoneAmount("spu", "left", "reps", 9, False),
        DoneAmount("spu", "right", "reps", 10, True),
        DoneAmount("spu", "left", "reps", 8, False),
        DoneAmount("dog", "both", "hold", 45, False),
    ]
    got = [
        (a.exercise_id, a.side, a.sets_done, a.sets_planned, a.done, a.planned)
        for a in amounts(planned, done)
    ]
    assert got == [
        ("spu", "left", 2, 2, 17, 20),
        ("spu", "right", 0, 1, 0, 10),
        ("wall", "both", 0, 1, 0, 30),
        ("dog", "both", 1, 0, 45, 0),
    ]


def test_a_played_routine_sums_up_per_exercise_and_side(ctx: Context, clock: FakeClock) -> None:
    routine = ctx.routines.get_routine("full")
    sid = sessions.start(ctx, routine)
    plan = Plan.build(routine, ctx.catalog)
    start = clock.now()
    for item in plan.sets[:8]:  # the pushups and the first standing stretches
        clock.advance(30)
        short = item.index == 1  # one set a rep short, one hold cut to 20 s
        sessions.record(
            ctx,
            sid,
            plan_index=item.index,
            actual_reps=None if item.target_reps is None else item.target_reps - short,
            actual_seconds=20.0 if item.index == 7 else item.target_seconds,
            skipped=item.index == 6,
        )
    s = finish.summary(ctx, sid)
    rows = {(a.exercise_id, a.side): a for a in s.amounts}
    assert (rows["soleus-pushup", "left"].done, rows["soleus-pushup", "left"].planned) == (30, 30)
    assert (rows["soleus-pushup", "right"].done, rows["soleus-pushup", "right"].planned) == (29, 30)
    left = rows["standing-calf-stretch", "left"]
    assert (left.sets_done, left.sets_planned, left.done, left.planned) == (0, 3, 0, 90)
    right = rows["standing-calf-stretch", "right"]
    assert (right.sets_done, right.done, right.planned) == (1, 20, 90)
    assert rows["foam-roll-calf", "left"].done == 0 and rows["downward-dog", "both"].planned == 45
    assert s.worked_s == (clock.now() - start).total_seconds() == 240
    data = s.as_dict()
    assert data["exercises"][0]["name"] == "Seated soleus pushup"
    assert data["exercises"][0]["unit"] == "reps" and data["exercises"][2]["unit"] == "seconds"


def test_next_is_a_snack_at_its_time_on_an_ordinary_day(ctx: Context, clock: FakeClock) -> None:
    from soleus.services.snacks import live

    for _ in range(3):  # the person has been at the desk: the engine plans the next snack
        clock.advance(60)
        live.activity(ctx, 0.0)
    kind, words, at = finish.next_step(ctx)
    due = live.peek(ctx)["next_due"]
    assert kind == "snack" and at is not None and due is not None
    assert due[11:16] == at
    assert words == f"Next: another exercise snack at {at}."


def test_next_is_rest_on_a_rest_day_in_the_days_own_words(ctx: Context) -> None:
    from soleus.services.safety.advice import day_state

    quicklog.log_pain(ctx, score=6, context="after")
    kind, words, at = finish.next_step(ctx)
    state = day_state(ctx)
    assert kind == state.level and kind in ("rest", "stopped")
    assert words == state.words and at is None
