"""A person's own rep, from a recording of three: the calibration (issue 12, item 3).

Three deliberate reps with the phone in the pocket give the person's own amplitude
(the median thigh tilt of the reps) and rhythm (the median rise and release times).
The detector then scales its thresholds to them (:meth:`Calibration.thresholds`: only
ever lower or slower than the defaults, so a small-amplitude person is counted and
nobody is counted less), and the form checks call a rep "incomplete" under
INCOMPLETE_FRACTION of the person's own amplitude instead of the set's. Without a
calibration nothing changes. Kept light: the detector imports it (and it imports the
detector inside its functions).
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from statistics import median
from typing import TYPE_CHECKING

from soleus.errors import SoleusError

if TYPE_CHECKING:
    from soleus.signal.recording import FloatArray, Recording

MIN_REPS, MAX_REPS = 3, 5  # "do three reps": three to five clear ones are taken
MIN_FRACTION = 0.4  # a rep counts from 40 % of the person's own height ...
INCOMPLETE_FRACTION = 0.6  # ... and under 60 % of it is flagged "incomplete range"
SLOW_FACTOR = 2.0  # rises and releases up to twice the person's own are still reps
SPREAD = 2.5  # the calibration reps' heights within this ratio of each other
# the entries of detect.PARAMS a calibration changes (a test checks them)
P_HYSTERESIS, P_MIN_TILT, P_MAX_RISE, P_MAX_RELEASE = 4, 7, 11, 12


@dataclass(frozen=True)
class Calibration:
    amplitude_deg: float  # median thigh tilt of the person's reps
    rise_s: float  # median start → top
    release_s: float  # median top → end
    reps: int  # how many reps it was measured from

    def thresholds(self) -> tuple[float, FloatArray]:
        """The smallest rep a run may start with, and the detector's PARAMS, for this
        person: a rep from MIN_FRACTION of their own height (never under the sway floor
        detect.RUN_MIN_TILT_DEG, never over the default), the hysteresis half of that,
        rises and releases up to SLOW_FACTOR × theirs (never quicker than the default)."""
        from soleus.signal import detect as d

        min_tilt = min(d.MIN_TILT_DEG, max(d.RUN_MIN_TILT_DEG, MIN_FRACTION * self.amplitude_deg))
        params = d.PARAMS.copy()
        params[P_MIN_TILT] = min_tilt
        params[P_HYSTERESIS] = min(d.HYSTERESIS_DEG, min_tilt / 2)
        params[P_MAX_RISE] = max(d.MAX_RISE_S, SLOW_FACTOR * self.rise_s)
        params[P_MAX_RELEASE] = max(d.MAX_RELEASE_S, SLOW_FACTOR * self.release_s)
        return min_tilt, params

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


# The reps of a calibration recording are looked for as a calibrated person's would be
# with the smallest own height there is: every rep above the sway floor.
_PROBE = Calibration(amplitude_deg=0.0, rise_s=0.0, release_s=0.0, reps=0)


def measure(rec: Recording) -> Calibration:
    """The person's own rep from a recording of about three; SoleusError (one line, what
    was found) unless it holds MIN_REPS–MAX_REPS clear reps of similar height."""
    from soleus.signal.analysis import check_length
    from soleus.signal.detect import detect

    check_length(rec)
    found = detect(rec, calibration=_PROBE).reps
    n = len(found)
    if not MIN_REPS <= n <= MAX_REPS:
        seen = "no reps" if n == 0 else f"{n} rep{'s' if n > 1 else ''}"
        raise SoleusError(
            f"calibration needs {MIN_REPS} clear reps, found {seen}: record three slow, "
            "full heel raises with the phone in the pocket (nothing stored)"
        )
    heights = [r.amplitude_deg for r in found]
    if max(heights) > SPREAD * min(heights):
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
