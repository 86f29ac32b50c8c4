"""The prescribed plan: its checks, the step of each day by date or earned, and the
day's pain rule applied to it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from soleus.content import builtin_catalog
from soleus.domain.catalog import Dosage
from soleus.domain.day import PainReport, decide_day
from soleus.domain.prescription import (
    EARN_DAYS,
    DayDone,
    PrescribedExercise,
    Prescription,
    PrescriptionProblem,
    Step,
    routine_on,
)

MONDAY = date(2026, 3, 2)
TWO_BY_TEN = Dosage(kind="reps", sets=2, reps=10)
THREE_BY_TEN = Dosage(kind="reps", sets=3, reps=10)
BOUT = Dosage(kind="bout", seconds=300, sides="alternate")
STEPS = (Step(1, 2, TWO_BY_TEN), Step(3, 4, THREE_BY_TEN), Step(5, None, BOUT))


def one(*steps: Step) -> dict[str, object]:
    return {"exercises": (PrescribedExercise("x", steps),)}


def plan(**changes: object) -> Prescription:
    fields: dict[str, object] = {
        "patient_id": "p1",
        "exercises": (PrescribedExercise("soleus-pushup", STEPS),),
        "days": frozenset(range(5)),
        "per_day": 2,
        "start": MONDAY,
        "end": MONDAY + timedelta(weeks=8),
        "notes": "",
    }
    fields.update(changes)
    return Prescription(**fields)  # type: ignore[arg-type]


def dosage_on(rx: Prescription, day: date, history: list[DayDone] | None = None) -> Dosage | None:
    routine = routine_on(rx, day, history or [])
    return None if routine is None else routine.blocks[0].dosage


def test_by_date_the_steps_follow_the_weeks_and_the_last_is_open_ended() -> None:
    rx = plan()
    assert dosage_on(rx, MONDAY) == TWO_BY_TEN
    assert dosage_on(rx, MONDAY + timedelta(days=11)) == TWO_BY_TEN  # week 2, Friday
    assert dosage_on(rx, MONDAY + timedelta(weeks=2)) == THREE_BY_TEN
    assert dosage_on(rx, MONDAY + timedelta(weeks=5)) == BOUT


def test_no_plan_on_a_day_off_before_the_start_or_after_the_end() -> None:
    rx = plan()
    assert dosage_on(rx, MONDAY + timedelta(days=5)) is None  # Saturday
    assert dosage_on(rx, MONDAY - timedelta(days=7)) is None
    assert dosage_on(rx, MONDAY + timedelta(weeks=9)) is None


def test_earned_advances_after_enough_full_pain_free_days_and_pain_resets_the_count() -> None:
    earned = tuple(replace(s, earned=k > 0) for k, s in enumerate(STEPS))
    rx = plan(exercises=(PrescribedExercise("soleus-pushup", earned),))
    assert rx.advance == "earned" and plan().advance == "date"
    days = [MONDAY + timedelta(days=i) for i in range(5)]
    met = [DayDone(d, met=True, normal=True) for d in days[: EARN_DAYS - 1]]
    assert dosage_on(rx, days[EARN_DAYS], met) == TWO_BY_TEN  # one day short
    enough = [DayDone(d, met=True, normal=True) for d in days[:EARN_DAYS]]
    assert dosage_on(rx, days[EARN_DAYS], enough) == THREE_BY_TEN
    painful = [*met, DayDone(days[EARN_DAYS - 1], met=True, normal=False)]
    assert dosage_on(rx, days[EARN_DAYS], painful) == TWO_BY_TEN
    short = [*met, DayDone(days[EARN_DAYS - 1], met=False, normal=True)]
    assert dosage_on(rx, days[EARN_DAYS], short) == TWO_BY_TEN


def test_the_days_pain_rule_makes_the_prescribed_plan_lighter_or_a_rest_day() -> None:
    catalog = builtin_catalog()
    routine = routine_on(plan(), MONDAY + timedelta(weeks=2))
    lighter = decide_day(
        today=MONDAY, pain=[PainReport(MONDAY, 4, "after")], routine=routine, catalog=catalog
    )
    assert lighter.level == "lighter" and lighter.plan is not None
    light_dose = lighter.plan.blocks[0].dosage
    assert light_dose is not None and light_dose.sets < THREE_BY_TEN.sets
    rest = decide_day(
        today=MONDAY, pain=[PainReport(MONDAY, 7, "during")], routine=routine, catalog=catalog
    )
    assert rest.level == "rest" and rest.plan is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"exercises": ()}, "exercises"),
        (
            {
                "exercises": (
                    PrescribedExercise("x", (Step(1, 3, TWO_BY_TEN), Step(3, None, BOUT))),
                )
            },
            "exercise-0-step-1",
        ),
        (
            {
                "exercises": (
                    PrescribedExercise("x", (Step(1, 2, TWO_BY_TEN), Step(4, None, BOUT))),
                )
            },
            "exercise-0-step-1",
        ),
        (
            {
                "exercises": (
                    PrescribedExercise("x", (Step(1, None, TWO_BY_TEN), Step(2, 3, BOUT))),
                )
            },
            "exercise-0-step-0",
        ),
        (one(Step(2, None, BOUT)), "exercise-0-step-0"),
        (one(Step(1, None, TWO_BY_TEN, earned=True)), "exercise-0-step-0"),
        (one(Step(1, 1, TWO_BY_TEN), Step(1, None, BOUT)), "exercise-0-step-1"),
        (
            one(Step(1, None, TWO_BY_TEN), Step(1, 2, BOUT, earned=True), Step(1, None, BOUT)),
            "exercise-0-step-2",
        ),
        ({"exercises": (PrescribedExercise("x", STEPS, note="n" * 301),)}, "exercise-0-note"),
        ({"days": frozenset()}, "days"),
        ({"per_day": 0}, "per_day"),
        ({"end": MONDAY - timedelta(days=1)}, "end"),
        ({"notes": "x" * 2001}, "notes"),
    ],
)
def test_a_bad_plan_names_its_field(changes: dict[str, object], field: str) -> None:
    with pytest.raises(PrescriptionProblem) as caught:
        plan(**changes)
    assert caught.value.field == field
    assert str(caught.value).startswith(f"{field}: ")


def test_steps_by_date_and_earned_mix_and_are_reached_in_order() -> None:
    """Weeks 1-2 at 2 x 10; then 3 x 10 when earned; then the bout from week 4 (not
    before the earned step is reached)."""
    steps = (Step(1, None, TWO_BY_TEN), Step(1, 3, THREE_BY_TEN, earned=True), Step(4, None, BOUT))
    rx = plan(exercises=(PrescribedExercise("soleus-pushup", steps, note="Seated"),))
    assert rx.advance == "earned"
    week4 = MONDAY + timedelta(weeks=3)
    assert dosage_on(rx, week4) == TWO_BY_TEN  # never earned: the bout waits
    good = [DayDone(MONDAY + timedelta(days=i), met=True, normal=True) for i in range(EARN_DAYS)]
    assert dosage_on(rx, MONDAY + timedelta(days=EARN_DAYS), good) == THREE_BY_TEN
    assert dosage_on(rx, week4 - timedelta(days=3), good) == THREE_BY_TEN  # Friday, week 3
    assert dosage_on(rx, week4, good) == BOUT
    routine = routine_on(rx, week4, good)
    assert routine is not None and routine.blocks[0].note == "Seated"
    assert [s.weeks_words() for s in steps] == ["from week 1", "when earned", "from week 4"]


def test_a_step_by_date_after_another_counts_from_its_own_week_only() -> None:
    steps = (Step(1, None, TWO_BY_TEN, earned=False), Step(3, None, THREE_BY_TEN))
    with pytest.raises(PrescriptionProblem, match="only the last step may be open-ended"):
        plan(exercises=(PrescribedExercise("soleus-pushup", steps),))
    with pytest.raises(PrescriptionProblem, match="overlap the step before"):
        plan(exercises=(PrescribedExercise("soleus-pushup", (STEPS[0], Step(2, None, BOUT))),))
