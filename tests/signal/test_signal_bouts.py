"""Sustained bouts on a thigh that pitches by a drawn tilt: releases that settle slowly,
a first rep smaller than the rest, hurried releases, reps that fade under a hysteresis."""

from __future__ import annotations

import numpy as np
import pytest
from tests.signal.test_signal_detect import _hurried_bout, _thigh

from soleus.signal.detect import detect


def _bout(
    heights: list[float],
    per_min: float = 75.0,
    lead_s: float = 5.0,
    settle_s: float = 0.1,
    up: float = 1.0,
) -> np.ndarray:
    """A bout at ``per_min``, one rep of each height: a raised-cosine rise over 0.3 of the
    cycle, then a release that settles exponentially (time constant ``settle_s``: a
    passive heel drop slows as it nears the floor); ``up`` which way the thigh pitches."""
    rate, cycle = 100.0, 60 / per_min
    reps = len(heights)
    t = np.arange(0, lead_s + 5 + reps * cycle, 1 / rate)
    phase = np.clip((t - lead_s) / cycle, 0, reps)
    k = np.minimum(np.floor(phase), reps - 1).astype(int)
    s = (phase - k) * cycle
    rise_s = 0.3 * cycle
    shape = np.where(
        s <= rise_s,
        (1 - np.cos(np.pi * np.clip(s / rise_s, 0, 1))) / 2,
        np.exp(-np.clip(s - rise_s, 0, None) / settle_s),
    )
    return np.asarray(up * np.where(phase >= reps, 0.0, shape * np.asarray(heights)[k]))


@pytest.mark.parametrize("lead_s", [5.0, 5.08, 5.16, 5.24])
def test_reps_rise_from_the_floor_a_slow_release_settled_at(lead_s: float) -> None:
    # the last of each release moves too little for a window to be busy (< 0.2°), yet it
    # is where the next rep rises from: a faded bout's 1° reps measured from higher up
    # stayed under the hysteresis
    pitch = _bout([1.6] * 3 + [1.0] * 12, settle_s=0.25, lead_s=lead_s)
    assert len(detect(_thigh(pitch)).reps) == 15


@pytest.mark.parametrize("first_deg", [1.2, 1.4])
@pytest.mark.parametrize("up", [1.0, -1.0])
@pytest.mark.parametrize("lead_s", [5.0, 5.08, 5.16, 5.24])
def test_a_small_first_rep_tells_which_way_is_up(
    first_deg: float, up: float, lead_s: float
) -> None:
    # which way is up is fixed once the tilt has moved MIN_TILT_DEG, here by the second
    # rep: the first move out of rest (the first rep, under MIN_TILT_DEG) is the heel up,
    # not the release the extremes have moved to meanwhile
    pitch = _bout([first_deg] + [1.8] * 11, up=up, lead_s=lead_s)
    assert len(detect(_thigh(pitch)).reps) == 12


@pytest.mark.parametrize(("height_deg", "back"), [(1.0, 0.55), (1.0, 0.62), (1.1, 0.6)])
def test_a_small_bout_whose_releases_stop_half_way_counts_every_rep(
    height_deg: float, back: float
) -> None:
    # the next rise passes the last top before it is a hysteresis above the dip: the dip
    # still ends a rep once the rise gets there
    assert len(detect(_thigh(_hurried_bout(height_deg, back))).reps) >= 9


@pytest.mark.parametrize(("lead_s", "per_min"), [(5.0, 60.0), (5.1, 60.0), (5.1, 80.0)])
def test_a_bouts_rep_faded_under_a_hysteresis_counts_on_the_beat(
    lead_s: float, per_min: float
) -> None:
    # every fourth rep rises 0.7°: no rise of its own for the window scan, but on the
    # bout's beat (its neighbours two cycles apart)
    heights = [0.7 if i % 4 == 3 else 1.8 for i in range(16)]
    assert len(detect(_thigh(_bout(heights, per_min, lead_s))).reps) >= 15


@pytest.mark.parametrize(("lead_s", "per_min"), [(5.0, 60.0), (5.1, 80.0)])
def test_a_beat_left_out_of_a_bout_is_no_rep(lead_s: float, per_min: float) -> None:
    # a pause of one beat (the thigh at rest, its noise only): nothing is made up there
    heights = [0.0 if i in (8, 12) else 1.8 for i in range(16)]
    assert len(detect(_thigh(_bout(heights, per_min, lead_s))).reps) == 14
