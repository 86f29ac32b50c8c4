"""A confirmed run's rep after a pause (issue 12): a fidget in the rest after a set is
no rep; a set that goes on after a pause counts every rep."""

from __future__ import annotations

import numpy as np
from tests.signal.thigh_motion import RATE_HZ, leg

from soleus.signal.detect import detect
from soleus.signal.recording import Recording


def _raise(t: np.ndarray, t0: float, height_deg: float) -> np.ndarray:
    """One heel raise of ``height_deg`` from t0 (0.5 s up, 1.2 s down, raised-cosine)."""
    up = np.clip((t - t0) / 0.5, 0, 1)
    down = np.clip((t - t0 - 0.5) / 1.2, 0, 1)
    return np.asarray(height_deg / 2 * ((1 - np.cos(np.pi * up)) - (1 - np.cos(np.pi * down))))


def _thigh(raises: list[tuple[float, float]], until_s: float) -> Recording:
    """A phone on a thigh that rises by (start, height °) and otherwise sits still."""
    t = np.arange(0, until_s, 1 / RATE_HZ)
    pitch = sum((_raise(t, t0, h) for t0, h in raises), np.zeros_like(t))
    zero = np.zeros_like(t)
    return leg(np.radians(pitch), zero, zero, np.random.default_rng(11))


def test_a_fidget_alone_in_the_rest_after_a_set_is_no_rep() -> None:
    # ten reps of 4° every 2.5 s; 7 s after the last, the thigh shifts up by 2° once
    reps = [(20.0 + 2.5 * k, 4.0) for k in range(10)]
    rec = _thigh([*reps, (reps[-1][0] + 7.0, 2.0)], 70.0)
    assert len(detect(rec).reps) == 10


def test_a_set_that_goes_on_after_a_pause_counts_every_rep() -> None:
    # six reps, a pause of three cycles, four more reps in the same rhythm
    first = [(20.0 + 2.5 * k, 4.0) for k in range(6)]
    then = [(first[-1][0] + 7.5 + 2.5 * k, 4.0) for k in range(4)]
    d = detect(_thigh([*first, *then], 70.0))
    assert len(d.reps) == 10
