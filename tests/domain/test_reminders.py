"""A simulated working day: every rule of the reminder policy, one at a time."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from tests.domain.berlin import MONDAY, TZ, at, hm

from soleus.domain.clock import FakeClock
from soleus.domain.snacks.bouts import DayHistory
from soleus.domain.snacks.engine import (
    Answer,
    Engine,
    Event,
    Expired,
    NaturalBreak,
    Nudge,
    Responder,
    SittingSpan,
    simulate,
)
from soleus.domain.snacks.menu import Menu, Suggestion, suggest
from soleus.domain.snacks.policy import (
    RemindPolicy,
    Window,
    parse_windows,
    snack_slots,
    when_label,
    within_windows,
)
from soleus.errors import SoleusError
from soleus.settings.remind import load_policy


class Day:
    """Drives an engine minute by minute from a script of idle periods."""

    def __init__(self, policy: RemindPolicy, *, idle: Sequence[tuple[str, str]] = ()) -> None:
        self.engine = Engine(policy, TZ)
        self.idle = [(at(a), at(b)) for a, b in idle]
        self.events: list[Event] = []

    def idle_at(self, t: float) -> float:
        for a, b in self.idle:
            if a <= t < b:
                return t - a
        return 0.0

    def run(
        self, start: str, end: str, answer: Responder | tuple[Answer, str] | None = None
    ) -> list[Event]:
        t, stop = at(start), at(end)
        out: list[Event] = []
        while t < stop:
            for event in self.engine.observe(t, self.idle_at(t)):
                out.append(event)
                if isinstance(event, Nudge) and answer is not None:
                    reply = answer(event) if callable(answer) else answer
                    if reply is not None:
                        out.extend(self.engine.answer(t, *reply))
            t += 60
        self.events += out
        return out


def clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def nudges(events: list[Event]) -> list[Nudge]:
    return [e for e in events if isinstance(e, Nudge)]


def test_nudge_after_thirty_minutes_of_sitting_and_again_after_each_snack() -> None:
    day = Day(RemindPolicy(target=0))
    got = nudges(day.run("09:00", "11:00", ("taken", "")))
    assert [hm(n.at) for n in got] == ["09:30", "10:00", "10:30"]
    assert all(n.reason == "sitting" and n.sitting_s == 1800 for n in got)


def test_twenty_minute_option() -> None:
    day = Day(RemindPolicy(interval_s=1200, target=0))
    assert [hm(n.at) for n in nudges(day.run("09:00", "10:01", ("taken", "")))] == [
        "09:20",
        "09:40",
        "10:00",
    ]


def test_no_nudge_outside_working_hours_but_one_at_the_start_if_sitting_already() -> None:
    day = Day(RemindPolicy(target=0))
    assert nudges(day.run("07:00", "09:00", ("taken", ""))) == []
    first = nudges(day.run("09:00", "09:05", ("taken", "")))
    assert [hm(n.at) for n in first] == ["09:00"]
    assert first[0].sitting_s == 2 * 3600
    assert nudges(Day(RemindPolicy()).run("17:00", "23:00")) == []


def test_weekend_is_free() -> None:
    day = Day(RemindPolicy())
    saturday = date(2026, 1, 10)
    t = at("08:00", saturday)
    for _ in range(12 * 60):
        assert not nudges(day.engine.observe(t, 0.0))
        t += 60


def test_natural_break_resets_the_sitting_timer_and_is_counted() -> None:
    day = Day(RemindPolicy(target=0), idle=[("09:20", "09:27")])
    events = day.run("09:00", "10:30", ("taken", ""))
    breaks = [e for e in events if isinstance(e, NaturalBreak)]
    assert [(hm(b.start), hm(b.end)) for b in breaks] == [("09:20", "09:27")]
    spans = [e for e in events if isinstance(e, SittingSpan)]
    assert (hm(spans[0].start), hm(spans[0].end)) == ("09:00", "09:20")
    # the sitting timer restarted at 09:27: first nudge 30 minutes later
    assert [hm(n.at) for n in nudges(events)] == ["09:57", "10:27"]


def test_a_short_pause_is_still_sitting() -> None:
    day = Day(RemindPolicy(target=0), idle=[("09:10", "09:13")])
    assert [hm(n.at) for n in nudges(day.run("09:00", "09:45"))] == ["09:30"]
    assert not [e for e in day.events if isinstance(e, NaturalBreak)]


def test_quiet_time_holds_nudges_until_it_ends() -> None:
    policy = RemindPolicy(quiet=parse_windows("09:15-10:00", what="q"), target=0)
    day = Day(policy)
    assert [hm(n.at) for n in nudges(day.run("09:00", "10:40", ("taken", "")))] == [
        "10:00",
        "10:30",
    ]


def test_snooze_comes_back_and_is_limited() -> None:
    policy = RemindPolicy(target=0, snooze_limit=2)
    day = Day(policy)
    first = nudges(day.run("09:00", "09:31"))
    assert [hm(n.at) for n in first] == ["09:30"] and first[0].snoozes_left == 2
    day.engine.answer(at("09:30"), "snoozed")
    again = nudges(day.run("09:31", "09:36"))
    assert [(hm(n.at), n.repeat, n.number, n.snoozes_left) for n in again] == [
        ("09:35", True, 1, 1)
    ]
    day.engine.answer(at("09:35"), "snoozed")
    last = nudges(day.run("09:36", "09:41"))
    assert last[0].snoozes_left == 0
    with pytest.raises(SoleusError, match="no snoozes left"):
        day.engine.answer(at("09:40"), "snoozed")
    day.engine.answer(at("09:40"), "skipped")
    # a skip restarts the timer; the next new nudge is a full interval later
    assert [hm(n.at) for n in nudges(day.run("09:41", "10:30"))] == ["10:10"]


def test_a_snoozed_target_nudge_is_withdrawn_once_the_target_is_met_elsewhere() -> None:
    idle = [(clock(m), clock(m + 6)) for m in range(9 * 60 + 14, 17 * 60, 20)]
    day = Day(RemindPolicy(target=1, snooze_limit=2), idle=idle)
    first = nudges(day.run("09:00", "13:01"))
    assert [(hm(n.at), n.reason) for n in first] == [("13:00", "target")]
    day.engine.answer(first[0].at, "snoozed")
    # meanwhile a session was logged in the web app: the target is met
    day.engine.sync_done(1, first[0].at + 60)
    assert day.engine.pending is None
    assert [n.reason for n in nudges(day.run("13:01", "17:00"))] == []


def test_a_snoozed_sitting_nudge_still_comes_back_after_the_target() -> None:
    day = Day(RemindPolicy(target=1, snooze_limit=2))
    first = nudges(day.run("09:00", "09:31"))
    assert [n.reason for n in first] == ["sitting"]
    day.engine.answer(at("09:30"), "snoozed")
    day.engine.sync_done(1, at("09:31"))
    again = nudges(day.run("09:31", "09:36"))
    assert [(hm(n.at), n.repeat) for n in again] == [("09:35", True)]


def test_skip_is_counted_and_strict_mode_wants_a_reason() -> None:
    day = Day(RemindPolicy(strict=True, target=0))
    day.run("09:00", "09:31")
    with pytest.raises(SoleusError, match="say why"):
        day.engine.answer(at("09:30"), "skipped")
    day.engine.answer(at("09:30"), "skipped", "meeting")
    assert day.engine.pending is None and day.engine.taken == 0
    with pytest.raises(SoleusError, match="no reminder"):
        day.engine.answer(at("09:31"), "taken")


def test_unanswered_nudge_expires_and_the_next_keeps_the_gap() -> None:
    day = Day(RemindPolicy(target=0, answer_timeout_s=600))
    events = day.run("09:00", "10:05")
    assert [hm(e.at) for e in events if isinstance(e, Expired)] == ["09:40"]
    assert [hm(n.at) for n in nudges(events)] == ["09:30", "10:00"]


def test_target_slots_nudge_someone_who_never_sits_long() -> None:
    # up every 20 minutes: the sitting rule never fires, the daily target still does
    idle = [(clock(m), clock(m + 6)) for m in range(9 * 60 + 14, 17 * 60, 20)]
    day = Day(RemindPolicy(target=3), idle=idle)
    got = nudges(day.run("09:00", "17:00", ("taken", "")))
    assert [n.reason for n in got] == ["target"] * 3
    assert [hm(n.at) for n in got] == ["10:20", "13:00", "15:40"]
    assert day.engine.taken == 3


def test_remaining_snacks_spread_over_the_remaining_time() -> None:
    policy = RemindPolicy(target=3, interval_s=3600 * 3)
    engine = Engine(policy, TZ, history=DayHistory(taken=1, last_taken=at("13:00")), today=MONDAY)
    # two snacks left over 4 h: 1.6 h apart, with half a gap before the end
    assert hm(engine.next_slot() or 0) == "14:36"


def test_stop_at_target() -> None:
    day = Day(RemindPolicy(target=2, stop_at_target=True))
    assert len(nudges(day.run("09:00", "17:00", ("taken", "")))) == 2


def test_snack_slots_are_spread_evenly() -> None:
    windows = RemindPolicy().day_windows(MONDAY, TZ)
    assert [hm(t) for t in snack_slots(windows, 4)] == ["10:00", "12:00", "14:00", "16:00"]


def test_suggestions_seated_and_standing() -> None:
    seated = RemindPolicy()
    assert {suggest(seated, n).routine for n in range(1, 7)} == {"spu-bout", "desk"}
    stand = RemindPolicy(can_stand=True)
    stretch = Suggestion("full", "Standing calf stretch", "", "standing-calf-stretch")
    third = suggest(stand, 3, Menu(stretches=(stretch,)))
    assert third.routine == "full" and third.exercise == "standing-calf-stretch"
    assert suggest(stand, 3).routine in {"desk", "spu-bout"}


def test_a_new_day_starts_from_zero() -> None:
    day = Day(RemindPolicy(target=1))
    day.run("09:00", "17:00", ("taken", ""))
    assert day.engine.taken == len(nudges(day.events)) > 1
    day.engine.observe(at("09:00", date(2026, 1, 6)), 0.0)
    assert day.engine.taken == 0 and day.engine.day == date(2026, 1, 6)


def test_gap_counts_as_a_break() -> None:
    engine = Engine(RemindPolicy(), TZ)
    engine.observe(at("09:00"), 0)
    events = engine.gap(at("09:10"), at("10:00"))
    assert events[0] == SittingSpan(at("09:00"), at("09:10"))
    back = engine.observe(at("10:00"), 0)
    assert back[0] == NaturalBreak(at("09:10"), at("10:00"))


def test_simulate_matches_sample_by_sample() -> None:
    policy = RemindPolicy(target=3, quiet=(Window(12 * 60, 13 * 60),))
    runs = [
        (at("08:30"), at("10:10"), True),
        (at("10:10"), at("10:17"), False),
        (at("10:17"), at("12:30"), True),
        (at("12:30"), at("12:33"), False),
        (at("12:33"), at("18:00"), True),
    ]

    def respond(n: Nudge) -> tuple[Answer, str] | None:
        if n.number % 4 == 0 and n.snoozes_left:
            return ("snoozed", "")
        replies: list[tuple[Answer, str] | None] = [
            ("taken", ""),
            ("taken", ""),
            None,
            ("skipped", ""),
        ]
        return replies[n.number % 4]

    fast = list(simulate(Engine(policy, TZ), runs, respond, step=60))
    slow_engine = Engine(policy, TZ)
    slow: list[Event] = []
    for start, end, active in runs:
        t = start
        quiet = start - 60
        while t < end:
            for event in slow_engine.observe(t, 0.0 if active else t - quiet):
                slow.append(event)
                if isinstance(event, Nudge):
                    reply = respond(event)
                    if reply is not None:
                        slow.extend(slow_engine.answer(t, *reply))
            t += 60
    assert fast == slow
    got = nudges(fast)
    assert len(got) == 20  # snoozes and repeats included: a fixed script, a fixed count
    assert not [n for n in got if at("12:00") <= n.at < at("13:00")]  # the quiet hour


# -- settings -------------------------------------------------------------------------


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "config.toml").write_text(text, encoding="utf-8")
    return tmp_path


def test_config_table_and_env(tmp_path: Path) -> None:
    folder = write(
        tmp_path,
        '[remind]\ninterval_min = 20\nworkdays = "mon-thu"\nhours = "08:00-12:00, 13:00-17:00"\n'
        'quiet = ["10:00-10:30"]\n[remind.days]\nfri = "09:00-13:00"\n',
    )
    config, policy = load_policy(
        folder, {"SOLEUS_REMIND_TARGET": "4", "SOLEUS_REMIND_STRICT": "yes"}
    )
    assert policy.interval_s == 1200 and policy.target == 4 and policy.strict
    assert [str(w) for w in policy.available(0)] == ["08:00-10:00", "10:30-12:00", "13:00-17:00"]
    assert [str(w) for w in policy.available(4)] == ["09:00-10:00", "10:30-13:00"]
    assert policy.available(5) == ()
    assert config.poll_s == 30


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('quiet = "00:00-24:00"', "quiet times cover all working hours"),
        ("interval_min = 600", "longer than the longest working day"),
        ("target = 20", "does not fit"),
        ('hours = "17:00-09:00"', "must not cross midnight"),
        ('hours = "9 to 5"', "expected HH:MM-HH:MM"),
        ('workdays = "someday"', "cannot read"),
        ("break_min = 40", "shorter than interval_min"),
        ("snooze_min = 45", "snooze_min"),
        ("colour = 1", "colour"),
        ('interval_min = "soon"', "interval_min"),
    ],
)
def test_contradictions_give_one_line(tmp_path: Path, text: str, message: str) -> None:
    folder = write(tmp_path, f"[remind]\n{text}\n")
    with pytest.raises(SoleusError, match=message) as caught:
        load_policy(folder, {})
    assert "\n" not in str(caught.value)


def test_broken_config_file(tmp_path: Path) -> None:
    folder = write(tmp_path, "[remind\n")
    with pytest.raises(SoleusError, match="not valid TOML"):
        load_policy(folder, {})


def test_sitting_counts_only_inside_working_hours() -> None:
    policy = RemindPolicy(quiet=parse_windows("12:00-13:00", what="quiet"))
    work = policy.working_windows(MONDAY, TZ)
    assert [(hm(a), hm(b)) for a, b in work] == [("09:00", "17:00")]  # quiet time is work
    evening = (at("18:00"), at("23:00"))  # a tab left open after work
    late = (at("16:30"), at("17:45"))
    assert within_windows([evening], work) == (0, 0.0)
    assert within_windows([late, evening], work) == (1, 30 * 60.0)
    assert within_windows([evening], policy.working_windows(date(2026, 1, 10), TZ)) == (0, 0.0)


def test_when_label_names_the_day_unless_it_is_today() -> None:
    now = datetime(2026, 1, 5, 16, 50, tzinfo=TZ)  # a Monday

    def label(day: int, hour: int, minute: int = 0) -> str:
        return when_label(datetime(2026, 1, day, hour, minute, tzinfo=TZ), now)

    assert label(5, 17, 20) == "17:20"
    assert label(6, 10, 20) == "tomorrow 10:20"
    assert label(4, 22, 5) == "yesterday 22:05"
    assert label(7, 9) == "Wednesday 09:00"  # two days ahead
    assert label(8, 9) == "Thursday 09:00"
    assert label(11, 9) == "Sunday 09:00"  # six days ahead
    assert label(12, 9) == "Mon 12 Jan 09:00"
    # Shown in the zone of `now`: 23:30 UTC on Monday is already Tuesday in Berlin.
    assert when_label(datetime(2026, 1, 5, 23, 30, tzinfo=UTC), now) == "tomorrow 00:30"


def _first_use(engine: Engine, clock: FakeClock, minutes: int) -> list[Nudge]:
    """An open tab sampled every few seconds from ``clock``'s time for ``minutes``."""
    got: list[Nudge] = []
    end = clock.now() + timedelta(minutes=minutes)
    while clock.now() < end:
        got += nudges(engine.observe(clock.now().timestamp(), 0.0))
        clock.advance(5)
    return got


