"""The catalog: built-in exercises, dosage invariants, and user files with file:line errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import TypeAdapter, ValidationError

from soleus.content import builtin_catalog, load_catalog, load_file
from soleus.content.locate import line_of
from soleus.domain.catalog import Catalog, Dosage, Exercise, Tempo
from soleus.errors import NotFound, SoleusError

REQUIRED = {
    "soleus-pushup",
    "standing-calf-stretch",
    "wall-calf-stretch",
    "downward-dog",
    "foam-roll-calf",
    "bent-knee-soleus-stretch",
}

GOOD = """\
id = "toe-taps"
name = "Toe taps"
summary = "Tap the toes."
position = "seated"
steps = ["Sit.", "Tap."]

[dosage]
kind = "reps"
sets = 2
reps = 12
sides = "both"
"""


def user_exercise(tmp_path: Path, text: str, name: str = "toe-taps") -> Path:
    folder = tmp_path / "cfg" / "exercises"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.toml"
    path.write_text(text)
    return path


def where(error: pytest.ExceptionInfo[SoleusError]) -> tuple[str, int | None]:
    """(file, line) of an error: ``FILE:LINE: ...``, or ``FILE: ... (at line N ...)``."""
    text = str(error.value)
    match = re.match(r"^(.*?\.toml)(?::(\d+))?: ", text)
    assert match, text
    if match[2]:
        return match[1], int(match[2])
    at = re.search(r"\bline (\d+)", text)
    return match[1], int(at[1]) if at else None


def test_builtin_catalog_has_the_seed_exercises_with_everything_filled_in() -> None:
    catalog = builtin_catalog()
    assert set(catalog) >= REQUIRED
    assert next(iter(catalog)) == "soleus-pushup"
    for e in catalog.values():
        assert e.name and e.summary and e.steps, e.id
        assert e.position in ("seated", "standing", "floor")
        assert e.muscles and e.cues and e.mistakes and (e.safety or e.contraindications), e.id
    assert catalog["soleus-pushup"].position == "seated"
    assert "clot" in catalog["foam-roll-calf"].avoid_if


def test_unknown_exercise_names_the_known_ones() -> None:
    with pytest.raises(NotFound, match="soleus-pushup"):
        builtin_catalog().get_exercise("moonwalk")


def test_user_exercise_is_added_and_can_replace_a_builtin(tmp_path: Path) -> None:
    user_exercise(tmp_path, GOOD)
    catalog = load_catalog(tmp_path / "cfg")
    assert catalog["toe-taps"].dosage.describe() == "2 × 12 both legs"
    text = (
        Path(__file__).parents[2] / "src/soleus/content/exercises/downward-dog.toml"
    ).read_text()
    user_exercise(tmp_path, text.replace('name = "', 'name = "My ', 1), "downward-dog")
    catalog = load_catalog(tmp_path / "cfg")
    assert catalog["downward-dog"].name.startswith("My ")
    assert list(catalog).count("downward-dog") == 1


BAD_EXERCISES = {
    # name: (text, acceptable lines, a word the message must contain)
    "toml-syntax": (GOOD.replace("reps = 12", "reps = = 12"), {10}, "TOML"),
    "unknown-key": (GOOD + "colour = 'red'\n", {12}, "colour"),
    "unknown-nested-key": (
        GOOD.replace('sides = "both"', 'sides = "both"\nbananas = 2'),
        {12},
        "bananas",
    ),
    "bad-literal": (
        GOOD.replace('position = "seated"', 'position = "upside-down"'),
        {4},
        "position",
    ),
    # Invariants checked by the dataclass point at the key or at its table.
    "absurd-reps": (GOOD.replace("reps = 12", "reps = 9999"), {7, 10}, "reps"),
    "reps-with-seconds": (
        GOOD.replace('kind = "reps"', 'kind = "reps"\nseconds = 30'),
        {7, 8},
        "seconds",
    ),
    "string-for-number": (GOOD.replace("sets = 2", 'sets = "two"'), {9}, "sets"),
}


@pytest.mark.parametrize("case", sorted(BAD_EXERCISES))
def test_bad_user_exercise_names_file_and_line(tmp_path: Path, case: str) -> None:
    text, lines, word = BAD_EXERCISES[case]
    path = user_exercise(tmp_path, text)
    with pytest.raises(SoleusError) as raised:
        load_catalog(tmp_path / "cfg")
    file, line = where(raised)
    assert file == str(path)
    assert line in lines, str(raised.value)
    assert word in str(raised.value)
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (GOOD.replace('id = "toe-taps"', 'id = "Toe Taps"'), 1),
        (GOOD.replace('name = "Toe taps"', 'name = "  "'), 2),
        (GOOD.replace('steps = ["Sit.", "Tap."]', "steps = []"), 5),
    ],
)
def test_top_level_invariant_errors_name_the_line(tmp_path: Path, text: str, line: int) -> None:
    path = user_exercise(tmp_path, text)
    with pytest.raises(SoleusError) as raised:
        load_file(Exercise, path)
    assert where(raised) == (str(path), line)


def test_file_name_must_match_the_id(tmp_path: Path) -> None:
    path = user_exercise(tmp_path, GOOD, "other-name")
    with pytest.raises(SoleusError, match="file name") as raised:
        load_file(Exercise, path)
    assert where(raised)[0] == str(path)


def test_non_utf8_file_is_a_soleus_error(tmp_path: Path) -> None:
    folder = tmp_path / "cfg" / "exercises"
    folder.mkdir(parents=True)
    (folder / "x.toml").write_bytes(b"\xff\xfe\x00junk")
    with pytest.raises(SoleusError, match=r"x\.toml"):
        load_catalog(tmp_path / "cfg")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"kind": "reps"},
        {"kind": "reps", "reps": 0},
        {"kind": "reps", "reps": 501},
        {"kind": "reps", "reps": 10, "sets": 0},
        {"kind": "reps", "reps": 10, "sets": 21},
        {"kind": "reps", "reps": 10, "seconds": 5.0},
        {"kind": "hold"},
        {"kind": "hold", "seconds": 0.5},
        {"kind": "hold", "seconds": 30.0, "reps": 3},
        {"kind": "hold", "seconds": 30.0, "tempo": Tempo()},
        {"kind": "bout", "seconds": 3601.0},
        {"kind": "reps", "reps": 10, "rest_s": -1.0},
    ],
)
def test_dosage_invariants(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        Dosage(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "hold"}, "a hold needs seconds"),
        ({"kind": "bout"}, "a bout needs seconds"),
        ({"kind": "reps"}, "a reps dosage needs reps"),
    ],
)
def test_a_missing_amount_says_what_is_needed(kwargs: dict[str, object], message: str) -> None:
    """Not 'seconds must be between 1 and 3600, not None'."""
    with pytest.raises(ValueError) as raised:
        Dosage(**kwargs)  # type: ignore[arg-type]
    assert str(raised.value) == message


def test_dosage_describe_and_targets() -> None:
    assert Dosage(kind="reps", sets=3, reps=10).describe() == "3 × 10 per leg"
    assert Dosage(kind="hold", sets=3, seconds=30, sides="each").describe() == "3 × 30 s per leg"
    bout = Dosage(kind="bout", seconds=300, sides="alternate")
    assert bout.describe() == "1 × 5 min bout at 50/min alternating"
    assert bout.target_cycles == 250
    assert Dosage(kind="reps", reps=10, sides="both").side_order == ("both",)
    assert Dosage(kind="reps", reps=10).side_order == ("left", "right")


@pytest.mark.parametrize("tempo", [{"up": -1}, {"up": 31}, {"up": 0.1, "down": 0.1}])
def test_tempo_invariants(tempo: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        Tempo(**tempo)


def test_catalog_refuses_duplicate_ids() -> None:
    e = builtin_catalog()["soleus-pushup"]
    with pytest.raises(ValueError):
        Catalog((e, e))


def test_pydantic_and_dataclass_agree_on_invariants() -> None:
    with pytest.raises(ValidationError):
        TypeAdapter(Dosage).validate_python({"kind": "reps", "reps": 10000})


NESTED = """\
id = "r"
name = "R"

