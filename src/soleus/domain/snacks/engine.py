"""The reminder engine: idle samples in, nudges and breaks out.

A sample says "at time t the user has been idle for s seconds". The engine keeps the
current sitting stretch (continuous activity; pauses shorter than ``break_s`` still
count as sitting), notices natural breaks (idle >= ``break_s``), and decides when a
nudge is due:

- after ``interval_s`` of continuous sitting, or
- at the next planned snack slot while the daily target is not met (the remaining
  snacks spread over the remaining working time), as long as the user is at the desk;
- never outside working hours or in quiet time, never two new nudges closer than
  ``interval_s``, and none before the person has been at the desk for ``interval_s``
  today (the first use of the day included: a day's pace never nudges someone who
  just sat down); a snoozed nudge comes back after ``snooze_s`` (at most
  ``snooze_limit`` times) under the same number.

Times are POSIX seconds (floats); the caller converts from its clock. The engine
never reads the clock: :meth:`Engine.next_check` says when, at the latest, it needs
the next sample, which is how the daemon sleeps and how a year is simulated quickly.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from typing import Literal

from soleus.domain.snacks.bouts import DayHistory
from soleus.domain.snacks.menu import Menu, Suggestion, suggest
from soleus.domain.snacks.policy import (
    Interval,
    RemindPolicy,
    advance_available,
    available_between,
    in_windows,
    next_available,
)
from soleus.errors import SoleusError

Reason = Literal["sitting", "target"]
Answer = Literal["taken", "skipped", "snoozed"]


@dataclass(frozen=True)
class Nudge:
    """Time to move. ``repeat`` marks the return of a snoozed nudge."""

    at: float
    number: int
    reason: Reason
    sitting_s: float
    snoozes_left: int
    suggestion: Suggestion
    repeat: bool = False


@dataclass(frozen=True)
class NaturalBreak:
    start: float
    end: float


@dataclass(frozen=True)
class SittingSpan:
    """A stretch of continuous sitting that just ended (a break or a snack)."""

    start: float
    end: float


@dataclass(frozen=True)
class Expired:
    """A nudge nobody answered within ``answer_timeout_s``."""

    at: float
    number: int


Event = Nudge | NaturalBreak | SittingSpan | Expired


@dataclass
class _Pending:
    number: int
    reason: Reason
    prompted: float
    snoozes: int = 0
    again_at: float | None = None


class Engine:
    def __init__(
        self,
        policy: RemindPolicy,
        tz: tzinfo,
        *,
        menu: Menu | None = None,
        history: DayHistory | None = None,
        today: date | None = None,
    ) -> None:
        self.policy = policy
        self.tz = tz
        self.menu = menu or Menu()
        self.day: date | None = None
        self.windows: list[Interval] = []
        self._day_end = -math.inf
        self.nudges = 0
        self.taken = 0
        self.last_nudge: float | None = None
        self.last_taken: float | None = None
        self.last_sample: float | None = None
        self.last_input: float | None = None
        # The day's first input: no nudge comes sooner than interval_s after it.
        self.first_input: float | None = None
        self.sit_start: float | None = None
        self.break_start: float | None = None
        self.pending: _Pending | None = None
        # A stop day (a failed red-flag screen, or pain above the stop threshold after
        # exercise): no nudges until the next local day.
        self.stopped = False
        if history is not None and today is not None:
            self._set_day(today)
            self.nudges, self.taken = history.nudges, history.taken
            self.last_nudge, self.last_taken = history.last_nudge, history.last_taken
            self.first_input = history.first_input

    # -- days -------------------------------------------------------------------------

    def _set_day(self, day: date) -> None:
        self.day = day
        self.windows = self.policy.day_windows(day, self.tz)
        self._day_end = datetime.combine(day, datetime.max.time(), tzinfo=self.tz).timestamp()

    def _day_start(self) -> float:
        assert self.day is not None
        return datetime.combine(self.day, datetime.min.time(), tzinfo=self.tz).timestamp()

    def roll(self, t: float) -> None:
        """Move to the local day of ``t``; a new day starts with no snacks counted."""
        if t <= self._day_end and self.day is not None:
            return
        self._set_day(datetime.fromtimestamp(t, UTC).astimezone(self.tz).date())
        self.nudges = self.taken = 0
        self.last_taken = None
        self.first_input = None
        self.pending = None
        self.stopped = False

    def sync_done(self, taken: int, last_taken: float | None) -> None:
        """Snacks done today as counted elsewhere (sessions and quick logs in the store).

        Once they meet the target, a snoozed *target* nudge is withdrawn instead of
        coming back: what it asked for has been done. (One on screen stays until it is
        answered or expires.)
        """
        self.taken, self.last_taken = taken, last_taken
        pend = self.pending
        if (
            pend is not None
            and pend.again_at is not None
            and pend.reason == "target"
            and taken >= self.policy.target
        ):
            self.pending = None

    def sync_stopped(self, stopped: bool) -> None:
        """Today is a stop day (as decided elsewhere): withdraw any nudge, make no more."""
        self.stopped = stopped
        if stopped:
            self.pending = None

    # -- samples ----------------------------------------------------------------------

    def observe(self, t: float, idle_s: float) -> list[Event]:
        """Take one idle sample and return what happened because of it."""
        events: list[Event] = []
        self.roll(t)
        p = self.policy
        idle_s = max(0.0, idle_s)
        last_input = t - idle_s
        if self.last_input is not None:
            last_input = max(last_input, min(self.last_input, t))
        self.last_input = last_input
        self.last_sample = t
        if idle_s >= p.break_s:
            if self.break_start is None:
                self._start_break(last_input, events)
        elif self.break_start is not None:
            events.append(NaturalBreak(self.break_start, last_input))
            self.break_start = None
            self.sit_start = last_input
        elif self.sit_start is None:
            self.sit_start = last_input
        if self.first_input is None and self.sit_start is not None:
            self.first_input = max(self.sit_start, self._day_start())
        self._decide(t, events)
        return events

    def gap(self, start: float, end: float) -> list[Event]:
        """No samples from ``start`` to ``end`` (suspend, a stalled loop).

        A gap of at least ``break_s`` counts as a natural break; the next sample with
        input ends it.
        """
        events: list[Event] = []
        if end - start >= self.policy.break_s and self.break_start is None:
            self._start_break(start, events)
        return events

    def _start_break(self, at: float, events: list[Event]) -> None:
        if self.sit_start is not None and at > self.sit_start:
            events.append(SittingSpan(self.sit_start, at))
        self.sit_start = None
        if self.break_start is None:
            self.break_start = at

    # -- decisions --------------------------------------------------------------------

    def next_due(self) -> tuple[float, Reason, bool] | None:
        """(when, why, is a snoozed repeat) of the next nudge if the user keeps sitting."""
        p, w = self.policy, self.windows
        if self.stopped:
            return None
        pend = self.pending
        if pend is not None:
            if pend.again_at is None:
                return None
            at = next_available(w, pend.again_at)
            return None if at is None else (at, pend.reason, True)
        if self.sit_start is None or self.break_start is not None:
            return None
        if p.stop_at_target and self.taken >= p.target:
            return None
        due = self.sit_start + p.interval_s
        reason: Reason = "sitting"
        slot = self.next_slot()
        if slot is not None and slot < due:
            due, reason = slot, "target"
        if self.last_nudge is not None:
            due = max(due, self.last_nudge + p.interval_s)
        # Wait one interval after the day's first input: being behind the day's pace
        # is no reason to nudge someone who has only just arrived.
        first = self.first_input if self.first_input is not None else self.sit_start
        due = max(due, first + p.interval_s)
        at = next_available(w, due)
        return None if at is None else (at, reason, False)

    def next_slot(self) -> float | None:
        """When the next snack is planned: what is owed, spread over what is left."""
        owed = self.policy.target - self.taken
        if owed <= 0 or not self.windows:
            return None
        w = self.windows
        if self.last_taken is not None:
            anchor = self.last_taken
            step = available_between(w, anchor, math.inf) / (owed + 0.5)
        else:
            anchor = w[0][0]
            step = available_between(w, anchor, math.inf) / (2 * owed)
        if step <= 0:
            return None
        return advance_available(w, anchor, step)

    def next_check(self, t: float) -> float:
        """The latest time the engine needs another sample (absent user input)."""
        cands = [self._day_end + 1e-3]
        due = self.next_due()
        if due is not None:
            at = due[0] if due[0] >= t else next_available(self.windows, t)
            if at is not None:
                cands.append(at)
        if self.pending is not None and self.pending.again_at is None:
            cands.append(self.pending.prompted + self.policy.answer_timeout_s)
        if self.break_start is None and self.last_input is not None:
            cands.append(self.last_input + self.policy.break_s)
        return max(t, min(cands))

    def _decide(self, t: float, events: list[Event]) -> None:
        p = self.policy
        pend = self.pending
        if self.stopped:
            return
        if pend is not None and pend.again_at is None:
            if t >= pend.prompted + p.answer_timeout_s:
                events.append(Expired(t, pend.number))
                self.pending = None
            else:
                return
        due = self.next_due()
        if due is None or t < due[0] or not in_windows(self.windows, t):
            return
        _, reason, repeat = due
        sitting = 0.0 if self.sit_start is None else t - self.sit_start
        if repeat:
            assert self.pending is not None
            pend = self.pending
            pend.again_at = None
            pend.prompted = t
        else:
            self.nudges += 1
            self.last_nudge = t
            pend = self.pending = _Pending(self.nudges, reason, t)
        events.append(
            Nudge(
                at=t,
                number=pend.number,
                reason=pend.reason,
                sitting_s=sitting,
                snoozes_left=p.snooze_limit - pend.snoozes,
                suggestion=suggest(p, pend.number, self.menu),
                repeat=repeat,
            )
        )

    # -- answers ----------------------------------------------------------------------

    def answer(self, t: float, answer: Answer, reason: str = "") -> list[Event]:
        """The user's answer to the pending nudge (Start = ``taken``)."""
        pend = self.pending
        if pend is None:
            raise SoleusError("no reminder is waiting for an answer")
        events: list[Event] = []
        if answer == "snoozed":
            if pend.snoozes >= self.policy.snooze_limit:
                raise SoleusError(f"no snoozes left (limit {self.policy.snooze_limit})")
            pend.snoozes += 1
            pend.again_at = t + self.policy.snooze_s
            return events
        if answer == "skipped" and self.policy.strict and not reason.strip():
            raise SoleusError("strict mode: say why you skip")
        self.pending = None
        if answer == "taken":
            self.taken += 1
            self.last_taken = t
        if self.sit_start is not None and t > self.sit_start:
            events.append(SittingSpan(self.sit_start, t))
        if self.break_start is None:
            self.sit_start = t
        return events


