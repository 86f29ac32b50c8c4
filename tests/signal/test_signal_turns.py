"""The phone turning in the pocket: early in a set, and about the thigh's pitch axis."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from tests.signal.thigh_motion import RATE_HZ, heel_raises, leg

from soleus.signal.detect import detect
from soleus.signal.recording import Recording
from soleus.signal.simulate import RepSet, Rest, Sensors, simulate


def _turned_early(turn_deg: float, turn_at: float, turn_s: float) -> tuple[Recording, list[float]]:
    """20 s at rest, then 7 heel raises of 4° every 2.5 s (0.5 s up, 1.2 s down); the
    phone turns ``turn_deg`` in the pocket about the thigh's long axis from ``turn_at``
    over ``turn_s`` (seen from the phone, the thigh's pitch axis turns as much). The
    recording and the tops."""
    t = np.arange(0, 45, 1 / RATE_HZ)
    pitch, tops = heel_raises(t, 7)
    ramp = 0.5 * (1 - np.cos(np.pi * np.clip((t - turn_at) / turn_s, 0, 1)))
    roll = np.radians(turn_deg) * ramp
    return leg(np.radians(pitch), roll, np.zeros_like(t), np.random.default_rng(5)), tops


@pytest.mark.parametrize(
    ("turn_deg", "turn_at", "turn_s"),
    [(30.0, 21.75, 0.6), (40.0, 21.75, 0.6), (-35.0, 25.2, 1.2)],
)
def test_the_reps_before_an_early_turn_count(
    turn_deg: float, turn_at: float, turn_s: float
) -> None:
    # one or two reps, then the phone turns 30-40° (between two reps, or hiding the
    # third): the reps after it turn the thigh about an axis 30-40° off theirs, seen
    # from the phone, and the run before the turn was never confirmed (these lost the
    # 2-3 reps before the turn): across a turn the look-back takes them, and the beat
    # the turn hid
    rec, tops = _turned_early(turn_deg, turn_at, turn_s)
    d = detect(rec)
    assert len(d.reps) == len(tops)
    assert max(abs(r.top_s - top) for r, top in zip(d.reps, tops, strict=True)) < 0.3
    streamed = detect(rec, chunk_s=0.37)
    assert [r.top_s for r in streamed.reps] == pytest.approx([r.top_s for r in d.reps])


def _a_step_in_the_set(step_deg: float, turn_at: float) -> tuple[Recording, list[float]]:
    """20 s at rest, then 12 heel raises of 4° every 2.5 s; from ``turn_at`` the phone
    turns ``step_deg`` in the pocket about the thigh's pitch axis over 0.4 s (seen from
    the phone: a pitch that stays, the way the heel goes up). The recording and tops."""
    t = np.arange(0, 60, 1 / RATE_HZ)
    pitch, tops = heel_raises(t, 12)
    pitch += step_deg * 0.5 * (1 - np.cos(np.pi * np.clip((t - turn_at) / 0.4, 0, 1)))
    zero = np.zeros_like(t)
    return leg(np.radians(pitch), zero, zero, np.random.default_rng(5)), tops


@pytest.mark.parametrize(
    ("step_deg", "turn_at"),
    [(5.0, 35.0), (7.0, 36.8), (9.0, 38.6), (12.0, 35.0), (13.0, 35.0), (13.0, 37.8)],
)
def test_reps_go_on_from_a_floor_a_turn_moved(step_deg: float, turn_at: float) -> None:
    # no rate tells this turn from pitch; the tilt stays beyond POSTURE_DEG only at the
    # reps' tops, so it never stayed off for SHIFT_HOLD_S and the reps rose from a floor
    # 12-13° up, never back to the one the set left (6-7 of 12 counted): coming down to
    # a valley that far off and leaving it by a rep's worth, the floor moved there. A
    # smaller step (5-9°: the rise never came down by half) kept the rise open until
    # MAX_RISE_S (9-10 of 12): resting at a level a rep's worth below the top and rising
    # again from it, the floor moved there too
    rec, tops = _a_step_in_the_set(step_deg, turn_at)
    d = detect(rec)
    assert len(d.reps) == len(tops)
    assert max(abs(r.top_s - top) for r, top in zip(d.reps, tops, strict=True)) < 0.3
    streamed = detect(rec, chunk_s=0.37)
    assert [r.top_s for r in streamed.reps] == pytest.approx([r.top_s for r in d.reps])


@pytest.mark.parametrize(
    ("turn_deg", "seed", "gyroscope"),
    [(-40.0, 0, True), (-40.0, 6, True), (30.0, 6, True), (-40.0, 1, False), (-40.0, 11, False)],
)
def test_a_short_set_the_phone_turns_in_counts(turn_deg: float, seed: int, gyroscope: bool) -> None:
    # five reps, the phone turning at the third: two reps before the turn, two after, so
    # neither side confirms a run alone (none counted before): a run in the making goes
    # on across a turn the tracker saw, about an axis turned with the phone, the rep it
    # hid one beat
    sim = simulate(
        [Rest(4), RepSet(5, 30, 5.0, turn_deg=turn_deg), Rest(4)],
        Sensors(gyroscope=gyroscope),
        seed=seed,
    )
    d = detect(sim.recording)
    assert len(d.reps) == 5
    # (the rep the turn hid, or cut short, is put on the beat: within a quarter cycle)
    tops = [r.top_s for r in sim.truth.reps]
    assert max(abs(r.top_s - top) for r, top in zip(d.reps, tops, strict=True)) < 0.6
    streamed = detect(sim.recording, chunk_s=0.37)
    assert [r.top_s for r in streamed.reps] == pytest.approx([r.top_s for r in d.reps])


def _small_reps_turned_without_gyroscope(turn_at: float, turn_deg: float) -> Recording:
    """20 s at rest, then 11 heel raises of 2.2° every 2.6 s (0.4 s up, 2 s down: small
    reps, a slow release), accelerometer only; from ``turn_at`` the phone turns
    ``turn_deg`` in the pocket about the thigh's long axis over 0.4 s."""
    t = np.arange(0, 50, 1 / RATE_HZ)
    pitch = np.zeros_like(t)
    for k in range(11):
        t0 = 20.0 + 2.6 * k
        up = np.clip((t - t0) / 0.4, 0, 1)
        down = np.clip((t - t0 - 0.4) / 2.0, 0, 1)
        pitch += 2.2 * 0.5 * ((1 - np.cos(np.pi * up)) - (1 - np.cos(np.pi * down)))
    ramp = 0.5 * (1 - np.cos(np.pi * np.clip((t - turn_at) / 0.4, 0, 1)))
    rec = leg(np.radians(pitch), np.radians(turn_deg) * ramp, 0 * t, np.random.default_rng(5))
    return dataclasses.replace(rec, t_gyro=None, gyro=None)


