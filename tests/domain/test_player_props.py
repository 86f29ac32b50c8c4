"""Property tests: the player's invariants hold for any small plan and any key presses."""

from __future__ import annotations

import math
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from soleus.domain.catalog import Catalog, Dosage, DoseKind, Exercise, Tempo
from soleus.domain.player import Cue, Event, Player, SessionFinished, SetCompleted, SetResult
from soleus.domain.player.cues import work_duration
from soleus.domain.routine import Block, Plan, Routine

ACTIONS = ("tick", "pause", "resume", "skip", "back", "quit")
tenths = st.integers(0, 15).map(lambda n: n / 10)


@st.composite
def tempos(draw: st.DrawFn) -> Tempo:
    up, top, down, floor = (draw(tenths) for _ in range(4))
    if up + top + down + floor < 0.3:
        up += 0.5
    return Tempo(up, top, down, floor)


@st.composite
def dosages(draw: st.DrawFn) -> Dosage:
    kinds: list[DoseKind] = ["reps", "hold", "bout"]
    kind = draw(st.sampled_from(kinds))
    common: dict[str, Any] = {
        "sets": draw(st.integers(1, 2)),
        "sides": draw(
            st.sampled_from(["each", "both"] + ([] if kind == "hold" else ["alternate"]))
        ),
        "rest_s": draw(st.sampled_from([0.0, 1.0, 2.5])),
    }
    if kind == "reps":
        return Dosage("reps", reps=draw(st.integers(1, 3)), tempo=draw(tempos()), **common)
    seconds = draw(st.sampled_from([1.0, 2.0, 3.5, 11.0]))
    tempo = draw(st.none() | tempos()) if kind == "bout" else None
    return Dosage(kind, seconds=seconds, tempo=tempo, **common)


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    doses = draw(st.lists(dosages(), min_size=1, max_size=3))
    exercises = tuple(
        Exercise(f"ex-{i}", f"Exercise {i}", "s", "seated", ("do it",), d)
        for i, d in enumerate(doses)
    )
    blocks = tuple(Block(e.id) for e in exercises)
    return Plan.build(Routine("r", "R", blocks), Catalog(exercises))


players = st.builds(
    lambda plan, ready, switch, done: Player(
        plan,
        get_ready_s=ready,
        switch_side_s=switch,
        between_blocks_s=ready,
        done=frozenset(i for i in done if i < len(plan.sets)),
    ),
    plans(),
    st.sampled_from([0.0, 2.0, 5.0]),
    st.sampled_from([0.0, 3.0]),
    st.sets(st.integers(0, 6), max_size=3),
)
scripts = st.lists(
    st.tuples(st.integers(0, 8000).map(lambda ms: ms / 1000), st.sampled_from(ACTIONS)),
    max_size=12,
)


def play(
    player: Player, script: list[tuple[float, str]], *, step: float | None = None
) -> tuple[list[Event], list[tuple[float, float]]]:
    """Run the script from t=0, ticking every ``step`` seconds in between if given;
    then finish (resuming first). Returns events and the pause intervals."""
    now = 0.0
    events = player.start(now)
    pauses: list[tuple[float, float]] = []
    paused_at: float | None = None
    for delay, action in script:
        target = now + delay
        if step is not None:
            while now + step < target:
                now += step
                events += player.tick(now)
        now = target
        was_paused = player.paused
        events += getattr(player, action)(now)
        if player.paused and not was_paused:
            paused_at = now
        elif was_paused and not player.paused and paused_at is not None:
            pauses.append((paused_at, now))
            paused_at = None
    if not player.finished:
        now += 1.0
        events += player.resume(now)
    if paused_at is not None:  # resumed just now, or ended by the last set while paused
        pauses.append((paused_at, now))
    if not player.finished:
        events += player.tick(now + 100_000.0)
    return events, pauses


def completed(events: list[Event]) -> list[SetResult]:
    return [e.result for e in events if isinstance(e, SetCompleted)]


def quit_(events: list[Event]) -> bool:
    return any(isinstance(e, SessionFinished) and e.quit for e in events)


@settings(max_examples=150, deadline=None)
@given(players, scripts)
def test_every_set_is_done_once_and_time_only_moves_forward(
    player: Player, script: list[tuple[float, str]]
) -> None:
    events, _ = play(player, script)
    assert player.finished and sum(isinstance(e, SessionFinished) for e in events) == 1
    assert isinstance(events[-1], SessionFinished)
    indexes = [r.index for r in completed(events)]
    wanted = [s.index for s in player.order]
    went_back = any(action == "back" for _, action in script)
    if not went_back:
        assert indexes == (wanted[: len(indexes)] if quit_(events) else wanted)
    elif not quit_(events):
        assert set(indexes) == set(wanted)
        assert not wanted or indexes[-1] == wanted[-1]
    times = [e.at for e in events]
    assert times == sorted(times)
    cue_times = [e.at for e in events if isinstance(e, Cue)]
    assert cue_times == sorted(cue_times)


@settings(max_examples=150, deadline=None)
@given(players, scripts)
def test_results_match_what_was_done_and_exclude_pauses(
    player: Player, script: list[tuple[float, str]]
) -> None:
    events, pauses = play(player, script)
    for r in completed(events):
        planned, d = r.planned, r.planned.dosage
        duration = work_duration(planned)
        paused = sum(max(0.0, min(b, r.ended) - max(a, r.started)) for a, b in pauses)
        assert math.isclose(r.work_seconds, r.ended - r.started - paused, abs_tol=1e-6)
        assert 0 <= r.work_seconds <= duration + 1e-6
        if not r.skipped:
            assert not r.interrupted
            assert math.isclose(r.work_seconds, duration, abs_tol=1e-6)
            if d.kind == "reps":
                assert r.reps_done == d.reps and r.seconds_done is None
            else:
                assert r.seconds_done == d.seconds
        if d.kind == "reps":
            assert r.reps_done is not None and 0 <= r.reps_done <= (d.reps or 0)
            assert r.reps_done == math.floor(r.work_seconds / d.pace.cycle + 1e-9) or (
                r.reps_done == d.reps
            )
        elif d.kind == "hold":
            assert r.reps_done is None and r.seconds_done == r.work_seconds
        else:
            assert r.reps_done is not None and r.seconds_done == r.work_seconds


@settings(max_examples=60, deadline=None)
@given(plans(), scripts, st.sampled_from([0.001, 0.037]))
def test_ticking_often_or_rarely_yields_the_same_events(
    plan: Plan, script: list[tuple[float, str]], step: float
) -> None:
    script = [(min(d, 1.5), a) for d, a in script]  # keep the fine-stepped run short
    rare, _ = play(Player(plan, get_ready_s=2), script)
    often, _ = play(Player(plan, get_ready_s=2), script, step=step)
    assert completed(often) == completed(rare)
    assert [e for e in often if isinstance(e, Cue)] == [e for e in rare if isinstance(e, Cue)]


@settings(max_examples=80, deadline=None)
@given(players, st.floats(0, 30), st.floats(0.1, 10))
def test_upcoming_is_what_tick_will_say(player: Player, at: float, horizon: float) -> None:
    player.start(0.0)
    player.tick(at)
    ahead = player.upcoming(at, horizon)
    said = [e for e in player.tick(at + horizon) if isinstance(e, Cue)]
    assert ahead == [c for c in said if c.at >= at]
