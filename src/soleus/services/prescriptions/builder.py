"""The prescribe page's form: the routine builder's exercises, each with progression
steps, and the plan's schedule, to a :class:`~soleus.domain.prescription.Prescription`.

Each step's dosage is a routine builder block (:class:`DraftBlock`), checked by the
routine builder's own rules (:func:`soleus.services.routines.builder.check`: the TOML
the CLI reads, every problem next to its field); the plan as a whole (steps in order,
days, dates, notes) by :func:`soleus.domain.prescription.problems_in`. The page and its
draft API only show what this says. Form fields: ``start``, ``end``, ``per_day``,
``notes``, ``day-mon`` … ``day-sun`` (``on``); ``order`` the exercises' keys in page
order; per exercise ``b<k>-exercise``, ``b<k>-note``, ``b<k>-steps`` (its steps' keys);
per step ``b<k>-s<j>-when`` (``week`` | ``earned``), ``b<k>-s<j>-week`` and the
builder block's fields as ``b<k>-s<j>-<field>``. A problem's key names the element it
belongs next to, by position (``b0-s1-sets``, ``b2-exercise``, ``days``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date

from soleus.domain.catalog import Catalog, Dosage
from soleus.domain.prescription import (
    MAX_PER_DAY,
    MAX_WEEKS,
    WEEKDAYS,
    PrescribedExercise,
    Prescription,
    Step,
    problems_in,
    routine_on,
)
from soleus.domain.routine import Plan, Routine
from soleus.domain.text import plural
from soleus.services.context import Context
from soleus.services.routines import builder
from soleus.services.routines.builder import BLOCK_FIELDS, DraftBlock

MAX_ITEMS = 20
MAX_STEPS = 12
WHEN = {"week": "From week", "earned": "When earned"}


@dataclass
class RxStep:
    dose: DraftBlock
    when: str = "week"  # the first step: from the start
    week: str = "1"


@dataclass
class RxItem:
    exercise: str
    steps: list[RxStep]
    note: str = ""


@dataclass
class RxDraft:
    items: list[RxItem] = field(default_factory=list)
    start: str = ""
    end: str = ""
    per_day: str = "1"
    days: list[str] = field(default_factory=lambda: list(WEEKDAYS[:5]))
    notes: str = ""


@dataclass(frozen=True)
class Problem:
    key: str  # the form element it belongs next to
    message: str
    label: str  # the field in words, for the summary above the form

    @property
    def text(self) -> str:
        return f"{self.label}: {self.message}"


@dataclass(frozen=True)
class RxChecked:
    """The prescription the draft makes, or every problem in it; ``steps`` is each
    exercise's steps in words and ``estimate`` the first prescribed day's length."""

    rx: Prescription | None
    problems: tuple[Problem, ...]
    steps: tuple[str, ...] = ()
    estimate: str = ""


def _keys(text: str, limit: int) -> list[str]:
    return [k.strip() for k in text.split(",") if _whole(k) is not None][:limit]


def _whole(text: str) -> int | None:
    """A whole number typed in ASCII digits, or None."""
    text = text.strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


def from_form(form: Mapping[str, str]) -> RxDraft:
    """The draft from the page's plain form (and, as a JSON object, the draft API)."""
    items = []
    for k in _keys(form.get("order", ""), MAX_ITEMS):
        exercise = form.get(f"b{k}-exercise")
        if exercise is None:
            continue
        steps = []
        for j in _keys(form.get(f"b{k}-steps", ""), MAX_STEPS):
            base = f"b{k}-s{j}"
            values = {f: form[f"{base}-{f}"] for f in BLOCK_FIELDS if f"{base}-{f}" in form}
            dose = DraftBlock(**{**values, "exercise": exercise, "note": ""})
            when = form.get(f"{base}-when", "week")
            steps.append(RxStep(dose, when, form.get(f"{base}-week", "").strip()))
        items.append(RxItem(exercise, steps, form.get(f"b{k}-note", "").strip()))
    return RxDraft(
        items,
        form.get("start", "").strip(),
        form.get("end", "").strip(),
        form.get("per_day", "").strip(),
        [d for d in WEEKDAYS if form.get(f"day-{d}") == "on"],
        form.get("notes", "").strip(),
    )


def from_prescription(rx: Prescription, catalog: Catalog) -> RxDraft:
    """A draft showing ``rx`` (to start the next plan from the current one)."""
    items = [
        RxItem(
            item.exercise_id,
            [
                RxStep(
                    builder.draft_block(item.exercise_id, step.dosage),
                    "earned" if step.earned else "week",
                    str(step.first_week),
                )
                for step in item.steps
            ],
            item.note,
        )
        for item in rx.exercises
    ]
    days = [WEEKDAYS[d] for d in sorted(rx.days)]
    end = "" if rx.end is None else rx.end.isoformat()
    return RxDraft(items, rx.start.isoformat(), end, str(rx.per_day), days, rx.notes)