@pytest.mark.parametrize(("turn_at", "turn_deg"), [(33.0, 25.0), (33.0, -30.0), (35.8, 32.0)])
def test_small_reps_go_on_after_a_turn_without_a_gyroscope(turn_at: float, turn_deg: float) -> None:
    # gravity swings 25-32° in the turn, far more than the reps move it: the tilt is
    # re-zeroed there, but the swing stayed in the axis' memory (the direction of
    # gravity's recent displacement) for half a minute, the reps after it seen edge-on
    # (5-6 of 11), unless taken out where it re-zeroed; which took reps of 3-4° going on
    # (JUMP_KEEP_RMS_DEG 1.4): 2° reps with a slow release are ~0.8° rms
    rec = _small_reps_turned_without_gyroscope(turn_at, turn_deg)
    assert len(detect(rec).reps) == 11


def _two_beats_hidden(
    roll_deg: float, turn_at: float, turn_s: float
) -> tuple[Recording, list[float]]:
    """Six heel raises of 4° every 1.7 s from 20 s (0.4 s up, 0.8 s down), the third
    and fourth hidden: from ``turn_at`` the phone turns ``roll_deg`` in the pocket about
    the thigh's long axis over ``turn_s`` (the tracker holds the tilt meanwhile). The
    recording and the six tops (the two hidden ones on the beat)."""
    t = np.arange(0, 40, 1 / RATE_HZ)
    pitch = np.zeros_like(t)
    tops = []
    for k in range(6):
        t0 = 20.0 + 1.7 * k
        tops.append(t0 + 0.4)
        if k in (2, 3):
            continue
        up = np.clip((t - t0) / 0.4, 0, 1)
        down = np.clip((t - t0 - 0.4) / 0.8, 0, 1)
        pitch += 4.0 * 0.5 * ((1 - np.cos(np.pi * up)) - (1 - np.cos(np.pi * down)))
    ramp = 0.5 * (1 - np.cos(np.pi * np.clip((t - turn_at) / turn_s, 0, 1)))
    roll = np.radians(roll_deg) * ramp
    return leg(np.radians(pitch), roll, np.zeros_like(t), np.random.default_rng(5)), tops


@pytest.mark.parametrize(
    ("roll_deg", "turn_at", "turn_s"), [(20.0, 23.3, 1.6), (-25.0, 23.5, 1.2), (20.0, 23.4, 2.0)]
)
def test_a_run_in_the_making_reaches_across_a_turn_that_hid_two_beats(
    roll_deg: float, turn_at: float, turn_s: float
) -> None:
    # two reps, the phone turns 20-25° (the thigh's axis seen from the phone moves too
    # little to be taken for another: the same axis), hiding two beats, two reps: neither
    # side confirms a run alone, and the rep three cycles on did not keep the rhythm of
    # a run in the making (0 of 6): the phone turned between, the beats it hid count
    rec, tops = _two_beats_hidden(roll_deg, turn_at, turn_s)
    d = detect(rec)
    assert len(d.reps) == len(tops)
    assert max(abs(r.top_s - top) for r, top in zip(d.reps, tops, strict=True)) < 0.3
    streamed = detect(rec, chunk_s=0.37)
    assert [r.top_s for r in streamed.reps] == pytest.approx([r.top_s for r in d.reps])


