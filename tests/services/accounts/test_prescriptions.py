"""Prescribing: only a patient's own clinician, every bad field named with nothing
written, and the patient's day: the step by date or earned, under the pain rule."""

from __future__ import annotations

from datetime import timedelta

import pytest
from tests.services.accounts.acc_helpers import clinic, join

from soleus.domain.clock import FakeClock
from soleus.domain.prescription import PrescriptionProblem
from soleus.errors import NotFound
from soleus.services.accounts import access, people
from soleus.services.accounts.actor import OPERATOR
from soleus.services.context import Context
from soleus.services.prescriptions import plan
from soleus.services.sessions import guided
from soleus.store import prescriptions as repo

# Wednesday 4 March 2026 (tests/conftest.py START): weeks 1-2 at 2 x 10, then 3 x 10.
FORM = {
    "start": "2026-03-04",
    "end": "2026-06-30",
    "days": "mon,tue,wed,thu,fri,sat,sun",
    "per_day": "2",
    "notes": "Seated, at the desk.",
    "exercise-0": "soleus-pushup",
    "exercise-0-step-0-weeks": "1-2",
    "exercise-0-step-0-sets": "2",
    "exercise-0-step-0-reps": "10",
    "exercise-0-step-1-weeks": "3-",
    "exercise-0-step-1-sets": "3",
    "exercise-0-step-1-reps": "10",
}


def stored_count(ctx: Context, person_id: str) -> int:
    with ctx.store.begin() as conn:
        return 0 if repo.current(conn, person_id=person_id) is None else 1


def as_patient(ctx: Context, actor: object) -> Context:
    return access.context_for(ctx, actor, write=True)  # type: ignore[arg-type]


def test_the_clinician_prescribes_and_the_patient_sees_the_step_of_the_week(
    db_ctx: Context, clock: FakeClock
) -> None:
    c = clinic(db_ctx)
    plan.prescribe(db_ctx, c.clinician, c.patient_a.person_id, FORM)
    mine = as_patient(db_ctx, c.patient_a)
    day = plan.today(mine)
    assert day is not None and day.due and day.week == 1 and day.plan is not None
    assert [s.dosage.reps for s in day.plan.sets] == [10] * 4  # 2 sets x 2 legs
    clock.advance(timedelta(weeks=2).total_seconds())
    later = plan.today(mine)
    assert later is not None and later.week == 3 and later.plan is not None
    assert len(later.plan.sets) == 6
    # Prescribing again replaces it: one current plan.
    plan.prescribe(db_ctx, c.clinician, c.patient_a.person_id, {**FORM, "per_day": "3"})
    current = plan.current(mine)
    assert current is not None and current.per_day == 3


def test_pain_makes_the_prescribed_day_lighter_and_a_rest_day_has_no_plan(
    db_ctx: Context,
) -> None:
    c = clinic(db_ctx)
    plan.prescribe(db_ctx, c.clinician, c.patient_a.person_id, FORM)
    mine = as_patient(db_ctx, c.patient_a)
    session = guided.start(mine, mine.routines["desk"])
    guided.finish(mine, session, pain=4)
    day = plan.today(mine)
    assert day is not None and day.state.level == "lighter" and day.plan is not None
    assert len(day.plan.sets) < 4 or any(s.dosage.reps < 10 for s in day.plan.sets)  # type: ignore[operator]
    guided.finish(mine, guided.start(mine, mine.routines["desk"]), pain=8)
    rest = plan.today(mine)
    assert rest is not None and rest.state.level == "rest" and rest.plan is None


def test_earned_progression_follows_the_logged_reps(db_ctx: Context, clock: FakeClock) -> None:
    c = clinic(db_ctx)
    plan.prescribe(db_ctx, c.clinician, c.patient_a.person_id, {**FORM, "advance": "earned"})
    mine = as_patient(db_ctx, c.patient_a)
    for _ in range(3):
        day = plan.today(mine)
        assert day is not None and day.plan is not None and len(day.plan.sets) == 4
        session = guided.start(mine, day.state.plan)  # type: ignore[arg-type]
        for item in day.plan.sets:
            guided.record(
                mine,
                session,
                plan_index=item.index,
                actual_reps=10,
                actual_seconds=None,
                skipped=False,
            )
        guided.finish(mine, session, pain=1)
        clock.advance(86400)
    earned = plan.today(mine)
    assert earned is not None and earned.week == 1 and earned.plan is not None
    assert len(earned.plan.sets) == 6  # 3 x 10 in week 1: earned, not by date


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"exercise-0-step-0-reps": "0"}, "exercise-0-step-0-dosage"),
        ({"exercise-0-step-0-sets": "lots"}, "exercise-0-step-0-sets"),
        ({"exercise-0-step-1-weeks": "2-"}, "exercise-0-step-1"),
        ({"exercise-0": "no-such-exercise"}, "exercise-0"),
        ({"start": "4 March"}, "start"),
        ({"end": "2026-03-01"}, "end"),
        ({"days": "mon,funday"}, "days"),
        ({"per_day": "99"}, "per_day"),
        ({"exercise-0-step-0-tempo": "1-x"}, "exercise-0-step-0-tempo"),
    ],
)
def test_a_bad_field_is_named_and_nothing_is_written(
    db_ctx: Context, change: dict[str, str], field: str
) -> None:
    c = clinic(db_ctx)
    with pytest.raises(PrescriptionProblem) as caught:
        plan.prescribe(db_ctx, c.clinician, c.patient_a.person_id, {**FORM, **change})
    assert caught.value.field == field
    assert stored_count(db_ctx, c.patient_a.person_id) == 0


def test_only_the_patients_own_clinician_may_prescribe(db_ctx: Context) -> None:
    c = clinic(db_ctx)
    people.create_org(db_ctx, OPERATOR, "Other")
    other_admin = join(db_ctx, OPERATOR, "oa@example.org", "admin", org="Other")
    other_doc = join(db_ctx, other_admin, "od@example.org", "clinician", org="Other")
    outsider = join(db_ctx, other_doc, "op@example.org", "patient", org="Other")
    for actor, patient in [
        (c.clinician, outsider.person_id),  # a patient of another organisation
        (c.clinician, c.patient_b.person_id),  # same organisation, not theirs
        (c.admin, c.patient_a.person_id),  # an admin is not their clinician
        (c.patient_a, c.patient_a.person_id),  # nor is the patient themselves
        (other_doc, c.patient_a.person_id),
    ]:
        with pytest.raises(NotFound, match=r"patient: .* is not one of your patients"):
            plan.prescribe(db_ctx, actor, patient, FORM)
    assert stored_count(db_ctx, outsider.person_id) == 0
    assert stored_count(db_ctx, c.patient_a.person_id) == 0
