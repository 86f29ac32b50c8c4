"""Calibration: a person's own rep from three, the detector's thresholds scaled to it."""

from __future__ import annotations

import pytest

from soleus.errors import SoleusError
from soleus.signal import calibration as calib
from soleus.signal import detect as d
from soleus.signal import thresholds as th
from soleus.signal.analysis import analyze
from soleus.signal.analysis import calibrate as measure
from soleus.signal.calibration import Calibration
from soleus.signal.recording import Recording
from soleus.signal.simulate import (
    Event,
    Fidgets,
    LegCross,
    RepSet,
    Rest,
    Sensors,
    Typing,
    simulate,
)

SMALL = 1.2  # degrees of thigh tilt: every rep under the default MIN_TILT_DEG (1.5)


def _rec(events: list[Event], seed: int, **sensors: bool) -> Recording:
    return simulate(events, Sensors(**sensors), seed=seed).recording


def _three(amp: float, seed: int) -> Recording:
    return _rec([Rest(4), RepSet(reps=3, cadence=20, amplitude_deg=amp), Rest(4)], seed)


def test_the_params_a_calibration_changes_are_the_detectors() -> None:
    assert th.PARAMS[calib.P_MIN_TILT] == th.MIN_TILT_DEG
    assert th.PARAMS[calib.P_HYSTERESIS] == th.HYSTERESIS_DEG
    assert th.PARAMS[calib.P_MAX_RISE] == th.MAX_RISE_S
    assert th.PARAMS[calib.P_MAX_RELEASE] == th.MAX_RELEASE_S
    assert th.PARAMS[calib.P_SWAY] == th.RUN_MIN_TILT_DEG


def test_thresholds_are_only_ever_lower_or_slower() -> None:
    small = Calibration(1.0, 0.5, 0.3, 3).thresholds(th.PARAMS)
    assert small[0] == pytest.approx(th.RUN_MIN_TILT_DEG)  # the sway floor
    assert small[1][calib.P_HYSTERESIS] == pytest.approx(th.RUN_MIN_TILT_DEG / 2)
    mid = Calibration(3.0, 3.5, 3.5, 3).thresholds(th.PARAMS)
    assert mid[0] == pytest.approx(1.2)
    assert mid[1][calib.P_MAX_RISE] == 7.0 and mid[1][calib.P_MAX_RELEASE] == 7.0
    big, params = Calibration(9.0, 0.5, 0.3, 3).thresholds(th.PARAMS)
    assert big == th.MIN_TILT_DEG
    assert params.tolist() == th.PARAMS.tolist()


@pytest.mark.parametrize("seed", [1, 2])
def test_a_calibrated_small_amplitude_person_is_counted_where_the_default_misses(
    seed: int,
) -> None:
    cal = measure(_three(SMALL, 100 + seed))
    assert cal.reps == 3 and cal.amplitude_deg < th.MIN_TILT_DEG
    rec = _rec(
        [Rest(10), RepSet(12, 30, SMALL), Rest(10), RepSet(10, 25, SMALL), Rest(10)], 200 + seed
    )
    assert len(d.detect(rec).reps) == 0
    assert len(d.detect(rec, calibration=cal).reps) >= 20  # of 22


def test_without_a_calibration_the_detector_is_unchanged() -> None:
    events: list[Event] = [
        Rest(5), RepSet(10, 30, 5.0), Rest(8), Fidgets(20), RepSet(12, 40, 2.0, incomplete_every=3),
        Rest(5), Typing(10), LegCross(10), Rest(5),
    ]  # fmt: skip
    for gyroscope in (True, False):
        rec = _rec(events, 7, gyroscope=gyroscope)
        det = d.StreamingDetector(accelerometer=True, gyroscope=gyroscope)
        assert det._params is th.PARAMS and det._min_tilt == th.MIN_TILT_DEG
        assert d.detect(rec, calibration=None) == d.detect(rec)
        assert analyze(rec, calibration=None).to_dict() == analyze(rec).to_dict()


def test_a_calibrated_person_of_usual_height_loses_no_rep() -> None:
    cal = measure(_three(5.0, 11))
    rec = _rec([Rest(5), RepSet(10, 30, 5.0), Rest(8), RepSet(12, 40, 4.0), Rest(5)], 12)
    assert [r.top_s for r in d.detect(rec, calibration=cal).reps] == [
        r.top_s for r in d.detect(rec).reps
    ]


def test_incomplete_range_is_judged_against_the_persons_own_height() -> None:
    rec = _rec([Rest(5), RepSet(6, 30, 2.0), Rest(5)], 3)
    own = Calibration(4.0, 1.0, 0.3, 3)
    result = analyze(rec, calibration=own)
    flagged = [f for f in result.flags if f.rule == "incomplete_range"]
    low = [i for i, r in enumerate(result.reps) if r.amplitude_deg < 0.6 * 4.0]
    assert len(result.reps) == 6 and len(low) >= 4  # reps about half the person's own
    assert [f.rep for f in flagged] == low
    assert "of your calibrated height" in flagged[0].message
    assert not [f for f in analyze(rec).flags if f.rule == "incomplete_range"]


@pytest.mark.parametrize(
    ("events", "found"),
    [
        ([Rest(8)], "found no reps"),
        ([Rest(4), RepSet(reps=8, cadence=30), Rest(4)], "found 8 reps"),
        ([Rest(4), RepSet(reps=2, cadence=20), Rest(4)], "found"),
    ],
)
def test_a_calibration_recording_without_about_three_clear_reps_says_what_was_found(
    events: list[Event], found: str
) -> None:
    with pytest.raises(SoleusError) as error:
        measure(_rec(events, 5))
    assert found in error.value.message and "nothing stored" in error.value.message
    assert "\n" not in error.value.message


def test_stored_form_round_trips_and_garbage_reads_as_none() -> None:
    cal = Calibration(1.25, 0.8, 0.4, 3)
    assert Calibration.from_json(cal.to_json()) == cal
    for bad in (
        None,
        "",
        "{",
        "[]",
        '{"amplitude_deg": -1, "rise_s": 1, "release_s": 1, "reps": 3}',
    ):
        assert Calibration.from_json(bad) is None
    assert "1.2° of thigh tilt" in cal.words()


def test_finding_nothing_suggests_a_calibration_only_to_the_uncalibrated() -> None:
    rec = _rec([Rest(10), RepSet(6, 30, 0.5), Rest(10)], 4)  # below even the sway floor
    assert "calibrate once" in (analyze(rec).reason or "")
    own = analyze(rec, calibration=Calibration(1.0, 1.0, 0.3, 3))
    assert own.count == 0 and "calibrate" not in (own.reason or "")
