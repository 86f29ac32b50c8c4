"""The detector on simulated recordings: counts, rep times, streaming == batch."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.signal.thigh_motion import heel_raises

from soleus.signal.detect import Detection, StreamingDetector, detect, run
from soleus.signal.recording import STANDARD_GRAVITY, Recording
from soleus.signal.scenarios import random_confounders, random_set
from soleus.signal.simulate import (
    Bout,
    Event,
    Fidgets,
    Jiggle,
    LegCross,
    LegLift,
    RepSet,
    Rest,
    Sensors,
    StandWalk,
    Typing,
    simulate,
)


def _matched_top_errors(d: Detection, truth_tops: list[float]) -> list[float]:
    tops = np.array([r.top_s for r in d.reps])
    return [float(np.min(np.abs(tops - t))) for t in truth_tops]


@pytest.mark.parametrize("gyroscope", [True, False])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_counts_a_set_and_a_bout(gyroscope: bool, seed: int) -> None:
    sim = simulate(
        [Rest(4), RepSet(12, 30, 5.0), Rest(10), Bout(45, 50, 4.0), Rest(4)],
        Sensors(gyroscope=gyroscope),
        seed=seed,
    )
    d = detect(sim.recording)
    assert len(d.reps) == len(sim.truth.reps)
    errors = _matched_top_errors(d, [r.top_s for r in sim.truth.reps])
    assert float(np.median(errors)) < 0.06
    assert max(errors) < 0.2
    pairs = list(zip(d.reps, sim.truth.reps, strict=True))
    assert np.median([abs(r.start_s - t.start_s) for r, t in pairs]) < 0.15
    assert np.median([abs(r.end_s - t.end_s) for r, t in pairs]) < 0.15
    assert np.median([abs(r.amplitude_deg / t.amplitude_deg - 1) for r, t in pairs]) < 0.25


@pytest.mark.parametrize("gyroscope", [True, False])
def test_a_bout_fading_to_one_degree_is_counted_to_its_end(gyroscope: bool) -> None:
    # a low knee-to-heel ratio and a tiring calf: each rise ~1°, under the 0.75° step
    # between windows that marks a clear move; the bout must not be taken for a held pose
    sim = simulate(
        [Rest(4), Bout(60, 60, 1.7, drift=0.0, fade=0.4), Rest(4)],
        Sensors(gyroscope=gyroscope),
        seed=4,
    )
    d = detect(sim.recording)
    truth = [r.top_s for r in sim.truth.reps]
    assert len(d.reps) >= len(truth) - 3
    late = [t for t in truth if t > truth[-1] - 15]  # the faded last quarter
    assert max(_matched_top_errors(d, late)) < 0.2


# Any set the simulator can make within DESIGN §5's ranges, with any phone rate, jitter
# and loss: the count is within one rep, and every rep found is a real one, found at
# its top (the median within 60 ms, as the issue asks). Fixed examples, no database:
# CI must not depend on which sets a random run happens to draw (bench/bench_signal.py
# measures the rates over hundreds of sets).
@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    reps=st.integers(4, 25),
    cadence=st.floats(20, 85),  # DESIGN §5: sets about 20-40/min, bouts accept 30-90
    amplitude=st.floats(3.0, 8.0),  # DESIGN §5: 3-8° of thigh tilt
    rate=st.sampled_from([50.0, 100.0, 200.0, 400.0]),
    drop=st.floats(0.0, 0.05),
    jitter=st.floats(0.0, 0.3),
    gyroscope=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_counts_simulated_sets(
    reps: int,
    cadence: float,
    amplitude: float,
    rate: float,
    drop: float,
    jitter: float,
    gyroscope: bool,
    seed: int,
) -> None:
    sim = simulate(
        [Rest(4), RepSet(reps, cadence, amplitude), Rest(4)],
        Sensors(rate_hz=rate, drop_fraction=drop, jitter=jitter, gyroscope=gyroscope),
        seed=seed,
    )
    d = detect(sim.recording)
    assert abs(len(d.reps) - reps) <= 1
    # each rep found is a true one (reps are at least 0.67 s apart), timed at its top
    truth = np.array([r.top_s for r in sim.truth.reps])
    errors = [float(np.min(np.abs(truth - rep.top_s))) for rep in d.reps]
    assert max(errors) < 0.3
    assert float(np.median(errors)) < 0.06


@pytest.mark.parametrize("chunk_s", [0.05, 0.37, 1.0, 7.3])
def test_streaming_equals_batch(chunk_s: float) -> None:
    sim = simulate(
        [Rest(3), RepSet(8, 30, 5.0), Fidgets(20, 6), Bout(30, 55, 4.0), LegLift(), Rest(3)],
        Sensors(rate_hz=100.0, drop_fraction=0.02, jitter=0.2),
        seed=5,
    )
    batch = detect(sim.recording)
    streamed = detect(sim.recording, chunk_s=chunk_s)
    assert len(batch.reps) == len(sim.truth.reps)

    def flat(d: Detection) -> list[float]:
        return [float(x) for r in d.reps for x in (r.start_s, r.top_s, r.end_s, r.amplitude_deg)]

    assert flat(streamed) == pytest.approx(flat(batch), abs=1e-9)
    assert len(streamed.lifts) == len(batch.lifts)


def test_live_latency_after_the_heel_comes_down() -> None:
    sim = simulate([Rest(3), RepSet(10, 30, 5.0), Rest(3)], Sensors(rate_hz=100.0), seed=8)
    rec = sim.recording
    det = StreamingDetector(accelerometer=True, gyroscope=True)
    d = run(det, rec, chunk_s=0.04)  # as if the phone pushed every 40 ms
    # the first reps of a run wait for the third; after that each is known at once
    latencies = [r.detected_at_s - t.end_s for r, t in zip(d.reps, sim.truth.reps, strict=True)]
    assert max(latencies[2:]) <= 0.5


CONFOUNDERS: dict[str, list[Event]] = {
    "typing": [Typing(60)],
    "fidgets": [Fidgets(120, 8)],
    "knee jiggle": [Jiggle(20, 4.0, 2.0), Rest(3), Jiggle(15, 3.0, 3.0)],
    "crossing legs": [Rest(3), LegCross(20), Rest(5), LegCross(40)],
    "standing and walking": [Rest(3), StandWalk(30), Rest(3)],
}


@pytest.mark.parametrize("gyroscope", [True, False])
@pytest.mark.parametrize("name", list(CONFOUNDERS))
def test_no_reps_in_confounders(name: str, gyroscope: bool) -> None:
    for seed in range(3):
        sim = simulate(CONFOUNDERS[name], Sensors(gyroscope=gyroscope), seed=seed)
        assert detect(sim.recording).reps == ()


def test_typing_on_a_50_hz_phone_without_gyroscope_counts_no_reps() -> None:
    # keystroke bursts ring the tilt's low-pass about a degree; "reps" rose from brief
    # dips at random paces, and once three were taken for a set it went on counting them
    # (this seed counted 11 before rhythm.one_pace)
    sim = simulate([Rest(3), Typing(80)], Sensors(rate_hz=50.0, gyroscope=False), seed=35)
    assert detect(sim.recording).reps == ()
    # the same phone counts a set
    sim = simulate([Rest(3), RepSet(10), Rest(3)], Sensors(rate_hz=50.0, gyroscope=False), seed=35)
    assert len(detect(sim.recording).reps) == 10
    # a bout whose first rep rose slowly out of the rest still counts (all 92 reps)
    events, sensors = random_set("bout_fading", np.random.default_rng(6164))
    sim = simulate(events, sensors, seed=6164)
    assert len(detect(sim.recording).reps) == len(sim.truth.reps) == 92


def test_whole_leg_lift_is_flagged_not_counted() -> None:
    sim = simulate([Rest(3), LegLift(18.0, 1.5), Rest(3), LegLift(25.0, 2.0), Rest(3)], seed=4)
    d = detect(sim.recording)
    assert d.reps == ()
    assert len(d.lifts) == 2
    assert d.lifts[0].amplitude_deg == pytest.approx(18.0, rel=0.25)


def test_warmup_runs_every_sensor_mode(capsys: pytest.CaptureFixture[str]) -> None:
    from soleus.signal import warmup

    warmup.main()
    err = capsys.readouterr().err
    assert "compiling the rep detector" in err and "done in" in err


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(st.lists(st.floats(-10.0, 10.0), min_size=12, max_size=12))
def test_principal_axis_is_numpys_top_eigenvector(xs: list[float]) -> None:
    from soleus.signal.rise import _principal_3x3

    a = np.array(xs).reshape(4, 3)
    c = a.T @ a
    vals, vecs = np.linalg.eigh(c)
    v = _principal_3x3(c[0, 0], c[0, 1], c[0, 2], c[1, 1], c[1, 2], c[2, 2])
    assert float(np.linalg.norm(v)) == pytest.approx(1.0)
    # a distinct top axis: 10 % apart (at 1 %, 200 power steps close the gap only to
    # (1/1.01)^200 ≈ 0.14, so a 2.7 % gap failed 1e-6 once hypothesis drew one)
    if vals[2] > 1.1 * vals[1] and vals[2] > 1e-6:
        assert abs(float(v @ vecs[:, 2])) == pytest.approx(1.0, abs=1e-6)
    else:  # otherwise at least as long along c as the second axis
        assert float(v @ c @ v) >= vals[1] * (1 - 1e-6) - 1e-9


@pytest.mark.parametrize("gyroscope", [True, False])
@pytest.mark.parametrize(
    "before",
    [
        [StandWalk(6), Rest(3)],  # walked over, sat down, settled for 3 s
        [Rest(3), LegCross(20), Rest(3)],  # uncrossed the legs, settled for 3 s
    ],
    ids=["after sitting down", "after uncrossing the legs"],
)
def test_counts_right_after_a_change_of_posture(before: list[Event], gyroscope: bool) -> None:
    # the tilt does not creep back for half a minute under the first reps: a still,
    # new posture is the new zero, and the first move of the set is measured from it
    for seed in (0, 1, 2):
        sim = simulate(
            [*before, RepSet(12, 30, 5.0), Rest(4)],
            Sensors(rate_hz=50.0, gyroscope=gyroscope),
            seed=seed,
        )
        assert abs(len(detect(sim.recording).reps) - 12) <= 1


def _thigh(pitch_deg: np.ndarray, rate_hz: float = 100.0) -> Recording:
    """A phone lying flat on the thigh, the thigh pitching by ``pitch_deg`` (one value
    per sample): gravity and the rate as the phone sees them, with a little noise."""
    rng = np.random.default_rng(5)
    t = np.arange(pitch_deg.size) / rate_hz
    p = np.radians(pitch_deg)
    g = STANDARD_GRAVITY * np.column_stack((np.sin(p), np.zeros_like(p), np.cos(p)))
    w = np.column_stack((np.zeros_like(p), np.gradient(p, t), np.zeros_like(p)))
    return Recording(
        format="test",
        t_acc=t,
        acc=g + rng.normal(0, 0.02, g.shape),
        t_gyro=t,
        gyro=w + rng.normal(0, 0.003, w.shape),
    )


def _rocking(crossed_deg: float, height_deg: float = 1.8, per_min: float = 70.0) -> np.ndarray:
    """30 s at rest, then (legs crossed: the thigh lifted by ``crossed_deg``) 20 s of
    rhythmic rocks (1.8° at 70 a minute: a dangling foot's swing)."""
    rate = 100.0
    t = np.arange(0, 80, 1 / rate)
    lift = crossed_deg * np.clip((t - 30) / 2, 0, 1)
    swing = (t >= 40) & (t < 60)
    phase = 2 * np.pi * (per_min / 60) * (t - 40)
    rock = np.where(swing, height_deg / 2 * (1 - np.cos(phase)), 0.0)
    return np.asarray(lift + rock)


def test_rocks_with_the_legs_crossed_are_no_reps() -> None:
    # the same rocks in the seated posture count (so the test can fail) ...
    assert len(detect(_thigh(_rocking(0.0))).reps) >= 10
    # ... but 30° off it, where an SPU is not done, they are the foot swinging
    assert detect(_thigh(_rocking(30.0))).reps == ()


@pytest.mark.parametrize("height_deg", [3.0, 5.0])
def test_a_swinging_foot_starts_no_run_whatever_its_height(height_deg: float) -> None:
    # a dangling lower leg is a pendulum of about a second: the crossed thigh rocks at
    # that pace, by more than a degree or two where the foot is swung hard
    assert detect(_thigh(_rocking(30.0, height_deg, 70.0))).reps == ()
    # the same rises at a set's pace that far off the seat still count (the phone turned
    # in the pocket, which the seated posture may not have followed)
    assert len(detect(_thigh(_rocking(30.0, height_deg, 20.0))).reps) >= 5


@pytest.mark.parametrize("seed", [1, 2, 7, 9])
def test_a_rep_hidden_by_the_phone_turning_counts(seed: int) -> None:
    # the phone turns 30° in the pocket mid-set; the tracker holds the tilt meanwhile, so
    # the rep then leaves no trace of its own (these seeds lost it before): the set went
    # on, in its rhythm
    sim = simulate(
        [Rest(4), RepSet(12, 30, 5.0, turn_deg=30), Rest(4)],
        Sensors(gyroscope=True),
        seed=seed,
    )
    d = detect(sim.recording)
    assert len(d.reps) == 12
    errors = _matched_top_errors(d, [r.top_s for r in sim.truth.reps])
    assert max(errors) < 0.3


@pytest.mark.parametrize("seed", [10, 21, 38])
def test_the_reps_after_a_turn_in_the_middle_of_a_rep_count(seed: int) -> None:
    # the phone turns 40° mid-rep: the tracker holds the tilt while it turns, but the
    # thigh goes on moving, so the tilt after the turn no longer comes back to the floor
    # the rep left (these seeds lost 3 reps or more before): the rise ends where the
    # turn began and the floor is found again; the reference axis turns with the phone
    sim = simulate(
        [Rest(4), RepSet(12, 30, 5.0, turn_deg=40), Rest(4)],
        Sensors(gyroscope=True),
        seed=seed,
    )
    d = detect(sim.recording)
    assert len(d.reps) == 12
    assert max(_matched_top_errors(d, [r.top_s for r in sim.truth.reps])) < 0.3


@pytest.mark.parametrize(("seed", "turn_deg", "rate"), [(10, 25, 50.0), (24, 40, 100.0)])
def test_the_reps_after_a_turn_count_without_a_gyroscope(
    seed: int, turn_deg: float, rate: float
) -> None:
    # accelerometer only, the turn moves gravity in the phone's frame by 15-25° and it
    # stays: the tilt re-zeroes, but the turn's swing outweighed the reps in the axis'
    # memory for half a minute, and the reps after it were seen edge-on, a degree or
    # less (these seeds lost 5 and 6 reps before): that direction is taken out of it
    sim = simulate(
        [Rest(4), RepSet(12, 30, 5.0, turn_deg=turn_deg), Rest(4)],
        Sensors(gyroscope=False, rate_hz=rate),
        seed=seed,
    )
    d = detect(sim.recording)
    assert len(d.reps) == 12
    assert max(_matched_top_errors(d, [r.top_s for r in sim.truth.reps])) < 0.3
    streamed = detect(sim.recording, chunk_s=0.37)
    assert [r.top_s for r in streamed.reps] == pytest.approx([r.top_s for r in d.reps])


def test_walking_then_a_leg_lift_and_fidgets_are_no_reps_without_a_gyroscope() -> None:
    # five minutes of sitting, walking about, a leg crossed and lifted, then fidgets: at
    # each re-zero the axis' memory is full of movement, but spread, not reps along one
    # arc; taking the way gravity moved out of it anyway let the fidgets after the leg
    # lift be seen full on (3 false reps)
    events = random_confounders(np.random.default_rng(525), 300.0)
    assert {type(e) for e in events} >= {StandWalk, LegLift, Fidgets}
    sim = simulate(events, Sensors(gyroscope=False, rate_hz=50.0), seed=25)
    assert detect(sim.recording).reps == ()


@pytest.mark.parametrize("gyroscope", [True, False])
@pytest.mark.parametrize("cadence", [90.0, 100.0])
def test_a_quick_bout_of_short_reps_counts(gyroscope: bool, cadence: float) -> None:
    # 90-100 a minute with a 0.2 s release: each rep is 0.3-0.4 s from edge to edge,
    # shorter than a rep on its own may be (MIN_REP_S); in a bout's rhythm it counts
    sim = simulate(
        [Rest(4), RepSet(60, cadence, 3.0, rise_fraction=0.3, release_s=0.2), Rest(4)],
        Sensors(gyroscope=gyroscope),
        seed=1,
    )
    d = detect(sim.recording)
    assert len(d.reps) == 60
    assert float(np.median(_matched_top_errors(d, [r.top_s for r in sim.truth.reps]))) < 0.06


def _reps_with_a_step(step_deg: float) -> tuple[np.ndarray, list[float]]:
    """20 s at rest, then 16 heel raises of 4° every 2.5 s (0.5 s up, 1.2 s down); after
    the 7th the phone turns ``step_deg`` in the pocket about the thigh's own axis over
    0.6 s (seen from the phone: a pitch that stays) and the set goes on. The tops."""
    rate = 100.0
    t = np.arange(0, 70, 1 / rate)
    pitch, tops = heel_raises(t, 16)
    turn = 20.0 + 2.5 * 7 - 0.3
    pitch += step_deg * 0.5 * (1 - np.cos(np.pi * np.clip((t - turn) / 0.6, 0, 1)))
    return pitch, tops


@pytest.mark.parametrize("step_deg", [-25.0, 25.0])
def test_a_set_goes_on_after_the_phone_turns_about_the_thighs_axis(step_deg: float) -> None:
    # no rate off the thigh's axis tells this turn from pitch, but the thigh cannot stay
    # 25° up with reps going on (the foot must reach the floor): the tilt starts from
    # zero again within seconds, and the reps after it count (all but two meanwhile)
    pitch, tops = _reps_with_a_step(step_deg)
    d = detect(_thigh(pitch))
    assert len(d.reps) >= len(tops) - 2
    assert max(_matched_top_errors(d, tops[:7] + tops[-6:])) < 0.3


def _big_reps_landing_hard(jolt_ms2: float, gyroscope: bool) -> Recording:
    """Ten tall heel raises (10° of thigh tilt, 25 a minute), each heel let drop in
    0.15 s and landing with a jolt of ``jolt_ms2`` for 30 ms, mostly along gravity."""
    sim = simulate(
        [Rest(4), RepSet(10, 25, 10.0, release_s=0.15), Rest(4)],
        Sensors(gyroscope=gyroscope),
        seed=3,
    )
    rec = sim.recording
    assert rec.acc is not None and rec.t_acc is not None
    acc = rec.acc.copy()
    for rep in sim.truth.reps:
        i = int(np.searchsorted(rec.t_acc, rep.end_s))
        down = acc[i] / np.linalg.norm(acc[i])
        acc[i : i + 3] += jolt_ms2 * (down + np.array([0.2, -0.1, 0.1]))
    return dataclasses.replace(rec, acc=acc)


@pytest.mark.parametrize("gyroscope", [True, False])
@pytest.mark.parametrize("jolt_ms2", [0.0, 15.0, 25.0])
def test_a_heel_landing_hard_is_no_violence(jolt_ms2: float, gyroscope: bool) -> None:
    # a jolt as the heel lands, the thigh then at rest: the landing, not a bump or a
    # footstep (those come with the thigh moving on: the walking confounder above)
    assert len(detect(_big_reps_landing_hard(jolt_ms2, gyroscope)).reps) == 10


@pytest.mark.parametrize("saturates", [False, True])
@pytest.mark.parametrize("seed", [3, 5, 6, 8])
def test_a_big_rep_dropped_fast_keeps_the_tilt(seed: int, saturates: bool) -> None:
    # 12° reps let drop in 0.12 s: in the drop the pocket accelerates down faster than
    # it would fall (the accelerometer turned over, no view of gravity), and at the
    # bottom the tissue's ringing rocks the phone while the thigh rests; a gyroscope
    # that saturates at ~70°/s reads less of the fall than there was, and gravity
    # brings the rest of it in after the landing (the thigh does not turn meanwhile)
    sim = simulate(
        [Rest(4), RepSet(10, 25, 12.0, release_s=0.12), Rest(4)],
        Sensors(gyroscope=True),
        seed=seed,
    )
    rec = sim.recording
    if saturates:
        assert rec.gyro is not None
        rec = dataclasses.replace(rec, gyro=np.clip(rec.gyro, -1.2, 1.2))
    d = detect(rec)
    assert len(d.reps) == 10
    assert max(_matched_top_errors(d, [r.top_s for r in sim.truth.reps])) < 0.15


@pytest.mark.parametrize("seed", [4, 5, 8])
def test_a_gyroscope_late_by_a_bin_now_and_then_keeps_the_tops(seed: int) -> None:
    # a jittery 50 Hz gyroscope leaves a 40 ms bin empty every ~0.35 s: for one bin the
    # thigh's rate is between the rates either side (kernels.binning.bridge); gravity's
    # direction, differentiated, would bring the pocket's own acceleration into the
    # tilt (tops off by 80-160 ms on these seeds)
    sim = simulate([Rest(4), RepSet(12, 30, 4.0), Rest(4)], Sensors(rate_hz=50.0), seed=seed)
    rec = sim.recording
    assert rec.t_gyro is not None and rec.gyro is not None
    rng = np.random.default_rng(seed)
    keep = np.ones(rec.t_gyro.size, bool)
    for t0 in np.arange(2.0, rec.t_gyro[-1], 0.3) + rng.uniform(0, 0.1):
        keep &= ~((rec.t_gyro > t0) & (rec.t_gyro < t0 + 0.05))
    d = detect(dataclasses.replace(rec, t_gyro=rec.t_gyro[keep], gyro=rec.gyro[keep]))
    assert len(d.reps) == 12
    assert max(_matched_top_errors(d, [r.top_s for r in sim.truth.reps])) < 0.06


def _hurried_bout(
    height_deg: float, back: float, reps: int = 10, per_min: float = 80.0
) -> np.ndarray:
    """A quick bout whose hurried releases come down only ``back`` of the way before the
    next rise: the thigh's floor climbs from rep to rep (a foot sliding back); the last
    comes all the way down."""
    rate, cycle = 100.0, 60 / per_min
    t = np.arange(0, 10 + reps * cycle, 1 / rate)
    phase = np.clip((t - 5) / cycle, 0, reps)
    k = np.minimum(np.floor(phase), reps - 1)
    frac = phase - k
    up = (1 - np.cos(np.pi * np.clip(frac / 0.4, 0, 1))) / 2
    down = (1 - np.cos(np.pi * np.clip((frac - 0.4) / 0.6, 0, 1))) / 2
    drop = np.where(k == reps - 1, (1 - back) * k + 1, back)  # (the last all the way down)
    return np.asarray(height_deg * ((1 - back) * k + up - drop * down))


@pytest.mark.parametrize(("height_deg", "back"), [(1.2, 0.6), (1.6, 0.55), (2.5, 0.65)])
def test_a_bout_whose_releases_stop_half_way_counts_every_rep(
    height_deg: float, back: float
) -> None:
    # down by half or more and clearly up again is the next rep, though the new rise
    # passes the last top within one window (the floor drifting up). (The last rep, down
    # much further than it rose, is too tall against the floor for this run: not asked.)
    assert len(detect(_thigh(_hurried_bout(height_deg, back))).reps) >= 9


def _without_gyroscope(rec: Recording, spans: list[tuple[float, float]]) -> Recording:
    """The recording with no gyroscope samples in the given spans (the accelerometer's
    untouched): a phone batching or dropping the gyroscope's samples, a busy CPU."""
    assert rec.t_gyro is not None and rec.gyro is not None
    keep = np.ones(rec.t_gyro.size, dtype=bool)
    for lo, hi in spans:
        keep &= (rec.t_gyro < lo) | (rec.t_gyro >= hi)
    return dataclasses.replace(rec, t_gyro=rec.t_gyro[keep], gyro=rec.gyro[keep])


# (the accelerometer of a phone in a pocket: 0.15 m/s² of fabric and soft tissue wobble,
# so gravity's direction alone does not carry a rise across a gap; on main 07169f2,
# which held one empty bin and took gravity's rate through longer gaps, these counted
# 17, 16 and 17 of 18)
@pytest.mark.parametrize(("rate", "seed"), [(100.0, 31), (50.0, 35), (50.0, 38)])
def test_a_gap_in_the_gyroscope_stream_mid_set_changes_no_count(rate: float, seed: int) -> None:
    """The thigh goes on turning while the gyroscope is silent: gaps of 0.1-0.3 s in
    the middle of rises, at tops and in releases leave the count (and streaming ==
    batch) as it is."""
    sim = simulate(
        [Rest(4), RepSet(10, 30, 4.0), Rest(8), RepSet(8, 40, 5.0, release_s=0.15), Rest(4)],
        Sensors(rate_hz=rate, acc_noise=0.15),
        seed=seed,
    )
    clean = detect(sim.recording)
    assert len(clean.reps) == len(sim.truth.reps)
    rng = np.random.default_rng(seed)
    spans = []
    for rep in sim.truth.reps:
        at = (rep.start_s + rep.top_s) / 2, rep.top_s, (rep.top_s + rep.end_s) / 2
        mid = at[int(rng.integers(3))]
        half = float(rng.uniform(0.05, 0.15))
        spans.append((mid - half, mid + half))
    gappy = _without_gyroscope(sim.recording, spans)
    batch = detect(gappy)
    assert len(batch.reps) == len(clean.reps)
    truth = np.array([r.top_s for r in sim.truth.reps])
    assert max(float(np.min(np.abs(truth - r.top_s))) for r in batch.reps) < 0.3
    streamed = detect(gappy, chunk_s=0.37)
    assert [r.top_s for r in streamed.reps] == pytest.approx([r.top_s for r in batch.reps])
