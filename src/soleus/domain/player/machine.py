"""The guided session as a pure state machine, driven by explicit monotonic times.

A :class:`Player` walks a :class:`~soleus.domain.routine.Plan`: get ready → work
(reps at a tempo, a hold, or a sustained bout) → switch side → rest → … → done.
What each stage lasts and says comes from the sets' schedules
(:mod:`soleus.domain.player.schedule`); the browser's ``machine.js`` walks the same
schedules, sent as JSON, by the same rules.
It never reads a clock: every method takes ``now`` (monotonic seconds), and
:meth:`Player.tick` returns the :data:`Event` s that fell due up to ``now``.

Times in events are *scheduled* times (phase start + offset), never the time a
front end happened to call ``tick``: ticking every millisecond or once at the
end yields the same events. A front end sleeps until :meth:`Player.next_deadline`,
or schedules sound ahead with :meth:`Player.upcoming`. It may drop a cue it
received too late to be useful (stale), but the player never drops one.

Pausing freezes the session; on resume every cue still to come moves later by
the pause, and pause time never counts as work time.

``back`` restarts the current set (after a short get-ready) or, at its start,
goes to the previous one. Results already emitted stay valid; a redone set emits
a new :class:`SetCompleted` for the same plan index — a log keeps the latest.
``quit`` ends the session; a set interrupted part-way is reported with
``skipped=True, interrupted=True`` if anything of it was done, so a resume can
offer it again.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, replace

from soleus.domain.player.cues import CueSpec, SoundName, TempoPhase
from soleus.domain.player.schedule import (
    FINISH_CUE,
    FINISHED,
    HEEL,
    NOTHING_LEFT,
    STOPPED,
    Phase,
    PlayerSettings,
    SetSchedule,
    StageSpec,
    lead_in_kind,
    plan_schedules,
)
from soleus.domain.routine import Plan, PlannedSet


@dataclass(frozen=True)
class Cue:
    """Something to say or sound at ``at`` (scheduled monotonic seconds)."""

    at: float
    text: str
    sound: SoundName
    speak: bool = True
    rep: int | None = None


@dataclass(frozen=True)
class PhaseStarted:
    at: float
    phase: Phase
    planned: PlannedSet | None
    duration: float
    message: str


@dataclass(frozen=True)
class SetResult:
    """What was done of one planned set on one side.

    ``reps_done`` for reps and bouts (whole cycles), ``seconds_done`` for holds and
    bouts. ``work_seconds`` excludes pauses. ``interrupted`` marks a set cut short
    by quitting (also ``skipped``): a resume should offer it again.
    """

    planned: PlannedSet
    reps_done: int | None
    seconds_done: float | None
    skipped: bool
    started: float
    ended: float
    work_seconds: float
    interrupted: bool = False

    @property
    def index(self) -> int:
        return self.planned.index


@dataclass(frozen=True)
class SetCompleted:
    at: float
    result: SetResult


@dataclass(frozen=True)
class SessionFinished:
    at: float
    quit: bool


Event = Cue | PhaseStarted | SetCompleted | SessionFinished


@dataclass(frozen=True)
class Snapshot:
    """Everything a front end draws, as of ``now``."""

    phase: Phase
    planned: PlannedSet | None  # the set being done, or the one being prepared for
    position: int  # 1-based place of ``planned`` among the sets of this run
    total: int
    message: str
    elapsed: float
    duration: float
    rep: int | None  # 1-based current rep or cycle
    reps: int | None
    tempo: TempoPhase | None
    tempo_progress: float  # of the tempo phase, or of the whole hold / lead-in
    next_up: PlannedSet | None
    paused: bool

    @property
    def seconds_left(self) -> float:
        return max(0.0, self.duration - self.elapsed)

    @property
    def heel(self) -> float:
        """The heel's height in the tempo (0 on the floor .. 1 at the top); 0 off tempo."""
        if self.tempo is None:
            return 0.0
        low, high = HEEL[self.tempo]
        return low + (high - low) * self.tempo_progress


@dataclass
class _Stage:
    phase: Phase
    pos: int
    start: float  # moved later by pauses
    began: float  # when it really began
    duration: float
    cues: tuple[CueSpec, ...]
    message: str
    next_cue: int = 0


