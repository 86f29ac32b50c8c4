"""Adherence (issue 15): what a patient did against their prescribed plan over a window
of days. Pure: the caller gives the facts (already summed over the window, pain per
day) and today's date.

- sessions done (finished or unfinished, not abandoned; quick logs count) against the
  sessions prescribed (each prescribed day of the window times its ``per_day``);
- reps per side done against planned (the step of each prescribed day, times per day);
- sets verified (a phone recording or live counting) against self-reported;
- pain: the worst score of the window and its trend (the mean of the daily worst in the
  window's second half minus the first half's); effort: the mean of the sessions';
- the last red-flag "yes" (a failed screen) and the days since the last activity.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from soleus.domain.prescription import PrescribedExercise, Prescription, routine_on

SIDES = ("left", "right")
# The columns of the caseload table, each sortable; the CSV's header in this order.
COLUMNS = (
    "patient",
    "sessions_done",
    "sessions_planned",
    "adherence",
    "reps_left",
    "reps_right",
    "reps_planned_per_side",
    "sets_verified",
    "sets_self_reported",
    "pain_worst",
    "pain_trend",
    "effort_mean",
    "red_flag_on",
    "inactive_days",
)


@dataclass(frozen=True)
class Facts:
    """One patient's facts over the window (summed by the store over the window's days)."""

    person_id: str
    name: str
    sessions_done: int = 0  # not abandoned
    reps_left: int = 0  # a set done with both legs counts for each
    reps_right: int = 0
    sets_verified: int = 0
    sets_self_reported: int = 0
    pain_by_day: Mapping[date, int] = field(default_factory=dict)  # worst score per day
    effort_total: int = 0  # the sum of the efforts given, and how many were given
    effort_count: int = 0
    last_red_flag: date | None = None
    last_active: date | None = None


@dataclass(frozen=True)
class Row:
    person_id: str
    patient: str
    sessions_done: int
    sessions_planned: int
    reps_left: int
    reps_right: int
    reps_planned_per_side: int
    sets_verified: int
    sets_self_reported: int
    pain_worst: int | None
    pain_trend: float | None
    effort_mean: float | None
    red_flag_on: date | None
    inactive_days: int | None  # None: never active

    @property
    def adherence(self) -> float | None:
        """Sessions done over prescribed (None without a prescribed session)."""
        if not self.sessions_planned:
            return None
        return self.sessions_done / self.sessions_planned

    def is_inactive(self, days: int) -> bool:
        return self.inactive_days is None or self.inactive_days >= days

    def value(self, column: str) -> object:
        return self.adherence if column == "adherence" else getattr(self, column)


def planned(rx: Prescription | None, first: date, last: date) -> tuple[int, int]:
    """Sessions and reps per side prescribed from ``first`` to ``last`` (inclusive), by
    date (an earned plan is counted at the step its dates give: a floor)."""
    if rx is None:
        return 0, 0
    return _planned(rx.exercises, rx.days, rx.per_day, rx.start, rx.end, first, last)


@lru_cache(maxsize=1024)  # patients of a caseload mostly share a handful of plans
def _planned(
    exercises: tuple[PrescribedExercise, ...],
    days: frozenset[int],
    per_day: int,
    start: date,
    end: date | None,
    first: date,
    last: date,
) -> tuple[int, int]:
    rx = Prescription("", exercises, days, per_day, start, end)
    sessions = reps = 0
    day = first
    while day <= last:
        routine = routine_on(rx, day)
        if routine is not None:
            sessions += rx.per_day
            for block in routine.blocks:
                dose = block.dosage
                if dose is not None and dose.kind == "reps" and dose.reps is not None:
                    reps += rx.per_day * dose.sets * dose.reps
        day += timedelta(days=1)
    return sessions, reps


def row(facts: Facts, rx: Prescription | None, *, today: date, days: int = 7) -> Row:
    """The patient's row for the ``days`` up to and including ``today``."""
    first = today - timedelta(days=days - 1)
    sessions_planned, reps_planned = planned(rx, first, today)
    pains = {d: s for d, s in facts.pain_by_day.items() if first <= d <= today}
    return Row(
        person_id=facts.person_id,
        patient=facts.name,
        sessions_done=facts.sessions_done,
        sessions_planned=sessions_planned,
        reps_left=facts.reps_left,
        reps_right=facts.reps_right,
        reps_planned_per_side=reps_planned,
        sets_verified=facts.sets_verified,
        sets_self_reported=facts.sets_self_reported,
        pain_worst=max(pains.values()) if pains else None,
        pain_trend=trend(pains, first, today),
        effort_mean=(
            round(facts.effort_total / facts.effort_count, 1) if facts.effort_count else None
        ),
        red_flag_on=facts.last_red_flag,
        inactive_days=None if facts.last_active is None else (today - facts.last_active).days,
    )


def trend(pain_by_day: Mapping[date, int], first: date, last: date) -> float | None:
    """The mean daily worst pain of the window's second half minus its first half's
    (positive: getting worse); None unless both halves have a report."""
    middle = first + (last - first) / 2
    early = [s for d, s in pain_by_day.items() if first <= d <= middle]
    late = [s for d, s in pain_by_day.items() if middle < d <= last]
    if not early or not late:
        return None
    return round(sum(late) / len(late) - sum(early) / len(early), 1)


def sort(rows: Iterable[Row], column: str, *, descending: bool = False) -> list[Row]:
    """Rows sorted by ``column`` (one of :data:`COLUMNS`); empty values always last,
    ties by patient."""
    if column not in COLUMNS:
        raise ValueError(f"sort by one of {', '.join(COLUMNS)}, not {column!r}")
    items = sorted(rows, key=lambda r: r.patient)
    present = [r for r in items if r.value(column) is not None]
    missing = [r for r in items if r.value(column) is None]
    present.sort(key=lambda r: r.value(column), reverse=descending)  # type: ignore[arg-type,return-value]
    return present + missing
