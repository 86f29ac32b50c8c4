"""Example tests for the guided player: each phase and each action."""

from __future__ import annotations

import pytest

from soleus.domain.catalog import Catalog, Dosage, Exercise, Tempo
from soleus.domain.player import (
    Cue,
    Event,
    PhaseStarted,
    Player,
    SessionFinished,
    SetCompleted,
    SetResult,
)
from soleus.domain.routine import Block, Plan, Routine

SPU = Exercise(
    "soleus-pushup",
    "Seated soleus pushup",
    "Heel up, forefoot down.",
    "seated",
    ("Sit tall", "Lift the heel"),
    Dosage("reps", sets=2, reps=3, rest_s=10, tempo=Tempo(1, 0, 1, 0)),
    cue_up="heel up",
    cue_down="release",
)
STRETCH = Exercise(
    "calf-stretch", "Calf stretch", "s", "standing", ("Stand",), Dosage("hold", seconds=12)
)
BOUT = Exercise(
    "spu-bout", "SPU bout", "s", "seated", ("Go",), Dosage("bout", seconds=6, sides="both")
)
CATALOG = Catalog((SPU, STRETCH, BOUT))


def plan_of(*ids: str) -> Plan:
    return Plan.build(Routine("r", "R", tuple(Block(i) for i in ids)), CATALOG)


def results(events: list[Event]) -> list[SetResult]:
    return [e.result for e in events if isinstance(e, SetCompleted)]


def cues(events: list[Event]) -> list[Cue]:
    return [e for e in events if isinstance(e, Cue)]


def phases(events: list[Event]) -> list[str]:
    return [e.phase for e in events if isinstance(e, PhaseStarted)]


def test_reps_walk_through_get_ready_work_switch_rest_and_done() -> None:
    player = Player(plan_of("soleus-pushup"), get_ready_s=5, switch_side_s=5)
    events = player.start(0.0) + player.tick(1000.0)
    assert phases(events) == [
        "get_ready", "work", "switch_side", "work", "rest", "work", "switch_side", "work", "done",
    ]  # fmt: skip
    done = results(events)
    assert [r.planned.side for r in done] == ["left", "right", "left", "right"]
    assert all(r.reps_done == 3 and not r.skipped and r.work_seconds == 6.0 for r in done)
    assert isinstance(events[-1], SessionFinished) and not events[-1].quit
    first = cues(events)[:8]
    assert [(c.at, c.text) for c in first] == [
        (0.0, "Get ready: Seated soleus pushup, left leg"),
        (2.0, "3"), (3.0, "2"), (4.0, "1"),
        (5.0, "heel up"), (6.0, "release"), (7.0, "heel up"), (8.0, "release"),
    ]  # fmt: skip
    rest = next(e for e in events if isinstance(e, PhaseStarted) and e.phase == "rest")
    assert rest.at == 22.0 and rest.duration == 10 and "set 2 of 2, left leg" in rest.message


def test_hold_cues_at_start_halfway_last_three_seconds_and_end() -> None:
    player = Player(plan_of("calf-stretch"), get_ready_s=0)
    events = player.start(0.0) + player.tick(12.0)
    assert [(c.at, c.text) for c in cues(events)][:6] == [
        (0.0, "Hold 12 seconds"), (6.0, "Halfway"), (9.0, "3"), (10.0, "2"), (11.0, "1"),
        (12.0, "Done"),
    ]  # fmt: skip
    assert results(events)[0].seconds_done == 12.0


def test_bout_ticks_once_per_cycle_at_its_tempo() -> None:
    player = Player(plan_of("spu-bout"), get_ready_s=0)
    events = player.start(0.0) + player.tick(100.0)
    ticks = [c.at for c in cues(events) if c.sound in ("go", "tick")]
    assert ticks == pytest.approx([0.0, 1.2, 2.4, 3.6, 4.8])
    (result,) = results(events)
    assert result.reps_done == 5 and result.seconds_done == 6.0


def test_a_new_block_starts_with_a_get_ready() -> None:
    player = Player(plan_of("calf-stretch", "spu-bout"), get_ready_s=3, between_blocks_s=10)
    events = player.start(0.0) + player.tick(1000.0)
    ready = [e for e in events if isinstance(e, PhaseStarted) and e.phase == "get_ready"]
    assert [(e.duration, e.message) for e in ready] == [
        (3, "Get ready: Calf stretch, left leg"),
        (10, "Get ready: SPU bout, both legs"),
    ]


def test_snapshot_follows_the_tempo() -> None:
    player = Player(plan_of("soleus-pushup"), get_ready_s=5)
    player.start(0.0)
    player.tick(7.5)
    snap = player.snapshot(7.5)
    assert (snap.phase, snap.rep, snap.reps, snap.tempo) == ("work", 2, 3, "up")
    assert snap.tempo_progress == pytest.approx(0.5)
    assert snap.planned is not None and snap.planned.side == "left"
    assert snap.next_up is not None and snap.next_up.side == "right"
    assert (snap.position, snap.total, snap.paused) == (1, 4, False)
    player.tick(8.5)
    assert player.snapshot(8.5).tempo == "down"


