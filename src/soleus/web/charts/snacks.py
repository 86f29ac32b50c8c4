"""Today's snack timeline: working hours, sitting, breaks, nudges and sessions.

Built once as a list of :class:`Item` (the page shows it as an ordered list too) and
drawn as a server-side SVG with ``role="img"``, a title and a description; colours come
from CSS classes so dark mode works.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from itertools import count

from markupsafe import Markup, escape

from soleus.domain.text import plural

_ids = count(1)

LANES = ("work", "sitting", "break", "nudge", "session")
LANE_LABELS = {
    "work": "Working",
    "sitting": "Sitting",
    "break": "Breaks",
    "nudge": "Nudges",
    "session": "Sessions",
}
OUTCOME_WORDS = {
    "prompted": "waiting for an answer",
    "taken": "taken",
    "skipped": "skipped",
    "expired": "expired (no answer)",
}


@dataclass(frozen=True)
class Item:
    lane: str  # one of LANES
    start: datetime  # local time
    end: datetime | None  # None for a moment (a nudge)
    label: str
    css: str = ""

    @property
    def when(self) -> str:
        if self.end is None or self.end - self.start < timedelta(minutes=1):
            return self.start.strftime("%H:%M")
        return f"{self.start:%H:%M}–{self.end:%H:%M}"


def _hours_range(items: list[Item], now: datetime) -> tuple[datetime, datetime]:
    moments = [i.start for i in items] + [i.end for i in items if i.end is not None]
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    if not moments:
        return midnight.replace(hour=8), midnight.replace(hour=18)
    first = min(moments)
    last = max(max(moments), min(now, midnight + timedelta(hours=23, minutes=59)))
    start = first.replace(minute=0, second=0, microsecond=0)
    end = last.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    if end > midnight + timedelta(days=1):
        end = midnight + timedelta(days=1)
    return start, end


def timeline(items: list[Item], *, now: datetime, tz: tzinfo) -> Markup:
    """The day as lanes; the same facts are in the list that the page shows."""
    now = now.astimezone(tz)
    left, top, lane_h, width = 70, 18, 26, 600
    t0, t1 = _hours_range(items, now)
    span = max((t1 - t0).total_seconds(), 60.0)
    scale = (width - left - 10) / span
    height = top + lane_h * len(LANES) + 6

    def x(moment: datetime) -> float:
        seconds = (moment.astimezone(tz) - t0).total_seconds()
        return round(left + max(0.0, min(span, seconds)) * scale, 1)

    n = next(_ids)
    counts = {lane: sum(1 for i in items if i.lane == lane) for lane in LANES}
    desc = (
        f"From {t0:%H:%M} to {t1:%H:%M}: {plural(counts['nudge'], 'nudge')}, "
        f"{plural(counts['break'], 'natural break')}, "
        f"{plural(counts['sitting'], 'sitting stretch', 'sitting stretches')} and "
        f"{plural(counts['session'], 'session')}."
    )
    parts = [
        f'<svg class="chart timeline" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="tl-t{n} tl-d{n}" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="tl-t{n}">Today\'s timeline</title><desc id="tl-d{n}">{escape(desc)}</desc>'
    ]
    hours = int(span // 3600)
    step = 1 if hours <= 12 else 2
    for h in range(0, hours + 1, step):
        moment = t0 + timedelta(hours=h)
        hx = x(moment)
        parts.append(
            f'<line class="axis" x1="{hx}" x2="{hx}" y1="{top - 4}" y2="{height - 4}"/>'
            f'<text x="{hx}" y="11" text-anchor="middle">{moment:%H}</text>'
        )
    for row, lane in enumerate(LANES):
        y = top + row * lane_h
        parts.append(f'<text x="0" y="{y + lane_h / 2 + 4}">{LANE_LABELS[lane]}</text>')
        for item in (i for i in items if i.lane == lane):
            tip = f"<title>{escape(item.when)} {escape(item.label)}</title>"
            cls = f"tl-{lane} {item.css}".strip()
            if item.end is None:
                cx = x(item.start)
                parts.append(
                    f'<circle class="{cls}" cx="{cx}" cy="{y + lane_h / 2}" r="7">{tip}</circle>'
                )
            else:
                a, b = x(item.start), x(item.end)
                parts.append(
                    f'<rect class="{cls}" x="{a}" y="{y + 5}" width="{max(b - a, 2.0)}" '
                    f'height="{lane_h - 10}" rx="3">{tip}</rect>'
                )
    if t0 <= now <= t1:
        nx = x(now)
        parts.append(
            f'<line class="tl-now" x1="{nx}" x2="{nx}" y1="{top - 4}" y2="{height - 2}">'
            f"<title>now, {now:%H:%M}</title></line>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))
