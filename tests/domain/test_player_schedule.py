"""A set's schedule: its titles, amounts, waits, tempo spans and the JSON both players read."""

from __future__ import annotations

from typing import Any

import pytest

from soleus.domain.catalog import Catalog, Dosage, Exercise, Tempo
from soleus.domain.player.schedule import (
    FINISH_CUE,
    FINISHED,
    HEEL,
    NOTHING_LEFT,
    STOPPED,
    PlayerSettings,
    SetSchedule,
    TempoAt,
    TempoSpan,
    lead_in_kind,
    session_json,
    set_schedule,
)
from soleus.domain.routine import Block, Plan, Routine

REPS = Dosage("reps", reps=2, sets=2, rest_s=20, tempo=Tempo(1.0, 0.5, 1.0, 0.5))
BOUT = Dosage("bout", seconds=131, sets=1, sides="alternate", tempo=Tempo(0.6, 0, 0.6, 0))


def plan(*dosages: Dosage) -> Plan:
    exercises = tuple(
        Exercise(f"e{n}", f"Ex {n}", "s", "seated", ("Go",), d) for n, d in enumerate(dosages)
    )
    blocks = tuple(Block(e.id) for e in exercises)
    return Plan.build(Routine("r", "R", blocks), Catalog(exercises))


def schedule(dosage: Dosage, settings: PlayerSettings | None = None) -> SetSchedule:
    return set_schedule(plan(dosage).sets[0], settings or PlayerSettings())


def test_a_reps_set_schedule() -> None:
    s = schedule(REPS, PlayerSettings(get_ready_s=5, between_blocks_s=12))
    assert (s.index, s.kind, s.side, s.title, s.side_text, s.amount) == (
        0,
        "reps",
        "left",
        "Ex 0, left leg",
        "left leg",
        "2 reps",
    )
    assert (s.reps, s.cycles_at_end, s.work.duration, s.cycle_sides) == (2, 2, 6.0, ())
    assert (s.work.phase, s.work.message) == ("work", "Ex 0, left leg")
    waits = {name: (w.phase, w.duration, w.message) for name, w in s.lead_ins.items()}
    assert waits == {
        "first": ("get_ready", 5, "Get ready: Ex 0, left leg"),
        "new_block": ("get_ready", 12, "Get ready: Ex 0, left leg"),
        "switch_side": ("switch_side", 5.0, "Switch to the left leg"),
        "rest": ("rest", 20, "Rest. Next: set 1 of 2, left leg"),
    }
    assert (s.again.phase, s.again.duration, s.again.message) == (
        "get_ready",
        5,
        "Again: Ex 0, left leg",
    )
    assert [c.text for c in s.lead_ins["rest"].cues] == [
        "Rest. Next: set 1 of 2, left leg",
        "3",
        "2",
        "1",
    ]
    sounds = {name: w.cues[0].sound for name, w in s.lead_ins.items()}
    assert sounds == {
        "first": "ready",
        "new_block": "ready",
        "switch_side": "switch",
        "rest": "rest",
    }
    assert [c.sound for c in s.again.cues] == ["ready", "count", "count", "count"]
    longer_ready = schedule(REPS, PlayerSettings(get_ready_s=15, between_blocks_s=12))
    assert longer_ready.lead_ins["new_block"].duration == 15


def test_the_tempo_spans_cover_each_cycle_and_clip_at_the_end() -> None:
    assert schedule(REPS).tempo == (
        TempoSpan(0.0, 1.0, "up", 0),
        TempoSpan(1.0, 1.5, "top", 0),
        TempoSpan(1.5, 2.5, "down", 0),
        TempoSpan(2.5, 3.0, "floor", 0),
        TempoSpan(3.0, 4.0, "up", 1),
        TempoSpan(4.0, 4.5, "top", 1),
        TempoSpan(4.5, 5.5, "down", 1),
        TempoSpan(5.5, 6.0, "floor", 1),
    )
    bout = schedule(BOUT)
    assert (bout.amount, bout.reps, bout.cycles_at_end) == ("2.2 min bout", 109, 109)
    assert (bout.side_text, bout.cycle_sides, bout.title) == (
        "alternate legs",
        ("left", "right"),
        "Ex 0, alternate legs",
    )
    assert [(s.phase, s.cycle) for s in bout.tempo[-3:]] == [
        ("up", 108),
        ("down", 108),
        ("up", 109),
    ]
    assert bout.tempo[-1].end == 131.0 and bout.tempo[-1].start == pytest.approx(130.8)
    assert {s.phase for s in bout.tempo} == {"up", "down"}  # no top or floor phase
    short = schedule(Dosage("bout", seconds=3, sets=1, tempo=Tempo(0.6, 0, 0.6, 0))).tempo
    assert [(round(s.start, 6), s.end, s.phase) for s in short][-2:] == [
        (1.8, 2.4, "down"),
        (2.4, 3.0, "up"),
    ]  # the down phase that would start at the end is not a span
    fast = schedule(Dosage("bout", seconds=3, sets=1, tempo=Tempo(0.3, 0, 0.3, 0))).tempo
    assert len(fast) == 10 and fast[-1].cycle == 4 and fast[-1].end == pytest.approx(3.0)


