"""The reminder policy: when you work, when to keep quiet, how often to nudge.

Pure: no clock reads, no I/O. Times of day are minutes since local midnight; the
engine in :mod:`soleus.domain.snacks.engine` works in POSIX seconds and uses
:meth:`RemindPolicy.day_windows` to turn a local day into absolute intervals.

Sources for the defaults: science.md, "Breaking up sitting" (prompt every 30 min,
20-min option; about three short bursts a day).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo

from soleus.errors import SoleusError

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MINUTES_PER_DAY = 24 * 60

Interval = tuple[float, float]  # absolute POSIX seconds, start < end


@dataclass(frozen=True, order=True)
class Window:
    """A span of one day, in minutes since local midnight (``end`` may be 1440)."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end <= MINUTES_PER_DAY:
            raise ValueError(f"bad window {self.start}-{self.end}")

    @property
    def minutes(self) -> int:
        return self.end - self.start

    def __str__(self) -> str:
        return f"{_hhmm(self.start)}-{_hhmm(self.end)}"


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


_SPAN = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


def parse_windows(text: str, *, what: str, wrap: bool = False) -> tuple[Window, ...]:
    """``"09:00-12:30, 13:30-17:00"`` -> windows; ``""`` or ``"off"`` -> none.

    With ``wrap`` a span like ``22:00-07:00`` crosses midnight and becomes two windows.
    """
    text = text.strip()
    if text.lower() in {"", "off", "none", "-"}:
        return ()
    out: list[Window] = []
    for part in text.split(","):
        match = _SPAN.match(part)
        if not match:
            raise SoleusError(f"{what}: expected HH:MM-HH:MM, got {part.strip()!r}")
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if h1 > 24 or h2 > 24 or m1 > 59 or m2 > 59 or (h1 == 24 and m1) or (h2 == 24 and m2):
            raise SoleusError(f"{what}: {part.strip()!r} is not a time of day")
        a, b = h1 * 60 + m1, h2 * 60 + m2
        if a == b:
            raise SoleusError(f"{what}: {part.strip()!r} is empty")
        if a == MINUTES_PER_DAY:
            raise SoleusError(f"{what}: {part.strip()!r} starts at 24:00 (write 00:00)")
        if a > b:
            if not wrap:
                raise SoleusError(f"{what}: {part.strip()!r} must not cross midnight")
            out.append(Window(a, MINUTES_PER_DAY))
            if b:
                out.append(Window(0, b))
        else:
            out.append(Window(a, b))
    return merge(out)


def merge(windows: list[Window] | tuple[Window, ...]) -> tuple[Window, ...]:
    """Sorted, with overlapping or touching windows joined."""
    out: list[Window] = []
    for w in sorted(windows):
        if out and w.start <= out[-1].end:
            if w.end > out[-1].end:
                out[-1] = Window(out[-1].start, w.end)
        else:
            out.append(w)
    return tuple(out)


def subtract(windows: tuple[Window, ...], holes: tuple[Window, ...]) -> tuple[Window, ...]:
    out: list[Window] = []
    for w in windows:
        pieces = [(w.start, w.end)]
        for h in holes:
            pieces = [
                piece
                for a, b in pieces
                for piece in ((a, min(b, h.start)), (max(a, h.end), b))
                if piece[0] < piece[1]
            ]
        out.extend(Window(a, b) for a, b in pieces)
    return merge(out)


def parse_days(spec: str | list[str]) -> set[int]:
    """Weekday numbers (0 = Monday) of ``"mon-fri"``, ``"mon,wed"`` or ``["sat", "sun"]``."""
    parts = spec if isinstance(spec, list) else spec.replace(" ", "").split(",")
    out: set[int] = set()
    for part in parts:
        part = part.strip().lower()
        if not part:
            continue
        ends = part.split("-")
        try:
            idx = [DAY_NAMES.index(e[:3]) for e in ends]
        except ValueError:
            raise SoleusError(f"remind.workdays: cannot read {part!r} (use mon..sun)") from None
        if len(idx) == 1:
            out.add(idx[0])
        elif len(idx) == 2:
            a, b = idx
            out.update(range(a, b + 1) if a <= b else [*range(a, 7), *range(0, b + 1)])
        else:
            raise SoleusError(f"remind.workdays: cannot read {part!r}")
    return out


