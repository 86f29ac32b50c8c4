"""End to end: a video generated here, through ``soleus analyze``, with MediaPipe pose.

No photo of a whole seated person ships inside any installed package (the only photo of
a person found in site-packages, matplotlib's ``grace_hopper.jpg``, is a head-and-
shoulders portrait), so the person is drawn with OpenCV (:mod:`soleus.video.synthetic`,
our own drawing, no licence question): a side view of someone seated, the heel rising
while the toes stay flat, 30 fps, written as MPEG-4. The network is cut while MediaPipe
runs: the pose model must come from the installed package.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from tests.required import require_module

require_module("mediapipe", "the video extra (mediapipe): pip install -e '.[video]'")
require_module("cv2", "the video extra (opencv): pip install -e '.[video]'")

from soleus.cli.main import main  # noqa: E402
from soleus.video import synthetic  # noqa: E402
from soleus.video.reps import NO_FEET  # noqa: E402


@pytest.fixture(scope="module", autouse=True)
def offline() -> Iterator[None]:
    """No network while these tests run, and no MediaPipe model download either."""

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise OSError("network is unreachable in this test")

    from mediapipe.python.solutions import download_utils

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(socket.socket, "connect", refuse)
        mp.setattr(socket, "create_connection", refuse)
        mp.setattr(download_utils, "download_oss_model", refuse)
        yield


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        main(list(args))
        code = 0
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


def analyze(capsys: pytest.CaptureFixture[str], path: Path, *args: str) -> dict[str, Any]:
    code, out, err = run(capsys, "analyze", str(path), "--json", *args)
    assert code == 0, (out, err)
    data: dict[str, Any] = json.loads(out)
    return data


def test_heel_raises_with_the_forefoot_down(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clip = tmp_path / "spu.mp4"
    truth = synthetic.write(clip, 5)
    d = analyze(capsys, clip, "--plot", str(tmp_path / "plot.png"))
    assert d["source"] == "video"
    assert d["count"] == 5
    assert d["sample_rate_hz"] == pytest.approx(30.0)
    assert d["duration_s"] == pytest.approx(12.1, abs=0.1)
    tops = np.array([r["top_s"] for r in d["reps"]])
    assert np.abs(tops - truth.tops).max() < 0.3
    assert all(r["toe_ratio"] < 0.15 for r in d["reps"])
    assert not [f for f in d["flags"] if f["rule"] in ("forefoot_lifted", "whole_leg_lift")]
    assert (tmp_path / "plot.png").stat().st_size > 0


def test_toes_rising_with_the_heel_are_flagged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clip = tmp_path / "toes.mp4"
    synthetic.write(clip, 4, toe_ratio=0.3)
    d = analyze(capsys, clip)
    assert d["count"] == 4
    flagged = {f["rep"] for f in d["flags"] if f["rule"] == "forefoot_lifted"}
    assert flagged == {0, 1, 2, 3}
    assert all(r["toe_ratio"] >= 0.15 for r in d["reps"])


def test_a_video_with_nobody_in_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clip = tmp_path / "empty.mkv"
    synthetic.write(clip, 1, person=False)
    d = analyze(capsys, clip)
    assert d["count"] == 0
    assert d["reason"] == NO_FEET
    code, out, err = run(capsys, "analyze", str(clip))
    assert code == 0
    assert NO_FEET in out
    assert "Traceback" not in out + err


def test_a_broken_video_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clip = tmp_path / "broken.mp4"
    clip.write_bytes(b"\x00\x00\x00\x18ftypmp42 and then nothing")
    code, out, err = run(capsys, "analyze", str(clip))
    assert code == 2
    assert out == ""
    assert err.startswith("soleus: error: ") and "cannot read this video" in err
    assert len(err.strip().splitlines()) == 1
