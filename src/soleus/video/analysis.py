"""Analysing a video: the phone analysis' result type, plus the forefoot.

The result is :class:`soleus.signal.result.Result` with video reps, so its JSON has
the phone's keys (``count``, ``duration_s``, ``sample_rate_hz`` = frame rate,
``format``, ``reps``, ``bouts``, ``flags``, ...), plus ``"source": "video"`` and per rep
``toe_ratio`` (toe rise / heel rise) and ``heel_rise`` (shin lengths). ``amplitude_deg``
is the foot's pitch about the ball of the foot at the top (the phone reports the
thigh's tilt there). The timing and range rules are :mod:`soleus.signal.form`'s; the
video adds "forefoot stays down" and "heel returns to the floor".
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeAlias

import numpy as np

from soleus.signal.form import BoutSummary as Bout
from soleus.signal.form import (
    Flag,
    Style,
    group,
    infer_style,
    lift_flag,
    range_flags,
    timing_flags,
)
from soleus.signal.result import REP_KEYS, Result, Trace
from soleus.video.landmarks import FootTracks
from soleus.video.reps import HEEL_NOISE, Series, VideoRep, detect

TOE_RATIO_MAX = 0.15  # forefoot stays down: toe rise < 15% of heel rise
RETURN_MAX = 0.10  # heel returns to the floor: within 10% of the rise
# Timing rules, the range rule's thresholds, flags and bouts are the phone analysis's own.
SENSORS = "video (MediaPipe pose: heel and toe)"

VideoAnalysis: TypeAlias = Result[VideoRep]
"""A video's result (:class:`soleus.signal.result.Result`)."""


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
        seen = f"the whole foot left the floor (toes rose {lift.toe_ratio:.0%} as much as the heel)"
        flags.append(lift_flag(lift.start_s, seen))
    return flags


def trace(series: Series | None, reps: list[VideoRep]) -> Trace:
    """What the plot draws: heel and toe above the floor, in per cent of the shin."""
    t = series.t if series is not None else np.zeros(0)
    heel = series.heel * 100.0 if series is not None else np.zeros(0)
    toe = series.toe * 100.0 if series is not None else np.zeros(0)
    return Trace(
        t,
        heel,
        name="heel",
        title="Heel height",
        meaning="the heel's height above the floor, in per cent of the shin's length",
        axis="height above the floor (% of the shin)",
        unit="%",
        of_what=" of video",
        others=(("toe", toe),),
        warned=frozenset(i for i, r in enumerate(reps) if r.toe_ratio >= TOE_RATIO_MAX),
    )


def analyze_tracks(
    tracks: FootTracks, *, style: Style | None = None, side: str | None = None
) -> VideoAnalysis:
    """Pure: landmark tracks in, the analysis out (``style`` None: from the reps)."""
    d = detect(tracks, side=side)
    reps = list(d.reps)
    if style is None:
        style = infer_style(reps)
    bouts = group(reps, style) if reps else []
    flags = check(reps, bouts, list(d.lifts), style)
    n = tracks.t.size
    rate = tracks.fps or (float((n - 1) / (tracks.t[-1] - tracks.t[0])) if n > 1 else 0.0)
    return Result(
        format=tracks.format,
        duration_s=tracks.duration_s,
        sample_rate_hz=rate,
        style=style,
        side=d.side,
        reps=tuple(reps),
        bouts=tuple(bouts),
        flags=tuple(flags),
        lifts=d.lifts,
        reason=d.reason,
        notes=d.notes,
        sensors=SENSORS,
        source="video",
        rep_keys=(*REP_KEYS, "heel_rise", "toe_ratio"),
        trace=trace(d.series, reps),
    )


def analyze_video(
    path: Path, *, style: Style | None = None, side: str | None = None
) -> VideoAnalysis:
    """Decode ``path``, track the feet with MediaPipe, and analyse the reps."""
    from soleus.video.landmarks import read_video

    return analyze_tracks(read_video(path), style=style, side=side)