def parse_week(
    workdays: str | list[str], hours: str, days: Mapping[str, str]
) -> tuple[tuple[Window, ...], ...]:
    """The working windows of each weekday: ``hours`` on the workdays, unless a day
    has its own (``{"fri": "09:00-13:00"}``; ``""`` is a day off)."""
    chosen = parse_days(workdays)
    base = parse_windows(hours, what="remind.hours")
    week = [base if i in chosen else () for i in range(7)]
    for name, text in days.items():
        key = name.strip().lower()[:3]
        if key not in DAY_NAMES:
            raise SoleusError(f"remind.days: unknown day {name!r} (use mon..sun)")
        week[DAY_NAMES.index(key)] = parse_windows(text, what=f"remind.days.{name}")
    return tuple(week)


def _default_week() -> tuple[tuple[Window, ...], ...]:
    work = (Window(9 * 60, 17 * 60),)
    return (work,) * 5 + ((), ())


@dataclass(frozen=True)
class RemindPolicy:
    """Everything that decides when a nudge comes. Durations in seconds."""

    week: tuple[tuple[Window, ...], ...] = field(default_factory=_default_week)
    quiet: tuple[Window, ...] = ()
    interval_s: float = 30 * 60.0
    break_s: float = 5 * 60.0
    target: int = 3
    snooze_s: float = 5 * 60.0
    snooze_limit: int = 2
    answer_timeout_s: float = 10 * 60.0
    strict: bool = False
    can_stand: bool = False
    stop_at_target: bool = False

    def __post_init__(self) -> None:
        if len(self.week) != 7:
            raise ValueError("week needs seven days (Monday first)")
        available = tuple(subtract(merge(day), self.quiet) for day in self.week)
        object.__setattr__(self, "_available", available)

    def available(self, weekday: int) -> tuple[Window, ...]:
        """Working windows of a weekday (0 = Monday) with the quiet times cut out."""
        result: tuple[Window, ...] = self._available[weekday]  # type: ignore[attr-defined]
        return result

    def available_minutes(self, weekday: int) -> int:
        return sum(w.minutes for w in self.available(weekday))

    def day_windows(self, day: date, tz: tzinfo) -> list[Interval]:
        """The available windows of a local day as absolute POSIX-second intervals."""
        return _absolute(day, tz, self.available(day.weekday()))

    def working_windows(self, day: date, tz: tzinfo) -> list[Interval]:
        """The working hours of a local day, quiet times included (a quiet meeting is
        still time at work), as absolute POSIX-second intervals."""
        return _absolute(day, tz, merge(self.week[day.weekday()]))

    def check(self) -> None:
        """Raise a one-line :class:`SoleusError` naming the first contradiction."""
        if self.interval_s < 60:
            raise SoleusError("remind: interval_min must be at least 1 minute")
        if self.break_s < 30:
            raise SoleusError("remind: break_min must be at least 0.5 minutes")
        if self.break_s >= self.interval_s:
            raise SoleusError(
                "remind: break_min must be shorter than interval_min "
                f"({self.break_s / 60:g} >= {self.interval_s / 60:g})"
            )
        if not 0 <= self.target <= 48:
            raise SoleusError(f"remind: target must be between 0 and 48, not {self.target}")
        if not 0 <= self.snooze_limit <= 10:
            raise SoleusError("remind: snooze_limit must be between 0 and 10")
        if self.snooze_limit and not 60 <= self.snooze_s < self.interval_s:
            raise SoleusError("remind: snooze_min must be at least 1 and below interval_min")
        if self.answer_timeout_s < 60:
            raise SoleusError("remind: answer_timeout_min must be at least 1 minute")
        work = [sum(w.minutes for w in merge(day)) for day in self.week]
        if not any(work):
            raise SoleusError("remind: no working hours on any day")
        free = [self.available_minutes(d) for d in range(7)]
        if not any(free):
            raise SoleusError("remind: quiet times cover all working hours")
        longest = max(free)
        if self.interval_s / 60 > longest:
            raise SoleusError(
                f"remind: interval_min ({self.interval_s / 60:g}) is longer than the longest "
                f"working day ({longest} min after quiet times)"
            )
        if self.target * self.interval_s / 60 > longest:
            raise SoleusError(
                f"remind: target of {self.target} snacks at least {self.interval_s / 60:g} min "
                f"apart does not fit in {longest} min of working time"
            )


