"""Seated knee raises at the top of a heel raise's range: the foot leaves the floor and
nothing guides the thigh's lift, so each rep turns it about a slightly different axis; a
heel on the floor keeps every rep of a set about one axis (detect._too_big)."""

from __future__ import annotations

import numpy as np
import pytest
from tests.signal.thigh_motion import RATE_HZ, leg

from soleus.signal.detect import detect
from soleus.signal.recording import Recording


def _raises(wander: float, seed: int, low: float, high: float) -> Recording:
    """Ten raises of ``low``-``high``° every 4 s (1.2 s up, 0.8 s at the top, 1.2 s down) of a
    thigh the phone lies flat on; each also rolls and turns the thigh by up to
    ``wander`` × its pitch (its own random share: the axis it turns about wanders)."""
    rng = np.random.default_rng(seed)
    t = np.arange(0, 50, 1 / RATE_HZ)
    pitch, roll, yaw = (np.zeros_like(t) for _ in range(3))
    for k in range(10):
        u = t - 5 - 4 * k
        up = np.clip(u / 1.2, 0, 1)
        down = np.clip((u - 2.0) / 1.2, 0, 1)
        bump = (1 - np.cos(np.pi * up)) / 2 - (1 - np.cos(np.pi * down)) / 2
        p = np.radians(rng.uniform(low, high)) * bump
        pitch += p
        roll += rng.uniform(-1, 1) * 1.5 * wander * p
        yaw += rng.uniform(-1, 1) * wander * p
    return leg(pitch, roll, yaw, rng)


# (a maximal seated heel raise, ~11 cm of heel with the knee rising 0.9 of it on a
# short thigh, tilts it ~16-17°: thresholds.RUN_MAX_MEDIAN_DEG)
@pytest.mark.parametrize("heights", [(13.0, 15.5), (15.5, 17.5)])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_knee_raises_are_lifts_and_big_heel_raises_reps(
    seed: int, heights: tuple[float, float]
) -> None:
    # the same heights about one axis: a set of big heel raises
    assert len(detect(_raises(0.0, seed, *heights)).reps) == 10
    # the foot off the floor, each raise rolled and turned its own way: knee raises
    d = detect(_raises(0.1, seed, *heights))
    assert d.reps == ()
    assert len(d.lifts) == 10
