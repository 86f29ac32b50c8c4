"""Analysis JSON, form flags, the simulator's writers through the importers, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from soleus.cli.main import main
from soleus.errors import SoleusError
from soleus.signal.analysis import analyze
from soleus.signal.formats import parse
from soleus.signal.simulate import Bout, LegLift, RepSet, Rest, Sensors, StandWalk, simulate
from soleus.signal.writers import WRITERS, sensorlogger_files

FIX = Path(__file__).parent.parent / "fixtures" / "recordings"
REP_KEYS = {"start_s", "top_s", "end_s", "rise_s", "release_s", "amplitude_deg"}


@pytest.fixture(scope="module")
def session() -> tuple[bytes, int]:
    sim = simulate(
        [
            Rest(3),
            RepSet(10, 30, 5.0, incomplete_every=4),
            Rest(25),
            RepSet(8, 28, 5.0),
            LegLift(20.0),
            Rest(3),
        ],
        Sensors(rate_hz=100.0),
        seed=11,
    )
    return WRITERS["generic-csv"][1](sim.recording), len(sim.truth.reps)


@pytest.mark.parametrize("fmt", list(WRITERS))
def test_every_written_format_reads_back_to_the_same_count(fmt: str) -> None:
    sim = simulate([Rest(3), RepSet(8, 30, 5.0), Rest(3)], Sensors(rate_hz=100.0), seed=21)
    name, write = WRITERS[fmt]
    rec = parse(write(sim.recording), name)
    assert analyze(rec).count == 8


def test_json_shape(session: tuple[bytes, int]) -> None:
    raw, n = session
    result = analyze(parse(raw, "generic.csv")).to_dict()
    assert result["count"] == n == len(result["reps"])
    assert {"count", "duration_s", "sample_rate_hz", "format", "reps", "bouts", "flags"} <= set(
        result
    )
    assert all(set(r) >= REP_KEYS for r in result["reps"])
    assert [b["count"] for b in result["bouts"]] == [10, 8]
    assert all(set(b) == {"start_s", "end_s", "count", "cadence_per_min"} for b in result["bouts"])
    rules = {f["rule"] for f in result["flags"]}
    assert {"incomplete_range", "whole_leg_lift"} <= rules
    assert all(set(f) == {"rule", "message", "rep"} for f in result["flags"])
    incomplete = [f["rep"] for f in result["flags"] if f["rule"] == "incomplete_range"]
    assert {3, 7} <= set(incomplete)  # every 4th rep of the first set was half height


def test_bout_style_flags_slow_release_and_pauses() -> None:
    sim = simulate(
        [Rest(3), RepSet(8, 25, 5.0, 0.35, release_s=1.5), Rest(250), Bout(30, 50), Rest(3)],
        seed=12,
    )
    result = analyze(sim.recording, style="bout")
    rules = [f.rule for f in result.flags]
    assert "slow_release" in rules
    assert "pause" in rules
    assert len(result.bouts) == 2
    sets = analyze(sim.recording, style="sets")
    assert "slow_release" not in [f.rule for f in sets.flags]


def test_cadence_out_of_range_for_sets() -> None:
    sim = simulate([Rest(3), RepSet(12, 70, 5.0, 0.5), Rest(3)], seed=13)
    result = analyze(sim.recording, style="sets")
    assert any(f.rule == "cadence" and "fast" in f.message for f in result.flags)


def test_walking_gives_no_reps_and_a_reason() -> None:
    sim = simulate([Rest(2), StandWalk(40), Rest(2)], seed=14)
    result = analyze(sim.recording)
    assert result.count == 0
    assert result.reason is not None and "no soleus pushups found" in result.reason


def _cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        main(args)
        code = 0
    except SystemExit as done:
        code = int(done.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_json_prints_one_object(
    session: tuple[bytes, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw, n = session
    path = tmp_path / "session.csv"
    path.write_bytes(raw)
    code, out, _ = _cli(["analyze", str(path), "--json", "--side", "left"], capsys)
    assert code == 0
    data = json.loads(out)
    assert data["count"] == n and data["side"] == "left"


def test_cli_report_and_plot(
    session: tuple[bytes, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw, n = session
    path = tmp_path / "session.csv"
    path.write_bytes(raw)
    png = tmp_path / "out.png"
    code, out, _ = _cli(["analyze", str(path), "--plot", str(png)], capsys)
    assert code == 0
    assert f"{n} soleus pushups" in out
    assert png.read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize(
    "name",
    [
        "empty.csv",
        "unknown.csv",
        "generic_in_g.csv",
        "sensorlogger_truncated.zip",
        "missing.csv",
        "generic_one_sample.csv",
    ],
)
def test_cli_bad_input_exits_2_with_one_line(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _cli(["analyze", str(FIX / name)], capsys)
    assert code == 2
    assert out == ""
    assert err.startswith("soleus: error:") and err.count("\n") == 1
    assert "Traceback" not in err


def test_cli_no_reps_is_not_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sim = simulate([Rest(12)], Sensors(rate_hz=100.0), seed=15)
    path = tmp_path / "still.csv"
    path.write_bytes(WRITERS["generic-csv"][1](sim.recording))
    code, out, _ = _cli(["analyze", str(path), "--json"], capsys)
    assert code == 0
    data = json.loads(out)
    assert data["count"] == 0 and data["reason"].startswith("no soleus pushups found")
    code, out, _ = _cli(["analyze", str(path)], capsys)
    assert code == 0 and "no soleus pushups found: the thigh hardly moved" in out


@pytest.mark.parametrize("name", ["generic.csv", "Gyroscope.csv", "physicstoolbox_multi.csv"])
def test_too_short_is_a_one_line_error_not_an_empty_result(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _cli(["analyze", str(FIX / name), "--json"], capsys)
    assert code == 2 and out == ""
    assert f"{name}: too short to analyse (" in err
    assert "at least 5 s needed" in err and err.count("\n") == 1
    with pytest.raises(SoleusError, match=r"too short to analyse \(0\.4 s; at least 5 s"):
        analyze(parse((FIX / "generic.csv").read_bytes(), "generic.csv"))


def test_a_lone_sensor_logger_gyroscope_csv_is_enough(tmp_path: Path) -> None:
    sim = simulate([Rest(3), RepSet(8, 30, 5.0), Rest(3)], Sensors(rate_hz=100.0), seed=22)
    raw = sensorlogger_files(sim.recording)["Gyroscope.csv"]
    result = analyze(parse(raw, "Gyroscope.csv"))
    assert result.sensors == "gyroscope"
    assert result.count == 8


def test_cli_plot_needs_png_or_svg(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = _cli(
        ["analyze", str(FIX / "generic.csv"), "--plot", str(tmp_path / "x.pdf")], capsys
    )
    assert code == 2 and ".png or .svg" in err


def test_the_style_is_decided_from_the_reps_unless_given() -> None:
    from soleus.signal.analysis import analyze
    from soleus.signal.simulate import Bout, RepSet, Rest, simulate

    bout = simulate([Rest(4), Bout(90, 55, 4.0), Rest(4)], seed=3).recording
    sets = simulate([Rest(4), RepSet(12, 30), Rest(20), RepSet(12, 30), Rest(4)], seed=3).recording
    assert analyze(bout).style == "bout"
    assert analyze(sets).style == "sets"
    assert analyze(bout, style="sets").style == "sets"  # the person's choice stands