def test_first_use_behind_the_days_pace_waits_one_interval() -> None:
    # First opened at 14:00: the day's first planned snack (10:20) is long past, but
    # someone who has just sat down is not nudged before a full interval at the desk.
    clock = FakeClock(datetime(2026, 1, 5, 14, 0, tzinfo=TZ))
    engine = Engine(RemindPolicy(target=3), TZ)
    assert _first_use(engine, clock, 29) == []
    assert engine.next_due() == (at("14:30"), "target", False)
    got = _first_use(engine, clock, 2)
    assert [(hm(n.at), n.reason) for n in got] == [("14:30", "target")]


def test_a_restart_keeps_the_days_first_input() -> None:
    # The web app rebuilds the engine on every sample: the wait counts from the day's
    # first input, not from the rebuild.
    history = DayHistory(first_input=at("14:00"))
    engine = Engine(RemindPolicy(target=3), TZ, history=history, today=MONDAY)
    assert nudges(engine.observe(at("14:20"), 0.0)) == []
    assert engine.next_due() == (at("14:30"), "target", False)
    # a new day forgets it: after the night away, the first input is the morning's
    tuesday = date(2026, 1, 6)
    engine.observe(at("09:00", tuesday), 12 * 3600.0)
    engine.observe(at("09:01", tuesday), 0.0)
    assert engine.first_input == at("09:01", tuesday)


