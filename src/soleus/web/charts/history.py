"""Small server-side SVG charts: no JavaScript, no network, readable by screen readers.

Every chart is ``role="img"`` with a ``<title>`` and ``<desc>``; the page shows the same
numbers in a table next to it. Colours come from CSS classes, so dark mode just works.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, timedelta
from itertools import count

from markupsafe import Markup, escape

from soleus.domain.text import plural

_ids = count(1)

SERIES = 6  # CSS classes series-0 .. series-5


def scroller(kind: str, title: str) -> tuple[str, str]:
    """A box that scrolls sideways (by keyboard too) around a chart that would shrink
    its labels below legibility on a phone: CSS gives ``chart-{kind}`` a minimum width."""
    head = (
        f'<div class="chart-scroll chart-{kind}" tabindex="0" role="group" '
        f'aria-label="{escape(title)}">'
    )
    return head, "</div>"


def _open(width: int, height: int, title: str, desc: str, kind: str = "wide") -> tuple[str, str]:
    n = next(_ids)
    box, box_end = scroller(kind, title)
    head = (
        f'{box}<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="chart-t{n} chart-d{n}" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="chart-t{n}">{escape(title)}</title>'
        f'<desc id="chart-d{n}">{escape(desc)}</desc>'
    )
    return head, "</svg>" + box_end


def _levels(values: Sequence[int]) -> list[int]:
    """Thresholds for heat levels 1-4 from the quartiles of the non-zero values."""
    positive = sorted(v for v in values if v > 0)
    if not positive:
        return [1, 1, 1]
    return [positive[len(positive) * q // 4] for q in (1, 2, 3)]


MONTH_LABEL_W = 26  # "May" at the charts' 12-unit font, and a little air


def _month_labels(starts: Sequence[tuple[float, str]]) -> list[tuple[float, str]]:
    """The month names that fit, from the right: a label that would run into the next
    one is left out (the first, part-month column is the usual one)."""
    kept: list[tuple[float, str]] = []
    for x, label in reversed(starts):
        if not kept or x + MONTH_LABEL_W <= kept[-1][0]:
            kept.append((x, label))
    return kept[::-1]


def nice_ticks(top: float, most: int = 4) -> list[int]:
    """Distinct whole-number axis ticks from 0 to at least ``top``: a step of 1, 2 or 5
    times a power of ten, at most ``most`` steps (so 1 gives 0, 1; 7 gives 0, 2, .. 8)."""
    top = max(top, 1)
    step = 1
    while True:
        for mult in (1, 2, 5):
            if step * mult * most >= top:
                step *= mult
                return list(range(0, math.ceil(top / step) * step + 1, step))
        step *= 10


def heatmap(values: dict[date, int], *, start: date, today: date, unit: str = "rep") -> Markup:
    """A year as weeks (columns) by weekdays (rows), darker for more work."""
    cell, gap, left, top = 11, 2, 28, 16
    weeks = (today - start).days // 7 + 1
    width = left + weeks * (cell + gap) + 4
    height = top + 7 * (cell + gap) + 4
    active = sum(1 for d, v in values.items() if v > 0 and start <= d <= today)
    head, tail = _open(
        width,
        height,
        "Calendar heatmap of the last year",
        f"{plural(active, 'active day')} since {start.isoformat()}; darker squares mean more work.",
        kind="year",
    )
    parts = [head]
    thresholds = _levels(list(values.values()))
    for row, label in ((0, "Mon"), (2, "Wed"), (4, "Fri")):
        y = top + row * (cell + gap) + cell - 2
        parts.append(f'<text x="0" y="{y}">{label}</text>')
    month_seen = None
    months: list[tuple[float, str]] = []
    for w in range(weeks):
        monday = start + timedelta(weeks=w)
        if monday.month != month_seen:
            month_seen = monday.month
            months.append((left + w * (cell + gap), monday.strftime("%b")))
    for x, label in _month_labels(months):
        parts.append(f'<text x="{x}" y="10">{label}</text>')
    # A year is 371 cells on every History page: the loop keeps to one date and one
    # string per cell, the words of a day's work worked out once per distinct value.
    words: dict[int, tuple[int, str]] = {}
    step = cell + gap
    first = start.toordinal()
    for n in range(min(weeks * 7, today.toordinal() - first + 1)):
        day = date.fromordinal(first + n)
        v = values.get(day, 0)
        known = words.get(v)
        if known is None:
            level = 0 if v <= 0 else 1 + sum(v > t for t in thresholds)
            known = words[v] = (level, plural(v, unit))
        w, d = divmod(n, 7)
        parts.append(
            f'<rect class="heat-{known[0]}" x="{left + w * step}" y="{top + d * step}"'
            f' width="{cell}" height="{cell}" rx="2"><title>{day.isoformat()}:'
            f" {known[1]}</title></rect>"
        )
    parts.append(tail)
    return Markup("".join(parts))


def _tick_labels(width: int, y: float, tick: int) -> str:
    """A y-axis number at both ends of a gridline: on a phone a "recent" chart opens
    scrolled to its right end, where the left-hand numbers are out of view."""
    return (
        f'<text x="0" y="{y + 4:.1f}">{tick}</text>'
        f'<text x="{width - 2}" y="{y + 4:.1f}" text-anchor="end">{tick}</text>'
    )


def stacked_bars(
    weeks: Sequence[tuple[date, dict[str, int]]],
    series: Sequence[str],
    labels: dict[str, str],
    *,
    today: date | None = None,
) -> Markup:
    """Sets per week, one stacked bar per week, one colour per exercise.

    The week holding ``today`` is labelled "this week"; with many weeks every other
    label is left out, counted back from the newest so the newest always has one.
    """
    width, height, left, bottom, top, right = 640, 220, 34, 28, 10, 30
    totals = [sum(v.values()) for _, v in weeks]
    ticks = nice_ticks(max([*totals, 1]))
    top_value = ticks[-1]
    span = height - bottom - top
    bar_w = (width - left - right) / max(len(weeks), 1)

    def current(week: date) -> bool:
        return today is not None and week <= today < week + timedelta(days=7)

    described = ", ".join(
        f"{'this week' if current(w) else 'week of ' + w.isoformat()}: {plural(t, 'set')}"
        for (w, _), t in zip(weeks, totals, strict=True)
    )
    head, tail = _open(
        width, height, "Sets per week by exercise", described or "No sets yet.", kind="recent"
    )
    parts = [head]
    for tick in ticks:
        y = top + span * (1 - tick / top_value)
        parts.append(
            f'<line class="axis" x1="{left}" x2="{width - right + 4}" y1="{y:.1f}" y2="{y:.1f}"/>'
            + _tick_labels(width, y, tick)
        )
    for i, (week, values) in enumerate(weeks):
        x = left + i * bar_w + 2
        y = top + span
        for s, name in enumerate(series):
            v = values.get(name, 0)
            if not v:
                continue
            h = span * v / top_value
            y -= h
            parts.append(
                f'<rect class="series-{s % SERIES}" x="{x:.1f}" y="{y:.1f}" '
                f'width="{bar_w - 4:.1f}" height="{h:.1f}"><title>'
                f"{escape(labels.get(name, name))}, week of {week.isoformat()}: {plural(v, 'set')}"
                f"</title></rect>"
            )
        if (len(weeks) - 1 - i) % 2 == 0 or len(weeks) <= 8:
            text = "this week" if current(week) else week.strftime("%d %b").lstrip("0")
            parts.append(f'<text x="{x:.1f}" y="{height - 8}">{text}</text>')
    parts.append(tail)
    return Markup("".join(parts))


def balance(rows: Sequence[tuple[str, float, float, str]]) -> Markup:
    """Left vs right per exercise as mirrored bars around a centre line.

    Narrow on purpose (each name above its bars, not beside them), so the whole chart
    fits a phone's width without scrolling or shrinking its labels.
    """
    row_h, width = 44, 400
    height = max(len(rows), 1) * row_h + 24
    centre = width / 2
    half = centre - 8
    desc = "; ".join(f"{n}: left {lv:g}, right {rv:g} {u}" for n, lv, rv, u in rows)
    head, tail = _open(
        width, height, "Left and right leg, last 4 weeks", desc or "No data yet.", kind="fit"
    )
    parts = [
        head,
        f'<text x="{centre - 8:.0f}" y="12" text-anchor="end">◀ left</text>',
        f'<text x="{centre + 8:.0f}" y="12">right ▶</text>',
    ]
    for i, (name, lv, rv, unit) in enumerate(rows):
        top_value = max(lv, rv, 1)
        y = 20 + i * row_h
        lw, rw = half * lv / top_value, half * rv / top_value
        parts.append(f'<text x="0" y="{y + 12}">{escape(name[:40])}</text>')
        parts.append(
            f'<rect class="left" x="{centre - lw:.1f}" y="{y + 18}" width="{lw:.1f}" height="18">'
            f"<title>{escape(name)} left: {lv:g} {unit}</title></rect>"
            f'<rect class="right" x="{centre:.1f}" y="{y + 18}" width="{rw:.1f}" height="18">'
            f"<title>{escape(name)} right: {rv:g} {unit}</title></rect>"
        )
    parts.append(f'<line class="axis" x1="{centre}" x2="{centre}" y1="16" y2="{height}"/>')
    parts.append(tail)
    return Markup("".join(parts))


def trend(
    pain: Sequence[tuple[date, float]],
    effort: Sequence[tuple[date, float]],
    *,
    start: date,
    end: date,
) -> Markup:
    """Pain and effort (0-10) over time, as two lines with dots."""
    width, height, left, bottom, top, right = 640, 200, 26, 24, 10, 30
    days = max((end - start).days, 1)
    span = height - bottom - top

    def xy(day: date, value: float) -> tuple[float, float]:
        x = left + (width - left - right) * (day - start).days / days
        return x, top + span * (1 - value / 10)

    desc = (
        f"{plural(len(pain), 'day')} with pain reports, "
        f"{plural(len(effort), 'day')} with effort ratings"
    )
    head, tail = _open(width, height, "Pain and effort, 0 to 10", desc, kind="recent")
    parts = [head]
    for tick in (0, 5, 10):
        _, y = xy(start, tick)
        parts.append(
            f'<line class="axis" x1="{left}" x2="{width - right + 4}" y1="{y:.1f}" y2="{y:.1f}"/>'
            + _tick_labels(width, y, tick)
        )
    for label_day in (start, start + (end - start) / 2, end):
        x, _ = xy(label_day, 0)
        parts.append(
            f'<text x="{min(x, width - 70):.1f}" y="{height - 6}">'
            f"{label_day.strftime('%d %b').lstrip('0')}</text>"
        )
    for series, name in ((effort, "effort"), (pain, "pain")):
        if not series:
            continue
        points = [xy(d, v) for d, v in series]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(f'<polyline class="line-{name}" points="{path}"/>')
        for (d, v), (x, y) in zip(series, points, strict=True):
            parts.append(
                f'<circle class="dot-{name}" cx="{x:.1f}" cy="{y:.1f}" r="3">'
                f"<title>{d.isoformat()}: {name} {v:g}/10</title></circle>"
            )
    parts.append(tail)
    return Markup("".join(parts))
