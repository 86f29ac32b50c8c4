"""Reminder windows at their edges: minutes, midnight, "off", and a target of one."""

from __future__ import annotations

from datetime import date

import pytest
from tests.domain.berlin import MONDAY, TZ, at, hm

from soleus.domain.snacks.bouts import DayHistory
from soleus.domain.snacks.engine import Engine, Nudge
from soleus.domain.snacks.policy import (
    RemindPolicy,
    Window,
    advance_available,
    available_between,
    in_windows,
    merge,
    next_available,
    parse_days,
    parse_week,
    parse_windows,
    snack_slots,
    subtract,
    within_windows,
)
from soleus.errors import SoleusError


def week(hours: str) -> tuple[tuple[Window, ...], ...]:
    windows = parse_windows(hours, what="hours")
    return tuple(windows for _ in range(7))


def test_windows_keep_their_minutes() -> None:
    assert parse_windows("09:15-12:45, 13:05-17:50", what="h") == (
        Window(9 * 60 + 15, 12 * 60 + 45),
        Window(13 * 60 + 5, 17 * 60 + 50),
    )
    policy = RemindPolicy(week=week("09:15-12:45"), quiet=parse_windows("10:10-10:40", what="q"))
    got = [(hm(a), hm(b)) for a, b in policy.day_windows(MONDAY, TZ)]
    assert got == [("09:15", "10:10"), ("10:40", "12:45")]
    work = [(hm(a), hm(b)) for a, b in policy.working_windows(MONDAY, TZ)]
    assert work == [("09:15", "12:45")]


def test_the_first_nudge_waits_for_a_window_starting_at_quarter_past() -> None:
    engine = Engine(RemindPolicy(week=week("09:15-17:00"), target=0), TZ)
    got: list[str] = []
    t = at("08:00")
    while t < at("10:00"):
        got += [hm(e.at) for e in engine.observe(t, 0.0) if isinstance(e, Nudge)]
        t += 60
    # sitting since 08:00: nudged the moment the window opens, then unanswered 30 min on
    assert got == ["09:15", "09:45"]


@pytest.mark.parametrize(
    ("text", "windows"),
    [
        ("22:30-07:15", (Window(0, 7 * 60 + 15), Window(22 * 60 + 30, 1440))),
        ("23:00-00:00", (Window(23 * 60, 1440),)),
        ("00:00-24:00", (Window(0, 1440),)),
        ("off", ()),
        (" OFF ", ()),
        ("none", ()),
        ("-", ()),
        ("", ()),
        ("23:00-24:00", (Window(23 * 60, 1440),)),
        ("9:05-9:59", (Window(9 * 60 + 5, 9 * 60 + 59),)),
        ("09:00-10:00, 10:00-10:30", (Window(9 * 60, 10 * 60 + 30),)),  # touching: one
        ("09:00-11:00, 10:00-10:30", (Window(9 * 60, 11 * 60),)),  # inside: one
        ("09:00-10:00, 10:01-10:30", (Window(540, 600), Window(601, 630))),
    ],
)
def test_quiet_times_across_midnight_and_off(text: str, windows: tuple[Window, ...]) -> None:
    assert parse_windows(text, what="quiet", wrap=True) == windows


@pytest.mark.parametrize(
    "text", ["25:00-10:00", "09:60-10:30", "24:30-07:00", "10:00-24:30", "09:00-10:60"]
)
@pytest.mark.parametrize("wrap", [True, False])
def test_hours_and_minutes_out_of_range_are_named(text: str, wrap: bool) -> None:
    with pytest.raises(SoleusError, match=f"^quiet: '{text}' is not a time of day$"):
        parse_windows(text, what="quiet", wrap=wrap)


def test_a_minute_of_59_is_a_time() -> None:
    assert parse_windows("09:59-10:59", what="h") == (Window(599, 659),)


def test_a_window_must_not_be_empty() -> None:
    with pytest.raises(ValueError, match="bad window 5-5"):
        Window(5, 5)
    with pytest.raises(ValueError, match="bad window 0-1441"):
        Window(0, 1441)
    assert Window(0, 1440).minutes == 1440


def test_crossing_midnight_needs_wrap() -> None:
    with pytest.raises(SoleusError, match="must not cross midnight"):
        parse_windows("22:30-07:15", what="hours")


@pytest.mark.parametrize(
    "text",
    ["09:60-10:00", "09:00-10:60", "24:30-24:45", "23:00-24:01", "25:00-26:00", "10:00-25:00",
     "10:00-10:00", "9-10", "09:00-10:00,"],
)  # fmt: skip
def test_times_that_are_not_times_are_refused(text: str) -> None:
    with pytest.raises(SoleusError):
        parse_windows(text, what="hours")


