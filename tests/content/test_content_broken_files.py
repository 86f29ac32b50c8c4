"""Broken data files fail with a SoleusError that names the file and the line."""

from __future__ import annotations

import re
from pathlib import Path
from textwrap import dedent

import pytest

from soleus.content import (
    Skipped,
    builtin_catalog,
    check_user_file,
    load_catalog,
    load_file,
    load_routine_file,
    load_routines,
)
from soleus.domain.catalog import Exercise
from soleus.errors import SoleusError

GOOD_EXERCISE = """\
id = "{id}"
name = "Test exercise"
summary = "Only for tests."
position = "seated"
steps = ["Do the thing."]

[dosage]
kind = "reps"
sets = 2
reps = 10
"""


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(dedent(text), encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def located_line(error: SoleusError, path: Path) -> int:
    """The line of a ``path:LINE: message`` error, failing if the form is different."""
    match = re.match(re.escape(str(path)) + r":(\d+): \S", str(error))
    assert match, f"expected '{path}:LINE: ...', got {error}"
    return int(match.group(1))


def test_good_exercise_file_loads(tmp_path: Path) -> None:
    path = write(tmp_path / "exercises", "good.toml", GOOD_EXERCISE.format(id="good"))
    assert load_file(Exercise, path).dosage.reps == 10


# --- TOML syntax error ---------------------------------------------------------------


def _syntax_error(tmp_path: Path) -> Path:
    text = GOOD_EXERCISE.format(id="syntax").replace('name = "Test exercise"', 'name = "Test')
    return write(tmp_path / "exercises", "syntax.toml", text)


def test_toml_syntax_error_names_the_file_and_the_line(tmp_path: Path) -> None:
    path = _syntax_error(tmp_path)
    with pytest.raises(SoleusError) as caught:
        load_file(Exercise, path)
    message = str(caught.value)
    assert message.startswith(str(path))
    assert "line 2" in message


def test_toml_syntax_error_uses_file_colon_line_form(tmp_path: Path) -> None:
    path = _syntax_error(tmp_path)
    with pytest.raises(SoleusError) as caught:
        load_file(Exercise, path)
    assert located_line(caught.value, path) == 2


# --- negative reps -------------------------------------------------------------------


def _negative_reps(tmp_path: Path) -> Path:
    text = GOOD_EXERCISE.format(id="negative").replace("reps = 10", "reps = -3")
    return write(tmp_path / "exercises", "negative.toml", text)


def test_negative_reps_names_the_file_and_the_reps_line(tmp_path: Path) -> None:
    path = _negative_reps(tmp_path)
    with pytest.raises(SoleusError) as caught:
        load_file(Exercise, path)
    assert located_line(caught.value, path) == line_of(path, "reps = -3")
    assert "reps" in str(caught.value) and "-3" in str(caught.value)


# --- unknown key ---------------------------------------------------------------------


def test_unknown_key_names_the_file_and_the_line(tmp_path: Path) -> None:
    text = GOOD_EXERCISE.format(id="extra").replace(
        'steps = ["Do the thing."]', 'steps = ["Do the thing."]\ncolour = "red"'
    )
    path = write(tmp_path / "exercises", "extra.toml", text)
    with pytest.raises(SoleusError) as caught:
        load_file(Exercise, path)
    assert located_line(caught.value, path) == line_of(path, "colour")
    assert "colour" in str(caught.value)


def test_unknown_key_in_a_nested_table_names_its_line(tmp_path: Path) -> None:
    text = GOOD_EXERCISE.format(id="nested").replace("sets = 2", "sets = 2\nrepz = 4")
    path = write(tmp_path / "exercises", "nested.toml", text)
    with pytest.raises(SoleusError) as caught:
        load_file(Exercise, path)
    assert located_line(caught.value, path) == line_of(path, "repz")


# --- routine naming an unknown exercise -----------------------------------------------

UNKNOWN_ROUTINE = """\
id = "typo"
name = "Typo"

[[blocks]]
exercise = "soleus-pushup"

[[blocks]]
exercise = "calf-strech"
"""


def test_routine_with_unknown_exercise_names_the_file_and_the_line(tmp_path: Path) -> None:
    path = write(tmp_path / "routines", "typo.toml", UNKNOWN_ROUTINE)
    with pytest.raises(SoleusError) as caught:
        load_routine_file(path, builtin_catalog())
    assert located_line(caught.value, path) == line_of(path, "calf-strech")
    assert "calf-strech" in str(caught.value)


def test_user_routine_dir_is_checked_the_same_way(tmp_path: Path) -> None:
    path = write(tmp_path / "routines", "typo.toml", UNKNOWN_ROUTINE)
    with pytest.raises(SoleusError) as caught:
        load_routines(tmp_path, builtin_catalog())
    assert located_line(caught.value, path) == line_of(path, "calf-strech")


def test_file_name_must_match_id(tmp_path: Path) -> None:
    path = write(tmp_path / "exercises", "other.toml", GOOD_EXERCISE.format(id="mismatch"))
    with pytest.raises(SoleusError) as caught:
        load_file(Exercise, path)
    assert located_line(caught.value, path) == 1


# --- a broken user file is left out when the caller asks -----------------------------


def test_a_broken_user_routine_is_skipped_and_reported_with_its_line(tmp_path: Path) -> None:
    broken = write(tmp_path / "routines", "typo.toml", UNKNOWN_ROUTINE)
    good = UNKNOWN_ROUTINE.replace("typo", "fine").replace("calf-strech", "soleus-pushup")
    write(tmp_path / "routines", "fine.toml", good)
    heard: list[str] = []
    skipped = Skipped(heard.append)
    book = load_routines(tmp_path, builtin_catalog(), on_error=skipped)
    assert "fine" in book and "typo" not in book and "desk" in book
    assert list(skipped.errors) == [broken] and heard == skipped.messages()
    assert located_line(skipped.errors[broken], broken) == line_of(broken, "calf-strech")


def test_a_broken_user_exercise_is_skipped_and_its_routines_say_why(tmp_path: Path) -> None:
    text = GOOD_EXERCISE.format(id="mine").replace("reps = 10", "reps = -1")
    broken = write(tmp_path / "exercises", "mine.toml", text)
    write(tmp_path / "exercises", "other.toml", GOOD_EXERCISE.format(id="other"))
    routine = 'id = "uses-it"\nname = "Uses it"\n\n[[blocks]]\nexercise = "mine"\n'
    uses_it = write(tmp_path / "routines", "uses-it.toml", routine)
    skipped = Skipped()
    catalog = load_catalog(tmp_path, on_error=skipped)
    book = load_routines(tmp_path, catalog, on_error=skipped)
    assert "other" in catalog and "mine" not in catalog and "soleus-pushup" in catalog
    assert "uses-it" not in book and "desk" in book
    assert located_line(skipped.errors[broken], broken) == line_of(broken, "reps = -1")
    assert located_line(skipped.errors[uses_it], uses_it) == 5
    assert "'mine'" in str(skipped.errors[uses_it])


def test_check_user_file_raises_the_error_of_the_file_a_command_names(tmp_path: Path) -> None:
    broken = write(tmp_path / "routines", "typo.toml", UNKNOWN_ROUTINE)
    with pytest.raises(SoleusError) as caught:
        check_user_file(tmp_path, "routines", "typo", builtin_catalog())
    assert located_line(caught.value, broken) == line_of(broken, "calf-strech")
    check_user_file(tmp_path, "routines", "desk", builtin_catalog())  # no file: no error
    check_user_file(tmp_path, "routines", "../typo", builtin_catalog())  # not an id


def test_without_on_error_a_broken_user_file_still_raises(tmp_path: Path) -> None:
    write(tmp_path / "exercises", "mine.toml", 'id = "mine"\n')
    with pytest.raises(SoleusError, match=r"mine\.toml:1: "):
        load_catalog(tmp_path)