# -- the engine at its edges (issue 13: what the mutation run showed untested) ---------


def test_a_break_starts_at_exactly_break_min_idle_or_a_gap_that_long() -> None:
    engine = Engine(RemindPolicy(target=0), TZ)
    engine.observe(at("09:00"), 0.0)
    assert engine.observe(at("09:10") - 1, 299.0) == []  # 4:59 idle: still sitting
    assert engine.observe(at("09:10"), 300.0) == [SittingSpan(at("09:00"), at("09:05"))]
    assert engine.break_start == at("09:05") and engine.sit_start is None
    assert engine.observe(at("09:20"), 0.0) == [NaturalBreak(at("09:05"), at("09:20"))]
    assert engine.sit_start == at("09:20")
    short = Engine(RemindPolicy(target=0), TZ)
    short.observe(at("09:00"), 0.0)
    assert short.gap(at("09:10"), at("09:15") - 1) == []
    assert short.gap(at("09:10"), at("09:15")) == [SittingSpan(at("09:00"), at("09:10"))]
    assert short.gap(at("09:20"), at("10:00")) == []  # already on a break


def test_a_negative_idle_counts_as_input_now() -> None:
    engine = Engine(RemindPolicy(target=0), TZ)
    engine.observe(at("09:00"), -30.0)
    assert engine.last_input == at("09:00") and engine.sit_start == at("09:00")


