"""Very slow releases (issue 12): a set at 10 a minute whose heel is let down over 5 s."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from tests.signal.thigh_motion import RATE_HZ, leg

from soleus.signal.detect import detect
from soleus.signal.recording import Recording


def _slow_set(reps: int, release_s: float, cycle_s: float = 6.0) -> Recording:
    """20 s at rest, then ``reps`` heel raises of 3° (0.5 s up, 0.2 s held at the top,
    ``release_s`` down, raised-cosine), one every ``cycle_s``, then 20 s at rest."""
    t = np.arange(0, 40 + reps * cycle_s, 1 / RATE_HZ)
    pitch = np.zeros_like(t)
    for k in range(reps):
        t0 = 20.0 + cycle_s * k
        up = np.clip((t - t0) / 0.5, 0, 1)
        down = np.clip((t - t0 - 0.7) / release_s, 0, 1)
        pitch += 1.5 * ((1 - np.cos(np.pi * up)) - (1 - np.cos(np.pi * down)))
    zero = np.zeros_like(t)
    return leg(np.radians(pitch), zero, zero, np.random.default_rng(3))


@pytest.mark.parametrize("gyroscope", [True, False])
def test_a_set_lowered_over_five_seconds_counts_every_rep(gyroscope: bool) -> None:
    # a deliberately slow lowering (a tempo "five-second negative") is still a heel raise
    rec = _slow_set(8, release_s=5.0)
    if not gyroscope:
        rec = dataclasses.replace(rec, t_gyro=None, gyro=None)
    assert len(detect(rec).reps) == 8
