"""A quick set whose heel lands hard and rises again at once (issue 12)."""

from __future__ import annotations

import numpy as np
import pytest
from tests.signal.thigh_motion import RATE_HZ, leg

from soleus.signal.detect import detect
from soleus.signal.recording import Recording


def _quick_set(rest_s: float) -> Recording:
    """Ten heel raises of 6° (0.7 s up, 0.45 s held, dropped in 0.2 s), the heel on the
    floor ``rest_s`` before the next; each landing a jolt of 12 m/s² for 30 ms."""
    t = np.arange(0, 60, 1 / RATE_HZ)
    pitch = np.zeros_like(t)
    cycle = 0.7 + 0.45 + 0.2 + rest_s
    landings = []
    for k in range(10):
        t0 = 20.0 + cycle * k
        up = np.clip((t - t0) / 0.7, 0, 1)
        down = np.clip((t - t0 - 1.15) / 0.2, 0, 1)
        pitch += 3.0 * ((1 - np.cos(np.pi * up)) - (1 - np.cos(np.pi * down)))
        landings.append(t0 + 1.35)
    zero = np.zeros_like(t)
    rec = leg(np.radians(pitch), zero, zero, np.random.default_rng(6))
    assert rec.acc is not None
    for t_land in landings:
        rec.acc[(t >= t_land) & (t < t_land + 0.03), 2] += 12.0
    return rec


@pytest.mark.parametrize("rest_s", [0.12, 0.3])
def test_a_heel_landing_hard_then_rising_at_once_is_no_violence(rest_s: float) -> None:
    # the heel rests ~0.1 s on the floor between quick reps: the landing's jolt is
    # no footstep, and the rep after it counts
    assert len(detect(_quick_set(rest_s)).reps) == 10