class Player:
    """The session state machine over the sets' schedules.

    ``settings`` (or the keyword durations, for tests) give the waits; ``schedules``
    (plan index → :class:`SetSchedule`) may be passed in when already built.
    """

    def __init__(
        self,
        plan: Plan,
        *,
        settings: PlayerSettings | None = None,
        get_ready_s: float | None = None,
        switch_side_s: float | None = None,
        between_blocks_s: float | None = None,
        back_grace_s: float | None = None,
        done: frozenset[int] = frozenset(),
        schedules: dict[int, SetSchedule] | None = None,
    ) -> None:
        settings = settings or PlayerSettings()
        settings = replace(
            settings,
            get_ready_s=settings.get_ready_s if get_ready_s is None else get_ready_s,
            switch_side_s=settings.switch_side_s if switch_side_s is None else switch_side_s,
            between_blocks_s=(
                settings.between_blocks_s if between_blocks_s is None else between_blocks_s
            ),
            back_grace_s=settings.back_grace_s if back_grace_s is None else back_grace_s,
        )
        self.plan = plan
        self.settings = settings
        self.schedules = schedules if schedules is not None else plan_schedules(plan, settings)
        self.order = tuple(s for s in plan.sets if s.index not in done)
        self.results: list[SetResult] = []
        self._stage: _Stage | None = None
        self._paused_at: float | None = None
        self._last = -math.inf

    # -- driving -------------------------------------------------------------------

    def start(self, now: float) -> list[Event]:
        if self._stage is not None:
            raise RuntimeError("the player has already started")
        self._last = now
        if not self.order:
            self._stage = _Stage("done", 0, now, now, 0.0, (), NOTHING_LEFT)
            return [SessionFinished(now, quit=False)]
        return self._lead_into(0, now) + self.tick(now)

    def tick(self, now: float) -> list[Event]:
        """The events due up to ``now``, in order; moves the session forward."""
        st = self._require(now)
        events: list[Event] = []
        if self._paused_at is not None:
            return events
        while st.phase != "done":
            end = st.start + st.duration
            limit = min(now, end)
            while st.next_cue < len(st.cues) and st.start + st.cues[st.next_cue].offset <= limit:
                spec = st.cues[st.next_cue]
                events.append(
                    Cue(st.start + spec.offset, spec.text, spec.sound, spec.speak, spec.rep)
                )
                st.next_cue += 1
            if end > now:
                break
            events += self._finish(st, end)
            st = self._current
        return events

    def pause(self, now: float) -> list[Event]:
        events = self.tick(now)
        if self._paused_at is None and not self.finished:
            self._paused_at = now
        return events

    def resume(self, now: float) -> list[Event]:
        self._require(now)
        if self._paused_at is not None:
            self._current.start += now - self._paused_at
            self._paused_at = None
        return self.tick(now)

    def toggle_pause(self, now: float) -> list[Event]:
        return self.resume(now) if self.paused else self.pause(now)

    def skip(self, now: float) -> list[Event]:
        """Skip the rest of this set (recording what was done), or the wait before it."""
        events = self.tick(now)
        st = self._current
        if st.phase == "done":
            return events
        if st.phase != "work":
            return events + self._work(st.pos, now) + self.tick(now)
        result = self._partial(st, now)
        return events + self._complete(result, now) + self.tick(now)

    def back(self, now: float) -> list[Event]:
        events = self.tick(now)
        st = self._current
        if st.phase == "done":
            return events
        t = self._effective(now)
        again = st.phase == "work" and t - st.start >= self.settings.back_grace_s
        target = st.pos if again or st.pos == 0 else st.pos - 1
        stage = self._schedule(target).again
        return events + self._begin(target, now, stage) + self.tick(now)

    def quit(self, now: float) -> list[Event]:
        events = self.tick(now)
        st = self._current
        if st.phase == "done":
            return events
        if st.phase == "work":
            result = self._partial(st, now, interrupted=True)
            if result.work_seconds >= 1.0 or result.reps_done:
                self.results.append(result)
                events.append(SetCompleted(now, result))
        self._paused_at = None
        self._stage = _Stage("done", st.pos, now, now, 0.0, (), STOPPED)
        return [
            *events,
            PhaseStarted(now, "done", None, 0.0, STOPPED),
            SessionFinished(now, True),
        ]

    # -- looking -------------------------------------------------------------------

    @property
    def finished(self) -> bool:
        return self._stage is not None and self._stage.phase == "done"

    @property
    def paused(self) -> bool:
        return self._paused_at is not None

    def next_deadline(self) -> float | None:
        """When the next cue or phase change falls due; ``None`` when paused or done."""
        st = self._stage
        if st is None or st.phase == "done" or self.paused:
            return None
        end = st.start + st.duration
        if st.next_cue < len(st.cues):
            return min(end, st.start + st.cues[st.next_cue].offset)
        return end

    def upcoming(self, now: float, horizon_s: float) -> list[Cue]:
        """Cues due from ``now`` to ``now + horizon_s`` if nobody presses a key; no mutation."""
        if self._stage is None or self.finished or self.paused:
            return []
        ghost = copy.copy(self)
        ghost._stage = replace(self._current)
        ghost.results = []
        return [e for e in ghost.tick(now + horizon_s) if isinstance(e, Cue) and e.at >= now]

    def snapshot(self, now: float) -> Snapshot:
        st = self._current
        item = self.order[st.pos] if self.order else None
        t = self._effective(now)
        elapsed = min(max(0.0, t - st.start), st.duration)
        rep = reps = None
        tempo: TempoPhase | None = None
        progress = elapsed / st.duration if st.duration else 1.0
        at = self._schedule(st.pos).tempo_at(elapsed) if st.phase == "work" else None
        if at is not None:
            tempo, progress = at.phase, at.progress
            reps = self._schedule(st.pos).reps
            rep = at.cycles + 1 if reps is None else min(at.cycles + 1, reps)
        nxt = st.pos + (1 if st.phase == "work" else 0)
        return Snapshot(
            phase=st.phase,
            planned=None if st.phase == "done" else item,
            position=min(st.pos + 1, len(self.order)),
            total=len(self.order),
            message=st.message,
            elapsed=elapsed,
            duration=st.duration,
            rep=rep,
            reps=reps,
            tempo=tempo,
            tempo_progress=progress,
            next_up=self.order[nxt] if st.phase != "done" and nxt < len(self.order) else None,
            paused=self.paused,
        )

    # -- inside --------------------------------------------------------------------

    @property
    def _current(self) -> _Stage:
        if self._stage is None:
            raise RuntimeError("call start(now) first")
        return self._stage

    def _schedule(self, pos: int) -> SetSchedule:
        return self.schedules[self.order[pos].index]

    def _require(self, now: float) -> _Stage:
        st = self._current
        if now < self._last:
            raise ValueError(f"time went back: {now} < {self._last}")
        self._last = now
        return st

    def _effective(self, now: float) -> float:
        return self._paused_at if self._paused_at is not None else now

    def _result(
        self, st: _Stage, elapsed: float, now: float, *, skipped: bool, interrupted: bool = False
    ) -> SetResult:
        sched = self._schedule(st.pos)
        at = sched.tempo_at(elapsed)
        reps = None if at is None else at.cycles
        seconds = None if sched.kind == "reps" else elapsed
        item = self.order[st.pos]
        return SetResult(item, reps, seconds, skipped, st.began, now, elapsed, interrupted)

    def _partial(self, st: _Stage, now: float, *, interrupted: bool = False) -> SetResult:
        elapsed = min(max(0.0, self._effective(now) - st.start), st.duration)
        return self._result(st, elapsed, now, skipped=True, interrupted=interrupted)

    def _finish(self, st: _Stage, at: float) -> list[Event]:
        if st.phase != "work":
            return self._work(st.pos, at)
        return self._complete(self._result(st, st.duration, at, skipped=False), at)

    def _complete(self, result: SetResult, at: float) -> list[Event]:
        self.results.append(result)
        events: list[Event] = [SetCompleted(at, result)]
        pos = self._current.pos + 1
        if pos >= len(self.order):
            self._stage = _Stage("done", pos - 1, at, at, 0.0, (), FINISHED)
            self._paused_at = None
            end = FINISH_CUE
            return [
                *events,
                PhaseStarted(at, "done", None, 0.0, FINISHED),
                Cue(at + end.offset, end.text, end.sound, end.speak, end.rep),
                SessionFinished(at, quit=False),
            ]
        return events + self._lead_into(pos, at)

    def _lead_into(self, pos: int, at: float) -> list[Event]:
        prev = self.order[pos - 1] if pos else None
        kind = lead_in_kind(prev, self.order[pos])
        return self._begin(pos, at, self._schedule(pos).lead_ins[kind])

    def _work(self, pos: int, at: float) -> list[Event]:
        return self._begin(pos, at, self._schedule(pos).work)

    def _begin(self, pos: int, at: float, stage: StageSpec) -> list[Event]:
        if stage.phase != "work" and stage.duration <= 0:
            return self._work(pos, at)
        self._stage = _Stage(stage.phase, pos, at, at, stage.duration, stage.cues, stage.message)
        if self._paused_at is not None:  # skipped or went back while paused: stay paused here
            self._paused_at = at
        return [PhaseStarted(at, stage.phase, self.order[pos], stage.duration, stage.message)]