@pytest.mark.parametrize("wrap", [True, False])
def test_a_window_starting_at_24_00_is_one_clear_error(wrap: bool) -> None:
    # "24:00-07:00" as a quiet time once raised a bare ValueError (a traceback).
    with pytest.raises(SoleusError, match="'24:00-07:00' starts at 24:00"):
        parse_windows("24:00-07:00", what="quiet", wrap=wrap)
    with pytest.raises(SoleusError, match="starts at 24:00"):
        parse_windows("09:00-10:00, 24:00-02:00", what="quiet", wrap=wrap)


def test_a_target_of_one_snack_gives_one_slot_in_the_middle() -> None:
    windows = RemindPolicy().day_windows(MONDAY, TZ)  # 09:00-17:00
    assert [hm(t) for t in snack_slots(windows, 1)] == ["13:00"]
    assert snack_slots(windows, 0) == []
    assert snack_slots([], 3) == []


def test_slots_skip_a_hole_in_the_day() -> None:
    policy = RemindPolicy(week=week("09:00-12:00, 13:00-16:00"))
    windows = policy.day_windows(MONDAY, TZ)
    assert [hm(t) for t in snack_slots(windows, 2)] == ["10:30", "14:30"]
    assert [hm(t) for t in snack_slots(windows, 1)] == ["13:00"]


def test_a_target_of_one_is_planned_in_the_middle_of_the_day_then_met() -> None:
    engine = Engine(RemindPolicy(target=1), TZ, history=DayHistory(), today=MONDAY)
    assert hm(engine.next_slot() or 0) == "13:00"
    engine.sync_done(1, at("10:00"))
    assert engine.next_slot() is None


def test_merge_and_subtract() -> None:
    assert merge([Window(600, 660), Window(540, 600), Window(700, 720), Window(710, 715)]) == (
        Window(540, 660),
        Window(700, 720),
    )
    day = (Window(540, 1020),)
    holes = (Window(600, 630), Window(720, 780), Window(1000, 1100))
    assert subtract(day, holes) == (Window(540, 600), Window(630, 720), Window(780, 1000))
    assert subtract(day, (Window(0, 1440),)) == ()


@pytest.mark.parametrize(
    ("spec", "days"),
    [
        ("mon-fri", {0, 1, 2, 3, 4}),
        ("sat-mon", {5, 6, 0}),  # across the week's end
        ("mon, wed", {0, 2}),
        ("Monday,,Thursday", {0, 3}),
        (["sat", "sun"], {5, 6}),
        ("fri-fri", {4}),
        ("", set()),
    ],
)
def test_workdays(spec: str | list[str], days: set[int]) -> None:
    assert parse_days(spec) == days


@pytest.mark.parametrize("spec", ["someday", "mon-wed-fri", "mon-xyz"])
def test_workdays_that_cannot_be_read(spec: str) -> None:
    with pytest.raises(SoleusError, match=r"remind\.workdays: cannot read"):
        parse_days(spec)


def test_a_week_of_hours_with_days_of_their_own() -> None:
    week = parse_week("mon-thu", "08:30-12:00", {"Friday": "09:00-11:15", "mon": "off"})
    assert week == (
        (), *[(Window(510, 720),)] * 3, (Window(540, 675),), (), (),
    )  # fmt: skip
    with pytest.raises(SoleusError, match="unknown day 'someday'"):
        parse_week("mon-fri", "09:00-17:00", {"someday": "09:00-10:00"})
    with pytest.raises(SoleusError, match=r"^remind\.hours: expected HH:MM-HH:MM"):
        parse_week("mon-fri", "nine to five", {})
    with pytest.raises(SoleusError, match=r"remind.days.fri: expected HH:MM-HH:MM"):
        parse_week("mon-fri", "09:00-17:00", {"fri": "nine"})


def test_the_default_week_is_nine_to_five_on_weekdays() -> None:
    policy = RemindPolicy()
    assert [policy.available(d) for d in range(7)] == [(Window(540, 1020),)] * 5 + [(), ()]
    assert [policy.available_minutes(d) for d in range(7)] == [480] * 5 + [0, 0]
    with pytest.raises(ValueError, match="seven days"):
        RemindPolicy(week=((Window(540, 1020),),) * 6)


def test_a_window_to_midnight_ends_at_the_next_days_midnight() -> None:
    policy = RemindPolicy(week=week("22:00-24:00"))
    (window,) = policy.day_windows(MONDAY, TZ)
    assert window == (at("22:00"), at("00:00", date(2026, 1, 6)))
    assert window[1] - window[0] == 2 * 3600.0


def test_on_the_spring_change_the_day_is_an_hour_shorter() -> None:
    sunday = date(2026, 3, 29)  # Berlin: 02:00 becomes 03:00
    policy = RemindPolicy(week=week("00:00-24:00"))
    ((a, b),) = policy.day_windows(sunday, TZ)
    assert b - a == 23 * 3600.0
    # and a window of the hour that is skipped is no window at all
    policy = RemindPolicy(week=week("02:00-03:00, 09:00-10:00"))
    assert policy.day_windows(sunday, TZ) == [(at("09:00", sunday), at("10:00", sunday))]