def test_an_idle_reading_older_than_the_last_input_keeps_the_last_input() -> None:
    engine = Engine(RemindPolicy(target=0), TZ)
    engine.observe(at("09:00"), 0.0)
    engine.observe(at("09:04"), 0.0)
    # the idle counter says 10 min (another input device): input was seen at 09:04
    assert engine.observe(at("09:08"), 600.0) == [SittingSpan(at("09:00"), at("09:04"))]
    assert engine.last_input == at("09:04") and engine.break_start == at("09:04")


def test_the_first_sample_of_the_day_is_the_days_first_input() -> None:
    engine = Engine(RemindPolicy(target=3), TZ)
    engine.observe(at("00:10"), 3 * 3600.0)  # idle since yesterday 21:10: a break
    assert engine.first_input is None
    engine.observe(at("08:00"), 0.0)
    assert engine.first_input == at("08:00")
    night = Engine(RemindPolicy(target=3), TZ)
    night.observe(at("23:50", date(2026, 1, 4)), 0.0)  # sitting through midnight
    night.observe(at("00:10"), 0.0)
    assert night.first_input == at("00:00")  # counted from the day's start


def test_a_stop_day_withdraws_the_nudge_and_makes_no_more_until_tomorrow() -> None:
    day = Day(RemindPolicy(target=3))
    assert len(nudges(day.run("09:00", "09:31"))) == 1
    day.engine.sync_stopped(True)
    assert day.engine.pending is None and day.engine.next_due() is None
    assert nudges(day.run("09:31", "17:00")) == []
    day.engine.sync_stopped(False)
    assert day.engine.next_due() is not None
    day.engine.sync_stopped(True)
    tuesday = date(2026, 1, 6)
    day.engine.observe(at("09:00", tuesday), 0.0)
    assert not day.engine.stopped
    late = [hm(n.at) for n in nudges(day.engine.observe(at("09:30", tuesday), 0.0))]
    assert late == ["09:30"]


