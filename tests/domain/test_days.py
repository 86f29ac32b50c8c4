"""Days as people type them, relative to an injected today (a Friday)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from soleus.domain.days import NotADay, parse_day

FRIDAY = date(2026, 12, 4)


@pytest.mark.parametrize(
    ("text", "past", "future"),
    [
        ("today", FRIDAY, FRIDAY),
        ("Yesterday", date(2026, 12, 3), date(2026, 12, 3)),
        ("tomorrow", date(2026, 12, 5), date(2026, 12, 5)),
        ("-2", date(2026, 12, 2), date(2026, 12, 2)),
        ("+3", date(2026, 12, 7), date(2026, 12, 7)),
        ("friday", FRIDAY, FRIDAY),
        ("mon", date(2026, 11, 30), date(2026, 12, 7)),
        ("Thursday", date(2026, 12, 3), date(2026, 12, 10)),
        ("saturday", date(2026, 11, 28), date(2026, 12, 5)),
        ("2026-02-28", date(2026, 2, 28), date(2026, 2, 28)),
        ("2024-2-29", date(2024, 2, 29), date(2024, 2, 29)),
    ],
)
def test_words_name_days(text: str, past: date, future: date) -> None:
    assert parse_day(text, today=FRIDAY) == past
    assert parse_day(text, today=FRIDAY, direction="future") == future


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-02-30", "2026-02-30 is not a date: February 2026 has 28 days"),
        ("2026-13-01", "2026-13-01 is not a date: there is no month 13"),
        ("2026-04-31", "2026-04-31 is not a date: April 2026 has 30 days"),
        ("someday", "expected today, yesterday, tomorrow, -2 or +2"),
        ("mo", "expected today"),
        ("04/12/2026", "expected today"),
    ],
)
def test_a_day_that_does_not_exist_is_named(text: str, message: str) -> None:
    with pytest.raises(NotADay) as raised:
        parse_day(text, today=FRIDAY)
    assert str(raised.value).startswith(message)
    assert "\n" not in str(raised.value)


@given(st.dates(min_value=date(2001, 1, 1), max_value=date(2098, 1, 1)), st.integers(0, 6))
def test_a_weekday_is_within_the_week_on_its_side(today: date, weekday: int) -> None:
    name = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")[weekday]
    past = parse_day(name, today=today)
    future = parse_day(name, today=today, direction="future")
    assert past.weekday() == future.weekday() == weekday
    assert timedelta(0) <= today - past < timedelta(days=7)
    assert timedelta(0) <= future - today < timedelta(days=7)
    assert parse_day(past.isoformat(), today=today) == past
