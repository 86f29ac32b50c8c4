"""bench/sim3, the held-out simulator: its files are what the importers read, its
physics is what the detector measures, and its scorer counts the way it says."""

from __future__ import annotations

import json
import math
import zipfile
from pathlib import Path

import numpy as np
import pytest
from bench.sim3 import files
from bench.sim3.body import DEG, Body
from bench.sim3.moves import Leg, Plan, Tissue
from bench.sim3.phone import random_pocket, sense
from bench.sim3.scenes import make
from bench.sim3.score import (
    FileScore,
    _pair,
    _paused,
    _shown,
    _windows,
    score_file,
    table,
)
from bench.sim3.sensors import Stream

from soleus.signal.formats import load


def test_a_file_of_sets_reads_back_with_its_rate_and_sensors(tmp_path: Path) -> None:
    made = make("200hz", 0, 7, tmp_path, 1)
    rec = load(made.path)
    assert made.truth["rate_hz"] == 200.0
    assert 190.0 < rec.sample_rate_hz < 210.0
    assert rec.gyro is not None
    assert abs(rec.duration_s - made.truth["duration_s"]) < 0.1
    (s,) = made.truth["sets"]
    assert 8 <= s["count"] == len(s["tops_s"]) <= 15
    reps = zip(s["starts_s"], s["tops_s"], s["hold_ends_s"], s["ends_s"], strict=True)
    assert all(a < t <= h < e for a, t, h, e in reps)
    # the heel is within 2 % of its height around the rise's end (a hold may sag more)
    for (first, last), top, end in zip(s["near_top_s"], s["tops_s"], s["ends_s"], strict=True):
        assert first < top < last < end


