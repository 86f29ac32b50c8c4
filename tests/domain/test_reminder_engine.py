"""The reminder engine's own edges: a fresh engine, snoozes around breaks and the end of
the day, ties between the sitting rule and the day's plan, and ``simulate``'s runs."""

from __future__ import annotations

from datetime import date

from tests.domain.berlin import MONDAY, TZ, at, hm

from soleus.domain.snacks.bouts import DayHistory
from soleus.domain.snacks.engine import (
    Answer,
    Engine,
    Event,
    Expired,
    Nudge,
    SittingSpan,
    simulate,
)
from soleus.domain.snacks.menu import Menu, Suggestion
from soleus.domain.snacks.policy import RemindPolicy, parse_windows


def nudges(events: list[Event]) -> list[Nudge]:
    return [e for e in events if isinstance(e, Nudge)]


def sit(engine: Engine, start: str, end: str, idle_from: str | None = None) -> list[Event]:
    """Samples every minute from ``start`` to before ``end``; idle from ``idle_from``."""
    out: list[Event] = []
    t, stop = at(start), at(end)
    away = at(idle_from) if idle_from else None
    while t < stop:
        out += engine.observe(t, 0.0 if away is None or t < away else t - away)
        t += 60
    return out


def test_a_fresh_engine_owes_nothing_and_plans_nothing_before_its_first_sample() -> None:
    engine = Engine(RemindPolicy(target=3), TZ)
    assert (engine.nudges, engine.taken, engine.stopped) == (0, 0, False)
    assert engine.day is None and engine.windows == []
    assert engine.last_taken is None and engine.first_input is None
    assert engine.last_sample is None and engine.pending is None
    assert engine.next_due() is None and engine.next_slot() is None
    engine.observe(at("09:00"), 0.0)
    assert engine.last_sample == at("09:00") and engine.day == MONDAY


def test_history_counts_only_with_its_day() -> None:
    history = DayHistory(nudges=2, taken=2)
    assert Engine(RemindPolicy(), TZ, history=history).taken == 0
    today_only = Engine(RemindPolicy(), TZ, today=MONDAY)
    assert today_only.taken == 0 and today_only.day is None


def test_the_nudge_offers_the_engines_own_menu() -> None:
    stretch = Suggestion("full", "Standing calf stretch", "", "standing-calf-stretch")
    seated = (Suggestion("desk", "Seated sets", "At your desk"),)
    menu = Menu(seated=seated, stretches=(stretch,))
    engine = Engine(RemindPolicy(target=0, can_stand=True), TZ, menu=menu)
    got: list[Nudge] = []
    t = at("09:00")
    while t < at("10:31"):
        for nudge in nudges(engine.observe(t, 0.0)):
            got.append(nudge)
            engine.answer(t, "taken")
        t += 60
    assert [n.suggestion for n in got] == [seated[0], seated[0], stretch]
    assert Engine(RemindPolicy(), TZ).menu == Menu()


def test_a_snooze_comes_back_during_a_break_and_then_expires_from_its_return() -> None:
    engine = Engine(RemindPolicy(target=0, answer_timeout_s=600), TZ)
    (first,) = nudges(sit(engine, "09:00", "09:31"))
    engine.answer(first.at, "snoozed")  # back at 09:35
    # up and away since 09:29: the repeat still comes at 09:35, with no sitting time
    events = sit(engine, "09:31", "09:37", idle_from="09:29")
    (again,) = nudges(events)
    assert (hm(again.at, seconds=True), again.repeat, again.number, again.sitting_s) == (
        "09:35:00", True, 1, 0.0,
    )  # fmt: skip
    assert engine.next_due() is None  # waiting for an answer
    later = sit(engine, "09:37", "09:46", idle_from="09:29")
    expired = [e for e in later if isinstance(e, Expired)]
    assert expired == [Expired(at("09:45"), 1)]  # ten minutes after the repeat


def test_a_snooze_that_would_come_back_after_work_does_not() -> None:
    engine = Engine(RemindPolicy(target=0), TZ)
    (nudge,) = nudges(sit(engine, "16:28", "16:59"))
    assert hm(nudge.at, seconds=True) == "16:58:00"
    engine.answer(nudge.at, "snoozed")  # would be back at 17:03
    assert engine.next_due() is None
    assert nudges(sit(engine, "16:59", "18:00")) == []


