"""A bout of reps all under MIN_TILT (issue 12): a chair that supports the thigh."""

from __future__ import annotations

import numpy as np
from tests.signal.thigh_motion import RATE_HZ, heel_raises, leg

from soleus.signal.detect import detect


def test_a_bout_of_reps_all_under_one_and_a_half_degrees_counts() -> None:
    # 40 heel raises of 1.1° at 63 a minute (0.35 s up, 0.5 s down), from rest: no move
    # ever reaches MIN_TILT, so only the reps themselves can say which way is up
    t = np.arange(0, 80, 1 / RATE_HZ)
    pitch, _ = heel_raises(t, 40, height=1.1, every=0.95, up=0.35, down=0.5)
    zero = np.zeros_like(t)
    reps = detect(leg(np.radians(pitch), zero, zero, np.random.default_rng(2))).reps
    assert abs(len(reps) - 40) <= 1
