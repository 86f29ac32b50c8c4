"""Days as people type them: ``today``, ``yesterday``, ``-2``, ``monday``, ``2026-12-04``.

Pure: the caller gives today's local date. A weekday means the nearest such day in
the direction that makes sense for the command (the last Monday for a log, the next
Monday for a preview).
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from typing import Literal

Direction = Literal["past", "future"]
WEEKDAYS = tuple(name.lower() for name in calendar.day_name)
ACCEPTED = "today, yesterday, tomorrow, -2 or +2 (days from today), a weekday or YYYY-MM-DD"
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_OFFSET = re.compile(r"[+-]\d{1,4}")


class NotADay(ValueError):
    """The text names no day; the message says what was wrong, in one line."""


def parse_day(text: str, *, today: date, direction: Direction = "past") -> date:
    """The day ``text`` names, relative to ``today``."""
    word = text.strip().lower()
    named = {"today": 0, "yesterday": -1, "tomorrow": 1}
    if word in named:
        return today + timedelta(days=named[word])
    if _OFFSET.fullmatch(word):
        return today + timedelta(days=int(word))
    weekday = _weekday(word)
    if weekday is not None:
        ahead = (weekday - today.weekday()) % 7
        return (
            today + timedelta(days=ahead)
            if direction == "future"
            else today - timedelta(days=(7 - ahead) % 7)
        )
    match = _ISO.fullmatch(word)
    if match:
        year, month, day = (int(g) for g in match.groups())
        if not 1 <= month <= 12:
            raise NotADay(f"{text} is not a date: there is no month {month}")
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            name = calendar.month_name[month]
            raise NotADay(f"{text} is not a date: {name} {year} has {last} days")
        return date(year, month, day)
    raise NotADay(f"expected {ACCEPTED}, not {text!r}")


def _weekday(word: str) -> int | None:
    if len(word) < 3:
        return None
    for number, name in enumerate(WEEKDAYS):
        if name.startswith(word):
            return number
    return None
