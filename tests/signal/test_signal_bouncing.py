"""A bouncing knee starts no run (soleus.signal.bouncing)."""

from __future__ import annotations

import pytest

from soleus.signal.bouncing import bouncing
from soleus.signal.detect import detect
from soleus.signal.simulate import Jiggle, Rest, Sensors, simulate


def test_three_alike_rises_within_a_second_are_bouncing() -> None:
    assert bouncing([(10.0, 2.0), (10.4, 3.0), (10.8, 2.5)])
    # a quick bout's pace (100 a minute: three tops in 1.2 s) is not
    assert not bouncing([(10.0, 2.0), (10.6, 3.0), (11.2, 2.5)])
    # a tall rep, its heel landing's small rise, the next tall rep: not alike
    assert not bouncing([(10.0, 15.0), (10.4, 2.0), (10.8, 14.0)])
    assert not bouncing([(10.4, 3.0), (10.8, 2.5)])


@pytest.mark.parametrize("seed", [1, 4, 8])
def test_a_bouncing_knee_on_a_50_hz_phone_counts_no_reps(seed: int) -> None:
    # five bounces a second seen through 50 Hz samples: the scan takes every second or
    # third for a rise, and three such, spaced out, fell into a set's rhythm (these seeds
    # counted 3-5 reps before)
    sim = simulate(
        [Rest(3), Jiggle(30, 5.0, 2.8), Rest(3)],
        Sensors(gyroscope=True, rate_hz=50.0),
        seed=seed,
    )
    assert detect(sim.recording).reps == ()
