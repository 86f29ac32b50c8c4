"""The signal of a recording (the phone's thigh tilt, a video's heel) as a small
server-side SVG, reps marked: the :class:`soleus.signal.result.Trace` the CLI plots too.

No matplotlib in the web path: the signal is reduced to a min/max envelope per pixel
column and drawn as one polyline; reps are shaded with their number over the top.
Colours are presentation attributes and CSS classes (no inline styles: the CSP).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from markupsafe import Markup, escape

from soleus.web.charts.history import scroller

if TYPE_CHECKING:
    from soleus.signal.recording import FloatArray, Recording
    from soleus.signal.result import Counted, Result, Trace
    from soleus.signal.span import Band

WIDTH, HEIGHT = 900, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 10, 22, 28


def _envelope(t: FloatArray, y: FloatArray, columns: int) -> list[tuple[float, float]]:
    """At most two points per column (its min and max, in time order)."""
    if t.size <= 2 * columns:
        return list(zip(t.tolist(), y.tolist(), strict=True))
    edges = np.linspace(float(t[0]), float(t[-1]), columns + 1)
    idx = np.searchsorted(t, edges)
    points: list[tuple[float, float]] = []
    for a, b in itertools.pairwise(idx):
        if b <= a:
            continue
        seg = y[a:b]
        lo, hi = int(np.argmin(seg)) + a, int(np.argmax(seg)) + a
        for k in sorted({lo, hi}):
            points.append((float(t[k]), float(y[k])))
    return points


def render(recording: Recording | None, analysis: Result[Any]) -> Markup:
    """The chart of a phone recording's tilt (from ``recording``) or of a video's heel
    (the analysis carries it, ``recording`` is None), reps marked."""
    from soleus.signal.result import trace_of

    trace = trace_of(analysis, recording)
    title = (
        f"{trace.title} over {analysis.duration_s:.0f} s{trace.of_what} with "
        f"{analysis.count} soleus pushups marked"
    )
    desc = (
        f"The line is {trace.meaning}; each shaded band is a counted rep, numbered at its "
        "top. The table below lists the same reps."
    )
    return _chart(trace, analysis.reps, analysis.lifts, title, desc)


def render_video(analysis: Result[Any]) -> Markup:
    """:func:`render` of a video's analysis (it needs no recording)."""
    return render(None, analysis)


def _chart(
    trace: Trace,
    reps: Sequence[Counted],
    lifts: Sequence[Band],
    title: str,
    desc: str,
) -> Markup:
    t, y = trace.t, trace.y
    box, box_end = scroller("plot", title)
    head = (
        f'{box}<svg class="chart recording-plot" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        'aria-labelledby="rec-plot-t rec-plot-d" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="rec-plot-t">{escape(title)}</title><desc id="rec-plot-d">{escape(desc)}</desc>'
    )
    if t.size < 2:
        return Markup(head + '<text x="50" y="120">no signal to draw</text></svg>' + box_end)
    t0, t1 = float(t[0]), float(t[-1])
    lo, hi = float(np.percentile(y, 0.5)), float(np.percentile(y, 99.5))
    pad = max((hi - lo) * 0.1, 0.5)
    lo, hi = lo - pad, hi + pad
    w, h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(s: float) -> float:
        return LEFT + (s - t0) / max(t1 - t0, 1e-9) * w

    def yy(v: float) -> float:
        return TOP + (hi - min(max(v, lo), hi)) / (hi - lo) * h

    parts = [head]
    for lift in lifts:
        parts.append(
            f'<rect class="plot-lift" x="{x(lift.start_s):.1f}" y="{TOP}" '
            f'width="{max(x(lift.end_s) - x(lift.start_s), 1):.1f}" height="{h}" '
            'fill="#c0392b" fill-opacity="0.15"/>'
        )
    for r in reps:
        parts.append(
            f'<rect class="plot-rep" x="{x(r.start_s):.1f}" y="{TOP}" '
            f'width="{max(x(r.end_s) - x(r.start_s), 1):.1f}" height="{h}" '
            'fill="#1d6b57" fill-opacity="0.16"/>'
        )
    for k, at in rep_labels([x(r.top_s) for r in reps]):
        parts.append(f'<text x="{at:.1f}" y="{TOP - 6}" text-anchor="middle">{k}</text>')
    # axes: 0 s, the end, and the tilt range
    base = TOP + h
    parts.append(
        f'<line class="axis" x1="{LEFT}" y1="{base}" x2="{LEFT + w}" y2="{base}" '
        'stroke="currentColor" stroke-opacity="0.4"/>'
    )
    for s in np.linspace(t0, t1, 6):
        parts.append(
            f'<text x="{x(float(s)):.1f}" y="{HEIGHT - 8}" text-anchor="middle">'
            f"{float(s):.0f} s</text>"
        )
    for v in (lo + pad, hi - pad):
        text = f"{v - (lo + pad):.0f}{trace.unit}"
        parts.append(f'<text x="{LEFT - 4}" y="{yy(v) + 4:.1f}" text-anchor="end">{text}</text>')
    points = " ".join(f"{x(a):.1f},{yy(b):.1f}" for a, b in _envelope(t, y, w))
    parts.append(
        f'<polyline class="plot-tilt" points="{points}" fill="none" '
        'stroke="currentColor" stroke-width="1"/>'
    )
    parts.append("</svg>" + box_end)
    return Markup("".join(parts))


FONT = 12  # .chart text, in viewBox units
DIGIT_W = 0.62 * FONT  # a digit of the UI font, and a gap between numbers
LABEL_GAP = 6


def rep_labels(xs: Sequence[float]) -> list[tuple[int, float]]:
    """(rep number, x) of the rep numbers that fit side by side, from the first: a
    number that would touch the one before it is left out."""
    kept: list[tuple[int, float]] = []
    for k, at in enumerate(xs, 1):
        half = len(str(k)) * DIGIT_W / 2
        if kept:
            prev_k, prev = kept[-1]
            if at - half < prev + len(str(prev_k)) * DIGIT_W / 2 + LABEL_GAP:
                continue
        kept.append((k, at))
    return kept
