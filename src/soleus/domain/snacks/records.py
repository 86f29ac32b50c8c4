"""The engine's events as the records to store: one rule for every driver.

The desktop daemon (``soleus.remind.daemon``) and the web's open tabs
(``soleus.services.snacks.live``) both drive the :class:`~.engine.Engine`; both turn
what it says into rows with :func:`to_records`, so a nudge, an expiry or a span is
stored the same way whichever drove it. Pure: the drivers store the records.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from soleus.domain.snacks.engine import Event, Expired, NaturalBreak, Nudge, SittingSpan


@dataclass(frozen=True)
class NewNudge:
    """A nudge to store as prompted (its first showing; a repeat after a snooze is the
    same row)."""

    nudge: Nudge


@dataclass(frozen=True)
class NudgeExpired:
    """Nudge ``number`` went unanswered: its row's outcome becomes ``expired`` at ``at``."""

    number: int
    at: float


@dataclass(frozen=True)
class SpanDone:
    """A sitting stretch or a natural break to store. ``continues``: it is the sitting
    stretch already stored while it grew (same start), so that row is extended."""

    kind: Literal["sitting", "break"]
    start: float
    end: float
    continues: bool = False


Record = NewNudge | NudgeExpired | SpanDone


def to_records(
    events: Iterable[Event], *, logged: Iterable[int], sitting_start: float | None
) -> list[Record]:
    """What to store for ``events``.

    ``logged``: the numbers of today's nudges already stored (another tab, or the
    daemon's own earlier showing). ``sitting_start``: the start of the sitting stretch
    in progress that is already stored, if any.
    """
    seen = set(logged)
    out: list[Record] = []
    for event in events:
        if isinstance(event, Nudge):
            if event.number not in seen:
                out.append(NewNudge(event))
                seen.add(event.number)
        elif isinstance(event, Expired):
            out.append(NudgeExpired(event.number, event.at))
        elif isinstance(event, NaturalBreak):
            out.append(SpanDone("break", event.start, event.end))
        elif isinstance(event, SittingSpan):
            continues = sitting_start is not None and event.start == sitting_start
            out.append(SpanDone("sitting", event.start, event.end, continues))
            if continues:
                sitting_start = None  # that row is closed; a later stretch is a new one
    return out
