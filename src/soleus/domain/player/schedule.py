"""The schedule of a guided session: every stage of every set, worked out in advance.

:func:`set_schedule` turns one planned set and the person's :class:`PlayerSettings`
into a :class:`SetSchedule`: the work (its duration, cues and tempo spans) and each
wait that can lead into it (get ready, switch side, rest, "again" after a back). Both
players walk these schedules — the Python :class:`~soleus.domain.player.machine.Player`
and the browser's ``machine.js``, which gets them as JSON (:meth:`SetSchedule.to_json`)
from the plan API — so neither front end knows a tempo, a dosage or a default.

Which wait leads into a set depends only on the set before it in the run:
none → ``first``; another block → ``new_block``; the same set number (the other leg)
→ ``switch_side``; otherwise → ``rest``. A wait of 0 s is skipped.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal

from soleus.domain.catalog import DoseKind, Side
from soleus.domain.limits import GET_READY_S
from soleus.domain.player.cues import (
    ALTERNATION,
    CueSpec,
    TempoPhase,
    lead_in,
    side_words,
    work_cues,
    work_duration,
)
from soleus.domain.routine import Plan, PlannedSet
from soleus.domain.text import plural

Phase = Literal["get_ready", "work", "switch_side", "rest", "done"]
LeadIn = Literal["first", "new_block", "switch_side", "rest"]

# Heel height (0 on the floor .. 1 at the top) at the start and end of each tempo phase.
HEEL: dict[TempoPhase, tuple[float, float]] = {
    "up": (0.0, 1.0),
    "top": (1.0, 1.0),
    "down": (1.0, 0.0),
    "floor": (0.0, 0.0),
}
# What the screen says when the session is over, and the last cue.
FINISHED = "Well done"
STOPPED = "Stopped"
NOTHING_LEFT = "Nothing left to do"
FINISH_CUE = CueSpec(0.0, "Well done, that's the session", "finish")
# A tempo span starts this much early, as a cycle count rounds up by 1e-9 of a cycle.
_EPS = 1e-9


@dataclass(frozen=True)
class PlayerSettings:
    """The person's player settings (get-ready, sound, speech) and the fixed waits."""

    get_ready_s: float = GET_READY_S
    switch_side_s: float = 5.0
    between_blocks_s: float = 10.0
    back_grace_s: float = 3.0
    sound: bool = True
    speech: bool = True

    def __post_init__(self) -> None:
        waits = (self.get_ready_s, self.switch_side_s, self.between_blocks_s, self.back_grace_s)
        if min(waits) < 0:
            raise ValueError("durations must not be negative")

    def to_json(self) -> dict[str, Any]:
        return {
            "get_ready_s": self.get_ready_s,
            "switch_side_s": self.switch_side_s,
            "between_blocks_s": self.between_blocks_s,
            "back_grace_s": self.back_grace_s,
            "sound": self.sound,
            "speech": self.speech,
        }


@dataclass(frozen=True)
class StageSpec:
    """One stage of a set: a wait before it, or its work."""

    phase: Phase
    duration: float
    message: str
    cues: tuple[CueSpec, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "phase": self.phase,
            "duration": self.duration,
            "message": self.message,
            "cues": [_cue_json(c) for c in self.cues],
        }


@dataclass(frozen=True)
class TempoSpan:
    """One tempo phase of one cycle, from ``start`` to ``end`` seconds into the work."""

    start: float
    end: float
    phase: TempoPhase
    cycle: int  # 0-based


@dataclass(frozen=True)
class TempoAt:
    cycles: int  # whole cycles done
    phase: TempoPhase
    progress: float  # of that phase, 0..1


@dataclass(frozen=True)
class SetSchedule:
    index: int
    kind: DoseKind
    side: Side
    title: str  # "Seated soleus pushup, left leg"
    side_text: str  # "left leg"
    amount: str  # "10 reps", "30 s hold", "2.2 min bout"
    reps: int | None  # reps or cycles aimed for (a hold: None)
    cycles_at_end: int | None  # cycles done when the work runs its course (a hold: None)
    work: StageSpec
    tempo: tuple[TempoSpan, ...]  # empty for a hold
    lead_ins: dict[LeadIn, StageSpec]
    again: StageSpec  # the get-ready after going back to this set
    # The legs' turns when they alternate, cycle 1 first (else empty): see cycle_side.
    cycle_sides: tuple[str, ...] = ()

    def tempo_at(self, elapsed: float) -> TempoAt | None:
        """Where in the tempo the work is ``elapsed`` seconds in (a hold: ``None``)."""
        if self.cycles_at_end is None or not self.tempo:
            return None
        if elapsed >= self.work.duration:
            return TempoAt(self.cycles_at_end, self.tempo[-1].phase, 1.0)
        i = max(0, bisect.bisect_right(self._starts, elapsed + _EPS) - 1)
        span = self.tempo[i]
        progress = min(1.0, max(0.0, elapsed - span.start) / (span.end - span.start))
        return TempoAt(span.cycle, span.phase, progress)

    @cached_property
    def _starts(self) -> list[float]:
        return [s.start for s in self.tempo]

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "side_text": self.side_text,
            "amount": self.amount,
            "kind": self.kind,
            "reps": self.reps,
            "cycles_at_end": self.cycles_at_end,
            "work": self.work.to_json(),
            "tempo": [[s.start, s.end, s.phase, s.cycle] for s in self.tempo],
            "lead_ins": {name: stage.to_json() for name, stage in self.lead_ins.items()},
            "again": self.again.to_json(),
            "cycle_sides": list(self.cycle_sides),
        }


