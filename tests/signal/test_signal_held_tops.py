"""A set whose holds at the top differ rep to rep (issue 12): its rhythm is in its
rises' starts."""

from __future__ import annotations

import numpy as np
from tests.signal.thigh_motion import RATE_HZ, leg

from soleus.signal.detect import detect


def test_a_set_held_at_the_top_now_briefly_now_long_counts() -> None:
    # ten reps of 5°, one every 2.5 s (0.5 s up, held 0.1 s or 1.5 s in turn, 0.2 s
    # down): top to top (the middle of each hold) 1.8 s and 3.2 s in turn, start to
    # start 2.5 s
    t = np.arange(0, 60, 1 / RATE_HZ)
    pitch = np.zeros_like(t)
    for k in range(10):
        t0 = 20.0 + 2.5 * k
        hold = 0.1 if k % 2 else 1.5
        up = np.clip((t - t0) / 0.5, 0, 1)
        down = np.clip((t - t0 - 0.5 - hold) / 0.2, 0, 1)
        pitch += 2.5 * ((1 - np.cos(np.pi * up)) - (1 - np.cos(np.pi * down)))
    zero = np.zeros_like(t)
    reps = detect(leg(np.radians(pitch), zero, zero, np.random.default_rng(8))).reps
    assert len(reps) == 10
