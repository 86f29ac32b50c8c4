"""Engine events -> records: the one rule the daemon and the web both store by."""

from __future__ import annotations

from soleus.domain.snacks.engine import Event, Expired, NaturalBreak, Nudge, SittingSpan
from soleus.domain.snacks.menu import Suggestion
from soleus.domain.snacks.records import NewNudge, NudgeExpired, SpanDone, to_records


def nudge(number: int, at: float, *, repeat: bool = False) -> Nudge:
    return Nudge(
        at,
        number,
        "sitting",
        1800.0,
        2,
        Suggestion("desk", "Soleus pushup sets", ""),
        repeat=repeat,
    )


def test_a_nudge_is_stored_once_whoever_showed_it_first() -> None:
    first, again = nudge(2, 100.0), nudge(2, 400.0, repeat=True)
    assert to_records([first, again], logged=[1], sitting_start=None) == [NewNudge(first)]
    assert to_records([first], logged=[1, 2], sitting_start=None) == []  # another tab's


def test_expiry_and_breaks() -> None:
    events: list[Event] = [Expired(700.0, 2), NaturalBreak(100.0, 400.0)]
    assert to_records(events, logged=[2], sitting_start=None) == [
        NudgeExpired(2, 700.0),
        SpanDone("break", 100.0, 400.0),
    ]


def test_the_stored_sitting_stretch_is_extended_once_then_a_new_one_starts() -> None:
    events = [SittingSpan(0.0, 100.0), SittingSpan(0.0, 50.0), SittingSpan(200.0, 300.0)]
    assert to_records(events, logged=[], sitting_start=0.0) == [
        SpanDone("sitting", 0.0, 100.0, continues=True),
        SpanDone("sitting", 0.0, 50.0),
        SpanDone("sitting", 200.0, 300.0),
    ]
    assert to_records(events[2:], logged=[], sitting_start=0.0) == [
        SpanDone("sitting", 200.0, 300.0)
    ]