def test_a_snoozed_target_nudge_stays_while_the_target_is_not_met() -> None:
    idle = [(clock(m), clock(m + 6)) for m in range(9 * 60 + 14, 17 * 60, 20)]
    day = Day(RemindPolicy(target=2), idle=idle)
    (first,) = nudges(day.run("09:00", "11:01"))
    assert first.reason == "target"
    day.engine.answer(first.at, "snoozed")
    day.engine.sync_done(1, first.at + 60)
    assert day.engine.pending is not None
    assert day.engine.next_due() == (first.at + 300, "target", True)


def test_history_continues_the_days_count_and_gap() -> None:
    history = DayHistory(nudges=2, taken=1, last_nudge=at("10:00"), last_taken=at("10:00"))
    engine = Engine(RemindPolicy(target=0), TZ, history=history, today=MONDAY)
    assert (engine.nudges, engine.taken, engine.last_nudge) == (2, 1, at("10:00"))
    engine.observe(at("09:00"), 0.0)  # a restart: sitting since 09:00
    assert nudges(engine.observe(at("10:29"), 0.0)) == []  # 30 min after the last nudge
    (nudge,) = nudges(engine.observe(at("10:30"), 0.0))
    assert (nudge.number, nudge.sitting_s) == (3, 90 * 60.0)


