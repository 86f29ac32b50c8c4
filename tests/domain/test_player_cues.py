"""Every cue of a set, exactly: offsets, words, sounds, what is spoken, and the rep."""

from __future__ import annotations

import pytest

from soleus.domain.catalog import Catalog, Dosage, Exercise, Tempo
from soleus.domain.player.cues import CueSpec, countdown, lead_in, side_words, work_cues
from soleus.domain.routine import Block, Plan, PlannedSet, Routine

Row = tuple[float, str, str, bool, int | None]


def item(dosage: Dosage) -> PlannedSet:
    ex = Exercise(
        "spu", "SPU", "s", "seated", ("Go",), dosage, cue_up="heel up", cue_down="release"
    )
    return Plan.build(Routine("r", "R", (Block("spu"),)), Catalog((ex,))).sets[0]


def rows(cues: tuple[CueSpec, ...] | list[CueSpec]) -> list[Row]:
    return [(round(c.offset, 3), c.text, c.sound, c.speak, c.rep) for c in cues]


def test_reps_say_each_phase_of_each_rep_then_done() -> None:
    slow = Dosage("reps", reps=2, sets=1, tempo=Tempo(1.0, 1.0, 1.0, 0.5))
    assert rows(work_cues(item(slow))) == [
        (0.0, "heel up", "up", True, 1),
        (1.0, "hold", "top", True, 1),
        (2.0, "release", "down", True, 1),
        (3.5, "heel up", "up", True, 2),
        (4.5, "hold", "top", True, 2),
        (5.5, "release", "down", True, 2),
        (7.0, "Done", "end", True, None),
    ]


def test_alternating_reps_name_the_leg_of_each_lift_and_fast_phases_are_not_spoken() -> None:
    quick = Dosage("reps", reps=2, sets=1, sides="alternate", tempo=Tempo(0.5, 0.5, 0.5, 0))
    assert rows(work_cues(item(quick))) == [
        (0.0, "Left, heel up", "up", True, 1),
        (1.0, "release", "down", False, 1),
        (1.5, "Right, heel up", "up", True, 2),
        (2.5, "release", "down", False, 2),
        (3.0, "Done", "end", True, None),
    ]


def test_a_bout_ticks_each_cycle_and_tocks_each_release_before_its_end() -> None:
    bout = Dosage("bout", seconds=3, sets=1, sides="both", tempo=Tempo(0.6, 0, 0.6, 0))
    assert rows(work_cues(item(bout))) == [
        (0.0, "Go, 50 a minute", "go", True, 1),
        (0.6, "release", "tock", False, 1),
        (1.2, "heel up", "tick", False, 2),
        (1.8, "release", "tock", False, 2),
        (2.0, "1", "count", True, None),
        (2.4, "heel up", "tick", False, 3),
        (3.0, "Done", "end", True, None),  # the third release would fall on the end: none
    ]


def test_a_long_bout_counts_minutes_not_the_halfway() -> None:
    bout = Dosage("bout", seconds=130, sets=1, sides="both", tempo=Tempo(0.6, 0, 0.6, 0))
    said = [r for r in rows(work_cues(item(bout))) if r[2] not in ("tick", "tock")]
    assert said == [
        (0.0, "Go, 50 a minute", "go", True, 1),
        (60.0, "1 minute", "half", True, None),  # 2 minutes is under 10 s from the end
        (127.0, "3", "count", True, None),
        (128.0, "2", "count", True, None),
        (129.0, "1", "count", True, None),
        (130.0, "Done", "end", True, None),
    ]
    ticks = [r for r in rows(work_cues(item(bout))) if r[2] == "tick"]
    assert ticks[0] == (1.2, "heel up", "tick", False, 2) and len(ticks) == 108


def test_a_hold_says_its_length_the_halfway_and_the_countdown() -> None:
    assert rows(work_cues(item(Dosage("hold", seconds=12, sets=1)))) == [
        (0.0, "Hold 12 seconds", "hold", True, None),
        (6.0, "Halfway", "half", True, None),
        (9.0, "3", "count", True, None),
        (10.0, "2", "count", True, None),
        (11.0, "1", "count", True, None),
        (12.0, "Done", "end", True, None),
    ]
    short = rows(work_cues(item(Dosage("hold", seconds=9.5, sets=1))))
    assert [r[1] for r in short] == ["Hold 9.5 seconds", "3", "2", "1", "Done"]  # no halfway


