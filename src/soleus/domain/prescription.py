"""A clinician's prescribed plan and its progression (issue 15). Pure: no I/O, no clock.

A prescription is, per exercise, a list of progression steps (``weeks 1-2: 2 x 10;
weeks 3-4: 3 x 10; then the 5-minute bout``), the days of the week and how many times a
day, a start and an optional end date, and notes. Each step is a whole
:class:`~soleus.domain.catalog.Dosage` (per side, tempo, sets, rest).

Progression advances by date (``advance="date"``: the step whose weeks contain the day)
or when earned (``advance="earned"``: the next step once the patient has done every
planned rep on :data:`EARN_DAYS` prescribed days in a row at the current step, on
normal days by :func:`soleus.domain.day.decide_day`; a day with pain resets the count).
Either way the day's pain rule still applies to the day's plan: :func:`routine_on` gives
a routine that ``decide_day(routine=...)`` makes lighter, or none on rest and stop days.
Not medical advice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from soleus.domain.catalog import Dosage
from soleus.domain.routine import Block, Routine
from soleus.errors import SoleusError

Advance = Literal["date", "earned"]
ADVANCES: tuple[Advance, ...] = ("date", "earned")
# Consecutive prescribed days done in full, pain-free, that earn the next step.
EARN_DAYS = 3
MAX_PER_DAY = 12
MAX_WEEKS = 104
MAX_NOTES = 2000
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class PrescriptionProblem(SoleusError):
    """One field of a prescription that cannot be used; ``field`` names the form field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


@dataclass(frozen=True)
class Step:
    """One progression step: ``first_week`` to ``last_week`` (1-based, inclusive; None
    for the open-ended last step, "then ...") at ``dosage``."""

    first_week: int
    last_week: int | None
    dosage: Dosage

    def weeks_words(self) -> str:
        if self.last_week is None:
            return f"from week {self.first_week}"
        if self.last_week == self.first_week:
            return f"week {self.first_week}"
        return f"weeks {self.first_week}\u2013{self.last_week}"


@dataclass(frozen=True)
class PrescribedExercise:
    exercise_id: str
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class Prescription:
    """A plan for one patient. ``days`` are weekday numbers (0 = Monday)."""

    patient_id: str
    exercises: tuple[PrescribedExercise, ...]
    days: frozenset[int]
    per_day: int
    start: date
    end: date | None = None
    notes: str = ""
    advance: Advance = "date"

    def __post_init__(self) -> None:
        check(self)

    def is_due(self, day: date) -> bool:
        """Is ``day`` a prescribed day (within the dates, on one of the weekdays)?"""
        if day < self.start or (self.end is not None and day > self.end):
            return False
        return day.weekday() in self.days

    def week_of(self, day: date) -> int:
        """The plan's week (1-based) that ``day`` falls in; 0 before the start."""
        if day < self.start:
            return 0
        return (day - self.start).days // 7 + 1


def check(rx: Prescription) -> None:
    """Raise :class:`PrescriptionProblem` for the first field that is wrong."""
    if not rx.exercises:
        raise PrescriptionProblem("exercises", "add at least one exercise")
    seen: set[str] = set()
    for n, item in enumerate(rx.exercises):
        if item.exercise_id in seen:
            raise PrescriptionProblem(f"exercise-{n}", f"{item.exercise_id} is in the plan twice")
        seen.add(item.exercise_id)
        _check_steps(n, item.steps)
    if not rx.days or not rx.days <= set(range(7)):
        raise PrescriptionProblem("days", "choose at least one day of the week")
    if not 1 <= rx.per_day <= MAX_PER_DAY:
        raise PrescriptionProblem("per_day", f"times a day must be 1 to {MAX_PER_DAY}")
    if rx.end is not None and rx.end < rx.start:
        raise PrescriptionProblem("end", "the end date is before the start date")
    if len(rx.notes) > MAX_NOTES:
        raise PrescriptionProblem("notes", f"notes are at most {MAX_NOTES} characters")
    if rx.advance not in ADVANCES:
        raise PrescriptionProblem("advance", "progression is by date or when earned")


def _check_steps(n: int, steps: tuple[Step, ...]) -> None:
    if not steps:
        raise PrescriptionProblem(f"exercise-{n}", "give at least one step")
    expected = 1
    for k, step in enumerate(steps):
        field = f"exercise-{n}-step-{k}"
        if step.first_week < expected:
            raise PrescriptionProblem(field, f"weeks overlap the step before (starts {expected})")
        if step.first_week > expected:
            raise PrescriptionProblem(field, f"weeks leave a gap (week {expected} has no step)")
        last = step.last_week
        if last is None and k != len(steps) - 1:
            raise PrescriptionProblem(field, "only the last step may be open-ended")
        if last is not None and not step.first_week <= last <= MAX_WEEKS:
            raise PrescriptionProblem(field, f"weeks must run forward, up to week {MAX_WEEKS}")
        expected = (last or MAX_WEEKS) + 1


def step_by_date(steps: tuple[Step, ...], week: int) -> int:
    """The index of the step whose weeks contain ``week`` (the last one after them all)."""
    for k, step in enumerate(steps):
        if step.last_week is None or week <= step.last_week:
            return k
    return len(steps) - 1


@dataclass(frozen=True)
class DayDone:
    """What one past prescribed day says for an earned progression: were the planned
    reps and seconds all done (``met``), and was the day normal by the pain rule."""

    day: date
    met: bool
    normal: bool


def step_earned(rx: Prescription, steps: tuple[Step, ...], days: Iterable[DayDone]) -> int:
    """The step reached by earning: one step on per :data:`EARN_DAYS` met, normal days
    in a row (any other prescribed day, or a day with pain, starts the count again)."""
    index, run = 0, 0
    for done in sorted(days, key=lambda d: d.day):
        if not rx.is_due(done.day):
            continue
        if done.met and done.normal:
            run += 1
            if run >= EARN_DAYS and index < len(steps) - 1:
                index, run = index + 1, 0
        else:
            run = 0
    return index


def step_on(
    rx: Prescription, item: PrescribedExercise, day: date, history: Iterable[DayDone]
) -> Step:
    """The step of ``item`` on ``day`` (history: the days before it)."""
    if rx.advance == "earned":
        before = [d for d in history if d.day < day]
        return item.steps[step_earned(rx, item.steps, before)]
    return item.steps[step_by_date(item.steps, rx.week_of(day))]


def routine_on(
    rx: Prescription, day: date, history: Iterable[DayDone] = (), *, name: str = "Prescribed plan"
) -> Routine | None:
    """The day's prescribed routine (each exercise at its step), or None on a day off.
    Give it to ``decide_day(routine=...)`` so pain makes it lighter or a rest day."""
    if not rx.is_due(day):
        return None
    past = list(history)
    blocks = tuple(
        Block(item.exercise_id, step_on(rx, item, day, past).dosage) for item in rx.exercises
    )
    return Routine(id="prescribed", name=name, blocks=blocks, summary=rx.notes[:200])


def days_words(days: frozenset[int]) -> str:
    if days == frozenset(range(7)):
        return "every day"
    if days == frozenset(range(5)):
        return "Monday to Friday"
    return ", ".join(WEEKDAYS[d].capitalize() for d in sorted(days))


def next_start(day: date, rx: Prescription) -> date | None:
    """The next prescribed day from ``day`` on (inclusive), or None after the end."""
    probe = max(day, rx.start)
    for _ in range(7):
        if rx.end is not None and probe > rx.end:
            return None
        if probe.weekday() in rx.days:
            return probe
        probe += timedelta(days=1)
    return None
