"""The exercise builder's form <-> TOML: what the form writes is the file the CLI loads,
every built-in exercise survives TOML -> form -> TOML, and every problem names its field."""

from __future__ import annotations

import tomllib

import pytest

from soleus.content import builtin_catalog, drawings
from soleus.domain.catalog import Exercise
from soleus.services.context import Context
from soleus.services.routines import exercise_form, userfiles
from soleus.services.routines.builder import DraftBlock
from soleus.services.routines.exercise_form import ExerciseDraft


def heel_raises(**changes: str) -> ExerciseDraft:
    dose = DraftBlock(exercise="", kind="reps", sets="2", reps="12", up="1.5", top="0.5")
    draft = ExerciseDraft(
        name="Seated heel raise",
        summary="Both heels up and down, slowly.",
        position="seated",
        picture="soleus-pushup",
        steps="Sit tall.\n\n  Lift both heels.  \nLower them slowly.",
        cues="Slow down.",
        dose=dose,
    )
    for name, value in changes.items():
        if name.startswith("d_"):
            setattr(draft.dose, name[2:], value)
        else:
            setattr(draft, name, value)
    return draft


def test_a_form_exercise_is_the_toml_the_cli_loads(ctx: Context) -> None:
    checked = exercise_form.check(ctx, heel_raises(d_sides="both"))
    assert checked.errors == ()
    data = tomllib.loads(checked.toml)
    assert data["id"] == "seated-heel-raise" and data["picture"] == "soleus-pushup"
    assert data["steps"] == ["Sit tall.", "Lift both heels.", "Lower them slowly."]
    assert data["cues"] == ["Slow down."]
    assert data["dosage"] == {
        "kind": "reps", "sets": 2, "reps": 12, "sides": "both", "rest_s": 30,
        "tempo": {"up": 1.5, "top": 0.5, "down": 1, "floor": 0},
    }  # fmt: skip
    assert userfiles.save(ctx, "exercises", checked.toml) == "seated-heel-raise"
    item = userfiles.validate_text(ctx, "exercises", checked.toml)
    assert isinstance(item, Exercise) and item == checked.exercise


def test_holds_and_bouts_in_their_own_units(ctx: Context) -> None:
    hold = exercise_form.check(ctx, heel_raises(d_kind="hold", d_hold_s="45"))
    assert tomllib.loads(hold.toml)["dosage"] == {
        "kind": "hold", "sets": 2, "seconds": 45, "sides": "each", "rest_s": 30,
    }  # fmt: skip
    bout = exercise_form.check(
        ctx, heel_raises(d_kind="bout", d_minutes="3", d_per_minute="40", d_top="0")
    )
    dosage = tomllib.loads(bout.toml)["dosage"]
    assert dosage["seconds"] == 180 and dosage["tempo"] == {
        "up": 0.75, "top": 0, "down": 0.75, "floor": 0,
    }  # fmt: skip


@pytest.mark.parametrize("exercise_id", list(builtin_catalog()))
def test_every_builtin_exercise_round_trips_through_the_form(
    ctx: Context, exercise_id: str
) -> None:
    text = userfiles.source(ctx, "exercises", exercise_id)
    checked = exercise_form.check(ctx, exercise_form.draft_of_text(ctx, text))
    assert checked.errors == ()
    assert checked.exercise == builtin_catalog()[exercise_id]  # safety notes, sources... kept
    again = exercise_form.check(ctx, exercise_form.draft_of_text(ctx, checked.toml))
    assert again.toml == checked.toml


def test_every_problem_is_the_clis_message_next_to_its_field(ctx: Context) -> None:
    draft = heel_raises(steps=" \n", picture="nope", d_reps="0", d_rest_s="soon", id="Bad Id")
    checked = exercise_form.check(ctx, draft)
    got = {e.key: e.message for e in checked.errors}
    assert set(got) == {"steps", "picture", "d-reps", "d-rest_s", "id"}
    assert "at least one step" in got["steps"]
    assert got["picture"].startswith("no built-in drawing 'nope' (known: ")
    assert got["d-reps"] == "reps must be between 1 and 500, not 0"
    assert got["d-rest_s"] == "must be a number, not 'soon'"
    assert "lowercase letters" in got["id"]
    nameless = exercise_form.check(ctx, heel_raises(name=""))
    assert [e.key for e in nameless.errors] == ["name"]


def test_the_form_reads_the_dosage_fields_by_prefix() -> None:
    form = {"name": "X", "d-kind": "bout", "d-minutes": "4", "picture": "downward-dog"}
    draft = exercise_form.from_form(form)
    assert (draft.dose.kind, draft.dose.minutes, draft.picture) == ("bout", "4", "downward-dog")
    assert draft.dose.sets == ExerciseDraft().dose.sets


def test_pictures_are_the_built_in_drawings(ctx: Context) -> None:
    choices = exercise_form.picture_choices(ctx)
    assert [c[0] for c in choices] == drawings()
    assert ("wall-calf-stretch", "Wall calf stretch") in choices
