"""A set whose rep the scan turns down (issue 12): the rhythm holds across it."""

from __future__ import annotations

import numpy as np
from tests.signal.thigh_motion import RATE_HZ, heel_raises, leg

from soleus.signal.detect import detect
from soleus.signal.recording import Recording


def _set_with_a_shaken_top(shaken: int) -> Recording:
    """Eight heel raises of 4° every 4 s (0.5 s up, 1.5 s down) from 20 s; at the top
    of rep ``shaken`` (0-based) the calf shakes the thigh at 10 Hz for 0.3 s, ±14 m/s²
    along gravity: more acceleration than a heel raise makes (the scan's MAX_LINEAR)."""
    t = np.arange(0, 70, 1 / RATE_HZ)
    pitch, _ = heel_raises(t, 8, every=4.0, hold=0.1, down=1.5)
    zero = np.zeros_like(t)
    rec = leg(np.radians(pitch), zero, zero, np.random.default_rng(4))
    assert rec.acc is not None
    t_top = 20.0 + 4.0 * shaken + 0.45
    shake = np.where((t >= t_top) & (t < t_top + 0.3), 14.0 * np.sin(2 * np.pi * 10 * t), 0.0)
    rec.acc[:, 2] += shake
    return rec


def test_a_rep_turned_down_in_a_set_in_the_making_keeps_its_rhythm() -> None:
    # the third rep shaken: the run in the making has two reps, then a rise the scan
    # turns down on the beat; the reps after it come two cycles after the second
    reps = detect(_set_with_a_shaken_top(2)).reps
    assert len(reps) >= 7
