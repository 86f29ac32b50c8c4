"""Wall-clock times of the reminder tests: a Monday in Berlin, as timestamps and back."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Europe/Berlin")
MONDAY = date(2026, 1, 5)


def at(hm: str, day: date = MONDAY) -> float:
    """The timestamp of "HH:MM" on ``day`` in Berlin."""
    h, m = hm.split(":")
    return datetime(day.year, day.month, day.day, int(h), int(m), tzinfo=TZ).timestamp()


def hm(t: float, *, seconds: bool = False) -> str:
    """A timestamp as Berlin's "HH:MM" (or "HH:MM:SS")."""
    return (
        datetime.fromtimestamp(t, UTC).astimezone(TZ).strftime("%H:%M:%S" if seconds else "%H:%M")
    )
