"""A clinician's prescribed plan and its progression (issue 15). Pure: no I/O, no clock.

A prescription is, per exercise, a list of progression steps (``weeks 1-2: 2 x 10;
weeks 3-4: 3 x 10; then the 5-minute bout``), the days of the week and how many times a
day, a start and an optional end date, and notes. Each step is a whole
:class:`~soleus.domain.catalog.Dosage` (per side, tempo, sets, rest).

Each step after the first is reached by date (``from week N``: once the plan's week
reaches N) or when earned (``earned``: once the patient has done every planned rep on
:data:`EARN_DAYS` prescribed days in a row at the step before, on normal days by
:func:`soleus.domain.day.decide_day`; a day with pain resets the count). Steps are
reached in order: a step by date after an earned one waits for that one.
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
# Consecutive prescribed days done in full, pain-free, that earn the next step.
EARN_DAYS = 3
MAX_PER_DAY = 12
MAX_WEEKS = 104
MAX_NOTES = 2000
MAX_NOTE = 300  # one exercise's note, as the routine builder allows
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class PrescriptionProblem(SoleusError):
    """One field of a prescription that cannot be used; ``field`` names the form field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.detail = message


@dataclass(frozen=True)
class Step:
    """One progression step: ``first_week`` to ``last_week`` (1-based, inclusive; None
    for the open-ended last step, "then ...") at ``dosage``; or, ``earned``, reached
    when the step before is earned (its weeks then say nothing)."""

    first_week: int
    last_week: int | None
    dosage: Dosage
    earned: bool = False

    def weeks_words(self) -> str:
        if self.earned:
            return "when earned"
        if self.last_week is None:
            return f"from week {self.first_week}"
        if self.last_week == self.first_week:
            return f"week {self.first_week}"
        return f"weeks {self.first_week}\u2013{self.last_week}"


@dataclass(frozen=True)
class PrescribedExercise:
    exercise_id: str
    steps: tuple[Step, ...]
    note: str = ""  # the clinician's words for this exercise, shown in the player


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

    def __post_init__(self) -> None:
        check(self)

    @property
    def advance(self) -> Advance:
        """``earned`` when any step is reached by earning (the history matters)."""
        earned = any(step.earned for item in self.exercises for step in item.steps)
        return "earned" if earned else "date"

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
    found = problems(rx)
    if found:
        raise found[0]


def problems(rx: Prescription) -> list[PrescriptionProblem]:
    """Every field that is wrong (one problem per field), in the form's order."""
    return problems_in(rx.exercises, rx.days, rx.per_day, rx.start, rx.end, rx.notes)


def problems_in(
    exercises: tuple[PrescribedExercise, ...],
    days: frozenset[int],
    per_day: int,
    start: date,
    end: date | None,
    notes: str,
) -> list[PrescriptionProblem]:
    """:func:`problems` of the plan these fields would make, before making it (a form
    shows every problem at once)."""
    out: list[PrescriptionProblem] = []
    if not exercises:
        out.append(PrescriptionProblem("exercises", "add at least one exercise"))
    seen: set[str] = set()
    for n, item in enumerate(exercises):
        if item.exercise_id in seen:
            out.append(
                PrescriptionProblem(f"exercise-{n}", f"{item.exercise_id} is in the plan twice")
            )
        seen.add(item.exercise_id)
        if len(item.note) > MAX_NOTE:
            out.append(PrescriptionProblem(f"exercise-{n}-note", f"at most {MAX_NOTE} characters"))
        out += _step_problems(n, item.steps)
    if not days or not days <= set(range(7)):
        out.append(PrescriptionProblem("days", "choose at least one day of the week"))
    if not 1 <= per_day <= MAX_PER_DAY:
        out.append(PrescriptionProblem("per_day", f"times a day must be 1 to {MAX_PER_DAY}"))
    if end is not None and end < start:
        out.append(PrescriptionProblem("end", "the end date is before the start date"))
    if len(notes) > MAX_NOTES:
        out.append(PrescriptionProblem("notes", f"notes are at most {MAX_NOTES} characters"))
    return out


def _step_problems(n: int, steps: tuple[Step, ...]) -> list[PrescriptionProblem]:
    if not steps:
        return [PrescriptionProblem(f"exercise-{n}", "give at least one step")]
    out: list[PrescriptionProblem] = []
    if steps[0].earned or steps[0].first_week != 1:
        out.append(PrescriptionProblem(f"exercise-{n}-step-0", "the first step starts in week 1"))
    latest = 1  # the first week of the last step by date
    for k, step in enumerate(steps):
        field = f"exercise-{n}-step-{k}"
        before = steps[k - 1] if k else None
        if k and not step.earned:
            problem = _weeks_problem(step, before, latest)
            if problem:
                out.append(PrescriptionProblem(field, problem))
            latest = max(latest, step.first_week)
        nxt = steps[k + 1] if k + 1 < len(steps) else None
        last = step.last_week
        if last is None and nxt is not None and not nxt.earned:
            out.append(PrescriptionProblem(field, "only the last step may be open-ended"))
        elif last is not None and not step.earned and not step.first_week <= last <= MAX_WEEKS:
            message = f"weeks must run forward, up to week {MAX_WEEKS}"
            out.append(PrescriptionProblem(field, message))
    return out


def _weeks_problem(step: Step, before: Step | None, latest: int) -> str | None:
    """What is wrong with the weeks of a step by date after ``before`` (None: nothing)."""
    if not 1 <= step.first_week <= MAX_WEEKS:
        return f"the week must be 1 to {MAX_WEEKS}"
    if step.first_week <= latest:
        return f"weeks overlap the step before (it starts in week {latest})"
    if before is not None and not before.earned and before.last_week is not None:
        expected = before.last_week + 1
        if step.first_week < expected:
            return f"weeks overlap the step before (starts {expected})"
        if step.first_week > expected:
            return f"weeks leave a gap (week {expected} has no step)"
    return None


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


def step_walk(rx: Prescription, steps: tuple[Step, ...], day: date, days: Iterable[DayDone]) -> int:
    """The step reached on ``day`` walking the days before it in order: a step by date
    once its week comes, an earned one after :data:`EARN_DAYS` met, normal prescribed
    days in a row at the step before (any other prescribed day, or a day with pain,
    starts the count again)."""
    index, run = 0, 0

    def by_date(when: date) -> None:
        nonlocal index, run
        while index + 1 < len(steps):
            nxt = steps[index + 1]
            if nxt.earned or rx.week_of(when) < nxt.first_week:
                return
            index, run = index + 1, 0

    for done in sorted(days, key=lambda d: d.day):
        if done.day >= day or not rx.is_due(done.day):
            continue
        by_date(done.day)
        if done.met and done.normal:
            run += 1
            if run >= EARN_DAYS and index + 1 < len(steps) and steps[index + 1].earned:
                index, run = index + 1, 0
        else:
            run = 0
    by_date(day)
    return index


def step_on(
    rx: Prescription, item: PrescribedExercise, day: date, history: Iterable[DayDone]
) -> Step:
    """The step of ``item`` on ``day`` (history: the days before it; only a plan with an
    earned step needs it)."""
    if any(step.earned for step in item.steps):
        return item.steps[step_walk(rx, item.steps, day, history)]
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
        Block(item.exercise_id, step_on(rx, item, day, past).dosage, item.note)
        for item in rx.exercises
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
