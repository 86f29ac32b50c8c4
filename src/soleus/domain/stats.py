"""Progress figures from daily totals: streaks, weekly volume, left/right balance, pain."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple


def mean(values: Iterable[float]) -> float:
    """The arithmetic mean (``statistics`` would cost its imports on every start-up)."""
    items = list(values)
    total = sum(items)
    if isinstance(total, int) and total % len(items) == 0:
        return total // len(items)  # as statistics.mean: whole numbers stay whole (1, not 1.0)
    return total / len(items)


class DayTotal(NamedTuple):  # NamedTuples: start-up builds one in a quarter of a dataclass's time
    """One row per day, exercise and side (skipped sets excluded)."""

    day: date
    exercise_id: str
    side: str
    sets: int
    reps: int
    seconds: float


class Volume(NamedTuple):
    sets: int = 0
    reps: int = 0
    seconds: float = 0.0
    days: int = 0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "sets": self.sets,
            "reps": self.reps,
            "seconds": round(self.seconds, 1),
            "days": self.days,
        }


class Balance(NamedTuple):
    """Left vs right over a window; ``asymmetry_pct`` is (L - R) / max(L, R) × 100."""

    exercise_id: str
    left: float
    right: float
    unit: str  # reps | seconds

    @property
    def asymmetry_pct(self) -> float:
        top = max(self.left, self.right)
        return 0.0 if top == 0 else round((self.left - self.right) / top * 100, 1)

    @property
    def words(self) -> str:
        """The difference said plainly: "right 50% less than left", "left only"."""
        if not self.left or not self.right:
            return "left only" if self.left else "right only" if self.right else "none"
        pct = self.asymmetry_pct
        if abs(pct) < 0.5:
            return "even"
        low, high = ("right", "left") if pct > 0 else ("left", "right")
        return f"{low} {abs(pct):.0f}% less than {high}"


@dataclass(frozen=True)
class Stats:
    today: date
    current_streak: int
    longest_streak: int
    active_days: int
    this_week: Volume
    last_week: Volume
    per_exercise: dict[str, Volume]
    balance: list[Balance]
    pain_recent: float | None
    pain_before: float | None
    daily_reps: list[tuple[date, int]] = field(default_factory=list)
    pain_series: list[tuple[date, int]] = field(default_factory=list)

    @property
    def pain_trend(self) -> str:
        """better | worse | steady | "not enough data", by :data:`PAIN_TREND_RULE`."""
        return pain_trend(self.pain_series, self.today)

    @property
    def pain_shown(self) -> float | None:
        """The recent average as a figure, or None while the trend has too little data
        to say anything (a lone "1" beside "not enough data" reads as a finding)."""
        return None if self.pain_trend == NOT_ENOUGH else self.pain_recent


PAIN_TREND_MIN_DAYS = 3
NOT_ENOUGH = "not enough data"
PAIN_TREND_RULE = (
    "worst pain of each day: the last 14 days against the 14 before; without those,"
    f" the line through the last 14 days once pain was reported on {PAIN_TREND_MIN_DAYS}"
    " days or more; a change under half a point is steady"
)


def pain_trend(series: Sequence[tuple[date, int]], today: date) -> str:
    """See :data:`PAIN_TREND_RULE`; ``series`` is the worst pain of each day."""
    recent_from = today - timedelta(days=13)
    before_from = recent_from - timedelta(days=14)
    recent = [(d, s) for d, s in series if recent_from <= d <= today]
    before = [s for d, s in series if before_from <= d < recent_from]
    if recent and before:
        delta = mean(s for _, s in recent) - mean(before)
    elif len({d for d, _ in recent}) >= PAIN_TREND_MIN_DAYS:
        xs = [float(d.toordinal()) for d, _ in recent]
        ys = [float(s) for _, s in recent]
        mx, my = mean(xs), mean(ys)
        slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
            (x - mx) ** 2 for x in xs
        )
        delta = slope * (max(xs) - min(xs))  # the change along the fitted line
    else:
        return NOT_ENOUGH
    if abs(delta) < 0.5:
        return "steady"
    return "better" if delta < 0 else "worse"


def streaks(days: Iterable[date], today: date) -> tuple[int, int]:
    """(current, longest). The current streak still counts if today is not done yet."""
    done = {day.toordinal() for day in days}  # whole numbers: ten years in a millisecond
    longest = run = 0
    previous = None
    for day in sorted(done):
        run = run + 1 if day - 1 == previous else 1
        longest = max(longest, run)
        previous = day
    start = today.toordinal()
    if start not in done:
        start -= 1
    current = 0
    while start - current in done:
        current += 1
    return current, longest


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def volume(rows: Iterable[DayTotal]) -> Volume:
    rows = list(rows)
    return Volume(
        sets=sum(r.sets for r in rows),
        reps=sum(r.reps for r in rows),
        seconds=sum(r.seconds for r in rows),
        days=len({r.day for r in rows}),
    )


def all_time(
    rows: Iterable[tuple[date, str, int, int, float]],
) -> tuple[set[date], dict[str, Volume]]:
    """The active days and per-exercise volume from (day, exercise, sets, reps, seconds)
    rows, one per day and exercise: each row is one of that exercise's days."""
    days: set[date] = set()
    sums: dict[str, list[float]] = {}
    for day, exercise, n_sets, reps, seconds in rows:
        days.add(day)
        total = sums.setdefault(exercise, [0, 0, 0.0, 0])
        total[0] += n_sets
        total[1] += reps
        total[2] += seconds
        total[3] += 1
    return days, {
        ex: Volume(int(t[0]), int(t[1]), float(t[2]), int(t[3])) for ex, t in sums.items()
    }


