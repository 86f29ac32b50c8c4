"""A set whose legs take turns says and carries the leg of every cycle, left first."""

from __future__ import annotations

import pytest

from soleus.domain.catalog import Catalog, Dosage, Exercise, Tempo
from soleus.domain.player import Cue, Player, PlayerSettings, cycle_side, set_schedule
from soleus.domain.routine import Block, Plan, Routine


def plan(dosage: Dosage) -> Plan:
    ex = Exercise(
        "spu", "SPU", "s", "seated", ("Go",), dosage, cue_up="heel up", cue_down="release"
    )
    return Plan.build(Routine("r", "R", (Block("spu"),)), Catalog((ex,)))


BOUT = Dosage("bout", seconds=6, sides="alternate", tempo=Tempo(0.6, 0, 0.6, 0))


def played(p: Plan) -> list[Cue]:
    player = Player(p, get_ready_s=0)
    return [e for e in player.start(0.0) + player.tick(100.0) if isinstance(e, Cue)]


def test_cycle_side_alternates_from_the_left_and_only_when_legs_take_turns() -> None:
    assert [cycle_side("alternate", n) for n in range(1, 6)] == [
        "left", "right", "left", "right", "left",
    ]  # fmt: skip
    assert cycle_side("each", 1) is None and cycle_side("both", 2) is None


def test_an_alternating_bout_speaks_the_leg_of_every_cycle() -> None:
    turns = [
        (c.at, c.text, c.speak, c.rep) for c in played(plan(BOUT)) if c.sound in ("go", "tick")
    ]
    assert [t[1] for t in turns] == ["Go, left", "Right", "Left", "Right", "Left"]
    assert [t[0] for t in turns] == pytest.approx([0.0, 1.2, 2.4, 3.6, 4.8])
    assert all(speak for _, _, speak, _ in turns)
    # the leg said is the leg of that cycle, as the screen shows it
    assert all(
        text.lower().endswith(cycle_side("alternate", rep or 0) or "?") for _, text, _, rep in turns
    )


def test_a_bout_with_both_legs_keeps_its_silent_ticks() -> None:
    both = Dosage("bout", seconds=6, sides="both", tempo=Tempo(0.6, 0, 0.6, 0))
    ticks = [c for c in played(plan(both)) if c.sound == "tick"]
    assert ticks and not any(c.speak for c in ticks)
    assert not any(c.text in ("Left", "Right") for c in played(plan(both)))


def test_alternating_reps_name_the_leg_of_each_lift() -> None:
    reps = Dosage("reps", reps=3, sides="alternate", tempo=Tempo(1, 0, 1, 0))
    lifts = [c.text for c in played(plan(reps)) if c.sound == "up"]
    assert lifts == ["Left, heel up", "Right, heel up", "Left, heel up"]


def test_the_schedule_sent_to_the_browser_carries_the_turns() -> None:
    settings = PlayerSettings()
    alternate = set_schedule(plan(BOUT).sets[0], settings).to_json()
    assert alternate["cycle_sides"] == ["left", "right"]
    texts = [c["text"] for c in alternate["work"]["cues"] if c["sound"] == "tick"]
    assert texts[:2] == ["Right", "Left"]
    each = Dosage("reps", reps=3, sides="each")
    assert set_schedule(plan(each).sets[0], settings).to_json()["cycle_sides"] == []
