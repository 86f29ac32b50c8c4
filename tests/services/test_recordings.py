"""Recordings become sessions: counts per bout, the file kept once, bad files refused."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from tests.required import require_module

from soleus.errors import SoleusError
from soleus.services.context import Context
from soleus.services.recordings import library as recordings
from soleus.services.reports import history
from soleus.signal.analysis import analyze
from soleus.signal.simulate import RepSet, Rest, Sensors, simulate
from soleus.signal.writers import WRITERS
from soleus.store import sessions as sessions_repo


@cache
def two_sets() -> bytes:
    """Two sets of soleus pushups 30 s apart, as a phyphox zip."""
    sim = simulate(
        [Rest(4), RepSet(8, 30, 5.0), Rest(30), RepSet(6, 30, 5.0), Rest(4)],
        Sensors(rate_hz=100.0),
        seed=7,
    )
    return WRITERS["phyphox-zip"][1](sim.recording)


def expected_sets(raw: bytes) -> list[int]:
    from soleus.signal.formats import parse

    return [b.count for b in analyze(parse(raw, "x.zip")).bouts]


def session_of(ctx: Context, session_id: str) -> dict[str, Any]:
    with ctx.store.begin() as conn:
        session = sessions_repo.get(conn, session_id=session_id, person_id=ctx.person_id)
        assert session is not None
        session["sets"] = sessions_repo.list_sets(
            conn, person_id=ctx.person_id, session_id=session_id
        )
    return session


def all_sessions(ctx: Context) -> list[dict[str, object]]:
    with ctx.store.begin() as conn:
        return list(sessions_repo.list_sessions(conn, person_id=ctx.person_id))


def test_a_recording_logs_a_session_with_a_set_per_bout(ctx: Context) -> None:
    raw = two_sets()
    want = expected_sets(raw)
    assert want == [8, 6]
    logged = recordings.log(ctx, raw, "phyphox.zip", side="left")
    assert not logged.duplicate and logged.count == 14 and logged.sets == (8, 6)
    session = session_of(ctx, logged.session_id)
    assert session["source"] == "recording" and session["status"] == "finished"
    assert session["recording"] == logged.recording
    assert logged.recording.startswith("recordings/") and logged.recording.endswith(".zip")
    assert (ctx.settings.data_dir / logged.recording).read_bytes() == raw
    sets = [
        (s["side"], s["set_number"], s["actual_reps"], s["target_reps"]) for s in session["sets"]
    ]
    assert sets == [("left", 1, 8, 8), ("left", 2, 6, 6)]
    assert all(s["exercise_id"] == "soleus-pushup" and s["kind"] == "reps" for s in session["sets"])
    assert history.stats(ctx).per_exercise["soleus-pushup"].reps == 14


def test_the_same_file_twice_logs_once(ctx: Context, tmp_path: Path) -> None:
    path = tmp_path / "again.zip"
    path.write_bytes(two_sets())
    first = recordings.log_file(ctx, path, side="right")
    second = recordings.log_file(ctx, path, side="right")
    assert second.duplicate and second.session_id == first.session_id
    assert "already logged" in second.message
    assert len(all_sessions(ctx)) == 1


@pytest.mark.parametrize(
    ("raw", "name", "says"),
    [
        (b"", "empty.csv", "empty"),
        (b"foo,bar\n1,2\n", "odd.csv", "unknown format"),
        (b"PK\x03\x04 not really a zip", "broken.zip", ""),
        (b"t,ax,ay,az\n0,0,0,9.8\n", "short.csv", "sample"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_written(
    ctx: Context, raw: bytes, name: str, says: str
) -> None:
    with pytest.raises(SoleusError) as caught:
        recordings.log(ctx, raw, name)
    assert says in str(caught.value)
    assert all_sessions(ctx) == []
    assert not (ctx.settings.data_dir / "recordings").exists()


def test_a_recording_without_reps_is_not_logged(ctx: Context) -> None:
    sim = simulate([Rest(20)], Sensors(rate_hz=50.0), seed=3)
    raw = WRITERS["generic-csv"][1](sim.recording)
    with pytest.raises(SoleusError, match="nothing to log: no soleus pushups found"):
        recordings.log(ctx, raw, "still.csv")
    assert all_sessions(ctx) == []
    assert not (ctx.settings.data_dir / "recordings").exists()


def test_side_and_style_are_checked(ctx: Context) -> None:
    with pytest.raises(SoleusError, match="side must be left or right"):
        recordings.log(ctx, two_sets(), "x.zip", side="middle")
    with pytest.raises(SoleusError, match="style must be auto, sets or bout"):
        recordings.log(ctx, two_sets(), "x.zip", style="fast")


def test_an_upload_waits_and_then_saves_once(ctx: Context) -> None:
    raw = two_sets()
    checked = recordings.read(raw, "up.zip")
    recordings.hold_upload(ctx, raw, checked)
    held = ctx.settings.data_dir / recordings.UPLOADS / f"{checked.digest}.zip"
    assert held.is_file()
    logged = recordings.save_upload(ctx, checked.digest, name="up.zip", side=None, style="sets")
    assert logged.count == 14 and not held.exists()
    assert session_of(ctx, logged.session_id)["sets"][0]["side"] == "both"
    again = recordings.save_upload(ctx, checked.digest, name="up.zip", side=None, style="sets")
    assert again.duplicate
    with pytest.raises(SoleusError, match="bad id"):
        recordings.held_upload(ctx, "../../etc/passwd")


def test_cli_analyze_log_stores_it_once(
    ctx: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from soleus.cli.main import cli

    path = tmp_path / "Raw Data.zip"
    path.write_bytes(two_sets())
    monkeypatch.setenv("SOLEUS_DATA_DIR", str(ctx.settings.data_dir))
    monkeypatch.setenv("SOLEUS_CONFIG_DIR", str(ctx.settings.config_dir))
    runner = CliRunner()
    first = runner.invoke(cli, ["analyze", str(path), "--log", "--side", "left"])
    assert first.exit_code == 0, first.output
    assert "logged 14 soleus pushups (8 + 6)" in first.output
    second = runner.invoke(cli, ["analyze", str(path), "--log", "--json"])
    assert second.exit_code == 0, second.output
    data = json.loads(second.output)
    assert data["count"] == 14 and data["logged"]["duplicate"] is True
    assert len(all_sessions(ctx)) == 1
    shown = runner.invoke(cli, ["history", "--json"])
    assert shown.exit_code == 0 and "recording" in shown.output


def test_cli_analyze_video_log_stores_the_reps_and_the_clip_once(
    ctx: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    require_module("mediapipe", "the video extra (mediapipe): pip install -e '.[video]'")
    require_module("cv2", "the video extra (opencv): pip install -e '.[video]'")
    from soleus.cli.main import cli
    from soleus.video import synthetic

    clip = tmp_path / "spu.mp4"
    synthetic.write(clip, 5)
    monkeypatch.setenv("SOLEUS_DATA_DIR", str(ctx.settings.data_dir))
    monkeypatch.setenv("SOLEUS_CONFIG_DIR", str(ctx.settings.config_dir))
    runner = CliRunner()
    first = runner.invoke(cli, ["analyze", str(clip), "--log", "--side", "right", "--json"])
    assert first.exit_code == 0, first.output
    data = json.loads(first.output)
    assert data["count"] == 5 and data["logged"]["duplicate"] is False
    kept = ctx.settings.data_dir / data["logged"]["recording"]
    assert kept.suffix == ".mp4" and kept.read_bytes() == clip.read_bytes()
    session = session_of(ctx, data["logged"]["session_id"])
    assert session["source"] == "recording" and "spu.mp4" in session["note"]
    assert sum(s["actual_reps"] for s in session["sets"]) == 5
    assert {s["side"] for s in session["sets"]} == {"right"}
    again = runner.invoke(cli, ["analyze", str(clip), "--log"])
    assert again.exit_code == 0 and "already logged" in again.output
    assert len(all_sessions(ctx)) == 1


def test_a_video_without_reps_is_not_logged(ctx: Context, tmp_path: Path) -> None:
    require_module("mediapipe", "the video extra (mediapipe): pip install -e '.[video]'")
    require_module("cv2", "the video extra (opencv): pip install -e '.[video]'")
    from soleus.video import synthetic

    clip = tmp_path / "nobody.mkv"
    synthetic.write(clip, 1, person=False)
    checked = recordings.read_video(clip)
    with pytest.raises(SoleusError, match="nothing to log"):
        recordings.log_video(ctx, checked)
    assert all_sessions(ctx) == []
    assert not (ctx.settings.data_dir / "recordings").exists()


def test_a_json_export_is_kept_as_json(ctx: Context) -> None:
    import numpy as np

    sim = simulate([Rest(3), RepSet(8, 30, 5.0), Rest(3)], Sensors(rate_hz=100.0), seed=21)
    rec = sim.recording
    assert rec.t_acc is not None and rec.acc is not None
    records = [
        {
            "sensor": "TotalAcceleration",
            "time": str(1_700_000_000_000_000_000 + round(t * 1e9)),
            "z": str(a[2]),
            "y": str(a[1]),
            "x": str(a[0]),
        }
        for t, a in zip(rec.t_acc.tolist(), np.asarray(rec.acc).tolist(), strict=True)
    ]
    raw = json.dumps(records).encode()
    checked = recordings.read(raw, "export.json")
    assert checked.ext == "json" and checked.analysis.count == 8
    recordings.hold_upload(ctx, raw, checked)
    logged = recordings.save_upload(
        ctx, checked.digest, name="export.json", side=None, style="sets"
    )
    assert logged.count == 8 and logged.recording.endswith(".json")


def test_style_is_decided_from_the_reps_unless_chosen() -> None:
    from soleus.signal.simulate import Bout

    sim = simulate([Rest(4), Bout(40, 60, 4.0), Rest(4)], Sensors(rate_hz=100.0), seed=3)
    raw = WRITERS["generic-csv"][1](sim.recording)
    assert recordings.read(raw, "bout.csv").analysis.style == "bout"
    assert recordings.read(raw, "bout.csv", style="auto").analysis.style == "bout"
    assert recordings.read(raw, "bout.csv", style="sets").analysis.style == "sets"
    assert recordings.read(two_sets(), "x.zip").analysis.style == "sets"
