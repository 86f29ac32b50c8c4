"""The simulator's harder conditions (issue 12): what they play, and what is counted."""

from __future__ import annotations

import numpy as np
import pytest

from soleus.signal.detect import detect
from soleus.signal.recording import Recording
from soleus.signal.scenarios import CONDITIONS, random_set
from soleus.signal.simulate import OtherLeg, RepSet, Rest, Sensors, simulate


def test_the_phone_turning_in_the_pocket_turns_gravity_in_the_phone_frame() -> None:
    still = [Rest(6)]
    plain = simulate([*still, RepSet(8, 30, 5.0), *still], Sensors(), seed=4).recording
    turned = simulate(
        [*still, RepSet(8, 30, 5.0, turn_deg=30.0), *still], Sensors(), seed=4
    ).recording

    def angle(rec: Recording) -> float:
        assert rec.acc is not None
        acc = rec.acc
        a, b = acc[:200].mean(axis=0), acc[-200:].mean(axis=0)
        cos = a @ b / np.linalg.norm(a) / np.linalg.norm(b)
        return float(np.degrees(np.arccos(np.clip(cos, -1, 1))))

    assert angle(plain) < 3.0
    assert angle(turned) > 10.0


def test_a_set_counts_through_a_turn_of_the_phone() -> None:
    sim = simulate([Rest(6), RepSet(12, 30, 5.0, turn_deg=25.0), Rest(6)], Sensors(), seed=2)
    assert abs(len(detect(sim.recording).reps) - 12) <= 1


def test_the_other_legs_set_is_not_counted() -> None:
    sim = simulate([Rest(4), OtherLeg(12, 30, 0.1), Rest(4)], Sensors(), seed=1)
    assert sim.truth.reps == ()
    assert detect(sim.recording).reps == ()


def test_big_reps_inside_a_set_are_counted() -> None:
    sim = simulate([Rest(4), RepSet(10, 30, 13.0), Rest(4)], Sensors(), seed=6)
    assert len(detect(sim.recording).reps) == 10


@pytest.mark.parametrize(
    "condition",
    ["phone_turn", "very_slow_release", "rate_50hz_jitter", "bout_fading", "low_knee_ratio"],
)
def test_every_new_condition_plays_reps(condition: str) -> None:
    assert condition in CONDITIONS
    events, sensors = random_set(condition, np.random.default_rng(3))
    assert simulate(events, sensors, seed=3).truth.reps