def test_pause_shifts_future_cues_and_is_not_work_time() -> None:
    player = Player(plan_of("calf-stretch"), get_ready_s=0)
    player.start(0.0)
    player.pause(4.0)
    assert player.paused and player.next_deadline() is None
    assert player.tick(50.0) == []
    assert player.snapshot(50.0).elapsed == 4.0
    events = player.resume(54.0)
    assert player.next_deadline() == 56.0  # "Halfway", 6 s of work in
    events += player.tick(1000.0)
    first = results(events)[0]
    assert first.work_seconds == 12.0 and first.ended == 62.0 and first.started == 0.0


def test_skip_part_way_records_what_was_done() -> None:
    player = Player(plan_of("soleus-pushup"), get_ready_s=5)
    player.start(0.0)
    events = player.skip(9.5)  # two reps done, the third under way
    (result,) = results(events)
    assert result.skipped and result.reps_done == 2 and result.work_seconds == 4.5
    assert phases(events)[-1] == "switch_side"
    assert cues(events)[-1].text == "Switch to the right leg"


def test_skip_during_a_wait_starts_the_set_now() -> None:
    player = Player(plan_of("soleus-pushup"), get_ready_s=5)
    player.start(0.0)
    events = player.skip(1.0)
    assert phases(events) == ["work"]
    assert cues(events)[0].at == 1.0 and cues(events)[0].text == "heel up"


def test_back_goes_to_the_previous_set_near_its_start_then_restarts_past_the_grace() -> None:
    player = Player(plan_of("soleus-pushup"), get_ready_s=5, switch_side_s=5, back_grace_s=3)
    player.start(0.0)
    player.tick(17.0)  # right leg (position 2), 1 s into work
    events = player.back(17.0)  # near its start: previous set (left)
    assert player.snapshot(17.0).planned == player.order[0]
    assert player.snapshot(17.0).position == 1
    assert phases(events) == ["get_ready"]
    # left: get ready 17-22, work 22-28, switch 28-33; right: work from 33
    events = player.tick(36.0)
    assert player.snapshot(36.0).planned == player.order[1]
    events += player.back(36.0)  # exactly the grace (3 s) into the right set: restart it
    snap = player.snapshot(36.0)
    assert (snap.phase, snap.position, snap.planned) == ("get_ready", 2, player.order[1])
    assert snap.message == "Again: Seated soleus pushup, right leg"
    events += player.tick(1000.0)
    indexes = [r.index for r in results(events)]
    assert indexes == [0, 1, 2, 3]


def test_quit_keeps_a_partly_done_set_as_interrupted() -> None:
    player = Player(plan_of("soleus-pushup"), get_ready_s=5)
    player.start(0.0)
    events = player.quit(8.0)
    (result,) = results(events)
    assert result.interrupted and result.skipped and result.reps_done == 1
    assert isinstance(events[-1], SessionFinished) and events[-1].quit
    assert player.finished and player.tick(9.0) == [] and player.skip(9.0) == []


def test_quit_before_any_work_records_nothing() -> None:
    player = Player(plan_of("soleus-pushup"), get_ready_s=5)
    player.start(0.0)
    assert results(player.quit(5.5)) == []


def test_resume_skips_sets_already_done() -> None:
    player = Player(plan_of("soleus-pushup"), get_ready_s=5, done=frozenset({0, 1}))
    events = player.start(0.0) + player.tick(1000.0)
    assert [r.index for r in results(events)] == [2, 3]
    everything = Player(plan_of("soleus-pushup"), done=frozenset(range(4)))
    assert isinstance(everything.start(0.0)[-1], SessionFinished)


def test_upcoming_looks_ahead_without_moving() -> None:
    player = Player(plan_of("soleus-pushup"), get_ready_s=5)
    player.start(0.0)
    ahead = player.upcoming(4.5, 3.0)
    assert [(c.at, c.text) for c in ahead] == [(5.0, "heel up"), (6.0, "release"), (7.0, "heel up")]
    assert player.snapshot(4.5).phase == "get_ready" and player.next_deadline() == 2.0
    assert [c.at for c in cues(player.tick(7.0))] == [2.0, 3.0, 4.0, 5.0, 6.0, 7.0]


def test_time_must_not_go_back() -> None:
    player = Player(plan_of("calf-stretch"))
    player.start(10.0)
    with pytest.raises(ValueError, match="time went back"):
        player.tick(9.0)
    with pytest.raises(RuntimeError):
        Player(plan_of("calf-stretch")).tick(0.0)


@pytest.mark.parametrize("action", ["skip", "back"])
def test_skip_or_back_while_paused_stays_paused(action: str) -> None:
    player = Player(plan_of("soleus-pushup"), get_ready_s=5, switch_side_s=5, back_grace_s=3)
    player.start(0.0)
    player.tick(20.0)
    player.pause(20.0)
    getattr(player, action)(21.0)
    assert player.paused and player.next_deadline() is None
    assert cues(player.tick(100.0)) == []
    assert player.snapshot(100.0).elapsed == 0.0  # the new stage has not started to run


