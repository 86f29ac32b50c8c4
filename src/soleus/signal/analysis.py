"""Analysing one phone recording: reps, bouts and form findings (issue 5).

``analyze(recording)`` is pure: arrays in, an :data:`Analysis` out; the result type and
its JSON shape are :mod:`soleus.signal.result`'s, shared with the video.
"""

from __future__ import annotations

import math
from statistics import median
from typing import TypeAlias

from soleus.errors import SoleusError
from soleus.signal import calibration as calib
from soleus.signal.calibration import Calibration
from soleus.signal.detect import Detection, Rep, detect
from soleus.signal.form import Style, check, group, infer_style
from soleus.signal.recording import Recording
from soleus.signal.result import Result
from soleus.signal.thresholds import MIN_RUN

# The shortest recording that can hold a count: a second at rest, then the MIN_RUN reps
# a run needs before any counts, at the fastest cadence (90/min). Shorter than this,
# "no soleus pushups found" would blame the person for what the file cannot show.
MIN_DURATION_S = 5.0


def check_length(rec: Recording) -> None:
    """A one-line error when ``rec`` is too short to hold a single counted run."""
    if rec.duration_s < MIN_DURATION_S:
        shown = round(rec.duration_s, 1)
        if shown >= MIN_DURATION_S:  # 4.96 s is not "5 s; at least 5 s needed"
            shown = math.floor(rec.duration_s * 10) / 10
        raise SoleusError(
            f"too short to analyse ({shown:g} s; at least {MIN_DURATION_S:g} s needed for "
            f"{MIN_RUN} reps in a row)"
        )


Analysis: TypeAlias = Result[Rep]
"""A phone recording's result (:class:`soleus.signal.result.Result`)."""


SMALL_REPS_HINT = " (small, gentle reps? calibrate once with a recording of three)"


def _reason(d: Detection, rec: Recording, calibrated: bool) -> str:
    if d.large_moves >= 3:
        return (
            "no soleus pushups found: the thigh moved far too hard for seated heel "
            "raises (walking, standing up?)"
        )
    if d.lifts:
        return (
            "no soleus pushups found: only whole-leg lifts; keep the forefoot down "
            "and raise the heel"
        )
    hint = "" if calibrated else SMALL_REPS_HINT
    if d.rejected:
        return (
            "no soleus pushups found: the thigh moved, but not as a run of at least "
            "3 steady heel raises" + hint
        )
    return "no soleus pushups found: the thigh hardly moved" + hint


def analyze(
    rec: Recording,
    *,
    style: Style | None = None,
    side: str | None = None,
    detection: Detection | None = None,
    calibration: Calibration | None = None,
) -> Analysis:
    """The reps of ``rec`` and their form; ``style`` None: decided from the reps;
    ``calibration``: the person's own rep (thresholds and the incomplete-range flag)."""
    check_length(rec)
    d = detection if detection is not None else detect(rec, calibration=calibration)
    reps = list(d.reps)
    if style is None:
        style = infer_style(reps)
    bouts = group(reps, style)
    own = calibration.amplitude_deg if calibration else None
    flags = check(reps, bouts, list(d.lifts), style, own)
    sensors = "+".join(
        n for n, v in (("accelerometer", rec.acc), ("gyroscope", rec.gyro)) if v is not None
    )
    return Result(
        format=rec.format,
        duration_s=rec.duration_s,
        sample_rate_hz=rec.sample_rate_hz,
        style=style,
        side=side,
        reps=tuple(reps),
        bouts=tuple(bouts),
        flags=tuple(flags),
        lifts=d.lifts,
        reason=None if reps else _reason(d, rec, calibration is not None),
        notes=rec.notes,
        sensors=sensors,
    )


# The reps of a calibration recording are looked for as a calibrated person's would be
# with the smallest own height there is: every rep above the sway floor.
_PROBE = Calibration(amplitude_deg=0.0, rise_s=0.0, release_s=0.0, reps=0)


def calibrate(rec: Recording) -> Calibration:
    """The person's own rep from a recording of about three; SoleusError (one line, what
    was found) unless it holds 3–5 clear reps of similar height (calib.MIN_REPS, MAX_REPS)."""
    check_length(rec)
    found = detect(rec, calibration=_PROBE).reps
    n = len(found)
    if not calib.MIN_REPS <= n <= calib.MAX_REPS:
        seen = "no reps" if n == 0 else f"{n} rep{'s' if n > 1 else ''}"
        raise SoleusError(
            f"calibration needs {calib.MIN_REPS} clear reps, found {seen}: record three slow, "
            "full heel raises with the phone in the pocket (nothing stored)"
        )
    heights = [r.amplitude_deg for r in found]
    if max(heights) > calib.SPREAD * min(heights):
        raise SoleusError(
            f"calibration needs {n} similar reps, found heights from {min(heights):.1f}° "
            f"to {max(heights):.1f}°: record three full heel raises (nothing stored)"
        )
    return Calibration(
        amplitude_deg=round(median(heights), 2),
        rise_s=round(median(r.rise_s for r in found), 2),
        release_s=round(median(r.release_s for r in found), 2),
        reps=n,
    )