def good(**changes: object) -> RemindPolicy:
    return RemindPolicy(**changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "changes",
    [
        {"interval_s": 60, "break_s": 30, "snooze_limit": 0},
        {"break_s": 30},
        {"target": 0},
        {"target": 48, "interval_s": 600, "week": ((Window(0, 1440),),) * 7},
        {"snooze_limit": 0, "snooze_s": 1},
        {"snooze_limit": 10},
        {"snooze_s": 60},
        {"snooze_s": 1799},
        {"answer_timeout_s": 60},
        {"target": 16},  # 16 x 30 min fill 09:00-17:00 exactly
        {"week": ((Window(540, 570),),) * 7, "target": 1},  # one interval, exactly
    ],
)
def test_policies_at_the_edge_pass_the_check(changes: dict[str, object]) -> None:
    good(**changes).check()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"interval_s": 59, "break_s": 30, "snooze_limit": 0}, "interval_min must be at least 1"),
        ({"break_s": 29}, "break_min must be at least 0.5"),
        ({"break_s": 1800}, r"break_min must be shorter than interval_min \(30 >= 30\)"),
        ({"target": -1}, "target must be between 0 and 48, not -1"),
        ({"target": 49, "interval_s": 600, "week": ((Window(0, 1440),),) * 7}, "not 49"),
        ({"snooze_limit": -1}, "snooze_limit must be between 0 and 10"),
        ({"snooze_limit": 11}, "snooze_limit must be between 0 and 10"),
        ({"snooze_s": 59}, "snooze_min must be at least 1 and below"),
        ({"snooze_s": 1800}, "snooze_min must be at least 1 and below"),
        ({"answer_timeout_s": 59}, "answer_timeout_min must be at least 1"),
        ({"week": ((),) * 7}, "no working hours on any day"),
        ({"quiet": (Window(0, 1440),)}, "quiet times cover all working hours"),
        (
            {"week": ((Window(540, 600),),) * 7, "interval_s": 3660},
            r"interval_min \(61\) is longer than the longest working day \(60 min",
        ),
        ({"target": 17}, "target of 17 snacks at least 30 min apart does not fit in 480 min"),
        ({"week": ((Window(540, 1019),),) * 7, "target": 16}, "does not fit in 479 min"),
        ({"week": ((Window(540, 569),),) * 6 + ((Window(0, 90),),), "target": 4}, "in 90 min"),
    ],
)
def test_contradictions_are_named(changes: dict[str, object], message: str) -> None:
    with pytest.raises(SoleusError, match=f"^remind: .*{message}"):
        good(**changes).check()


def test_interval_arithmetic_at_the_edges() -> None:
    w = [(100.0, 200.0), (300.0, 400.0)]
    assert [in_windows(w, t) for t in (99.9, 100.0, 199.9, 200.0, 300.0, 400.0)] == [
        False, True, True, False, True, False,
    ]  # fmt: skip
    assert [next_available(w, t) for t in (50.0, 150.0, 200.0, 250.0, 399.0, 400.0)] == [
        100.0, 150.0, 300.0, 300.0, 399.0, None,
    ]  # fmt: skip
    assert available_between(w, 150.0, 350.0) == 100.0
    assert available_between(w, 0.0, 1000.0) == 200.0
    assert available_between(w, 210.0, 290.0) == 0.0
    assert advance_available(w, 150.0, 30.0) == 180.0
    assert advance_available(w, 150.0, 50.0) == 300.0  # the end of one is the next's start
    assert advance_available(w, 150.0, 80.0) == 330.0
    assert advance_available(w, 250.0, 100.0) is None  # the end of the last is not in it
    assert advance_available(w, 200.0, 0.0) == 300.0
    assert advance_available(w, 400.0, 0.0) is None
    assert advance_available(w, 150.0, 150.0) is None  # only 150 s are left
    assert advance_available(w, 0.0, 0.0) == 100.0
    assert advance_available(w, 199.0, 1.0) == 300.0  # a window's end is not in it
    assert advance_available(w, 399.0, 1.0) is None


def test_a_window_of_one_second_still_gets_its_slot() -> None:
    assert snack_slots([(100.0, 101.0)], 1) == [100.5]


def test_every_span_that_reaches_into_the_windows_counts() -> None:
    w = [(100.0, 200.0), (300.0, 400.0)]
    spans = [(50.0, 101.0), (150.0, 160.0), (199.5, 300.5), (400.0, 500.0)]
    assert within_windows(spans, w) == (3, 1.0 + 10.0 + 1.0)
