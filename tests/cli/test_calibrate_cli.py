"""`soleus analyze --calibrate FILE`: three reps stored as the person's own, later
analyses count a small-amplitude person by them; bad input stores nothing (exit 2)."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from tests.cli.cli_helpers import run

from soleus.signal.simulate import Event, RepSet, Rest, Sensors, simulate
from soleus.signal.writers import generic_csv

SMALL = 1.2  # degrees: under the detector's default smallest rep


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOLEUS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SOLEUS_CONFIG_DIR", str(tmp_path / "cfg"))
    monkeypatch.setenv("SOLEUS_TIMEZONE", "Europe/Berlin")
    monkeypatch.delenv("SOLEUS_DATABASE_URL", raising=False)
    return tmp_path


def _file(home: Path, name: str, events: list[Event], seed: int) -> str:
    path = home / name
    path.write_bytes(generic_csv(simulate(events, Sensors(), seed=seed).recording))
    return str(path)


def _stored(home: Path) -> tuple[str | None, str | None]:
    """The person's stored calibration and its time, straight from the database."""
    with closing(sqlite3.connect(home / "data" / "soleus.db")) as db:
        row = db.execute("SELECT calibration, calibrated_at FROM persons").fetchone()
    return row[0], row[1]


def _count(capsys: pytest.CaptureFixture[str], path: str) -> int:
    code, out, _err = run(capsys, "analyze", path, "--json")
    assert code == 0
    return int(json.loads(out)["count"])


def test_a_calibration_makes_a_small_amplitude_persons_reps_count(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    small_set = _file(home, "set.csv", [Rest(10), RepSet(12, 30, SMALL), Rest(10)], 201)
    assert _count(capsys, small_set) == 0
    assert not (home / "data" / "soleus.db").exists()  # analysing alone creates no database
    three = _file(home, "three.csv", [Rest(4), RepSet(3, 20, SMALL), Rest(4)], 101)
    code, out, err = run(capsys, "analyze", "--calibrate", three)
    assert (code, err) == (0, "")
    assert out.startswith("calibrated: your own rep: 1.") and "from 3 reps" in out
    assert _count(capsys, small_set) >= 11
    code, out, _err = run(capsys, "analyze", "--calibrate", three, "--json")
    assert code == 0
    stored = json.loads(out)["calibration"]
    assert stored["reps"] == 3 and 0.8 < stored["amplitude_deg"] < 1.5


@pytest.mark.parametrize(
    ("events", "found"),
    [
        ([Rest(4), RepSet(8, 30), Rest(4)], "found 8 reps"),
        ([Rest(10)], "found no reps"),
    ],
)
def test_a_recording_without_three_clear_reps_stores_nothing(
    home: Path, capsys: pytest.CaptureFixture[str], events: list[Event], found: str
) -> None:
    three = _file(home, "three.csv", [Rest(4), RepSet(3, 20, SMALL), Rest(4)], 101)
    assert run(capsys, "analyze", "--calibrate", three)[0] == 0
    before = _stored(home)
    assert before[0] is not None
    bad = _file(home, "bad.csv", events, 5)
    code, out, err = run(capsys, "analyze", "--calibrate", bad)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and found in err and "nothing stored" in err
    assert "Traceback" not in err
    assert _stored(home) == before


def test_calibrate_with_log_or_plot_is_refused(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    three = _file(home, "three.csv", [Rest(4), RepSet(3, 20, SMALL), Rest(4)], 101)
    code, _out, err = run(capsys, "analyze", "--calibrate", three, "--log")
    assert code == 2 and "drop --log" in err
    assert not (home / "data" / "soleus.db").exists()
