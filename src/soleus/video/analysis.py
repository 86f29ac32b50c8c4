"""The result of analysing a video: the phone analysis' JSON shape, plus the forefoot.

Same keys as :meth:`soleus.signal.analysis.Analysis.to_dict` (``count``, ``duration_s``,
``sample_rate_hz`` = frame rate, ``format``, ``reps``, ``bouts``, ``flags``, ...), plus
``"source": "video"`` and per rep ``toe_ratio`` (toe rise / heel rise) and ``heel_rise``
(shin lengths). ``amplitude_deg`` is the foot's pitch about the ball of the foot at the
top (the phone reports the thigh's tilt there). The form rules and their defaults are
those of DESIGN.md §5 and :mod:`soleus.signal.form`, kept here so the two can evolve
apart; the video adds "forefoot stays down" and "heel returns to the floor".
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np

from soleus.video.landmarks import FootTracks
from soleus.video.reps import HEEL_NOISE, Series, VideoRep, detect

Style = Literal["sets", "bout"]

TOE_RATIO_MAX = 0.15  # forefoot stays down: toe rise < 15% of heel rise
RETURN_MAX = 0.10  # heel returns to the floor: within 10% of the rise
RANGE_FRACTION = 0.8  # heel reaches the top: ≥ 80% of the clip's best (90th percentile)
BEST_PERCENTILE = 90.0
MIN_REPS_FOR_RANGE = 3
MAX_RELEASE_S: dict[str, float] = {"bout": 0.8, "sets": 3.0}
MAX_HOLD_S: dict[str, float] = {"bout": 0.5, "sets": 3.0}
CADENCE_RANGE: dict[str, tuple[float, float]] = {"sets": (20.0, 40.0), "bout": (30.0, 90.0)}
SET_BREAK_S = 15.0
PAUSE_S = 240.0


@dataclass(frozen=True)
class Flag:
    rule: str
    message: str
    rep: int | None = None


@dataclass(frozen=True)
class Bout:
    start_s: float
    end_s: float
    count: int
    cadence_per_min: float | None
    first_rep: int


@dataclass(frozen=True)
class VideoAnalysis:
    format: str
    duration_s: float
    sample_rate_hz: float
    style: Style
    side: str | None
    reps: tuple[VideoRep, ...]
    bouts: tuple[Bout, ...]
    flags: tuple[Flag, ...]
    lifts: tuple[VideoRep, ...]
    series: Series | None = None
    reason: str | None = None
    notes: tuple[str, ...] = field(default=())
    sensors: str = "video (MediaPipe pose: heel and toe)"
    source: str = "video"

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
            "source": self.source,
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
                    "heel_rise": r(p.heel_rise),
                    "toe_ratio": r(p.toe_ratio),
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


def group(reps: list[VideoRep], style: Style) -> list[Bout]:
    gap = SET_BREAK_S if style == "sets" else PAUSE_S
    bouts: list[Bout] = []
    first = 0
    for i in range(1, len(reps) + 1):
        if i == len(reps) or reps[i].start_s - reps[i - 1].end_s > gap:
            part = reps[first:i]
            tops = np.array([r.top_s for r in part])
            cadence = 60.0 / float(np.median(np.diff(tops))) if len(part) > 1 else None
            bouts.append(Bout(part[0].start_s, part[-1].end_s, len(part), cadence, first))
            first = i
    return bouts


def check(
    reps: list[VideoRep], bouts: list[Bout], lifts: list[VideoRep], style: Style
) -> list[Flag]:
    flags: list[Flag] = []
    for i, r in enumerate(reps):
        if r.toe_ratio >= TOE_RATIO_MAX:
            flags.append(
                Flag(
                    "forefoot_lifted",
                    f"rep {i + 1}: the toes rose {r.toe_ratio:.0%} as much as the heel "
                    f"(keep it under {TOE_RATIO_MAX:.0%}): keep the ball of the foot on the "
                    "floor and raise only the heel",
                    i,
                )
            )
    if len(reps) >= MIN_REPS_FOR_RANGE:
        best = float(np.percentile([r.heel_rise for r in reps], BEST_PERCENTILE))
        for i, r in enumerate(reps):
            if r.heel_rise < RANGE_FRACTION * best - HEEL_NOISE:
                flags.append(
                    Flag(
                        "incomplete_range",
                        f"rep {i + 1} reached {r.heel_rise / best:.0%} of your best height: "
                        "lift the heel to the top of its range",
                        i,
                    )
                )
    for i, r in enumerate(reps):
        if r.return_fraction > RETURN_MAX:
            flags.append(
                Flag(
                    "heel_not_down",
                    f"after rep {i + 1} the heel stayed {r.return_fraction:.0%} of the rise "
                    "above the floor: let it come all the way down",
                    i,
                )
            )
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
    low, high = CADENCE_RANGE[style]
    name = "set" if style == "sets" else "bout"
    for k, b in enumerate(bouts):
        if b.cadence_per_min is None or b.count < 3:
            continue
        if not low <= b.cadence_per_min <= high:
            pace = "fast" if b.cadence_per_min > high else "slow"
            flags.append(
                Flag(
                    "cadence",
                    f"{name} {k + 1}: {b.cadence_per_min:.0f} reps/min is too {pace} "
                    f"(aim for {low:.0f}–{high:.0f}/min)",
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
    for lift in lifts:
        flags.append(
            Flag(
                "whole_leg_lift",
                f"at {lift.start_s:.1f} s the whole foot left the floor (toes rose "
                f"{lift.toe_ratio:.0%} as much as the heel): keep the forefoot down and "
                "raise only the heel",
                None,
            )
        )
    return flags


def analyze_tracks(
    tracks: FootTracks, *, style: Style = "sets", side: str | None = None
) -> VideoAnalysis:
    """Pure: landmark tracks in, the analysis out."""
    d = detect(tracks, side=side)
    reps = list(d.reps)
    bouts = group(reps, style) if reps else []
    flags = check(reps, bouts, list(d.lifts), style)
    n = tracks.t.size
    rate = tracks.fps or (float((n - 1) / (tracks.t[-1] - tracks.t[0])) if n > 1 else 0.0)
    return VideoAnalysis(
        format=tracks.format,
        duration_s=tracks.duration_s,
        sample_rate_hz=rate,
        style=style,
        side=d.side,
        reps=tuple(reps),
        bouts=tuple(bouts),
        flags=tuple(flags),
        lifts=d.lifts,
        series=d.series,
        reason=d.reason,
        notes=d.notes,
    )


def analyze_video(path: Path, *, style: Style = "sets", side: str | None = None) -> VideoAnalysis:
    """Decode ``path``, track the feet with MediaPipe, and analyse the reps."""
    from soleus.video.landmarks import read_video

    return analyze_tracks(read_video(path), style=style, side=side)
