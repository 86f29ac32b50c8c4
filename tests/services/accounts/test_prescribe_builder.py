"""The prescribe page's form: any number of exercises and steps, each step checked by the
routine builder's rules and the plan by the domain's, every problem at its field, a
progressing plan saved and audited, and stopping it (Today back to the own routines)."""

from __future__ import annotations

from datetime import date

import pytest
from tests.services.accounts.acc_helpers import clinic, join

from soleus.domain.clock import FakeClock
from soleus.errors import NotFound, SoleusError
from soleus.services.accounts import access, audit, people
from soleus.services.accounts.actor import OPERATOR
from soleus.services.context import Context
from soleus.services.prescriptions import builder as rx_builder
from soleus.services.prescriptions import plan
from soleus.services.today import dashboard

# Wednesday 4 March 2026 (tests/conftest.py START).
FORM = {
    "start": "2026-03-04",
    "end": "",
    "per_day": "2",
    "notes": "Seated, at the desk.",
    **{f"day-{d}": "on" for d in ("mon", "wed", "fri")},
    "order": "3,7",
    "b3-exercise": "soleus-pushup",
    "b3-note": "Heel high, forefoot down.",
    "b3-steps": "0,1,2",
    "b3-s0-kind": "reps", "b3-s0-sets": "2", "b3-s0-reps": "10",
    "b3-s0-up": "1", "b3-s0-top": "0", "b3-s0-down": "1", "b3-s0-floor": "0",
    "b3-s0-sides": "each", "b3-s0-rest_s": "30",
    "b3-s1-when": "week", "b3-s1-week": "3",
    "b3-s1-kind": "reps", "b3-s1-sets": "3", "b3-s1-reps": "10",
    "b3-s1-up": "1", "b3-s1-top": "0", "b3-s1-down": "1", "b3-s1-floor": "0",
    "b3-s1-sides": "each", "b3-s1-rest_s": "30",
    "b3-s2-when": "earned", "b3-s2-week": "",
    "b3-s2-kind": "bout", "b3-s2-sets": "1", "b3-s2-minutes": "5", "b3-s2-per_minute": "50",
    "b3-s2-sides": "alternate", "b3-s2-rest_s": "0",
    "b7-exercise": "wall-calf-stretch",
    "b7-steps": "0",
    "b7-s0-kind": "hold", "b7-s0-sets": "2", "b7-s0-hold_s": "30",
    "b7-s0-sides": "each", "b7-s0-rest_s": "15",
}  # fmt: skip


def checked(ctx: Context, **change: str) -> rx_builder.RxChecked:
    draft = rx_builder.from_form({**FORM, **change})
    return rx_builder.check(ctx, draft, patient_id="p1")


def test_a_progressing_plan_of_two_exercises_reads_back_the_same(ctx: Context) -> None:
    result = checked(ctx)
    assert result.problems == ()
    rx = result.rx
    assert rx is not None and rx.days == frozenset({0, 2, 4}) and rx.per_day == 2
    pushup, stretch = rx.exercises
    assert pushup.note == "Heel high, forefoot down." and stretch.exercise_id == "wall-calf-stretch"
    assert [(s.first_week, s.last_week, s.earned) for s in pushup.steps] == [
        (1, 2, False),
        (3, None, False),
        (3, None, True),
    ]
    assert result.steps[0] == (
        "weeks 1\u20132: 2 \u00d7 10 per leg; from week 3: 3 \u00d7 10 per leg;"
        " when earned: 1 \u00d7 5 min bout at 50/min alternating"
    )
    assert result.estimate.startswith("A session on the first day takes about ")
    # The draft of the saved plan is the same plan again.
    again = rx_builder.check(ctx, rx_builder.from_prescription(rx, ctx.catalog), patient_id="p1")
    assert again.rx == rx


@pytest.mark.parametrize(
    ("change", "key", "words"),
    [
        ({"b3-s0-reps": "0"}, "b0-s0-reps", "Seated soleus pushup, step 1, repetitions"),
        ({"b3-s1-sets": "lots"}, "b0-s1-sets", "must be a whole number"),
        ({"b3-s1-week": "1"}, "b0-s1-week", "overlap the step before"),
        ({"b3-s1-week": "soon"}, "b0-s1-week", "give the week it starts"),
        ({"b7-s0-sides": "alternate"}, "b1-s0-sides", "alternate"),
        ({"b7-exercise": "soleus-pushup"}, "b1-exercise", "in the plan twice"),
        ({"b7-exercise": "no-such"}, "b1-exercise", "no-such"),
        ({"start": "4 March"}, "start", "Start: give the first day"),
        ({"end": "2026-03-01"}, "end", "End: the end date is before the start date"),
        ({"day-mon": "", "day-wed": "", "day-fri": ""}, "days", "Days: choose at least one"),
        ({"per_day": "99"}, "per_day", "times a day must be 1 to 12"),
        ({"order": ""}, "exercises", "add at least one exercise"),
        ({"b3-s2-per_minute": "500"}, "b0-s2-per_minute", "pace: a repetition must last"),
    ],
)
def test_each_bad_field_is_named_next_to_its_element(
    ctx: Context, change: dict[str, str], key: str, words: str
) -> None:
    result = checked(ctx, **change)
    assert result.rx is None
    assert key in [p.key for p in result.problems], result.problems
    assert any(words in p.text for p in result.problems), result.problems


