"""A person's own rep, from a recording of three: the calibration (issue 12, item 3).

Three deliberate reps with the phone in the pocket give the person's own amplitude
(the median thigh tilt of the reps) and rhythm (the median rise and release times).
The detector then scales its thresholds to them (:meth:`Calibration.thresholds`: only
ever lower or slower than the defaults, so a small-amplitude person is counted and
nobody is counted less), and the form checks call a rep "incomplete" under
INCOMPLETE_FRACTION of the person's own amplitude instead of the set's. Without a
calibration nothing changes. The detector imports this module, so it imports no other
part of the detector; :func:`soleus.signal.analysis.calibrate` measures one.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from soleus.signal.recording import FloatArray

MIN_REPS, MAX_REPS = 3, 5  # "do three reps": three to five clear ones are taken
MIN_FRACTION = 0.4  # a rep counts from 40 % of the person's own height ...
INCOMPLETE_FRACTION = 0.6  # ... and under 60 % of it is flagged "incomplete range"
SLOW_FACTOR = 2.0  # rises and releases up to twice the person's own are still reps
SPREAD = 2.5  # the calibration reps' heights within this ratio of each other
# the entries of thresholds.PARAMS a calibration reads and changes (a test checks them)
P_HYSTERESIS, P_MIN_TILT, P_MAX_RISE, P_MAX_RELEASE, P_SWAY = 4, 7, 11, 12, 23


@dataclass(frozen=True)
class Calibration:
    amplitude_deg: float  # median thigh tilt of the person's reps
    rise_s: float  # median start → top
    release_s: float  # median top → end
    reps: int  # how many reps it was measured from

    def thresholds(self, defaults: FloatArray) -> tuple[float, FloatArray]:
        """The smallest rep a run may start with, and the detector's PARAMS (from its
        ``defaults``), for this person: a rep from MIN_FRACTION of their own height
        (never under the sway floor, thresholds.RUN_MIN_TILT_DEG, never over the default),
        the hysteresis half of that, rises and releases up to SLOW_FACTOR × theirs
        (never quicker than the default)."""
        p = defaults.copy()
        min_tilt = min(p[P_MIN_TILT], max(p[P_SWAY], MIN_FRACTION * self.amplitude_deg))
        p[P_MIN_TILT] = min_tilt
        p[P_HYSTERESIS] = min(p[P_HYSTERESIS], min_tilt / 2)
        p[P_MAX_RISE] = max(p[P_MAX_RISE], SLOW_FACTOR * self.rise_s)
        p[P_MAX_RELEASE] = max(p[P_MAX_RELEASE], SLOW_FACTOR * self.release_s)
        return float(min_tilt), p

    def words(self) -> str:
        return (
            f"your own rep: {self.amplitude_deg:.1f}° of thigh tilt, up in "
            f"{self.rise_s:.1f} s, down in {self.release_s:.1f} s (from {self.reps} reps)"
        )

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str | None) -> Calibration | None:
        """A stored calibration, or None (none stored, or not one this version reads)."""
        if not text:
            return None
        try:
            data = json.loads(text)
            cal = cls(
                float(data["amplitude_deg"]),
                float(data["rise_s"]),
                float(data["release_s"]),
                int(data["reps"]),
            )
        except (ValueError, KeyError, TypeError):
            return None
        values = (cal.amplitude_deg, cal.rise_s, cal.release_s)
        return cal if all(math.isfinite(v) and v > 0 for v in values) else None
