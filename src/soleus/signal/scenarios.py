"""Scenarios for the simulator: one set or bout under a named condition, or sitting
without soleus pushups (what the bench and the tests play through
:func:`soleus.signal.simulate.simulate`).

The conditions cover what a phone in a pocket meets: sets and bouts, slow and very slow
releases, held tops, half reps, small (a chair that supports the thigh) and big reps,
fast and slow cadences, no gyroscope, 50-500 Hz and jittery clocks with dropped samples,
fidgets, typing, whole-leg lifts and the other leg's set around the set, sitting down
just before, and the phone turning in the pocket in the middle of a set.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from soleus.signal.simulate import (
    Bout,
    Event,
    Fidgets,
    Jiggle,
    LegCross,
    LegLift,
    OtherLeg,
    RepSet,
    Rest,
    Sensors,
    StandWalk,
    Typing,
    length_of,
)

CONDITIONS = (
    "sets",
    "bout",
    "slow_release",
    "held_top",
    "incomplete",
    "small",
    "large",
    "fast",
    "slow",
    "accelerometer_only",
    "rate_50hz",
    "rate_500hz",
    "jitter_drops",
    "fidgets_around",
    "typing_around",
    "leg_lift_around",
    "after_sitting_down",
    # the conditions of issue 12 (what a second, independent simulator found missing)
    "phone_turn",
    "very_slow_release",
    "rate_50hz_jitter",
    "bout_fading",
    "low_knee_ratio",
    "other_leg_around",
    "big",
)


def random_set(condition: str, rng: np.random.Generator) -> tuple[list[Event], Sensors]:
    """One set or bout under ``condition``, with rest and (per condition) confounders."""
    reps = int(rng.integers(5, 31))
    amp = float(rng.uniform(3.0, 8.0))
    cadence = float(rng.uniform(20.0, 40.0))
    drift = float(rng.uniform(-0.15, 0.15))
    sensors = Sensors(
        rate_hz=float(rng.choice([50.0, 100.0, 200.0])),
        gyro_bias=float(rng.uniform(0.0, 0.02)),
        gyro_noise=float(rng.uniform(0.002, 0.01)),
        acc_noise=float(rng.uniform(0.01, 0.05)),
    )
    work: Event = RepSet(reps, cadence, amp, float(rng.uniform(0.35, 0.5)), drift=drift)
    before: list[Event] = [Rest(float(rng.uniform(3, 8)))]
    after: list[Event] = [Rest(float(rng.uniform(3, 8)))]
    if condition == "bout":
        work = Bout(float(rng.uniform(30, 120)), float(rng.uniform(35, 80)), amp, drift)
    elif condition == "slow_release":
        work = RepSet(reps, min(cadence, 25.0), amp, 0.35, release_s=float(rng.uniform(0.8, 2.0)))
    elif condition == "held_top":
        work = RepSet(reps, cadence, amp, 0.4, hold_s=float(rng.uniform(0.5, 2.5)))
    elif condition == "incomplete":
        work = RepSet(reps, cadence, amp, 0.45, incomplete_every=int(rng.integers(2, 5)))
    elif condition == "small":
        work = RepSet(reps, cadence, float(rng.uniform(2.0, 3.0)), 0.45)
    elif condition == "large":
        work = RepSet(reps, cadence, float(rng.uniform(8.0, 10.0)), 0.45)
    elif condition == "fast":
        work = RepSet(reps, float(rng.uniform(60, 90)), amp, 0.5)
    elif condition == "slow":
        work = RepSet(reps, float(rng.uniform(15, 20)), amp, 0.45, drift=drift)
    elif condition == "accelerometer_only":
        sensors = replace(sensors, gyroscope=False)
    elif condition == "rate_50hz":
        sensors = replace(sensors, rate_hz=50.0)
    elif condition == "rate_500hz":
        sensors = replace(sensors, rate_hz=500.0)
    elif condition == "jitter_drops":
        sensors = replace(sensors, jitter=0.3, drop_fraction=0.05)
    elif condition == "fidgets_around":
        before = [Rest(2), Fidgets(30, 6), Rest(4)]
        after = [Rest(4), Fidgets(30, 6)]
    elif condition == "typing_around":
        before, after = [Typing(20), Rest(4)], [Rest(4), Typing(20)]
    elif condition == "after_sitting_down":
        # walked over and sat down (or uncrossed the legs), a few still seconds, then reps
        if rng.uniform() < 0.5:
            before = [StandWalk(float(rng.uniform(5, 15))), Rest(float(rng.uniform(3, 6)))]
        else:
            before = [Rest(3), LegCross(float(rng.uniform(10, 30))), Rest(float(rng.uniform(3, 6)))]
    elif condition == "phone_turn":  # the phone turns in the pocket mid-set
        turn = float(rng.uniform(10, 40) * rng.choice([-1.0, 1.0]))
        work = RepSet(max(reps, 8), cadence, amp, 0.45, drift=drift, turn_deg=turn)
    elif condition == "very_slow_release":  # the seed's "let the heel fall slowly"
        work = RepSet(reps, float(rng.uniform(12, 18)), amp, 0.3, release_s=rng.uniform(2, 3))
    elif condition == "rate_50hz_jitter":
        sensors = replace(sensors, rate_hz=50.0, jitter=0.3, drop_fraction=0.05)
    elif condition == "bout_fading":  # 30-90 cycles a minute, down to 70 % or less
        cadence = float(rng.uniform(30, 90))
        work = Bout(float(rng.uniform(60, 120)), cadence, amp, drift, rng.uniform(0.2, 0.3))
    elif condition == "low_knee_ratio":  # a chair that supports the thigh: knee 0.45 × heel
        work = RepSet(reps, cadence, float(rng.uniform(1.6, 2.5)), 0.45)
    elif condition == "other_leg_around":  # the other leg's set shakes this thigh weakly
        before = [
            Rest(3),
            OtherLeg(int(rng.integers(8, 16)), cadence),
            Rest(float(rng.uniform(8, 20))),
        ]
    elif condition == "big":  # a tall heel raise on a chair that lets the knee rise
        work = RepSet(reps, cadence, float(rng.uniform(11.0, 14.0)), 0.45)
    elif condition == "leg_lift_around":
        before = [Rest(3), LegLift(float(rng.uniform(14, 25))), Rest(5)]
        after = [Rest(5), LegLift(float(rng.uniform(14, 25))), Rest(3)]
    return [*before, work, *after], sensors


def random_confounders(rng: np.random.Generator, seconds: float = 300.0) -> list[Event]:
    """Sitting without soleus pushups: typing, fidgets, jiggling, crossing legs, walking."""
    events: list[Event] = []
    total = 0.0
    while total < seconds:
        kind = int(rng.integers(8))
        e: Event
        if kind == 0:
            e = Typing(float(rng.uniform(20, 90)))
        elif kind == 1:
            e = Fidgets(float(rng.uniform(20, 90)), float(rng.uniform(2, 10)))
        elif kind == 2:
            e = Jiggle(
                float(rng.uniform(5, 30)), float(rng.uniform(3, 7)), float(rng.uniform(0.5, 3.0))
            )
        elif kind == 3:
            e = LegCross(float(rng.uniform(10, 90)))
        elif kind == 4:
            e = StandWalk(float(rng.uniform(10, 40)))
        elif kind == 5:
            e = Rest(float(rng.uniform(5, 60)))
        elif kind == 6:
            e = OtherLeg(int(rng.integers(8, 20)), float(rng.uniform(15, 40)))
        else:
            e = LegLift(float(rng.uniform(14, 30)), float(rng.uniform(0.5, 3)))
        events.append(e)
        total += length_of(e, rng)
    return events
