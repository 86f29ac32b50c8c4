"""What a front end draws at each moment of a run: the snapshot, the next deadline, pauses."""

from __future__ import annotations

from soleus.domain.catalog import Catalog, Dosage, Exercise, Tempo
from soleus.domain.player import Player
from soleus.domain.routine import Block, Plan, Routine

DOSAGE = Dosage("reps", reps=2, sets=1, tempo=Tempo(1.0, 0.5, 1.0, 0.5))


def plan() -> Plan:
    ex = Exercise("spu", "SPU", "s", "seated", ("Go",), DOSAGE, cue_up="heel up")
    return Plan.build(Routine("r", "R", (Block("spu"),)), Catalog((ex,)))


def figures(player: Player, now: float) -> tuple[object, ...]:
    s = player.snapshot(now)
    return (
        s.phase,
        None if s.planned is None else s.planned.index,
        s.position,
        s.total,
        round(s.elapsed, 3),
        s.duration,
        s.rep,
        s.reps,
        s.tempo,
        round(s.tempo_progress, 3),
        None if s.next_up is None else s.next_up.index,
        s.paused,
    )


def test_the_snapshot_through_a_run_of_two_sides() -> None:
    player = Player(plan(), get_ready_s=5)
    player.start(0.0)
    assert figures(player, 2.5) == ("get_ready", 0, 1, 2, 2.5, 5, None, None, None, 0.5, 0, False)
    player.tick(5.0)
    assert figures(player, 6.25) == ("work", 0, 1, 2, 1.25, 6.0, 1, 2, "top", 0.5, 1, False)
    assert figures(player, 9.0) == ("work", 0, 1, 2, 4.0, 6.0, 2, 2, "top", 0.0, 1, False)
    assert figures(player, 10.75) == ("work", 0, 1, 2, 5.75, 6.0, 2, 2, "floor", 0.5, 1, False)
    player.tick(11.0)
    assert figures(player, 12.0) == (
        "switch_side", 1, 2, 2, 1.0, 5.0, None, None, None, 0.2, 1, False,
    )  # fmt: skip
    assert player.next_deadline() == 13.0
    player.tick(16.0)
    player.tick(22.0)
    assert figures(player, 22.0) == (
        "done",
        None,
        2,
        2,
        0.0,
        0.0,
        None,
        None,
        None,
        1.0,
        None,
        False,
    )
    assert player.next_deadline() is None and player.upcoming(22.0, 10.0) == []


def test_toggling_pause_stops_the_cues_and_goes_on_from_there() -> None:
    player = Player(plan(), get_ready_s=5)
    player.start(0.0)
    assert [(c.at, c.text) for c in player.upcoming(2.0, 1.5)] == [(2.0, "3"), (3.0, "2")]
    player.toggle_pause(1.0)
    assert player.paused and player.upcoming(1.0, 3.0) == [] and player.next_deadline() is None
    assert player.snapshot(4.0).paused and player.snapshot(4.0).elapsed == 1.0
    player.toggle_pause(2.0)
    assert not player.paused and player.next_deadline() == 3.0  # the "3" moved on by 1 s


def test_the_end_of_a_run_and_a_quit_say_so_exactly() -> None:
    from soleus.domain.player import Cue, PhaseStarted, SessionFinished, SetCompleted
    from soleus.domain.player.schedule import FINISH_CUE, FINISHED, STOPPED

    player = Player(plan(), get_ready_s=5)
    player.start(0.0)
    player.tick(16.0)
    events = player.tick(22.0)
    assert [type(e) for e in events][-3:] == [PhaseStarted, Cue, SessionFinished]
    assert events[-3:] == [
        PhaseStarted(22.0, "done", None, 0.0, FINISHED),
        Cue(22.0 + FINISH_CUE.offset, FINISH_CUE.text, "finish", True, None),
        SessionFinished(22.0, quit=False),
    ]
    assert [r.planned.index for r in player.results] == [0, 1]
    assert all(not r.skipped for r in player.results)
    assert player.snapshot(30.0).message == FINISHED

    quitter = Player(plan(), get_ready_s=5)
    quitter.start(0.0)
    quitter.tick(5.0)
    events = quitter.quit(7.0)
    [completed] = [e for e in events if isinstance(e, SetCompleted)]
    assert completed.result.planned.index == 0
    assert events[-2:] == [
        PhaseStarted(7.0, "done", None, 0.0, STOPPED),
        SessionFinished(7.0, quit=True),
    ]
    assert [r.planned.index for r in quitter.results] == [0]
    done = quitter.snapshot(9.0)
    assert (done.phase, done.message, done.elapsed, done.duration, done.position) == (
        "done",
        STOPPED,
        0.0,
        0.0,
        1,
    )
    assert quitter.finished and quitter.next_deadline() is None


def test_the_waits_given_to_the_player_override_its_settings() -> None:
    from soleus.domain.player import PlayerSettings
    from soleus.domain.player.schedule import plan_schedules

    p = plan()
    base = PlayerSettings(get_ready_s=9, switch_side_s=9, between_blocks_s=9, back_grace_s=9)
    player = Player(p, settings=base, switch_side_s=2, between_blocks_s=3, back_grace_s=4)
    assert player.plan is p
    assert (player.settings.get_ready_s, player.settings.switch_side_s) == (9, 2)
    assert (player.settings.between_blocks_s, player.settings.back_grace_s) == (3, 4)
    assert player.schedules[1].lead_ins["switch_side"].duration == 2
    given = plan_schedules(p, PlayerSettings(switch_side_s=7))
    assert Player(p, schedules=given).schedules is given