def _absolute(day: date, tz: tzinfo, windows: tuple[Window, ...]) -> list[Interval]:
    midnight = datetime.combine(day, time(0), tzinfo=tz)
    out: list[Interval] = []
    for w in windows:
        a = _local(midnight, w.start, tz)
        b = _local(midnight, w.end, tz)
        if a < b:
            out.append((a, b))
    return out


def _local(midnight: datetime, minutes: int, tz: tzinfo) -> float:
    """POSIX seconds of a wall-clock time on ``midnight``'s day (DST-aware)."""
    if minutes >= MINUTES_PER_DAY:
        nxt = (midnight + timedelta(days=1)).date()
        return datetime.combine(nxt, time(0), tzinfo=tz).timestamp()
    return midnight.replace(hour=minutes // 60, minute=minutes % 60).timestamp()


# -- working-time arithmetic on absolute intervals -----------------------------------


def in_windows(windows: list[Interval], t: float) -> bool:
    return any(a <= t < b for a, b in windows)


def next_available(windows: list[Interval], t: float) -> float | None:
    """The first moment >= t inside a window, or None if the windows are over."""
    for a, b in windows:
        if t < b:
            return max(t, a)
    return None


def available_between(windows: list[Interval], t0: float, t1: float) -> float:
    return sum(max(0.0, min(b, t1) - max(a, t0)) for a, b in windows)


def advance_available(windows: list[Interval], t: float, seconds: float) -> float | None:
    """The moment after ``seconds`` of available time counted from ``t``."""
    left = seconds
    for a, b in windows:
        if b <= t:
            continue
        start = max(a, t)
        if start + left < b or (start + left == b and left == 0):
            return start + left
        left -= b - start
    return None


def within_windows(spans: Iterable[Interval], windows: list[Interval]) -> tuple[int, float]:
    """(how many spans reach into the windows, their seconds inside them).

    Sitting and natural breaks count only in working hours: an open tab in the evening
    is not time at the desk.
    """
    n, seconds = 0, 0.0
    for start, end in spans:
        inside = available_between(windows, start, end)
        if inside > 0:
            n += 1
            seconds += inside
    return n, seconds


def snack_slots(windows: list[Interval], target: int) -> list[float]:
    """``target`` snack times spread evenly, half a gap from each end of the day."""
    total = available_between(windows, float("-inf"), float("inf"))
    if target <= 0 or total <= 0:
        return []
    step = total / target
    start = windows[0][0]
    out = [advance_available(windows, start, step * (i + 0.5)) for i in range(target)]
    return [t for t in out if t is not None]


def when_label(at: datetime, now: datetime) -> str:
    """A time as the person reads it, relative to ``now`` (both aware, shown in ``now``'s
    zone): ``10:20`` today, ``tomorrow 10:20``, ``yesterday 22:10``, ``Thursday 10:20``
    within the week ahead, else ``Mon 12 Jan 10:20``."""
    local = at.astimezone(now.tzinfo)
    days = (local.date() - now.date()).days
    clock = local.strftime("%H:%M")
    if days == 0:
        return clock
    if days == 1:
        return f"tomorrow {clock}"
    if days == -1:
        return f"yesterday {clock}"
    if 1 < days < 7:
        return f"{local.strftime('%A')} {clock}"
    return f"{local.strftime('%a')} {local.day} {local.strftime('%b')} {clock}"
