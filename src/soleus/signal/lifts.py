"""What is too big to be a soleus pushup: whole-leg lifts and knee raises.

A heel raise tilts the thigh only as far as the ankle's range lets the knee rise (a few
degrees, :data:`MAX_TILT_DEG` at most for a single rep). A rise beyond it that comes back
is a whole-leg lift (:class:`LegLift`: reported, never counted); a run of them is judged
by :func:`too_big`.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

from soleus.signal.rhythm import Axis, Rep, dot, median
from soleus.signal.thresholds import KNEE_AXIS_WANDER_DEG, MAX_TILT_DEG, RUN_MAX_MEDIAN_DEG


@dataclass(frozen=True)
class LegLift:
    start_s: float
    end_s: float
    amplitude_deg: float


def too_big(run: Sequence[Rep], axes: Sequence[Axis], weak: Sequence[bool]) -> bool:
    """Is the run's typical rise beyond the ankle's range (whole-leg lifts)? Or, at the
    top of the ankle's range, do its reps turn the thigh about axes that wander (knee
    raises: the foot off the floor, nothing holds the knee's path; a heel on the floor
    guides it, every rep about one axis)? ``axes`` and ``weak`` are each rep's axis and
    whether it was too small to start a run; only the others are judged. (A run too big
    goes on unconfirmed, judged on all its rises as they come.)"""
    strong = [r.amplitude_deg for r, w in zip(run, weak, strict=True) if not w]
    if not strong or median(strong) <= MAX_TILT_DEG:
        return False
    if median(strong) > RUN_MAX_MEDIAN_DEG:
        return True
    kept = [a for a, w in zip(axes, weak, strict=True) if not w]
    turns = [math.degrees(math.acos(min(1.0, abs(dot(a, b))))) for a, b in itertools.pairwise(kept)]
    return bool(turns) and median(turns) > KNEE_AXIS_WANDER_DEG
