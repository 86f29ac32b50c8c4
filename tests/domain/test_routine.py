"""Routines: built-ins, plans, and user routine files checked against the catalog."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from soleus.content import builtin_catalog, builtin_routines, load_routine_file, load_routines
from soleus.domain.routine import Block, Plan, Routine
from soleus.errors import NotFound, SoleusError

CATALOG = builtin_catalog()

MINE = """\
id = "mine"
name = "Mine"

[[blocks]]
exercise = "soleus-pushup"

[[blocks]]
exercise = "wall-calf-stretch"
[blocks.dosage]
kind = "hold"
sets = 2
seconds = 45
sides = "each"
"""


def write(tmp_path: Path, text: str, name: str = "mine") -> Path:
    folder = tmp_path / "cfg" / "routines"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.toml"
    path.write_text(text)
    return path


def test_builtin_routines() -> None:
    book = builtin_routines()
    assert {"desk", "full", "spu-bout"} <= set(book)
    desk = Plan.build(book["desk"], CATALOG)
    assert {p.exercise.position for p in desk.sets} == {"seated"}
    assert {p.exercise.id for p in desk.sets} == {"soleus-pushup"}
    assert 2 <= desk.sets[0].dosage.sets <= 3 and desk.sets[0].dosage.reps == 10
    full = {b.exercise for b in book["full"].blocks}
    assert {"soleus-pushup", "foam-roll-calf"} <= full and len(full) >= 4
    bout = book["spu-bout"].blocks[0].dosage
    assert bout is not None and bout.kind == "bout"
    assert 45 <= bout.pace.per_minute <= 55


def test_plan_visits_every_set_and_side_in_order() -> None:
    routine = Routine(
        "r",
        "R",
        (
            Block("soleus-pushup", CATALOG["soleus-pushup"].dosage),
            Block("downward-dog"),
        ),
    )
    plan = Plan.build(routine, CATALOG)
    expected = []
    for b, block in enumerate(routine.blocks):
        dosage = block.dosage or CATALOG[block.exercise].dosage
        for n in range(1, dosage.sets + 1):
            for side in dosage.side_order:
                expected.append((b, n, side))
    assert [(p.block, p.set_number, p.side) for p in plan.sets] == expected
    assert [p.index for p in plan.sets] == list(range(len(plan.sets)))
    assert plan.estimated_seconds() > 0


def test_routine_needs_a_valid_id_and_blocks() -> None:
    with pytest.raises(ValueError):
        Routine("Bad Id", "x", (Block("soleus-pushup"),))
    with pytest.raises(ValueError):
        Routine("ok", "x", ())
    with pytest.raises(NotFound, match="moonwalk"):
        Routine("ok", "x", (Block("moonwalk"),)).check(CATALOG)
    with pytest.raises(NotFound):
        builtin_routines().get_routine("nope")


def test_user_routine_loads_and_replaces_by_id(tmp_path: Path) -> None:
    write(tmp_path, MINE)
    write(
        tmp_path, MINE.replace('id = "mine"', 'id = "desk"').replace('"Mine"', '"My desk"'), "desk"
    )
    book = load_routines(tmp_path / "cfg", CATALOG)
    assert book["mine"].blocks[1].dosage is not None
    assert book["mine"].blocks[1].dosage.seconds == 45
    assert book["desk"].name == "My desk"
    assert list(book).count("desk") == 1


BAD = {
    "unknown-exercise": (
        MINE.replace('exercise = "wall-calf-stretch"', 'exercise = "moonwalk"'),
        8,
        "moonwalk",
    ),
    "toml-syntax": (
        MINE.replace('[[blocks]]\nexercise = "wall', '[[blocks]\nexercise = "wall'),
        7,
        "TOML",
    ),
    "unknown-key": (MINE.replace("seconds = 45", "seconds = 45\nspeed = 3"), 13, "speed"),
    "bad-sides": (MINE.replace('sides = "each"', 'sides = "three"'), 13, "sides"),
    "block-without-exercise": (
        MINE.replace('exercise = "soleus-pushup"\n', 'note = "x"\n'),
        4,
        "exercise",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_routine_file_names_file_and_line(tmp_path: Path, case: str) -> None:
    text, line, word = BAD[case]
    path = write(tmp_path, text)
    with pytest.raises(SoleusError) as raised:
        load_routine_file(path, CATALOG)
    message = str(raised.value)
    assert message.startswith(str(path))
    found = re.match(rf"^{re.escape(str(path))}:(\d+): ", message) or re.search(
        r"\bline (\d+)", message
    )
    assert found and int(found[1]) == line, message
    assert word in message and "\n" not in message
