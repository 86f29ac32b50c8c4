"""The routine builder's form <-> TOML: what the form writes loads as the CLI loads it,
every built-in routine survives TOML -> form -> TOML, and each problem names its field."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from soleus.content import builtin_routines
from soleus.domain.clock import FakeClock
from soleus.domain.routine import Plan
from soleus.services import open_context
from soleus.services.context import Context
from soleus.services.routines import builder, userfiles
from soleus.services.routines.builder import Draft, DraftBlock
from soleus.settings import Settings


@pytest.fixture
def ctx(tmp_path: Path) -> Context:
    settings = Settings.load(
        env={"SOLEUS_DATA_DIR": str(tmp_path / "d"), "SOLEUS_CONFIG_DIR": str(tmp_path / "c")}
    )
    return open_context(settings, FakeClock(datetime(2026, 3, 2, 9, tzinfo=UTC)))


def pushups(**changes: str) -> DraftBlock:
    block = DraftBlock(exercise="soleus-pushup", sets="2", reps="8", sides="both", rest_s="20")
    for name, value in changes.items():
        setattr(block, name, value)
    return block


def test_a_form_routine_is_the_toml_the_cli_loads(ctx: Context) -> None:
    hold = DraftBlock(exercise="wall-calf-stretch", kind="hold", sets="1", hold_s="45")
    bout = DraftBlock(
        exercise="soleus-pushup", kind="bout", sets="1", minutes="2.5", per_minute="40"
    )
    draft = Draft(name='My "desk" break', blocks=[pushups(up="0.7", top="0.2"), hold, bout])
    checked = builder.check(ctx, draft)
    assert checked.error is None
    data = tomllib.loads(checked.toml)
    assert data["id"] == "my-desk-break" and data["name"] == 'My "desk" break'
    first, second, third = data["blocks"]
    assert first["dosage"] == {
        "kind": "reps", "sets": 2, "reps": 8, "sides": "both", "rest_s": 20,
        "tempo": {"up": 0.7, "top": 0.2, "down": 1, "floor": 0},
    }  # fmt: skip
    assert second["dosage"]["seconds"] == 45 and "tempo" not in second["dosage"]
    assert third["dosage"]["seconds"] == 150
    assert third["dosage"]["tempo"] == {"up": 0.75, "top": 0, "down": 0.75, "floor": 0}
    # Saved, it is one of the person's routines like one written by hand.
    assert userfiles.save(ctx, "routines", checked.toml) == "my-desk-break"
    assert not userfiles.list_files(ctx, "routines")[0].error
    # The estimate is the plan's own.
    assert checked.routine is not None and checked.estimate is not None
    plan = Plan.build(checked.routine, ctx.catalog)
    assert checked.estimate.seconds == plan.estimated_seconds()
    assert checked.estimate.sets == len(plan.sets) == 2 + 2 + 2  # both x2, per leg, per leg


@pytest.mark.parametrize("routine_id", list(builtin_routines()))
def test_every_builtin_routine_round_trips_through_the_form(ctx: Context, routine_id: str) -> None:
    text = userfiles.source(ctx, "routines", routine_id)
    draft = builder.draft_of_text(ctx, text)
    checked = builder.check(ctx, draft)
    assert checked.error is None, checked.error
    again = builder.check(ctx, builder.draft_of_text(ctx, checked.toml))
    assert again.toml == checked.toml  # TOML -> form -> TOML is stable
    original = tomllib.loads(text)
    written = tomllib.loads(checked.toml)
    assert checked.routine == builtin_routines()[routine_id]  # the same routine
    # A block that follows its exercise's own dosage still does (no dosage written).
    for a, b in zip(original["blocks"], written["blocks"], strict=True):
        assert ("dosage" in a) == ("dosage" in b)


def test_a_block_with_the_exercises_own_dosage_writes_none(ctx: Context) -> None:
    exercise = ctx.catalog["soleus-pushup"]
    block = builder.draft_block(exercise.id, exercise.dosage)
    checked = builder.check(ctx, Draft(name="Plain", blocks=[block]))
    assert "[blocks.dosage]" not in checked.toml
    block.reps = "11"
    assert "[blocks.dosage]" in builder.check(ctx, Draft(name="Plain", blocks=[block])).toml


@pytest.mark.parametrize(
    ("block", "field", "message"),
    [
        (pushups(reps="0"), "reps", "reps must be between 1 and 500, not 0"),
        (pushups(sets="50"), "sets", "sets must be between 1 and 20, not 50"),
        (pushups(sets="two"), "sets", "must be a whole number, not 'two'"),
        (pushups(rest_s=""), "rest_s", "enter a number"),
        (pushups(up="0.1", down="0.1", top="0", floor="0"), "up", "a repetition must last"),
        (pushups(kind="hold", hold_s="0"), "hold_s", "seconds must be between 1 and 3600"),
        (pushups(kind="hold", sides="alternate"), "sides", "a hold is per side (each) or both"),
        (pushups(kind="bout", minutes="90"), "minutes", "seconds must be between 1 and 3600"),
        (pushups(kind="bout", per_minute="0"), "per_minute", "must be more than 0 a minute"),
        (pushups(kind="bout", per_minute="500"), "per_minute", "a repetition must last"),
        (pushups(kind="jog"), "kind", "Input should be 'reps', 'hold' or 'bout'"),
        (DraftBlock(exercise="no-such"), "exercise", "unknown exercise 'no-such'"),
    ],
)
def test_each_problem_is_the_clis_message_next_to_its_field(
    ctx: Context, block: DraftBlock, field: str, message: str
) -> None:
    ok = pushups()
    error = builder.check(ctx, Draft(name="R", blocks=[ok, block])).error
    assert error is not None
    assert (error.block, error.field) == (1, field)
    assert message in error.message


def test_the_routines_own_problems(ctx: Context) -> None:
    assert builder.check(ctx, Draft(blocks=[pushups()])).error == builder.FieldError(
        "name", "give the routine a name"
    )
    error = builder.check(ctx, Draft(name="R", id="Bad Id", blocks=[pushups()])).error
    assert error is not None and error.field == "id" and "lowercase letters" in error.message
    empty = builder.check(ctx, Draft(name="R")).error
    assert empty is not None and empty.field == "blocks"


def test_the_form_fields_are_read_in_the_order_the_page_has_them() -> None:
    form = {
        "name": "Two",
        "order": "1,0",
        "b0-exercise": "soleus-pushup",
        "b0-reps": "4",
        "b1-exercise": "wall-calf-stretch",
        "b1-kind": "hold",
    }
    draft = builder.from_form(form)
    assert [b.exercise for b in draft.blocks] == ["wall-calf-stretch", "soleus-pushup"]
    assert draft.blocks[1].reps == "4" and draft.blocks[0].kind == "hold"


def test_text_survives_toml_escaping(ctx: Context) -> None:
    name = 'Quotes " and \\ and a tab\tand DEL \x7f and ünïcode'
    checked = builder.check(ctx, Draft(name=name, id="odd", blocks=[pushups(note="a\nb")]))
    assert checked.error is None
    data = tomllib.loads(checked.toml)
    assert data["name"] == name and data["blocks"][0]["note"] == "a\nb"


def test_every_problem_of_a_draft_is_found_not_only_the_first(ctx: Context) -> None:
    draft = Draft(
        name="",
        blocks=[
            pushups(reps="0", rest_s="soon"),
            DraftBlock(exercise="wall-calf-stretch", kind="hold", hold_s="0", sides="alternate"),
            DraftBlock(exercise="no-such"),
        ],
    )
    checked = builder.check(ctx, draft)
    assert checked.error == checked.errors[0]
    found = {(e.block, e.field) for e in checked.errors}
    assert found == {
        (None, "name"),
        (0, "reps"),
        (0, "rest_s"),
        (1, "hold_s"),
        (1, "sides"),
        (2, "exercise"),
    }
    assert len(checked.errors) == len(found)  # one message per field
    assert draft.blocks[0].reps == "0" and draft.name == ""  # the draft itself is untouched


def test_a_bout_keeps_its_own_top_and_floor_pauses_through_the_form(ctx: Context) -> None:
    text = (
        'id = "paused-bout"\nname = "Paused bout"\n\n[[blocks]]\nexercise = "soleus-pushup"\n\n'
        '[blocks.dosage]\nkind = "bout"\nsets = 1\nseconds = 120\nsides = "alternate"\n'
        "rest_s = 0\n\n[blocks.dosage.tempo]\nup = 0.5\ntop = 0.2\ndown = 0.4\nfloor = 0.1\n"
    )
    draft = builder.draft_of_text(ctx, text)
    assert draft.blocks[0].per_minute == "50"
    checked = builder.check(ctx, draft)
    tempo = tomllib.loads(checked.toml)["blocks"][0]["dosage"]["tempo"]
    assert tempo == {"up": 0.5, "top": 0.2, "down": 0.4, "floor": 0.1}
    # At another pace the pauses stay; lift and drop share the rest of the cycle.
    draft.blocks[0].per_minute = "40"  # 1.5 s a cycle
    tempo = tomllib.loads(builder.check(ctx, draft).toml)["blocks"][0]["dosage"]["tempo"]
    assert tempo == {"up": 0.6, "top": 0.2, "down": 0.6, "floor": 0.1}
    draft.blocks[0].per_minute = "300"  # 0.2 s a cycle: less than the pauses
    error = builder.check(ctx, draft).error
    assert error is not None and error.field == "per_minute" and "0.3 s" in error.message