@pytest.mark.parametrize("seconds", [1.0, 5.0])
def test_quitting_a_hold_after_a_second_or_more_records_them(seconds: float) -> None:
    player = Player(plan_of("calf-stretch"), get_ready_s=0)
    player.start(0.0)
    (result,) = results(player.quit(seconds))
    assert result.interrupted and result.skipped
    assert result.seconds_done == seconds and result.work_seconds == seconds
    assert result.reps_done is None


def test_quitting_a_hold_within_its_first_second_records_nothing() -> None:
    player = Player(plan_of("calf-stretch"), get_ready_s=0)
    player.start(0.0)
    assert results(player.quit(0.9)) == []


# -- boundaries the mutation run showed untested (issue 13) ----------------------------


def test_a_finished_set_is_not_skipped_and_a_skipped_one_is_not_interrupted() -> None:
    player = Player(plan_of("soleus-pushup"), get_ready_s=5)
    events = player.start(0.0) + player.tick(12.0)  # the first set ends at 11
    (done,) = results(events)
    assert done.skipped is False and done.interrupted is False
    (skipped,) = results(player.skip(18.0))  # the second set, one rep in
    assert skipped.skipped is True and skipped.interrupted is False


def test_every_phase_names_the_set_it_belongs_to() -> None:
    player = Player(plan_of("soleus-pushup"), get_ready_s=5, switch_side_s=5)
    events = player.start(0.0) + player.tick(1000.0)
    started = [e for e in events if isinstance(e, PhaseStarted) and e.phase != "done"]
    assert [e.planned.index if e.planned else None for e in started] == [
        0, 0, 1, 1, 2, 2, 3, 3,
    ]  # fmt: skip


def test_a_get_ready_of_one_second_is_still_played() -> None:
    player = Player(plan_of("calf-stretch"), get_ready_s=1)
    events = player.start(0.0)
    assert phases(events) == ["get_ready"]
    assert player.next_deadline() == 1.0
    assert phases(player.tick(1.0)) == ["work"]


def test_next_deadline_is_the_stage_end_once_its_cues_are_out() -> None:
    player = Player(plan_of("soleus-pushup"), get_ready_s=5)
    player.start(0.0)
    assert [c.at for c in cues(player.tick(4.5))] == [2.0, 3.0, 4.0]  # 3, 2, 1
    assert player.next_deadline() == 5.0


def test_the_snapshot_names_the_next_set_and_none_after_the_last() -> None:
    player = Player(plan_of("soleus-pushup"), get_ready_s=5, switch_side_s=5)
    player.start(0.0)
    player.tick(6.0)  # the first set's work
    assert player.snapshot(6.0).next_up == player.order[1]
    player.skip(6.0)
    player.skip(6.0)  # the switch over: the right leg's work
    assert player.snapshot(6.0).next_up == player.order[2]
    player.back(6.0)  # at its start: back to the left leg's get-ready, itself next
    assert player.snapshot(6.0).next_up == player.order[0]
    while player.snapshot(6.0).planned != player.order[3]:
        player.skip(6.0)
    player.skip(6.0)  # past the last set's switch-over wait
    last = player.snapshot(6.0)
    assert (last.phase, last.planned, last.next_up) == ("work", player.order[3], None)


def test_the_snapshot_counts_a_bouts_cycles_up_to_its_target() -> None:
    player = Player(plan_of("spu-bout"), get_ready_s=0)
    player.start(0.0)
    player.tick(3.0)  # cycles of 1.2 s: the third is under way
    assert (player.snapshot(3.0).rep, player.snapshot(3.0).reps) == (3, 5)
    # 6.5 s hold five whole cycles and part of a sixth: the count stops at 5 of 5
    longer = Exercise(
        "spu-bout", "SPU bout", "s", "seated", ("Go",), Dosage("bout", seconds=6.5, sides="both")
    )
    plan = Plan.build(Routine("r", "R", (Block("spu-bout"),)), Catalog((longer,)))
    player = Player(plan, get_ready_s=0)
    player.start(0.0)
    player.tick(6.3)
    snap = player.snapshot(6.3)
    assert (snap.phase, snap.rep, snap.reps) == ("work", 5, 5)


def test_a_player_with_nothing_left_is_done_from_the_start() -> None:
    player = Player(plan_of("calf-stretch"), done=frozenset({0, 1}))
    assert player.start(7.0) == [SessionFinished(7.0, quit=False)]
    snap = player.snapshot(9.0)
    assert (snap.phase, snap.planned, snap.position, snap.total) == ("done", None, 0, 0)
    assert (snap.elapsed, snap.duration, snap.message) == (0.0, 0.0, "Nothing left to do")
    assert player.finished and player.next_deadline() is None and player.upcoming(9.0, 5) == []


def test_upcoming_before_the_start_is_empty() -> None:
    player = Player(plan_of("calf-stretch"))
    assert player.upcoming(0.0, 10.0) == []