def _small_slow_reps_turned(turn_at: float) -> tuple[Recording, list[float]]:
    """20 s at rest, then 8 heel raises of 2° every 2.2 s (0.4 s up, 1.6 s down: the
    smallest reps, a slow release); from ``turn_at`` the phone turns 30° in the pocket
    about the thigh's long axis over 0.5 s. The recording and the tops."""
    t = np.arange(0, 40, 1 / RATE_HZ)
    pitch = np.zeros_like(t)
    tops = []
    for k in range(8):
        t0 = 20.0 + 2.2 * k
        up = np.clip((t - t0) / 0.4, 0, 1)
        down = np.clip((t - t0 - 0.4) / 1.6, 0, 1)
        pitch += 2.0 * 0.5 * ((1 - np.cos(np.pi * up)) - (1 - np.cos(np.pi * down)))
        tops.append(t0 + 0.4)
    roll = np.radians(30.0) * 0.5 * (1 - np.cos(np.pi * np.clip((t - turn_at) / 0.5, 0, 1)))
    return leg(np.radians(pitch), roll, np.zeros_like(t), np.random.default_rng(5)), tops


@pytest.mark.parametrize("turn_at", [27.4, 27.5])
def test_a_rep_whose_release_a_turn_cut_keeps_the_run(turn_at: float) -> None:
    # the phone turns in the 4th rep's release; four reps this small and slow do not make
    # the reference axis known, so the turn is not held out (it is integrated as pitch
    # and re-zeroed), and the rep's axis, taken over its rise and cut release, was the
    # turn's: the run broke there and the reps after it were judged afresh (3 of 8).
    # Its rise alone turned about the run's axis: the run goes on. (The two reps while
    # the tilt stays 28° off, until it is re-zeroed, are lost.)
    rec, tops = _small_slow_reps_turned(turn_at)
    found = [r.top_s for r in detect(rec).reps]
    assert found == pytest.approx([*tops[:4], *tops[6:]], abs=0.3)
    streamed = detect(rec, chunk_s=0.37)
    assert [r.top_s for r in streamed.reps] == pytest.approx(found)


def _quick_reps_stepped(step_deg: float, turn_at: float) -> tuple[Recording, list[float]]:
    """20 s at rest, then 10 quick heel raises of 3° every 1.85 s (0.3 s up, 0.35 s
    down); from ``turn_at``, just after the third, the phone turns ``step_deg`` in the
    pocket about the thigh's pitch axis over 1.6 s (no rate tells it from pitch): the
    tilt stays off, still after the turn's rep, until the tracker re-zeroes it. The
    recording and the tops."""
    t = np.arange(0, 45, 1 / RATE_HZ)
    pitch = np.zeros_like(t)
    tops = []
    for k in range(10):
        t0 = 20.0 + 1.85 * k
        up = np.clip((t - t0) / 0.3, 0, 1)
        down = np.clip((t - t0 - 0.3) / 0.35, 0, 1)
        pitch += 3.0 * 0.5 * ((1 - np.cos(np.pi * up)) - (1 - np.cos(np.pi * down)))
        tops.append(t0 + 0.3)
    pitch += step_deg * 0.5 * (1 - np.cos(np.pi * np.clip((t - turn_at) / 1.6, 0, 1)))
    zero = np.zeros_like(t)
    return leg(np.radians(pitch), zero, zero, np.random.default_rng(5)), tops


@pytest.mark.parametrize(("step_deg", "turn_at"), [(16.0, 25.5), (19.0, 25.6), (19.0, 25.7)])
def test_which_way_is_up_stays_through_a_re_zero_amid_reps(step_deg: float, turn_at: float) -> None:
    # the tracker re-zeroes the stepped tilt after a second still, half a second before
    # the next rep: that was a new episode, which way is up judged afresh from the
    # first move, and the re-zero's own step back in the look-back outweighed it: every
    # rep after the turn was read upside down, its release a rise (6 of 10). The tracker
    # keeps the pitch axis' sign through a turn: amid reps, which way is up stays
    rec, tops = _quick_reps_stepped(step_deg, turn_at)
    d = detect(rec)
    assert len(d.reps) == len(tops)
    assert max(abs(r.top_s - top) for r, top in zip(d.reps, tops, strict=True)) < 0.3
    streamed = detect(rec, chunk_s=0.37)
    assert [r.top_s for r in streamed.reps] == pytest.approx([r.top_s for r in d.reps])