def _amount(row: DayTotal, reps: bool) -> float:
    return float(row.reps) if reps else row.seconds


RECENT_DAYS = 35  # covers this week, last week and the 28-day windows


def compute(
    rows: Sequence[DayTotal],
    pain: Sequence[tuple[date, int]],
    *,
    today: date,
) -> Stats:
    """All figures from per-day rows (convenient when the rows are at hand)."""
    by_exercise: dict[str, list[DayTotal]] = defaultdict(list)
    for r in rows:
        by_exercise[r.exercise_id].append(r)
    recent_from = today - timedelta(days=RECENT_DAYS)
    return summarize(
        days={r.day for r in rows},
        totals={ex: volume(rs) for ex, rs in by_exercise.items()},
        recent=[r for r in rows if r.day >= recent_from],
        pain=pain,
        today=today,
    )


def summarize(
    *,
    days: Iterable[date],
    totals: Mapping[str, Volume],
    recent: Sequence[DayTotal],
    pain: Sequence[tuple[date, int]],
    today: date,
    window_days: int = 28,
    chart_days: int = 28,
) -> Stats:
    """All figures for ``soleus stats`` and the History page.

    ``days``: every day with a completed set; ``totals``: all-time volume per exercise;
    ``recent``: per-day rows of at least the last :data:`RECENT_DAYS` days.
    """
    active = set(days)
    current, longest = streaks(active, today)
    this_monday = week_start(today)
    last_monday = this_monday - timedelta(days=7)
    this_week = volume(r for r in recent if this_monday <= r.day <= today)
    last_week = volume(r for r in recent if last_monday <= r.day < this_monday)

    since = today - timedelta(days=window_days - 1)
    window: dict[str, list[DayTotal]] = defaultdict(list)
    for r in recent:
        if r.day >= since and r.side in ("left", "right"):
            window[r.exercise_id].append(r)
    balance = []
    for ex, rs in window.items():
        use_reps = any(r.reps for r in rs)
        left = sum(_amount(r, use_reps) for r in rs if r.side == "left")
        right = sum(_amount(r, use_reps) for r in rs if r.side == "right")
        balance.append(Balance(ex, left, right, "reps" if use_reps else "seconds"))

    per_day: dict[date, int] = defaultdict(int)
    for r in recent:
        per_day[r.day] += r.reps
    chart_from = today - timedelta(days=chart_days - 1)
    daily = [
        (chart_from + timedelta(days=i), per_day.get(chart_from + timedelta(days=i), 0))
        for i in range(chart_days)
    ]

    worst: dict[date, int] = {}
    for day, score in pain:
        worst[day] = max(score, worst.get(day, 0))
    recent_from = today - timedelta(days=13)
    before_from = recent_from - timedelta(days=14)
    pain_recent = [s for d, s in worst.items() if recent_from <= d <= today]
    pain_before = [s for d, s in worst.items() if before_from <= d < recent_from]
    return Stats(
        today=today,
        current_streak=current,
        longest_streak=longest,
        active_days=len(active),
        this_week=this_week,
        last_week=last_week,
        per_exercise=dict(totals),
        balance=balance,
        pain_recent=round(mean(pain_recent), 2) if pain_recent else None,
        pain_before=round(mean(pain_before), 2) if pain_before else None,
        daily_reps=daily,
        pain_series=sorted(worst.items()),
    )
