"""The result of analysing one recording, and its JSON shape (issue 5).

``analyze(recording)`` is pure: arrays in, an :class:`Analysis` out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from soleus.errors import SoleusError
from soleus.signal.detect import MIN_RUN, Detection, LegLift, Rep, detect
from soleus.signal.form import BoutSummary, Flag, Style, check, group, infer_style
from soleus.signal.recording import Recording

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


@dataclass(frozen=True)
class Analysis:
    format: str
    duration_s: float
    sample_rate_hz: float
    style: Style
    side: str | None
    reps: tuple[Rep, ...]
    bouts: tuple[BoutSummary, ...]
    flags: tuple[Flag, ...]
    lifts: tuple[LegLift, ...]
    reason: str | None = None
    notes: tuple[str, ...] = field(default=())
    sensors: str = ""

    @property
    def count(self) -> int:
        return len(self.reps)

    def to_dict(self) -> dict[str, Any]:
        def r(x: float | None) -> float | None:
            return None if x is None else round(float(x), 3)

        return {
            "count": self.count,
            "duration_s": r(self.duration_s),
            "sample_rate_hz": r(self.sample_rate_hz),
            "format": self.format,
            "sensors": self.sensors,
            "style": self.style,
            "side": self.side,
            "reps": [
                {
                    "start_s": r(p.start_s),
                    "top_s": r(p.top_s),
                    "end_s": r(p.end_s),
                    "rise_s": r(p.rise_s),
                    "release_s": r(p.release_s),
                    "hold_s": r(p.hold_s),
                    "amplitude_deg": r(p.amplitude_deg),
                }
                for p in self.reps
            ],
            "bouts": [
                {
                    "start_s": r(b.start_s),
                    "end_s": r(b.end_s),
                    "count": b.count,
                    "cadence_per_min": r(b.cadence_per_min),
                }
                for b in self.bouts
            ],
            "flags": [{"rule": f.rule, "message": f.message, "rep": f.rep} for f in self.flags],
            "reason": self.reason,
            "notes": list(self.notes),
        }


def _reason(d: Detection, rec: Recording) -> str:
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
    if d.rejected:
        return (
            "no soleus pushups found: the thigh moved, but not as a run of at least "
            "3 steady heel raises"
        )
    return "no soleus pushups found: the thigh hardly moved"


def analyze(
    rec: Recording,
    *,
    style: Style | None = None,
    side: str | None = None,
    detection: Detection | None = None,
) -> Analysis:
    """The reps of ``rec`` and their form; ``style`` None: decided from the reps."""
    check_length(rec)
    d = detection if detection is not None else detect(rec)
    reps = list(d.reps)
    if style is None:
        style = infer_style(reps)
    bouts = group(reps, style)
    flags = check(reps, bouts, list(d.lifts), style)
    sensors = "+".join(
        n for n, v in (("accelerometer", rec.acc), ("gyroscope", rec.gyro)) if v is not None
    )
    return Analysis(
        format=rec.format,
        duration_s=rec.duration_s,
        sample_rate_hz=rec.sample_rate_hz,
        style=style,
        side=side,
        reps=tuple(reps),
        bouts=tuple(bouts),
        flags=tuple(flags),
        lifts=d.lifts,
        reason=None if reps else _reason(d, rec),
        notes=rec.notes,
        sensors=sensors,
    )