@pytest.mark.parametrize(
    ("elapsed", "at"),
    [
        (0.0, TempoAt(0, "up", 0.0)),
        (0.5, TempoAt(0, "up", 0.5)),
        (1.0, TempoAt(0, "top", 0.0)),
        (1.25, TempoAt(0, "top", 0.5)),
        (2.75, TempoAt(0, "floor", 0.5)),
        (3.0, TempoAt(1, "up", 0.0)),
        (5.75, TempoAt(1, "floor", 0.5)),
        (6.0, TempoAt(2, "floor", 1.0)),
        (9.0, TempoAt(2, "floor", 1.0)),
    ],
)
def test_where_in_the_tempo_the_work_is(elapsed: float, at: TempoAt) -> None:
    got = schedule(REPS).tempo_at(elapsed)
    assert got is not None
    assert (got.cycles, got.phase) == (at.cycles, at.phase)
    assert got.progress == pytest.approx(at.progress)


def test_a_hold_has_no_tempo_and_no_cycles() -> None:
    hold = schedule(Dosage("hold", seconds=30, sets=1))
    assert (hold.amount, hold.reps, hold.cycles_at_end, hold.tempo) == ("30 s hold", None, None, ())
    assert hold.tempo_at(3.0) is None
    assert schedule(Dosage("hold", seconds=7.5, sets=1)).amount == "7.5 s hold"
    assert schedule(Dosage("bout", seconds=75, sets=1, tempo=Tempo(0.6, 0, 0.6, 0))).amount == (
        "1.3 min bout"
    )
    assert schedule(Dosage("reps", reps=1, sets=1)).amount == "1 rep"


def test_the_wait_before_a_set_depends_on_the_set_before_it() -> None:
    p = plan(REPS, Dosage("hold", seconds=30, sets=1))
    first, right, second, other = p.sets[0], p.sets[1], p.sets[2], p.sets[4]
    assert lead_in_kind(None, first) == "first"
    assert lead_in_kind(first, right) == "switch_side"
    assert lead_in_kind(right, second) == "rest"
    assert lead_in_kind(p.sets[3], other) == "new_block"


def test_the_json_says_everything_the_schedule_does() -> None:
    s = schedule(REPS)
    data = s.to_json()
    assert {k: data[k] for k in ("title", "side_text", "amount", "kind", "reps")} == {
        "title": "Ex 0, left leg",
        "side_text": "left leg",
        "amount": "2 reps",
        "kind": "reps",
        "reps": 2,
    }
    assert (data["cycles_at_end"], data["cycle_sides"]) == (2, [])
    assert data["tempo"][0] == [0.0, 1.0, "up", 0] and len(data["tempo"]) == 8
    assert data["work"]["phase"] == "work" and data["work"]["duration"] == 6.0
    assert data["work"]["message"] == "Ex 0, left leg"
    first = s.work.cues[0]
    assert data["work"]["cues"][0] == {
        "offset": first.offset,
        "text": first.text,
        "sound": first.sound,
        "speak": first.speak,
        "rep": first.rep,
    }
    assert set(data["lead_ins"]) == {"first", "new_block", "switch_side", "rest"}
    assert data["lead_ins"]["rest"]["duration"] == 20
    assert data["again"]["message"] == "Again: Ex 0, left leg"
    assert schedule(BOUT).to_json()["cycle_sides"] == ["left", "right"]


def test_the_session_json_carries_the_settings_and_the_fixed_words() -> None:
    settings = PlayerSettings(get_ready_s=7, sound=False)
    data = session_json(settings)
    assert data["settings"] == {
        "get_ready_s": 7,
        "switch_side_s": 5.0,
        "between_blocks_s": 10.0,
        "back_grace_s": 3.0,
        "sound": False,
        "speech": True,
    }
    assert (data["finished"], data["stopped"], data["nothing_left"]) == (
        FINISHED,
        STOPPED,
        NOTHING_LEFT,
    )
    assert len({FINISHED, STOPPED, NOTHING_LEFT}) == 3
    assert data["finish_cue"] == {"text": FINISH_CUE.text, "sound": "finish", "speak": True}
    assert data["heel"] == {
        "up": [0.0, 1.0],
        "top": [1.0, 1.0],
        "down": [1.0, 0.0],
        "floor": list(HEEL["floor"]),
    }


@pytest.mark.parametrize(
    "field", ["get_ready_s", "switch_side_s", "between_blocks_s", "back_grace_s"]
)
def test_a_negative_wait_is_refused(field: str) -> None:
    negative: dict[str, Any] = {field: -0.5}
    with pytest.raises(ValueError, match=r"^durations must not be negative$"):
        PlayerSettings(**negative)
    zero: dict[str, Any] = {field: 0}
    assert PlayerSettings(**zero).to_json()[field] == 0