def test_a_snack_taken_during_a_break_does_not_start_sitting() -> None:
    engine = Engine(RemindPolicy(target=0, break_s=300), TZ)
    engine.observe(at("09:00"), 0.0)
    (nudge,) = nudges(engine.observe(at("09:30"), 0.0))
    engine.observe(at("09:36"), 360.0)  # up and away since 09:30
    assert engine.answer(at("09:36"), "taken") == []
    assert engine.sit_start is None and engine.taken == 1 and engine.last_taken == at("09:36")
    sat = Engine(RemindPolicy(target=0), TZ)
    sat.observe(at("09:00"), 0.0)
    sat.observe(at("09:30"), 0.0)
    assert sat.answer(at("09:31"), "skipped") == [SittingSpan(at("09:00"), at("09:31"))]
    assert sat.sit_start == at("09:31") and sat.taken == 0 and nudge.number == 1


def test_next_check_is_the_nearest_thing_that_can_change() -> None:
    engine = Engine(RemindPolicy(target=0), TZ)
    engine.observe(at("09:00"), 0.0)
    assert engine.next_check(at("09:00")) == at("09:05")  # a break could start
    engine.observe(at("09:05"), 300.0)
    assert engine.next_check(at("09:05")) == engine._day_end + 1e-3  # on a break: midnight
    engine.observe(at("09:10"), 0.0)
    engine.observe(at("09:39"), 0.0)
    assert engine.next_check(at("09:39")) == at("09:40")  # due at 09:40
    engine.observe(at("09:40"), 0.0)
    assert engine.pending is not None
    assert engine.next_check(at("09:40")) == at("09:45")  # a break could start
    engine.observe(at("09:46"), 0.0)
    assert engine.next_check(at("09:48")) == at("09:50")  # the nudge expires
    evening = Engine(RemindPolicy(target=0), TZ)
    evening.observe(at("16:50"), 0.0)
    assert evening.next_check(at("16:50")) == at("16:55")
    evening.observe(at("16:55"), 0.0)
    evening.observe(at("16:59"), 0.0)
    # due 17:20 is after the day's windows: nothing but the break and midnight
    assert evening.next_due() is None
    assert evening.next_check(at("16:59")) == at("17:04")