@pytest.mark.parametrize(
    ("duration", "said"), [(4.4, ["2", "1"]), (4.5, ["3", "2", "1"]), (2.4, []), (2.5, ["1"])]
)
def test_the_countdown_leaves_room_after_the_opening_words(
    duration: float, said: list[str]
) -> None:
    cues = countdown(duration)
    assert [c.text for c in cues] == said
    assert [round(c.offset, 3) for c in cues] == [round(duration - int(s), 3) for s in said]


def test_a_lead_in_is_the_announcement_then_the_countdown() -> None:
    assert rows(lead_in(5.0, "Get ready", "ready")) == [
        (0.0, "Get ready", "ready", True, None),
        (2.0, "3", "count", True, None),
        (3.0, "2", "count", True, None),
        (4.0, "1", "count", True, None),
    ]


def test_side_words() -> None:
    assert side_words("left", "each") == "left leg"
    assert side_words("both", "both") == "both legs"
    assert side_words("both", "alternate") == "alternate legs"


def test_phases_under_0_8_s_are_sounded_not_spoken_and_0_8_is_spoken() -> None:
    fast = Dosage("reps", reps=1, sets=1, tempo=Tempo(0.7, 0, 0.8, 0))
    assert rows(work_cues(item(fast))) == [
        (0.0, "heel up", "up", False, 1),
        (0.7, "release", "down", True, 1),
        (1.5, "Done", "end", True, None),
    ]
    edge = Dosage("reps", reps=1, sets=1, tempo=Tempo(0.8, 0, 0.7, 0))
    assert [r[3] for r in rows(work_cues(item(edge)))] == [True, False, True]
    no_down = Dosage("reps", reps=2, sets=1, tempo=Tempo(1.0, 1.0, 0, 0.5))
    assert [r[2] for r in rows(work_cues(item(no_down)))] == ["up", "top", "up", "top", "end"]


def test_a_bout_with_a_top_tocks_after_it_and_keeps_tocks_in_its_last_second() -> None:
    bout = Dosage("bout", seconds=4, sets=1, sides="both", tempo=Tempo(0.6, 0.4, 0.6, 0))
    metronome = [r[:3] for r in rows(work_cues(item(bout))) if r[2] in ("tick", "tock")]
    assert metronome == [
        (1.0, "release", "tock"),
        (1.6, "heel up", "tick"),
        (2.6, "release", "tock"),
        (3.2, "heel up", "tick"),
    ]
    bout = Dosage("bout", seconds=4, sets=1, sides="both", tempo=Tempo(0.6, 0, 0.6, 0))
    tocks = [r[0] for r in rows(work_cues(item(bout))) if r[2] == "tock"]
    assert tocks == [0.6, 1.8, 3.0]  # 3.0 is in the last second, still before the end
    silent = Dosage("bout", seconds=4, sets=1, sides="both", tempo=Tempo(0.6, 0, 0, 0.6))
    assert [r for r in rows(work_cues(item(silent))) if r[2] == "tock"] == []


def test_minute_cues_of_a_long_bout_stop_10_s_before_its_end() -> None:
    bout = Dosage("bout", seconds=731, sets=1, sides="both", tempo=Tempo(0.6, 0, 0.6, 0))
    minutes = [(r[0], r[1]) for r in rows(work_cues(item(bout))) if r[2] == "half"]
    assert minutes == [(60.0 * m, f"{m} minute{'s' if m > 1 else ''}") for m in range(1, 13)]
    bout = Dosage("bout", seconds=70.5, sets=1, sides="both", tempo=Tempo(0.6, 0, 0.6, 0))
    said = [r[1] for r in rows(work_cues(item(bout))) if r[2] == "half"]
    assert said == ["Halfway", "1 minute"]  # 60 s is 10.5 s before the end: said


@pytest.mark.parametrize(
    ("kind", "seconds", "halfway"),
    [
        ("hold", 10, True),
        ("hold", 9.9, False),
        ("hold", 120, True),
        ("bout", 119, True),
        ("bout", 120, False),
    ],
)
def test_the_halfway_is_said_from_10_s_and_not_in_bouts_of_2_minutes(
    kind: str, seconds: float, halfway: bool
) -> None:
    if kind == "hold":
        dosage = Dosage("hold", seconds=seconds, sets=1)
    else:
        dosage = Dosage("bout", seconds=seconds, sets=1, sides="both", tempo=Tempo(0.6, 0, 0.6, 0))
    said = [r for r in rows(work_cues(item(dosage))) if r[1] == "Halfway"]
    assert said == ([(seconds / 2, "Halfway", "half", True, None)] if halfway else [])