def test_every_problem_is_listed_at_once(ctx: Context) -> None:
    result = checked(ctx, **{"b3-s0-sets": "0", "b7-s0-hold_s": "-3", "per_day": "x"})
    assert {"b0-s0-sets", "b1-s0-hold_s", "per_day"} <= {p.key for p in result.problems}


def test_a_routine_starts_a_draft_and_steps_are_added_two_weeks_on(ctx: Context) -> None:
    draft = rx_builder.from_routine(ctx.routines["desk"], ctx.catalog, date(2026, 3, 4))
    assert [i.exercise for i in draft.items] == [b.exercise for b in ctx.routines["desk"].blocks]
    rx_builder.add_step(draft.items[0])
    rx_builder.add_step(draft.items[0])
    assert [(s.when, s.week) for s in draft.items[0].steps] == [
        ("week", "1"),
        ("week", "3"),
        ("week", "5"),
    ]
    assert rx_builder.check(ctx, draft, patient_id="p1").rx is not None


def test_saving_and_stopping_are_audited_and_today_falls_back(
    db_ctx: Context, clock: FakeClock
) -> None:
    c = clinic(db_ctx)
    patient = c.patient_a.person_id
    result = rx_builder.check(db_ctx, rx_builder.from_form(FORM), patient_id=patient)
    assert result.rx is not None
    plan.save(db_ctx, c.clinician, patient, result.rx)
    mine = access.context_for(db_ctx, c.patient_a, write=True)
    day = plan.today(mine)
    assert day is not None and day.due and day.plan is not None
    assert plan.stop(db_ctx, c.clinician, patient) is True
    assert plan.today(mine) is None and plan.current(mine) is None
    assert plan.stop(db_ctx, c.clinician, patient) is False  # nothing left to stop
    view = dashboard.today_view(mine)  # the own routine again
    assert view.routine_id == "desk" and view.plan is not None
    actions = [
        (e.action, e.target_id)
        for e in audit.entries(db_ctx, OPERATOR)
        if e.action.startswith("prescription.")
    ]
    assert sorted(actions) == [
        ("prescription.saved", patient),
        ("prescription.stopped", patient),
    ]
    with pytest.raises(NotFound, match="not one of your patients"):
        plan.stop(db_ctx, c.clinician, c.patient_b.person_id)


def test_a_patient_of_another_organisation_or_clinician_gets_nothing(db_ctx: Context) -> None:
    c = clinic(db_ctx)
    people.create_org(db_ctx, OPERATOR, "Other")
    other_admin = join(db_ctx, OPERATOR, "oa@example.org", "admin", org="Other")
    other_doc = join(db_ctx, other_admin, "od@example.org", "clinician", org="Other")
    outsider = join(db_ctx, other_doc, "op@example.org", "patient", org="Other")
    for patient in (outsider, c.patient_b):
        result = rx_builder.check(db_ctx, rx_builder.from_form(FORM), patient_id=patient.person_id)
        assert result.rx is not None
        with pytest.raises(NotFound, match=r"patient: .* is not one of your patients"):
            plan.save(db_ctx, c.clinician, patient.person_id, result.rx)
        with pytest.raises(NotFound):
            access.require_patient(db_ctx, c.clinician, patient.person_id)
        assert plan.current(access.context_for(db_ctx, patient, write=False)) is None
    mine = rx_builder.check(db_ctx, rx_builder.from_form(FORM), patient_id=outsider.person_id)
    assert mine.rx is not None
    with pytest.raises(SoleusError, match="the plan is for another patient"):
        plan.save(db_ctx, c.clinician, c.patient_a.person_id, mine.rx)
    assert plan.current(access.context_for(db_ctx, c.patient_a, write=False)) is None


def test_a_plan_stored_before_steps_said_how_they_advance_still_loads() -> None:
    step = {"kind": "reps", "sets": 2, "reps": 10, "sides": "each", "rest_s": 30.0}
    stored = {
        "patient_id": "p1",
        "exercises": [
            {
                "exercise_id": "soleus-pushup",
                "steps": [
                    {"first_week": 1, "last_week": 1, "dosage": step},
                    {"first_week": 2, "last_week": None, "dosage": {**step, "sets": 3}},
                ],
            }
        ],
        "days": [0, 2],
        "per_day": 1,
        "start": "2026-03-02",
        "end": None,
        "notes": "",
        "advance": "earned",
    }
    rx = plan.from_json(stored, where="test")
    assert [s.earned for s in rx.exercises[0].steps] == [False, True]
    assert rx.advance == "earned" and rx.exercises[0].note == ""
    assert plan.from_json(plan.to_json(rx), where="test") == rx
