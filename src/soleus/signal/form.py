"""Form findings on detected reps (DESIGN.md §5); thresholds are module defaults.

Each finding is a :class:`Flag`: a rule id, a one-line message, and the index of the
rep it is about (or ``None`` for a finding about a bout or the whole recording).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

import numpy as np

from soleus.signal.detect import LegLift, Rep
from soleus.signal.span import Peaked

Style = Literal["sets", "bout"]

# "heel reaches the top": at least 70% of the person's own good height (the 75th
# percentile of their reps). Reps vary by 10-15% from one to the next; a rep below
# that is a half rep, not variation.
RANGE_FRACTION = 0.7
GOOD_PERCENTILE = 75.0
MIN_REPS_FOR_RANGE = 3
OWN_RANGE_FRACTION = 0.6  # calibrated: under 60 % of the person's own height is incomplete
# passive release in sustained bouts; sets may lower slowly but not hold for long
MAX_RELEASE_S: dict[str, float] = {"bout": 0.8, "sets": 3.0}
MAX_HOLD_S: dict[str, float] = {"bout": 0.5, "sets": 3.0}


@dataclass(frozen=True)
class CadenceRange:
    """Reps per minute a set or bout should keep, both ends included.

    The check and the words use the same figure: the cadence rounded to whole reps per
    minute, as the message shows it. So "20 reps/min" is never "too slow" for "20-40".
    """

    low: int
    high: int

    def shown(self, per_min: float) -> int:
        return round(per_min)

    def verdict(self, per_min: float) -> Literal["slow", "fast"] | None:
        """``slow``/``fast`` outside the range, None inside it (ends included)."""
        shown = self.shown(per_min)
        if shown < self.low:
            return "slow"
        if shown > self.high:
            return "fast"
        return None

    def __str__(self) -> str:
        return f"{self.low}–{self.high} reps/min"


CADENCE_RANGE: dict[Style, CadenceRange] = {
    "sets": CadenceRange(20, 40),
    "bout": CadenceRange(30, 90),
}
# reps further apart than this start a new set / (bout style) a pause ends the bout
SET_BREAK_S = 15.0
PAUSE_S = 240.0


@dataclass(frozen=True)
class Flag:
    rule: str
    message: str
    rep: int | None = None


@dataclass(frozen=True)
class BoutSummary:
    start_s: float
    end_s: float
    count: int
    cadence_per_min: float | None
    first_rep: int


class Timed(Peaked, Protocol):
    """What the timing rules need of a rep, from the phone or from video."""

    @property
    def hold_s(self) -> float: ...
    @property
    def release_s(self) -> float: ...


# a stretch of at least this many reps without a set's rest, faster than sets go, is a
# sustained bout (DESIGN §5: sets 20-40/min with rests; bouts ~50/min for minutes)
BOUT_MIN_REPS = 30


def infer_style(reps: Sequence[Timed]) -> Style:
    """``bout`` when the reps hold a sustained bout, else ``sets``."""
    fastest_sets = CADENCE_RANGE["sets"].high
    for part in group(reps, "sets"):
        cadence = part.cadence_per_min or 0.0
        if part.count >= BOUT_MIN_REPS and cadence > fastest_sets:
            return "bout"
    return "sets"


def group(reps: Sequence[Timed], style: Style) -> list[BoutSummary]:
    """Split reps into sets (gap > SET_BREAK_S) or sustained bouts (gap > PAUSE_S)."""
    gap = SET_BREAK_S if style == "sets" else PAUSE_S
    bouts: list[BoutSummary] = []
    first = 0
    for i in range(1, len(reps) + 1):
        if i == len(reps) or reps[i].start_s - reps[i - 1].end_s > gap:
            part = reps[first:i]
            tops = np.array([r.top_s for r in part])
            cadence = 60.0 / float(np.median(np.diff(tops))) if len(part) > 1 else None
            bouts.append(BoutSummary(part[0].start_s, part[-1].end_s, len(part), cadence, first))
            first = i
    return bouts


def check(
    reps: list[Rep],
    bouts: list[BoutSummary],
    lifts: list[LegLift],
    style: Style,
    own_deg: float | None = None,
) -> list[Flag]:
    """The form findings; ``own_deg``: the person's calibrated rep height, if any."""
    flags = (
        range_flags([r.amplitude_deg for r in reps])
        if own_deg is None
        else own_range_flags([r.amplitude_deg for r in reps], own_deg)
    )
    flags += timing_flags(reps, bouts, style)
    for lift in lifts:
        seen = f"the whole leg lifted ({lift.amplitude_deg:.0f}° of thigh tilt)"
        flags.append(lift_flag(lift.start_s, seen))
    return flags