def lead_in_kind(prev: PlannedSet | None, item: PlannedSet) -> LeadIn:
    """Which wait comes before ``item`` when ``prev`` is the set before it in this run."""
    if prev is None:
        return "first"
    if prev.block != item.block:
        return "new_block"
    return "switch_side" if prev.set_number == item.set_number else "rest"


def set_schedule(item: PlannedSet, settings: PlayerSettings) -> SetSchedule:
    """Everything the players need to play ``item``: its work and its possible waits."""
    d = item.dosage
    side = side_words(item.side, d.sides)
    title = f"{item.exercise.name}, {side}"
    duration = work_duration(item)
    ready = f"Get ready: {title}"
    switch = f"Switch to the {side}"
    rest = f"Rest. Next: set {item.set_number} of {d.sets}, {side}"
    between = max(settings.get_ready_s, settings.between_blocks_s)
    lead_ins: dict[LeadIn, StageSpec] = {
        "first": _wait("get_ready", settings.get_ready_s, ready, "ready"),
        "new_block": _wait("get_ready", between, ready, "ready"),
        "switch_side": _wait("switch_side", settings.switch_side_s, switch, "switch"),
        "rest": _wait("rest", d.rest_s, rest, "rest"),
    }
    tempo = () if d.kind == "hold" else _spans(item, duration)
    cycles = None if d.kind == "hold" else math.floor(duration / d.pace.cycle + _EPS)
    if d.kind == "reps":
        cycles = d.reps or 0
    return SetSchedule(
        index=item.index,
        kind=d.kind,
        side=item.side,
        title=title,
        side_text=side,
        amount=_amount(item),
        reps=item.target_reps,
        cycles_at_end=cycles,
        work=StageSpec("work", duration, title, work_cues(item)),
        tempo=tempo,
        lead_ins=lead_ins,
        again=_wait("get_ready", settings.get_ready_s, f"Again: {title}", "ready"),
        cycle_sides=ALTERNATION if d.sides == "alternate" else (),
    )


def plan_schedules(plan: Plan, settings: PlayerSettings) -> dict[int, SetSchedule]:
    """The schedule of every set of ``plan``, by plan index."""
    return {item.index: set_schedule(item, settings) for item in plan.sets}


def session_json(settings: PlayerSettings) -> dict[str, Any]:
    """What a browser player needs besides the sets: settings, texts, the heel figure."""
    return {
        "settings": settings.to_json(),
        "finished": FINISHED,
        "stopped": STOPPED,
        "nothing_left": NOTHING_LEFT,
        "finish_cue": {"text": FINISH_CUE.text, "sound": FINISH_CUE.sound, "speak": True},
        "heel": {phase: list(heights) for phase, heights in HEEL.items()},
    }


def _cue_json(c: CueSpec) -> dict[str, Any]:
    return {"offset": c.offset, "text": c.text, "sound": c.sound, "speak": c.speak, "rep": c.rep}


def _wait(phase: Phase, seconds: float, text: str, sound: Any) -> StageSpec:
    return StageSpec(phase, seconds, text, lead_in(seconds, text, sound))


def _spans(item: PlannedSet, duration: float) -> tuple[TempoSpan, ...]:
    """The tempo phases of every cycle that starts before the work ends, clipped to it."""
    pace = item.dosage.pace
    phases: tuple[tuple[TempoPhase, float], ...] = (
        ("up", pace.up),
        ("top", pace.top),
        ("down", pace.down),
        ("floor", pace.floor),
    )
    spans: list[TempoSpan] = []
    r = 0
    while r * pace.cycle < duration - _EPS:
        t = r * pace.cycle
        for name, length in phases:
            if length > 0 and t < duration:
                spans.append(TempoSpan(t, min(t + length, duration), name, r))
            t += length
        r += 1
    return tuple(spans)


def _amount(item: PlannedSet) -> str:
    d = item.dosage
    if d.kind == "reps":
        return plural(d.reps or 0, "rep")
    seconds = d.seconds or 0
    if d.kind == "hold":
        return f"{seconds:g} s hold"
    return f"{math.floor(seconds / 60 * 10 + 0.5) / 10:g} min bout"
