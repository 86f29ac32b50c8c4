"""Reminder windows at their edges: minutes, midnight, "off", and a target of one."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from soleus.domain.snacks.bouts import DayHistory
from soleus.domain.snacks.engine import Engine, Nudge
from soleus.domain.snacks.policy import RemindPolicy, Window, parse_windows, snack_slots
from soleus.errors import SoleusError

TZ = ZoneInfo("Europe/Berlin")
MONDAY = date(2026, 1, 5)


def at(hm: str, day: date = MONDAY) -> float:
    h, m = hm.split(":")
    return datetime(day.year, day.month, day.day, int(h), int(m), tzinfo=TZ).timestamp()


def hm(t: float) -> str:
    return datetime.fromtimestamp(t, UTC).astimezone(TZ).strftime("%H:%M")


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
        ("OFF", ()),
        ("", ()),
    ],
)
def test_quiet_times_across_midnight_and_off(text: str, windows: tuple[Window, ...]) -> None:
    assert parse_windows(text, what="quiet", wrap=True) == windows


def test_crossing_midnight_needs_wrap() -> None:
    with pytest.raises(SoleusError, match="must not cross midnight"):
        parse_windows("22:30-07:15", what="hours")


@pytest.mark.parametrize("text", ["09:60-10:00", "24:30-24:45", "25:00-26:00", "10:00-10:00"])
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