def lift_flag(start_s: float, seen: str) -> Flag:
    """A whole-leg lift at ``start_s``; ``seen`` says what showed it (phone or video)."""
    return Flag(
        "whole_leg_lift",
        f"at {start_s:.1f} s {seen}: keep the forefoot down and raise only the heel",
        None,
    )


def range_flags(heights: Sequence[float], noise: float = 0.0) -> list[Flag]:
    """Reps well below the person's own good height (thigh tilt, or heel rise on video,
    whose measurement ``noise`` is allowed for)."""
    if len(heights) < MIN_REPS_FOR_RANGE:
        return []
    good = float(np.percentile(heights, GOOD_PERCENTILE))
    return [
        Flag(
            "incomplete_range",
            f"rep {i + 1} reached {h / good:.0%} of your usual height: "
            "lift the heel to the top of its range",
            i,
        )
        for i, h in enumerate(heights)
        if h < RANGE_FRACTION * good - noise
    ]


def own_range_flags(heights: Sequence[float], own: float) -> list[Flag]:
    """Reps under OWN_RANGE_FRACTION of the person's calibrated height (any number of
    reps: the reference is theirs, not the set's)."""
    return [
        Flag(
            "incomplete_range",
            f"rep {i + 1} reached {h / own:.0%} of your calibrated height: "
            "lift the heel to the top of its range",
            i,
        )
        for i, h in enumerate(heights)
        if h < OWN_RANGE_FRACTION * own
    ]


def timing_flags(reps: Sequence[Timed], bouts: Sequence[BoutSummary], style: Style) -> list[Flag]:
    """Held or slow release per rep, cadence per bout, pauses that end a bout."""
    flags: list[Flag] = []
    for i, r in enumerate(reps):
        if r.hold_s > MAX_HOLD_S[style]:
            flags.append(
                Flag(
                    "held_release",
                    f"rep {i + 1} stayed at the top for {r.hold_s:.1f} s: "
                    + ("let the heel drop right away" if style == "bout" else "release sooner"),
                    i,
                )
            )
        elif r.release_s > MAX_RELEASE_S[style]:
            flags.append(
                Flag(
                    "slow_release",
                    f"rep {i + 1} took {r.release_s:.1f} s to come down: "
                    + (
                        "release it passively, let it fall"
                        if style == "bout"
                        else f"lower within {MAX_RELEASE_S[style]:.0f} s"
                    ),
                    i,
                )
            )
    aim = CADENCE_RANGE[style]
    name = "set" if style == "sets" else "bout"
    for k, b in enumerate(bouts):
        if b.cadence_per_min is None or b.count < 3:
            continue
        pace = aim.verdict(b.cadence_per_min)
        if pace is not None:
            flags.append(
                Flag(
                    "cadence",
                    f"{name} {k + 1}: {aim.shown(b.cadence_per_min)} reps/min is too {pace} "
                    f"(aim for {aim})",
                    None,
                )
            )
    if style == "bout":
        for prev, nxt in itertools.pairwise(bouts):
            minutes = (nxt.start_s - prev.end_s) / 60.0
            flags.append(
                Flag(
                    "pause",
                    f"a pause of {minutes:.1f} min ended the bout (over {PAUSE_S / 60:.0f} min)",
                    nxt.first_rep,
                )
            )
    return flags