def test_the_same_seed_gives_the_same_file(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = make("no_gyro", 3, 11, tmp_path / "a", 1)
    b = make("no_gyro", 3, 11, tmp_path / "b", 1)
    assert load(a.path).gyro is None
    assert a.path.read_bytes() == b.path.read_bytes()
    assert a.truth == b.truth


def _still(seconds: float, pitch_deg: float) -> Body:
    body = Body.empty(seconds)
    body.pitch += pitch_deg * DEG
    body.hip[:, 2] += 0.46
    return body


def test_a_still_thigh_reads_gravity_alone() -> None:
    pocket = random_pocket(np.random.default_rng(1))
    truth = sense(_still(2.0, 5.0), pocket, 9.81, 0.01)
    assert np.allclose(np.linalg.norm(truth.acc, axis=1), 9.81, atol=1e-6)
    assert np.allclose(truth.gyro, 0.0, atol=1e-9)
    assert np.allclose(truth.acc, truth.gravity, atol=1e-6)


def test_a_heel_raise_tilts_the_phone_by_the_thighs_pitch() -> None:
    """Whatever the pocket, gravity in the phone turns by atan(k h / L) at the top."""
    rng = np.random.default_rng(5)
    leg = Leg(thigh_m=0.44, knee_ratio=0.8, pocket_m=0.2)
    plan = Plan(rng, leg, Tissue((6.0, 12.0), 0.08, 8.0))
    plan.rest(1.0)
    ts = plan.spu_set(8, 20.0, 6.0, "slow")
    plan.rest(1.0)
    body = plan.render(0.5)
    truth = sense(body, random_pocket(rng), 9.81, 0.01)
    g0 = truth.gravity[int(0.5 * 1000)]
    for top, tilt in zip(ts.tops, ts.tilts_deg, strict=True):
        g = truth.gravity[int(top * 1000)]
        angle = math.degrees(math.acos(float(np.dot(g, g0)) / (9.81 * 9.81)))
        assert angle == pytest.approx(tilt, abs=0.05)
    first = ts.tilts_deg[0] / ts.tilts_deg[1]
    assert math.degrees(leg.tilt(0.06)) == pytest.approx(6.23, abs=0.01)
    assert 0.4 < first < 2.0


def test_ios_sensor_logger_carries_the_same_acceleration_as_the_generic_csv(
    tmp_path: Path,
) -> None:
    t = np.arange(0.0, 6.0, 0.01)
    acc = Stream(t, np.column_stack([np.sin(t), np.cos(t), 9.7 + 0.0 * t]))
    gravity = np.column_stack([0.0 * t, 0.0 * t, 9.7 + 0.0 * t])
    ios = load(files.write(tmp_path / "ios", "sl_ios", acc, None, gravity))
    plain = load(files.write(tmp_path / "plain", "generic", acc, None))
    assert ios.acc is not None and plain.acc is not None
    assert np.allclose(ios.acc, plain.acc, atol=2e-6)


def test_reps_count_for_the_set_whose_window_holds_their_top() -> None:
    apart = [{"start_s": 10.0, "end_s": 40.0}, {"start_s": 45.0, "end_s": 70.0}]
    assert _windows(apart) == [(8.5, 41.5), (43.5, 71.5)]
    close = [{"start_s": 10.0, "end_s": 40.0}, {"start_s": 42.0, "end_s": 70.0}]
    assert _windows(close) == [(8.5, 41.0), (41.0, 71.5)]  # never past halfway
    # a top while the heel is near its height is exact; before or after, it is off
    assert _pair([(5.0, 5.8), (9.0, 9.1)], [5.5, 9.4]) == pytest.approx([0.0, 300.0])
    assert _pair([(5.0, 5.0)], [7.0]) == []


def test_a_set_is_paused_by_a_gyroscope_gap_from_2_s_before_it() -> None:
    t = np.concatenate([np.arange(0.0, 10.0, 0.01), np.arange(10.3, 20.0, 0.01)])
    assert _paused(t, 11.0, 15.0)
    assert not _paused(t, 12.5, 15.0)
    assert not _paused(t, 2.0, 9.0)


def test_the_table_counts_exact_and_within_one(tmp_path: Path) -> None:
    scores = [
        FileScore("a", "slow_release", True, 0.0, [("set", 10, 10), ("set", 12, 11)], [20.0]),
        FileScore("b", "bout", True, 0.0, [("bout", 100, 96)], [10.0, 30.0]),
        FileScore("c", "quiet", False, 5.0, false_reps=2),
    ]
    text = table(scores)
    rows = {line.split()[0]: line.split()[1:] for line in text.splitlines()}
    # files, sets, exact, ±1, ±5 %, median and p90 top error, false reps, quiet minutes
    assert rows["slow_release"] == ["1", "2", "50.0", "100.0", "50.0", "20", "20", "0", "0.0"]
    assert rows["bout"] == ["1", "1", "0.0", "0.0", "100.0", "20", "30", "0", "0.0"]
    assert "false reps: 2 in 5 quiet minutes" in text
    assert "gyroscope gap" not in text
    for sc, fmt in zip(scores, ("generic", "sl_ios", "generic"), strict=True):
        sc.tags = {"format": fmt}
    by_format = table(scores, "format").splitlines()
    assert by_format[0].split()[:3] == ["format", "files", "sets"]
    assert [r.split()[:3] for r in by_format[2:4]] == [["generic", "2", "2"], ["sl_ios", "1", "1"]]
    scores[0].gyro_gaps = [False, True]
    assert "in the set: 0/1 (0.0 %); without: 1/2 (50.0 %)" in table(scores)


def test_show_names_the_reps_no_top_came_near() -> None:
    fs = FileScore("f.csv", "bout", True, 0.0, [("set", 10, 10), ("bout", 60, 57)])
    fs.missed, fs.gyro_gaps, fs.false_reps = [[], [40, 41, 42]], [False, True], 1
    assert _shown(fs) == [
        "f.csv: bout 2/2 60 -> 57; no top near rep 41, 42, 43; the gyroscope paused in it",
        "f.csv: 1 false rep(s)",
    ]


def test_the_scorer_runs_the_apps_analysis_on_a_quiet_file(tmp_path: Path) -> None:
    made = make("quiet", 0, 3, tmp_path, 0.5)
    (tmp_path / "quiet_000.truth.json").write_text(json.dumps(made.truth))
    got = score_file(tmp_path / "quiet_000.truth.json")
    assert got.error == "" and got.quiet_minutes > 0.5
    assert got.sets == []


@pytest.mark.parametrize("fmt", files.FORMATS_GYRO)
def test_every_format_reads_back_as_the_same_streams(tmp_path: Path, fmt: str) -> None:
    rng = np.random.default_rng(2)
    t = np.cumsum(rng.uniform(0.009, 0.011, 700))
    down = np.tile([0.0, 0.0, 9.8], (700, 1))
    acc = Stream(t, rng.normal(0.0, 0.3, (700, 3)) + down)
    gyro = Stream(t + 0.003, rng.normal(0.0, 0.2, (700, 3)))
    path = files.write(tmp_path / "rec", fmt, acc, gyro, down)
    if path.suffix == ".zip":  # stamped with the recording's date: a seed gives the same bytes
        stamps = {i.date_time for i in zipfile.ZipFile(path).infolist()}
        assert stamps == {(2025, 12, 6, 7, 33, 20)}
    rec = load(path)
    assert rec.acc is not None and rec.gyro is not None and rec.t_acc is not None
    assert np.allclose(rec.acc, acc.v, atol=2e-6)
    assert np.allclose(rec.gyro, gyro.v, atol=2e-6)
    # time from the first sample of either stream; one clock in the generic CSV
    shift = 0.003 if fmt != "generic" else 0.0
    assert np.allclose(rec.t_acc, t - t[0], atol=2e-6)
    assert rec.t_gyro is not None and np.allclose(rec.t_gyro, t - t[0] + shift, atol=2e-6)
