"""The video rep detector on exact landmark tracks (numpy only: runs without MediaPipe).

Tracks come from the drawn leg's geometry (:func:`soleus.video.synthetic.points`) with
landmark jitter added, so these tests pin the algorithm, not MediaPipe.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from soleus.video import is_video
from soleus.video.analysis import analyze_tracks
from soleus.video.landmarks import FootTracks
from soleus.video.reps import NO_FEET
from soleus.video.synthetic import MAX_HEEL_PX, points, profile


def tracks(
    reps: int,
    *,
    toe_ratio: float = 0.0,
    heights: list[float] | None = None,
    jitter_px: float = 0.5,
    zoom: float = 1.0,
    roll_deg: float = 0.0,
    hover: tuple[float, float, float] | None = None,
    seed: int = 1,
) -> tuple[FootTracks, np.ndarray]:
    t, y, truth = profile(reps)
    if hover is not None:  # (from_s, to_s, level): the heel comes down only to level
        a, b, level = hover
        span = (t > a) & (t < b)
        y[span] = np.maximum(y[span], level)
    if heights is not None:  # per-rep height scale
        period = truth.starts[1] - truth.starts[0] if reps > 1 else 10.0
        k = np.clip(((t - truth.starts[0] + 0.5) // period).astype(int), 0, reps - 1)
        y = y * np.asarray(heights)[k]
    rng = np.random.default_rng(seed)
    pts = np.stack([points(MAX_HEEL_PX * v, toe_ratio * MAX_HEEL_PX * v) for v in y])
    c, s = np.cos(np.radians(roll_deg)), np.sin(np.radians(roll_deg))
    pts = (pts - 300.0) @ np.array([[c, -s], [s, c]]).T * zoom + 300.0
    pts = pts + rng.normal(0.0, jitter_px * zoom, pts.shape)
    xy = np.full((t.size, 2, 4, 2), np.nan)
    xy[:, 1] = pts  # the near foot
    # the far foot: MediaPipe guesses it on the near one, badly
    xy[:, 0] = pts + rng.normal(0.0, 15.0 * zoom, pts.shape)
    vis = np.full((t.size, 2, 4), 0.9)
    return FootTracks(t, xy, vis, 640, 480, 30.0, "test"), truth.tops


def test_counts_heel_raises_and_the_forefoot_stays_down() -> None:
    tr, tops = tracks(6)
    a = analyze_tracks(tr)
    assert a.count == 6
    assert a.side == "right"  # the foot whose shin and foot keep their lengths
    assert np.abs(np.array([r.top_s for r in a.reps]) - tops).max() < 0.1
    assert all(r.toe_ratio < 0.15 for r in a.reps)
    assert not [f for f in a.flags if f.rule == "forefoot_lifted"]
    d = a.to_dict()
    assert d["source"] == "video" and d["count"] == 6
    assert {"start_s", "top_s", "end_s", "rise_s", "release_s", "amplitude_deg", "toe_ratio"} <= (
        d["reps"][0].keys()
    )


def test_flags_a_forefoot_that_rises_with_the_heel() -> None:
    a = analyze_tracks(tracks(5, toe_ratio=0.35)[0])
    assert a.count == 5
    lifted = [f for f in a.flags if f.rule == "forefoot_lifted"]
    assert [f.rep for f in lifted] == [0, 1, 2, 3, 4]
    assert all(0.25 < r.toe_ratio < 0.45 for r in a.reps)


def test_a_whole_foot_lift_is_not_a_rep() -> None:
    a = analyze_tracks(tracks(4, toe_ratio=1.0)[0])
    assert a.count == 0
    assert a.reason is not None and "whole foot lifted" in a.reason
    assert any(f.rule == "whole_leg_lift" for f in a.flags)


@pytest.mark.parametrize(("zoom", "roll"), [(0.4, 0.0), (3.0, 0.0), (1.0, 12.0), (1.0, -12.0)])
def test_zoom_and_camera_roll_do_not_matter(zoom: float, roll: float) -> None:
    a = analyze_tracks(tracks(5, zoom=zoom, roll_deg=roll)[0])
    assert a.count == 5
    assert all(r.toe_ratio < 0.15 for r in a.reps)


def test_small_reps_against_the_clips_best_are_flagged() -> None:
    a = analyze_tracks(tracks(5, heights=[1.0, 1.0, 0.5, 1.0, 1.0])[0])
    assert a.count == 5
    assert [f.rep for f in a.flags if f.rule == "incomplete_range"] == [2]


def test_heel_that_stays_up_between_reps_is_flagged() -> None:
    # between the tops of reps 2 and 3 the heel comes down only to 35% of the rise
    a = analyze_tracks(tracks(4, hover=(3.8, 6.0, 0.35))[0])
    assert a.count == 4
    assert [f.rep for f in a.flags if f.rule == "heel_not_down"] == [1]


def test_no_person_and_no_movement() -> None:
    tr, _ = tracks(3)
    empty = FootTracks(
        tr.t, np.full_like(tr.xy, np.nan), np.zeros_like(tr.vis), 640, 480, 30.0, "t"
    )
    a = analyze_tracks(empty)
    assert a.count == 0 and a.reason == NO_FEET
    assert a.to_dict()["reason"] == NO_FEET
    still = tracks(0)[0]
    assert analyze_tracks(still).reason == "no soleus pushups found: the heel hardly moved"


def test_video_files_are_recognised_by_name_or_by_their_first_bytes(tmp_path: Path) -> None:
    for name in ("a.mp4", "b.MOV", "c.webm", "d.avi", "e.mkv"):
        assert is_video(tmp_path / name)
    (tmp_path / "clip").write_bytes(b"\x00\x00\x00\x18ftypmp42")
    (tmp_path / "rec.csv").write_text("t,ax,ay,az\n")
    assert is_video(tmp_path / "clip")
    assert not is_video(tmp_path / "rec.csv")
