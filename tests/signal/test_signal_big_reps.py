"""Big, quick heel raises seen from a pocket (issue 12): a quick rise stopped short at
the top of the ankle's range jolts the pocket as a heel let drop does on the floor."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from soleus.signal.detect import detect
from soleus.signal.recording import Recording
from soleus.signal.simulate import RepSet, Rest, Sensors, simulate


def _jolted(jolt_ms2: float, seed: int) -> tuple[Recording, int]:
    """Ten 12° heel raises at 25 a minute, quick to rise, held 0.4 s and let drop, with
    a jolt of ``jolt_ms2`` for 30 ms (mostly along gravity) at each rep's top (the stop
    at the end of the ankle's range); and the number of reps."""
    sim = simulate(
        [Rest(4), RepSet(10, 25, 12.0, rise_fraction=0.2, release_s=0.15, hold_s=0.4), Rest(4)],
        Sensors(gyroscope=True),
        seed=seed,
    )
    rec = sim.recording
    assert rec.acc is not None and rec.t_acc is not None
    acc = rec.acc.copy()
    for rep in sim.truth.reps:
        i = int(np.searchsorted(rec.t_acc, rep.start_s + 0.2 * 60 / 25))
        down = acc[i] / np.linalg.norm(acc[i])
        acc[i : i + 3] += jolt_ms2 * (down + np.array([0.2, -0.1, 0.1]))
    return dataclasses.replace(rec, acc=acc), len(sim.truth.reps)


@pytest.mark.parametrize("seed", [5, 7, 10])
def test_a_big_reps_stop_jolting_at_the_top_is_no_violence(seed: int) -> None:
    # a quick 12° rise stopped short at the top rings hard (10-13 m/s² for a bin or
    # two), as a heel let drop does on the floor; the thigh then holds, or turns back
    # (the release), which a footstep or a bump (the thigh going on the way it went)
    # does not; before, each such jolt rejected its rep and the next (no rep within
    # CALM_S of violence)
    rec, reps = _jolted(15.0, seed)
    assert len(detect(rec).reps) == reps
