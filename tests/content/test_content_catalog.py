"""The built-in exercises, routines and about text load, validate and hang together."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from soleus.content import (
    about_text,
    builtin_catalog,
    builtin_dir,
    builtin_routines,
    load_file,
    load_routines,
)
from soleus.domain.catalog import Exercise
from soleus.domain.routine import Plan, Routine

EXERCISE_IDS = [
    "soleus-pushup",
    "standing-calf-stretch",
    "wall-calf-stretch",
    "bent-knee-soleus-stretch",
    "downward-dog",
    "foam-roll-calf",
]
ROUTINE_IDS = ["desk", "spu-bout", "full"]
AVOID_TAGS = {"clot", "rupture", "strain"}

EXERCISE_FILES = sorted(builtin_dir("exercises").glob("*.toml"))
ROUTINE_FILES = sorted(builtin_dir("routines").glob("*.toml"))


def _order(kind: str) -> list[str]:
    text = (builtin_dir(kind) / "order.txt").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip()]


def test_the_expected_exercises_ship_in_display_order() -> None:
    assert list(builtin_catalog()) == EXERCISE_IDS
    assert _order("exercises") == EXERCISE_IDS
    assert sorted(p.stem for p in EXERCISE_FILES) == sorted(EXERCISE_IDS)


def test_the_expected_routines_ship_in_display_order() -> None:
    assert list(builtin_routines()) == ROUTINE_IDS
    assert _order("routines") == ROUTINE_IDS
    assert sorted(p.stem for p in ROUTINE_FILES) == sorted(ROUTINE_IDS)


@pytest.mark.parametrize("path", EXERCISE_FILES, ids=lambda p: p.stem)
def test_exercise_file_is_complete(path: Path) -> None:
    exercise = load_file(Exercise, path)
    assert exercise.id == path.stem
    assert exercise.summary and "\n" not in exercise.summary
    assert 4 <= len(exercise.steps) <= 7
    for field in (
        "muscles",
        "equipment",
        "cues",
        "mistakes",
        "safety",
        "contraindications",
        "sources",
    ):
        assert getattr(exercise, field), f"{path.name}: {field} is empty"
    assert any("not medical advice" in note for note in exercise.safety)


@pytest.mark.parametrize("path", EXERCISE_FILES, ids=lambda p: p.stem)
def test_avoid_if_tags_are_known_and_documented(path: Path) -> None:
    exercise = load_file(Exercise, path)
    assert set(exercise.avoid_if) <= AVOID_TAGS
    if exercise.avoid_if:
        header = path.read_text(encoding="utf-8").split("\nid =")[0]
        for tag in AVOID_TAGS:
            assert f'"{tag}"' in header, f"{path.name}: tag {tag!r} not documented at the top"


def test_foam_rolling_is_ruled_out_by_a_possible_clot() -> None:
    roll = builtin_catalog()["foam-roll-calf"]
    assert "clot" in roll.avoid_if
    assert any("clot" in note for note in roll.safety)


def test_soleus_pushup_defaults_to_sets_with_a_release() -> None:
    spu = builtin_catalog()["soleus-pushup"]
    assert spu.position == "seated"
    assert (spu.dosage.kind, spu.dosage.sets, spu.dosage.reps, spu.dosage.sides) == (
        "reps",
        3,
        10,
        "each",
    )
    assert spu.dosage.rest_s == 30
    assert (spu.cue_up, spu.cue_down) == ("heel up", "release")
    tempo = spu.dosage.pace
    assert (tempo.up, tempo.top, tempo.down, tempo.floor) == (1.0, 0.3, 1.0, 0.5)
    text = " ".join(spu.variants + spu.steps + spu.mistakes).lower()
    assert "bout" in text and "50" in text  # the research way is described
    assert "slowly" in text and "passive" in text  # and the conflict is named


def test_bent_knee_stretch_targets_the_soleus() -> None:
    stretch = builtin_catalog()["bent-knee-soleus-stretch"]
    assert stretch.muscles == ("soleus",)
    assert (stretch.dosage.kind, stretch.dosage.sets, stretch.dosage.seconds) == ("hold", 3, 30)


def test_downward_dog_lists_its_contraindications() -> None:
    dog = builtin_catalog()["downward-dog"]
    text = " ".join(dog.contraindications).lower()
    for word in ("carpal tunnel", "pregnancy", "blood pressure", "headache"):
        assert word in text
    assert dog.dosage.sides == "both"


@pytest.mark.parametrize("path", ROUTINE_FILES, ids=lambda p: p.stem)
def test_routine_file_loads_and_names_known_exercises(path: Path) -> None:
    routine = load_file(Routine, path)
    assert routine.id == path.stem
    assert routine.summary
    catalog = builtin_catalog()
    for block in routine.blocks:
        assert block.exercise in catalog
    assert Plan.build(routine, catalog).estimated_seconds() > 0


def test_load_routines_checks_every_builtin_against_the_catalog() -> None:
    book = load_routines(None, builtin_catalog())
    assert list(book) == ROUTINE_IDS


def test_desk_is_seated_only() -> None:
    catalog = builtin_catalog()
    desk = builtin_routines()["desk"]
    assert all(catalog[b.exercise].position == "seated" for b in desk.blocks)
    assert [b.exercise for b in desk.blocks] == ["soleus-pushup"]
    dosage = desk.blocks[0].dosage_in(catalog)
    assert (dosage.sets, dosage.reps, dosage.sides) == (3, 10, "each")


def test_no_builtin_routine_repeats_its_exercise_dosage() -> None:
    """A block that does the exercise as its file says leaves the dosage out, so that
    editing the exercise changes the routine (one home per fact)."""
    catalog = builtin_catalog()
    for routine in builtin_routines().values():
        for i, block in enumerate(routine.blocks):
            assert block.dosage != catalog[block.exercise].dosage, (routine.id, i)


def test_desk_follows_the_users_own_pushup(tmp_path: Path) -> None:
    from soleus.content import load_catalog

    text = (builtin_dir("exercises") / "soleus-pushup.toml").read_text(encoding="utf-8")
    mine = text.replace("sets = 3\nreps = 10", "sets = 2\nreps = 12")
    assert mine != text
    (tmp_path / "exercises").mkdir()
    (tmp_path / "exercises" / "soleus-pushup.toml").write_text(mine, encoding="utf-8")
    catalog = load_catalog(tmp_path)
    plan = Plan.build(load_routines(tmp_path, catalog)["desk"], catalog)
    assert {(p.dosage.sets, p.dosage.reps) for p in plan.sets} == {(2, 12)}
    assert len(plan.sets) == 4  # 2 sets, each leg


def test_full_has_the_pushup_the_stretches_and_the_roller() -> None:
    full = builtin_routines()["full"]
    assert [b.exercise for b in full.blocks] == [
        "soleus-pushup",
        "standing-calf-stretch",
        "wall-calf-stretch",
        "bent-knee-soleus-stretch",
        "downward-dog",
        "foam-roll-calf",
    ]


def test_spu_bout_is_a_sustained_bout_near_fifty_a_minute() -> None:
    bout = builtin_routines()["spu-bout"]
    assert [b.exercise for b in bout.blocks] == ["soleus-pushup"]
    dosage = bout.blocks[0].dosage
    assert dosage is not None
    assert (dosage.kind, dosage.seconds, dosage.sides) == ("bout", 300, "alternate")
    assert dosage.tempo is not None
    assert dosage.tempo.top == 0 and dosage.tempo.floor == 0  # passive release, no pauses
    assert 45 <= dosage.pace.per_minute <= 55
    assert dosage.target_cycles == 250


def test_toml_files_parse_as_plain_toml() -> None:
    for path in EXERCISE_FILES + ROUTINE_FILES:
        tomllib.loads(path.read_text(encoding="utf-8"))


def test_about_text_is_short_sourced_and_honest() -> None:
    text = about_text()
    words = len(text.split())
    assert 250 <= words <= 500, words
    lowered = text.lower()
    for needle in (
        "not medical advice",
        "unverified",
        "vilpa",
        "52%",
        "60%",
        "slow-twitch",
        "emergency",
        "hamilton",
        "isci",
        "## sources",
    ):
        assert needle in lowered, needle


def test_snack_texts_say_what_the_routine_they_start_plans() -> None:
    from soleus.domain.snacks.menu import snack_menu

    catalog = builtin_catalog()
    menu = snack_menu(builtin_routines(), catalog)
    texts = {s.routine: s.text for s in menu.seated}
    assert "3 sets of 10 per leg" in texts["desk"]
    assert "5 minutes non-stop at about 50 a minute, legs taking turns" in texts["spu-bout"]
    standing = [b.exercise for b in builtin_routines()["full"].blocks]
    standing = [e for e in standing if catalog[e].position == "standing"]
    assert [s.exercise for s in menu.stretches] == standing
    wall = catalog["wall-calf-stretch"].dosage
    assert (wall.sets, wall.seconds) == (1, 30)
    assert "wall calf stretch, 1 hold of 30 s per side" in menu.stretches[1].text
