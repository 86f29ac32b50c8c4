"""A prescription as flat text fields (scripts, tests and the bench write it this way; the
web page uses the routine builder, :mod:`soleus.services.prescriptions.builder`) to a
:class:`~soleus.domain.prescription.Prescription`: every field checked, the first
problem raised naming its field, nothing written.

Fields: ``start``, ``end`` (ISO dates, end optional), ``days`` (``mon,tue,...``),
``per_day``, ``notes``, ``advance`` (date | earned: every step after the first is
earned); per exercise ``n`` from 0:
``exercise-n`` (its id), and per step ``k`` from 0: ``exercise-n-step-k-weeks`` (``1-2``,
``3`` or ``5-`` for "from week 5 on"), ``-kind`` (reps | hold | bout), ``-sets``,
``-reps``, ``-seconds``, ``-sides`` (each | both | alternate), ``-rest``, ``-tempo``
(``up-top-down-floor`` seconds, optional).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from typing import Any

from soleus.domain.catalog import Catalog, Dosage, Tempo
from soleus.domain.prescription import (
    WEEKDAYS,
    PrescribedExercise,
    Prescription,
    PrescriptionProblem,
    Step,
)

MAX_EXERCISES = 12
MAX_STEPS = 8


def _date(form: Mapping[str, str], field: str, *, required: bool) -> date | None:
    text = form.get(field, "").strip()
    if not text:
        if required:
            raise PrescriptionProblem(field, "give a date as YYYY-MM-DD")
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise PrescriptionProblem(field, f"{text!r} is not a date (YYYY-MM-DD)") from None


def _int(form: Mapping[str, str], field: str, default: int | None = None) -> int | None:
    text = form.get(field, "").strip()
    if not text:
        return default
    try:
        return int(text)
    except ValueError:
        raise PrescriptionProblem(field, f"{text!r} is not a whole number") from None


def _float(form: Mapping[str, str], field: str) -> float | None:
    text = form.get(field, "").strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise PrescriptionProblem(field, f"{text!r} is not a number") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise PrescriptionProblem(field, f"{text!r} is not a number")
    return value


def _weeks(text: str, field: str) -> tuple[int, int | None]:
    text = text.strip().replace("\u2013", "-")
    try:
        if text.endswith("-"):
            return int(text[:-1]), None
        if "-" in text:
            first, last = text.split("-", 1)
            return int(first), int(last)
        return int(text), int(text)
    except ValueError:
        raise PrescriptionProblem(field, f"{text!r}: weeks as 1-2, 3 or 5- (from week 5)") from None


def _tempo(text: str, field: str) -> Tempo | None:
    if not text.strip():
        return None
    try:
        up, top, down, floor = (float(p) for p in text.strip().split("-"))
        return Tempo(up, top, down, floor)
    except ValueError as error:
        detail = str(error) if "must" in str(error) else "as up-top-down-floor seconds, 1-0-1-0"
        raise PrescriptionProblem(field, f"tempo {detail}") from None


def _step(form: Mapping[str, str], base: str) -> Step:
    first, last = _weeks(form.get(f"{base}-weeks", ""), f"{base}-weeks")
    kind = form.get(f"{base}-kind", "reps")
    if kind not in ("reps", "hold", "bout"):
        raise PrescriptionProblem(f"{base}-kind", "kind is reps, hold or bout")
    fields: dict[str, Any] = {
        "kind": kind,
        "sets": _int(form, f"{base}-sets", 1),
        "reps": _int(form, f"{base}-reps") if kind == "reps" else None,
        "seconds": _float(form, f"{base}-seconds") if kind != "reps" else None,
        "sides": form.get(f"{base}-sides", "each"),
        "rest_s": _float(form, f"{base}-rest") or 30.0,
        "tempo": _tempo(form.get(f"{base}-tempo", ""), f"{base}-tempo"),
    }
    if fields["sides"] not in ("each", "both", "alternate"):
        raise PrescriptionProblem(f"{base}-sides", "sides is each, both or alternate")
    try:
        dosage = Dosage(**fields)
    except ValueError as error:
        raise PrescriptionProblem(f"{base}-dosage", f"impossible dosage: {error}") from None
    return Step(first, last, dosage)


def parse(form: Mapping[str, str], *, patient_id: str, catalog: Catalog) -> Prescription:
    """The prescription the form describes, or :class:`PrescriptionProblem`."""
    advance = form.get("advance", "date")
    if advance not in ("date", "earned"):
        raise PrescriptionProblem("advance", "progression is by date or when earned")
    exercises = []
    for n in range(MAX_EXERCISES):
        exercise_id = form.get(f"exercise-{n}", "").strip()
        if not exercise_id:
            continue
        if exercise_id not in catalog:
            raise PrescriptionProblem(f"exercise-{n}", f"no exercise {exercise_id!r}")
        steps = tuple(
            replace(_step(form, f"exercise-{n}-step-{k}"), earned=advance == "earned" and k > 0)
            for k in range(MAX_STEPS)
            if form.get(f"exercise-{n}-step-{k}-weeks", "").strip()
        )
        exercises.append(PrescribedExercise(exercise_id, steps))
    names = [d.strip().lower()[:3] for d in form.get("days", "").split(",") if d.strip()]
    unknown = [d for d in names if d not in WEEKDAYS]
    if unknown:
        raise PrescriptionProblem("days", f"{unknown[0]!r} is not a day of the week")
    start = _date(form, "start", required=True)
    assert start is not None
    return Prescription(
        patient_id=patient_id,
        exercises=tuple(exercises),
        days=frozenset(WEEKDAYS.index(d) for d in names),
        per_day=_int(form, "per_day", 1) or 0,
        start=start,
        end=_date(form, "end", required=False),
        notes=form.get("notes", "").strip(),
    )
