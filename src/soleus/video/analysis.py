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

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from soleus.signal.form import BoutSummary as Bout
from soleus.signal.form import (
    Flag,
    Style,
    group,
    range_flags,
    timing_flags,
)
from soleus.video.landmarks import FootTracks
from soleus.video.reps import HEEL_NOISE, Series, VideoRep, detect

TOE_RATIO_MAX = 0.15  # forefoot stays down: toe rise < 15% of heel rise
RETURN_MAX = 0.10  # heel returns to the floor: within 10% of the rise
# Timing rules, the range rule's thresholds, flags and bouts are the phone analysis's own.


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
    flags += range_flags([r.heel_rise for r in reps], HEEL_NOISE)
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
    flags += timing_flags(reps, bouts, style)
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
