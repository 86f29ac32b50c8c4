"""Accelerometer only: a pocket that accelerates into a quick rise swings gravity the
other way first (the phone rides above the hip's axis); which way is up is the larger
move, not the first."""

from __future__ import annotations

import numpy as np
import pytest
from tests.signal.thigh_motion import RATE_HZ, rot

from soleus.signal.detect import detect
from soleus.signal.recording import STANDARD_GRAVITY, Recording

TOP_S = 0.25  # a quick rise, edge to top
RELEASE_S = 1.4


def _reps(tops: list[float], tilt_deg: float, n: int) -> np.ndarray:
    """The thigh's pitch (rad per sample): quick raised-cosine rises, slow releases."""
    t = np.arange(n) / RATE_HZ
    pitch = np.zeros(n)
    a = np.radians(tilt_deg)
    for top in tops:
        up = (t >= top - TOP_S) & (t < top)
        pitch[up] = a / 2 * (1 - np.cos(np.pi * (t[up] - top + TOP_S) / TOP_S))
        down = (t >= top) & (t < top + RELEASE_S)
        pitch[down] = a / 2 * (1 + np.cos(np.pi * (t[down] - top) / RELEASE_S))
    return pitch


def _pocket(pitch: np.ndarray, height_m: float, rng: np.random.Generator) -> Recording:
    """What the accelerometer of a phone ``height_m`` above the hip's axis, 0.2 m along
    the thigh, measures (no gyroscope): gravity and the pocket's own acceleration."""
    r = rot(1, -pitch)
    pos = np.einsum("nij,j->ni", r, np.array([0.2, 0.0, height_m]))
    acc = np.gradient(np.gradient(pos, 1 / RATE_HZ, axis=0), 1 / RATE_HZ, axis=0)
    acc[:, 2] += STANDARD_GRAVITY
    f = np.einsum("nji,nj->ni", r, acc)
    t = np.arange(pitch.size) / RATE_HZ
    return Recording(format="test", t_acc=t, acc=f + rng.normal(0, 0.02, f.shape))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_big_quick_reps_count_right_way_up_without_a_gyroscope(seed: int) -> None:
    rng = np.random.default_rng(seed)
    tops = [10.0 + 2.4 * k + rng.uniform(-0.2, 0.2) for k in range(8)]
    pitch = _reps(tops, 8.0, int(34 * RATE_HZ))
    reps = detect(_pocket(pitch, 0.08, rng)).reps
    assert len(reps) == 8
    # each counted at its own top, not at the end of the release before the next
    assert np.allclose([r.top_s for r in reps], tops, atol=0.15)


def test_phone_on_the_axis_counts_the_same() -> None:
    rng = np.random.default_rng(4)
    tops = [10.0 + 2.4 * k for k in range(8)]
    reps = detect(_pocket(_reps(tops, 8.0, int(34 * RATE_HZ)), 0.0, rng)).reps
    assert np.allclose([r.top_s for r in reps], tops, atol=0.15)
