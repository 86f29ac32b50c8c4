"""`soleus analyze --json`: every key it prints is documented, in README and in --help."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from soleus.cli.main import main
from soleus.signal.simulate import RepSet, Rest, Sensors, simulate
from soleus.signal.writers import WRITERS

README = (Path(__file__).parents[2] / "README.md").read_text()


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The --json of a phone recording with reps, bouts and form flags."""
    sim = simulate(
        [Rest(3), RepSet(10, 30, 5.0, incomplete_every=4), Rest(3)],
        Sensors(rate_hz=100.0),
        seed=11,
    )
    path = tmp_path_factory.mktemp("rec") / "session.csv"
    path.write_bytes(WRITERS["generic-csv"][1](sim.recording))
    got: dict[str, Any] = _json("analyze", str(path), "--json")
    return got


def _json(*args: str) -> Any:
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
        main(list(args))
    return json.loads(out.getvalue())


def _help(capsys: pytest.CaptureFixture[str]) -> str:
    try:
        main(["analyze", "--help"])
    except SystemExit as done:
        assert not done.code
    return capsys.readouterr().out


def _keys(data: dict[str, Any]) -> set[str]:
    keys = set(data) | {"logged"}
    for member in ("reps", "bouts", "flags"):
        assert data[member], f"the fixture should have {member}"
        keys |= {f"{member}.{key}" for key in data[member][0]}
    return keys


def test_every_json_key_is_in_the_readme_table(result: dict[str, Any]) -> None:
    table = README[README.index("--json` prints one object") :]
    table = table[: table.index("\n\n", table.index("| key |"))]
    for key in _keys(result):
        name = key.split(".")[-1]
        assert f"`{name}`" in table or f"`{name}[]`" in table, key


def test_every_json_key_is_in_the_help(
    result: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    text = _help(capsys)
    for key in _keys(result):
        assert re.search(rf"\b{re.escape(key.split('.')[-1])}\b", text), key


def test_help_shows_no_raw_markup(capsys: pytest.CaptureFixture[str]) -> None:
    text = _help(capsys)
    assert "``" not in text
    assert 'pip install "soleus[video]"' in text


def test_flag_rep_is_the_0_based_index_its_1_based_message_names(
    result: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    """As README and --help say: "rep 8" in a message is `rep: 7`, i.e. reps[7]."""
    numbered = [f for f in result["flags"] if re.match(r"rep \d+ ", f["message"])]
    assert numbered
    for flag in numbered:
        number = int(flag["message"].split()[1])
        assert flag["rep"] == number - 1 and 0 <= flag["rep"] < len(result["reps"])
    assert "0-based index" in README and "0-based index" in _help(capsys)


def test_style_is_decided_from_the_reps_by_default(tmp_path: Path) -> None:
    from soleus.signal.simulate import Bout

    sim = simulate([Rest(4), Bout(40, 60, 4.0), Rest(4)], Sensors(rate_hz=100.0), seed=3)
    path = tmp_path / "bout.csv"
    path.write_bytes(WRITERS["generic-csv"][1](sim.recording))
    assert _json("analyze", str(path), "--json")["style"] == "bout"
    assert _json("analyze", str(path), "--json", "--style", "sets")["style"] == "sets"
