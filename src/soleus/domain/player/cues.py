"""What the player says and when, within one phase: offsets from the phase start.

Pure functions from a planned set (or a message) to a tuple of :class:`CueSpec`.
The player turns offsets into absolute monotonic times, so a pause shifts every
cue that is still to come without rebuilding anything.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from soleus.domain.catalog import Side, Tempo
from soleus.domain.routine import PlannedSet

# Which sound a front end plays. "tick"/"tock" are the bout metronome (one pair per cycle).
SoundName = Literal[
    "ready",
    "count",
    "go",
    "up",
    "top",
    "down",
    "hold",
    "tick",
    "tock",
    "half",
    "end",
    "switch",
    "rest",
    "finish",
]
TempoPhase = Literal["up", "top", "down", "floor"]

# A phase shorter than this gets a sound but no speech: a word would not fit in it.
MIN_SPOKEN_PHASE_S = 0.8
# Countdown numbers need this much room after the phase's opening words.
_COUNTDOWN_CLEARANCE_S = 1.5


@dataclass(frozen=True)
class CueSpec:
    offset: float
    text: str
    sound: SoundName
    speak: bool = True
    rep: int | None = None


# The legs' turns in a set whose legs alternate: cycle (or rep) 1 is the first, and so on.
ALTERNATION: tuple[Literal["left"], Literal["right"]] = ("left", "right")


def cycle_side(sides: str, cycle: int) -> Literal["left", "right"] | None:
    """The leg working in 1-based ``cycle`` of a set whose legs take turns (left first);
    ``None`` when they do not (``sides`` is ``each`` or ``both``)."""
    if sides != "alternate" or cycle < 1:
        return None
    return ALTERNATION[(cycle - 1) % len(ALTERNATION)]


def side_words(side: Side, sides: str) -> str:
    if side == "both":
        return "alternate legs" if sides == "alternate" else "both legs"
    return f"{side} leg"


def countdown(duration: float, sound: SoundName = "count") -> list[CueSpec]:
    """Say "3", "2", "1" in the last three seconds, where they leave room after the opening."""
    return [
        CueSpec(duration - n, str(n), sound)
        for n in (3, 2, 1)
        if duration - n >= _COUNTDOWN_CLEARANCE_S
    ]


def lead_in(duration: float, text: str, sound: SoundName) -> tuple[CueSpec, ...]:
    """Get ready, switch side or rest: one announcement, then a countdown."""
    return (CueSpec(0.0, text, sound), *countdown(duration))


def work_duration(item: PlannedSet) -> float:
    d = item.dosage
    if d.kind == "reps":
        return (d.reps or 0) * d.pace.cycle
    return float(d.seconds or 0)


def work_cues(item: PlannedSet) -> tuple[CueSpec, ...]:
    """Every cue of one set on one side, in order of offset."""
    d, ex = item.dosage, item.exercise
    duration = work_duration(item)
    if d.kind == "reps":
        cues = list(_rep_cues(d.pace, d.reps or 0, ex.cue_up, ex.cue_hold, ex.cue_down))
        if d.sides == "alternate":  # each rep's lift names its leg
            cues = [_with_leg(c) if c.sound == "up" else c for c in cues]
        return tuple(sorted(_clamped(cues, duration), key=lambda c: c.offset))
    cues = []
    if d.kind == "hold":
        cues.append(CueSpec(0.0, f"{ex.cue_hold.capitalize()} {duration:g} seconds", "hold"))
    else:
        turns = d.sides == "alternate"
        go = "Go, left" if turns else f"Go, {d.pace.per_minute:.0f} a minute"
        cues.append(CueSpec(0.0, go, "go", rep=1))
        cues.extend(_metronome(d.pace, duration, ex.cue_up, ex.cue_down, turns=turns))
        cues.extend(
            CueSpec(60.0 * m, f"{m} minute{'s' if m > 1 else ''}", "half")
            for m in range(1, int(duration // 60) + 1)
            if 60.0 * m < duration - 10
        )
    if duration >= 10 and not (d.kind == "bout" and duration >= 120):
        cues.append(CueSpec(duration / 2, "Halfway", "half"))
    cues.extend(countdown(duration))
    cues.append(CueSpec(duration, "Done", "end"))
    return tuple(sorted(_clamped(cues, duration), key=lambda c: c.offset))


def _clamped(cues: list[CueSpec], duration: float) -> list[CueSpec]:
    """Sums of tempo phases can overshoot the set's end by a rounding error: pull them in."""
    return [c if c.offset <= duration else replace(c, offset=duration) for c in cues]


def _rep_cues(tempo: Tempo, reps: int, up: str, top: str, down: str) -> tuple[CueSpec, ...]:
    cues: list[CueSpec] = []
    for r in range(reps):
        t = r * tempo.cycle
        cues.append(CueSpec(t, up, "up", tempo.up >= MIN_SPOKEN_PHASE_S, rep=r + 1))
        t += tempo.up
        if tempo.top >= 1.0:
            cues.append(CueSpec(t, top, "top", tempo.top >= MIN_SPOKEN_PHASE_S, rep=r + 1))
        t += tempo.top
        if tempo.down > 0:
            cues.append(CueSpec(t, down, "down", tempo.down >= MIN_SPOKEN_PHASE_S, rep=r + 1))
    cues.append(CueSpec(reps * tempo.cycle, "Done", "end"))
    return tuple(cues)


def _with_leg(cue: CueSpec) -> CueSpec:
    """An alternating set's lift, said with its leg: "Left, heel up"."""
    leg = cycle_side("alternate", cue.rep or 1) or ""
    return replace(cue, text=f"{leg.capitalize()}, {cue.text}", speak=True)


def _metronome(
    tempo: Tempo, duration: float, up: str, down: str, *, turns: bool = False
) -> list[CueSpec]:
    """A tick at each cycle start and a tock at each release, silent words (too fast);
    when the legs take ``turns``, each tick says the leg instead ("Right", "Left")."""
    cues: list[CueSpec] = []
    r = 0
    while True:
        t = r * tempo.cycle
        if t >= duration - 1e-9:
            break
        leg = cycle_side("alternate", r + 1) if turns else None
        if r and leg is not None:
            cues.append(CueSpec(t, leg.capitalize(), "tick", rep=r + 1))
        elif r:
            cues.append(CueSpec(t, up, "tick", False, rep=r + 1))
        release = t + tempo.up + tempo.top
        if release < duration - 1e-9 and tempo.down > 0:
            cues.append(CueSpec(release, down, "tock", False, rep=r + 1))
        r += 1
    return cues