# -- fast simulation ------------------------------------------------------------------

Responder = Callable[[Nudge], tuple[Answer, str] | None]


def simulate(
    engine: Engine,
    runs: Iterable[tuple[float, float, bool]],
    respond: Responder,
    *,
    step: float = 1.0,
) -> Iterator[Event]:
    """Feed runs of samples taken every ``step`` seconds and yield every event.

    Each run ``(start, end, active)`` stands for the samples ``start, start+step, ...``
    before ``end``: input at every sample when active, none when idle. The result is
    the same as calling :meth:`Engine.observe` for each sample, but the engine is only
    sampled when :meth:`Engine.next_check` says something can change. ``respond``
    answers each nudge right away (or returns None to leave it open).
    """
    quiet_since: float | None = None
    for start, end, active in runs:
        if end <= start:
            continue
        if active:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = start - step
        t = start
        while t < end:
            idle = 0.0 if quiet_since is None else t - quiet_since
            for event in engine.observe(t, idle):
                yield event
                if isinstance(event, Nudge):
                    answer = respond(event)
                    if answer is not None:
                        yield from engine.answer(t, *answer)
            nxt = engine.next_check(t)
            if nxt <= t:
                nxt = t + step
            t = start + math.ceil((nxt - start) / step - 1e-9) * step