[[blocks]]
exercise = "a"

[[blocks]]
exercise = "b"
[blocks.dosage]
kind = "reps"
reps = 10
[blocks.dosage.tempo]
up = 1

[[blocks]]
exercise = "c"
note = "x"
"""


@pytest.mark.parametrize(
    ("loc", "line"),
    [
        (("id",), 1),
        (("blocks", 0, "exercise"), 5),
        (("blocks", 1), 7),
        (("blocks", 1, "exercise"), 8),
        (("blocks", 1, "dosage"), 9),
        (("blocks", 1, "dosage", "reps"), 11),
        (("blocks", 1, "dosage", "tempo", "up"), 13),
        (("blocks", 1, "dosage", "sets"), 9),  # missing key: the nearest parent
        (("blocks", 2, "note"), 17),
        (("nothing",), None),
    ],
)
def test_line_of_nested_arrays_of_tables(loc: tuple[str | int, ...], line: int | None) -> None:
    assert line_of(NESTED, loc) == line


def test_line_of_nested_arrays_restart_per_parent() -> None:
    text = """\
[[a]]
[[a.b]]
x = 1
[[a.b]]
x = 2
[[a]]
[[a.b]]
x = 3
"""
    assert line_of(text, ("a", 1, "b", 0, "x")) == 8
    assert line_of(text, ("a", 0, "b", 1, "x")) == 5


def test_red_flag_tags_of_the_screen_are_the_tags_exercises_may_use() -> None:
    from soleus.domain.catalog import RED_FLAG_TAGS
    from soleus.domain.safety import RED_FLAGS

    assert {q.tag for q in RED_FLAGS} <= RED_FLAG_TAGS


def test_an_unknown_avoid_if_tag_is_refused_with_its_line(tmp_path: Path) -> None:
    path = user_exercise(tmp_path, 'avoid_if = ["clots"]\n' + GOOD)
    with pytest.raises(SoleusError, match="unknown tag 'clots'") as raised:
        load_file(Exercise, path)
    assert where(raised)[1] is not None


def test_unknown_id_suggests_close_matches_and_lists_the_known() -> None:
    from soleus.domain.catalog import unknown_id

    known = ["desk", "full", "spu-bout"]
    assert unknown_id("routine", "dsk", known) == (
        "unknown routine 'dsk': did you mean 'desk'? (known: desk, full, spu-bout)"
    )
    assert unknown_id("routine", "yoga", known) == (
        "unknown routine 'yoga' (known: desk, full, spu-bout)"
    )
    two = unknown_id("exercise", "calf-stretch", ["wall-calf-stretch", "standing-calf-stretch"])
    assert "did you mean 'wall-calf-stretch' or 'standing-calf-stretch'?" in two