def from_routine(routine: Routine, catalog: Catalog, start: date) -> RxDraft:
    """A draft doing ``routine`` (one step per exercise, at its dosage) from ``start``."""
    items = [
        RxItem(b.exercise, [RxStep(builder.draft_block(b.exercise, b.dosage_in(catalog)))], b.note)
        for b in routine.blocks
    ]
    return RxDraft(items, start=start.isoformat(), notes=routine.summary)


def new_item(ctx: Context, exercise_id: str) -> RxItem:
    """An exercise at its own dosage (SoleusError for one not in the library)."""
    return RxItem(exercise_id, [RxStep(builder.new_block(ctx, exercise_id))])


def add_step(item: RxItem) -> None:
    """A next step: the last one's dosage, two weeks after the last step by date."""
    last = item.steps[-1] if item.steps else RxStep(DraftBlock(exercise=item.exercise))
    weeks = [int(s.week) for s in item.steps if s.when == "week" and _whole(s.week) is not None]
    week = min(MAX_WEEKS, (max(weeks) if weeks else 1) + 2)
    item.steps.append(RxStep(replace(last.dose), "week", str(week)))


EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)


def _date(text: str) -> date | None:
    """A plan's date (YYYY-MM-DD, in this century or the next), or None."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return day if EARLIEST <= day <= LATEST else None


def _step_label(draft: RxDraft, catalog: Catalog, k: int, j: int | None = None) -> str:
    exercise = draft.items[k].exercise if k < len(draft.items) else ""
    known = catalog.get(exercise)
    name = known.name if known is not None else exercise or f"exercise {k + 1}"
    return name if j is None else f"{name}, step {j + 1}"


FIELD_WORDS = {
    "sets": "sets", "reps": "repetitions", "hold_s": "hold", "minutes": "bout length",
    "per_minute": "pace", "rest_s": "rest", "sides": "legs", "kind": "how it is done",
    "up": "heel up", "top": "pause at the top", "down": "heel down",
    "floor": "pause on the floor",
}  # fmt: skip


def check(ctx: Context, draft: RxDraft, *, patient_id: str) -> RxChecked:
    """The prescription ``draft`` makes for ``patient_id``, or every problem in it."""
    catalog = ctx.catalog
    found: list[Problem] = []
    start, end, per_day = _date(draft.start), _date(draft.end), None
    if start is None:
        found.append(Problem("start", "give the first day as a date from 2000 to 2100", "Start"))
    if draft.end and end is None:
        message = "give the last day as a date from 2000 to 2100, or leave it empty"
        found.append(Problem("end", message, "End"))
    per_day = _whole(draft.per_day)
    if per_day is None:
        message = f"a whole number from 1 to {MAX_PER_DAY}"
        found.append(Problem("per_day", message, "Times a day"))
    doses = _doses(ctx, draft, found)
    weeks = _weeks(draft, catalog, found)
    exercises = tuple(
        PrescribedExercise(item.exercise, _steps(doses[k], weeks[k]), item.note)
        for k, item in enumerate(draft.items)
    )
    days = frozenset(WEEKDAYS.index(d) for d in draft.days)
    plan_start = start or date.min  # a bad start: the other fields are still checked
    plan_end = end if start is not None else None
    every_day = 1 if per_day is None else per_day
    for problem in problems_in(exercises, days, every_day, plan_start, plan_end, draft.notes):
        found.append(_problem_of(problem.field, problem.detail, draft, catalog))
    if found or start is None or per_day is None:
        return RxChecked(None, tuple(sorted(found, key=_page_order)))
    rx = Prescription(patient_id, exercises, days, per_day, start, end, draft.notes)
    return RxChecked(rx, (), _steps_words(rx), _estimate(rx, catalog))


SCHEDULE = ("days", "per_day", "start", "end", "notes")
STEP_FIELDS = ("when", "week", *BLOCK_FIELDS)


def _page_order(problem: Problem) -> tuple[int, ...]:
    """Where a problem's element is on the page, top to bottom."""
    key = problem.key
    if key in SCHEDULE:
        return (2, SCHEDULE.index(key))
    parts = key.split("-", 2)
    if not parts[0].startswith("b") or not parts[0][1:].isdigit():
        return (0,)
    k = int(parts[0][1:])
    if len(parts) == 3 and parts[1].startswith("s") and parts[1][1:].isdigit():
        field = parts[2]
        rank = STEP_FIELDS.index(field) if field in STEP_FIELDS else len(STEP_FIELDS)
        return (1, k, int(parts[1][1:]), rank)
    return (1, k, -1)


# A step whose dosage has problems (shown at its fields) is checked as the plan with
# this one in its place, so the plan's own problems show at the same time.
_PLACEHOLDER = Dosage(kind="reps", sets=1, reps=1)