def test_no_zero_length_sitting_spans() -> None:
    engine = Engine(RemindPolicy(target=0), TZ)
    engine.observe(at("09:00"), 0.0)
    # the first sample says idle since exactly then: a break, but no sitting before it
    assert engine.observe(at("09:05"), 300.0) == []


def test_answering_at_the_moment_sitting_began_ends_no_span() -> None:
    engine = Engine(RemindPolicy(target=0, snooze_s=300), TZ)
    (first,) = nudges(sit(engine, "09:00", "09:31"))
    engine.answer(first.at, "snoozed")  # back at 09:35
    sit(engine, "09:31", "09:35", idle_from="09:29")  # away since 09:29: a break
    events = engine.observe(at("09:35"), 0.0)  # back at 09:35, and so is the nudge
    (again,) = nudges(events)
    assert engine.sit_start == at("09:35") and again.repeat
    assert engine.answer(at("09:35"), "taken") == []
    assert engine.taken == 1 and engine.sit_start == at("09:35")


def test_when_a_sitting_nudge_and_a_planned_snack_fall_together_it_is_for_sitting() -> None:
    engine = Engine(RemindPolicy(target=3), TZ)  # the first planned snack: 10:20
    got = nudges(sit(engine, "09:50", "10:21"))
    assert [(hm(n.at, seconds=True), n.reason) for n in got] == [("10:20:00", "sitting")]


def test_the_plan_runs_to_the_last_second_of_the_day() -> None:
    last = at("17:00") - 1.0
    history = DayHistory(taken=1, last_taken=last)
    engine = Engine(RemindPolicy(target=2), TZ, history=history, today=MONDAY)
    slot = engine.next_slot()
    assert slot is not None and last < slot < at("17:00")  # 1 s left, 1.5 snacks' spacing


def test_the_last_instant_of_a_day_is_still_that_day() -> None:
    engine = Engine(RemindPolicy(target=3), TZ)
    engine.observe(at("09:00"), 0.0)
    engine.sync_done(2, at("10:00"))
    engine.sync_stopped(True)
    engine.observe(engine._day_end, 0.0)
    assert (engine.day, engine.taken, engine.stopped) == (MONDAY, 2, True)
    engine.observe(at("00:00", date(2026, 1, 6)), 0.0)
    assert engine.taken == 0 and engine.stopped is False


def test_next_check_after_a_missed_nudge_waits_for_the_next_window() -> None:
    engine = Engine(RemindPolicy(target=0), TZ)
    engine.observe(at("16:00"), 0.0)
    # suspended from 16:01 to 17:30: the 16:30 nudge was never given, work is over
    assert nudges(engine.observe(at("17:30"), 0.0)) == []
    assert engine.next_check(at("17:30")) == at("17:35")  # only a break can come now


def odd_second_runs() -> list[tuple[float, float, bool]]:
    return [(at("09:00") + 1, at("10:00"), True)]


def test_simulate_samples_every_second_by_default() -> None:
    policy = RemindPolicy(target=0, interval_s=1801)
    got = nudges(list(simulate(Engine(policy, TZ), odd_second_runs(), lambda n: None)))
    assert [hm(n.at, seconds=True) for n in got] == ["09:30:02"]


def test_simulate_goes_on_past_an_empty_run() -> None:
    runs = [
        (at("09:00"), at("09:10"), True),
        (at("09:10"), at("09:10"), False),  # empty
        (at("09:10"), at("09:40"), True),
    ]

    def respond(_n: Nudge) -> tuple[Answer, str]:
        return ("taken", "")

    events = list(simulate(Engine(RemindPolicy(target=0), TZ), runs, respond, step=60))
    assert [hm(n.at, seconds=True) for n in nudges(events)] == ["09:30:00"]
    assert SittingSpan(at("09:00"), at("09:30")) in events


def test_a_quiet_hour_moves_a_snoozed_return_to_its_end() -> None:
    policy = RemindPolicy(target=0, quiet=parse_windows("09:32-10:00", what="q"))
    engine = Engine(policy, TZ)
    (first,) = nudges(sit(engine, "09:00", "09:31"))
    engine.answer(first.at, "snoozed")
    assert engine.next_due() == (at("10:00"), "sitting", True)
