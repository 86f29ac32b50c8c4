"""The result of analysing a recording, phone or video, its JSON shape and what it plots.

One type for both sources: :class:`Result` is generic in its reps (the phone's
:class:`soleus.signal.detect.Rep`, the video's :class:`soleus.video.reps.VideoRep`), so
the JSON, the CLI report, the plot and the web page read the same fields. The phone's
result is :data:`soleus.signal.analysis.Analysis`, the video's
:data:`soleus.video.analysis.VideoAnalysis`.

JSON (``soleus analyze --json``, ``POST /api/recordings/analyze``): ``count``,
``duration_s``, ``sample_rate_hz`` (the frame rate for a video), ``format``,
``sensors``, ``style``, ``side``, ``reps[]``, ``bouts[]``, ``flags[]``, ``reason``,
``notes``; a video adds ``source`` and per rep ``heel_rise`` and ``toe_ratio`` (its
:attr:`Result.rep_keys`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

import numpy as np

from soleus.signal.form import BoutSummary, Flag, Style, Timed
from soleus.signal.orientation import TiltTracker
from soleus.signal.recording import FloatArray, Recording
from soleus.signal.span import Band


class Counted(Timed, Protocol):
    """What every counted rep has, phone or video (the keys of ``reps[]`` in the JSON)."""

    @property
    def rise_s(self) -> float: ...
    @property
    def amplitude_deg(self) -> float: ...


R = TypeVar("R", bound=Counted)

REP_KEYS = ("start_s", "top_s", "end_s", "rise_s", "release_s", "hold_s", "amplitude_deg")


@dataclass(frozen=True)
class Trace:
    """What a plot of the result draws: the signal the reps were counted on, over time.

    ``y`` is in ``unit`` (degrees of thigh tilt; the heel's height in per cent of the
    shin); ``others`` are drawn beside it (the toe, on video); the reps in ``warned``
    (0-based) are drawn as faults.
    """

    t: FloatArray
    y: FloatArray
    name: str  # the line's name: "thigh tilt", "heel"
    title: str  # what the chart shows, capitalised: "Thigh tilt", "Heel height"
    meaning: str  # the line, said in words for a screen reader
    axis: str  # the y axis' label
    unit: str  # of the y axis' numbers: "°", "%"
    of_what: str = ""  # after the duration in the title: "" or " of video"
    others: tuple[tuple[str, FloatArray], ...] = ()
    warned: frozenset[int] = frozenset()


def _r(x: float | None) -> float | None:
    return None if x is None else round(float(x), 3)


@dataclass(frozen=True)
class Result(Generic[R]):
    format: str
    duration_s: float
    sample_rate_hz: float
    style: Style
    side: str | None
    reps: tuple[R, ...]
    bouts: tuple[BoutSummary, ...]
    flags: tuple[Flag, ...]
    lifts: tuple[Band, ...]
    reason: str | None = None
    notes: tuple[str, ...] = field(default=())
    sensors: str = ""
    source: str | None = None  # "video"; None for the phone (its JSON has no such key)
    rep_keys: tuple[str, ...] = REP_KEYS  # each rep's members in the JSON
    trace: Trace | None = None  # None: drawn from the recording (the phone's tilt)

    @property
    def count(self) -> int:
        return len(self.reps)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "count": self.count,
            "duration_s": _r(self.duration_s),
            "sample_rate_hz": _r(self.sample_rate_hz),
            "format": self.format,
        }
        if self.source is not None:
            data["source"] = self.source
        data.update(
            sensors=self.sensors,
            style=self.style,
            side=self.side,
            reps=[{k: _r(getattr(p, k)) for k in self.rep_keys} for p in self.reps],
            bouts=[
                {
                    "start_s": _r(b.start_s),
                    "end_s": _r(b.end_s),
                    "count": b.count,
                    "cadence_per_min": _r(b.cadence_per_min),
                }
                for b in self.bouts
            ],
            flags=[{"rule": f.rule, "message": f.message, "rep": f.rep} for f in self.flags],
            reason=self.reason,
            notes=list(self.notes),
        )
        return data


def tilt_trace(recording: Recording, reps: Sequence[Counted]) -> Trace:
    """The thigh's tilt through a phone recording, signed so that heel-up is up (the
    detector's sign is the one where reps rise)."""
    tracker = TiltTracker(
        accelerometer=recording.acc is not None, gyroscope=recording.gyro is not None
    )
    t, y, *_ = tracker.feed(
        recording.t_acc, recording.acc, recording.t_gyro, recording.gyro, final=True
    )
    if reps and t.size:
        i = np.searchsorted(t, [r.top_s for r in reps]).clip(0, t.size - 1)
        j = np.searchsorted(t, [r.start_s for r in reps]).clip(0, t.size - 1)
        if float(np.median(y[i] - y[j])) < 0:
            y = -y
    return Trace(
        t,
        y,
        name="thigh tilt",
        title="Thigh tilt",
        meaning="the tilt of the thigh in degrees",
        axis="thigh tilt (°)",
        unit="°",
    )


def trace_of(result: Result[Any], recording: Recording | None = None) -> Trace:
    """What to draw for ``result``: its own trace (video), else the tilt of ``recording``."""
    if result.trace is not None:
        return result.trace
    if recording is None:
        raise ValueError("a phone result is drawn from its recording")
    return tilt_trace(recording, result.reps)