def _doses(ctx: Context, draft: RxDraft, found: list[Problem]) -> list[list[Dosage]]:
    """Each step's Dosage, checked as one routine of every step by the routine builder."""
    where = [(k, j) for k, item in enumerate(draft.items) for j in range(len(item.steps))]
    blocks = [replace(draft.items[k].steps[j].dose) for k, j in where]
    for block, (k, j) in zip(blocks, where, strict=True):
        block.note = draft.items[k].note if j == 0 else ""
    out: list[list[Dosage]] = [[_PLACEHOLDER] * len(item.steps) for item in draft.items]
    if not blocks:
        return out
    checked = builder.check(ctx, builder.Draft(id="prescribed", name="Prescribed", blocks=blocks))
    for error in checked.errors:
        if error.block is None or error.block >= len(where):
            found.append(Problem("exercises", error.message, "Exercises"))
            continue
        k, j = where[error.block]
        if error.field in ("exercise", "note"):
            key, label = f"b{k}-{error.field}", _step_label(draft, ctx.catalog, k)
            found.append(Problem(key, error.message, f"{label}, {error.field}"))
        else:
            words = FIELD_WORDS.get(error.field, error.field)
            label = f"{_step_label(draft, ctx.catalog, k, j)}, {words}"
            found.append(Problem(f"b{k}-s{j}-{error.field}", error.message, label))
    if checked.routine is not None:
        for made, (k, j) in zip(checked.routine.blocks, where, strict=True):
            out[k][j] = made.dosage_in(ctx.catalog)
    return out


def _weeks(draft: RxDraft, catalog: Catalog, found: list[Problem]) -> list[list[int | None]]:
    """Each step's first week (None: earned); a week that is not a number is a problem
    (and the step is checked as earned meanwhile)."""
    out: list[list[int | None]] = []
    for k, item in enumerate(draft.items):
        weeks: list[int | None] = []
        for j, step in enumerate(item.steps):
            if j == 0:
                weeks.append(1)
            elif step.when == "earned":
                weeks.append(None)
            elif (week := _whole(step.week)) is not None and week <= MAX_WEEKS:
                weeks.append(week)
            else:
                weeks.append(None)
                label = f"{_step_label(draft, catalog, k, j)}, from week"
                message = f"give the week it starts, 2 to {MAX_WEEKS}, or choose when earned"
                found.append(Problem(f"b{k}-s{j}-week", message, label))
        out.append(weeks)
    return out


def _steps(doses: list[Dosage], weeks: list[int | None]) -> tuple[Step, ...]:
    """Domain steps: a step by date runs to the week before the next step by date (an
    earned step after it leaves it open); an earned step's weeks are the last date's."""
    steps = []
    latest = 1
    for j, (dose, week) in enumerate(zip(doses, weeks, strict=True)):
        first = latest if week is None else week
        latest = max(latest, first)
        nxt = weeks[j + 1] if j + 1 < len(weeks) else None
        last = None if nxt is None else max(first, nxt - 1)
        steps.append(Step(first, last, dose, earned=week is None))
    return tuple(steps)


def _problem_of(name: str, message: str, draft: RxDraft, catalog: Catalog) -> Problem:
    """A domain problem (``exercise-2-step-1``, ``days``) at its form element."""
    parts = name.split("-")
    if parts[0] != "exercise" or len(parts) < 2 or not parts[1].isdigit():
        labels = {"days": "Days", "per_day": "Times a day", "end": "End", "notes": "Notes"}
        return Problem(name, message, labels.get(name, name.capitalize()))
    k = int(parts[1])
    if len(parts) >= 4 and parts[2] == "step" and parts[3].isdigit():
        j = int(parts[3])
        key = f"b{k}-s{j}-week" if j else f"b{k}-s{j}-when"
        return Problem(key, message, f"{_step_label(draft, catalog, k, j)}, from week")
    if parts[-1] == "note":
        return Problem(f"b{k}-note", message, f"{_step_label(draft, catalog, k)}, note")
    return Problem(f"b{k}-exercise", message, _step_label(draft, catalog, k))


def _steps_words(rx: Prescription) -> tuple[str, ...]:
    return tuple(
        "; ".join(f"{s.weeks_words()}: {s.dosage.describe()}" for s in item.steps)
        for item in rx.exercises
    )


def _estimate(rx: Prescription, catalog: Catalog) -> str:
    """How long the first prescribed day's session takes."""
    from soleus.domain.prescription import next_start

    first = next_start(rx.start, rx)
    routine = None if first is None else routine_on(rx, first)
    if routine is None:
        return ""
    plan = Plan.build(routine, catalog)
    minutes = max(1, round(plan.estimated_seconds() / 60))
    return f"A session on the first day takes about {minutes} min, {plural(len(plan.sets), 'set')}."
