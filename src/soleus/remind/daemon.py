"""The reminder loop: sample idle time, let the engine decide, notify, log.

Sleeps until the engine next needs a sample (at most ``poll_s``), waiting on the
notifier so that an answer wakes it at once. Before each decision it re-reads the
day's snacks done from the store (sessions and quick logs written by the CLI or the
web count at once, as they do on the pages). Every failure of a backend is logged
and survived; a heartbeat file in the data dir tells ``soleus remind status`` that
it runs and when the next nudge is due (``services/snacks/heartbeat.py``).
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from soleus.domain.snacks.engine import (
    Answer,
    Engine,
    Event,
    Expired,
    NaturalBreak,
    Nudge,
)
from soleus.domain.snacks.records import NewNudge, NudgeExpired, Record, SpanDone, to_records
from soleus.errors import SoleusError
from soleus.remind.idle import IdleError, IdleSource
from soleus.remind.notify import Action, Message, Notifier, NotifyError
from soleus.services.context import Context
from soleus.services.logs import inbox
from soleus.services.safety import advice as progress
from soleus.services.snacks import heartbeat
from soleus.services.snacks import records as snacks

SKIP_REASONS = (("meeting", "In a meeting"), ("pain", "Pain"))
SPAN_FLUSH_S = 300.0


@dataclass
class _Open:
    nudge_id: str
    handle: int | None
    routine: str = "desk"


@dataclass
class Daemon:
    ctx: Context
    engine: Engine
    idle: IdleSource
    notifier: Notifier
    poll_s: float = 30.0
    dry_run: bool = False
    start_command: str = ""
    log: Callable[[str], None] = print
    max_block_s: float | None = None  # tests with a fake clock cap the real waits
    launch: Callable[[list[str]], object] | None = None  # runs Start (default: Popen)
    _children: list[subprocess.Popen[bytes]] = field(default_factory=list)
    open: dict[int, _Open] = field(default_factory=dict)
    _sit_span: tuple[float, str] | None = None
    _sit_flushed: float = 0.0
    _last_tick: float | None = None
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    # -- one step ---------------------------------------------------------------------

    def now(self) -> float:
        return self.ctx.clock.now().timestamp()

    def tick(self) -> float:
        """Sample, decide, notify and log once; returns seconds until the next tick."""
        t = self.now()
        self._children = [p for p in self._children if p.poll() is None]
        self._sync(t)
        if self._last_tick is not None and t - self._last_tick > 3 * self.poll_s:
            self._handle(self.engine.gap(self._last_tick, t), t)
        self._last_tick = t
        try:
            idle = self.idle.idle_seconds()
        except IdleError as error:
            self.log(f"idle time unknown ({error}); counting you as active")
            idle = 0.0
        self._handle(self.engine.observe(t, idle), t)
        self._flush_sitting(t)
        nxt = self.engine.next_check(t)
        wait = max(1.0, min(self.poll_s, nxt - t))
        self._heartbeat(t)
        return wait

    def wait(self, seconds: float) -> None:
        """Sleep, but wake for the user's answers and handle them."""
        clock = self.ctx.clock
        start = clock.monotonic()
        block = seconds if self.max_block_s is None else min(seconds, self.max_block_s)
        try:
            actions = self.notifier.wait(block)
        except NotifyError as error:
            self.log(f"notifier: {error}")
            actions = []
        for action in actions:
            self.on_action(action)
        left = seconds - (clock.monotonic() - start)
        if not actions and left > 0:
            clock.sleep(left)

    def run(self, *, once: bool = False, ticks: int | None = None) -> None:
        count = 0
        try:
            while True:
                seconds = self.tick()
                count += 1
                if once or (ticks is not None and count >= ticks):
                    return
                self.wait(seconds)
        finally:
            self._flush_sitting(self.now(), force=True)

    def _sync(self, t: float) -> None:
        """Count what was done today as the pages do: the store's snacks done.

        Other processes log sessions and quick logs (the web app, ``soleus session``;
        ``soleus log`` through the inbox, taken in here as by any command that opens
        the store), so the engine's own count of Start answers falls behind. One
        small read per decision; across midnight the engine rolls to the new day
        first, so that the count read is the new day's.
        """
        engine = self.engine
        if engine.day != self.ctx.local_date(_dt(t)):
            engine.roll(t)  # what observe() does first; it zeroes the day's counts
        try:
            inbox.drain(self.ctx)
        except (SoleusError, OSError) as error:
            self.log(f"could not take in quick logs: {error}")
        try:
            done = snacks.day_history(self.ctx, engine.day)
        except SoleusError as error:  # a locked database: decide on what we know
            self.log(f"could not read today's snacks: {error}")
            return
        if self.dry_run and engine.taken > done.taken:
            return  # a dry run logs no answers: its own Start answers stand
        engine.sync_done(done.taken, done.last_taken)
        try:
            engine.sync_stopped(not progress.day_state(self.ctx).allows_exercise)
        except SoleusError as error:
            self.log(f"could not read today's safety answers and pain: {error}")

    # -- events -----------------------------------------------------------------------

    def _handle(self, events: list[Event], t: float) -> None:
        for event in events:
            try:
                self._one(event, t)
            except SoleusError as error:  # a locked database, a broken notifier
                self.log(f"could not log {type(event).__name__}: {error}")

    def _one(self, event: Event, t: float) -> None:
        """Store what the event means (the rule every driver shares), then tell the user."""
        ctx = self.ctx
        sit = self._sit_span
        records = to_records([event], logged=self.open, sitting_start=sit[0] if sit else None)
        for rec in records:
            self._store(rec)
        if isinstance(event, Nudge):
            self._show(event)
        elif isinstance(event, NaturalBreak):
            minutes = (event.end - event.start) / 60
            self.log(f"{_hm(ctx, event.end)} natural break of {minutes:.0f} min")
        elif isinstance(event, Expired):
            entry = self.open.pop(event.number, None)
            self.log(f"{_hm(ctx, t)} nudge {event.number} went unanswered")
            if entry is not None and entry.handle is not None:
                self.notifier.close(entry.handle)

    def _store(self, rec: Record) -> None:
        ctx = self.ctx
        if isinstance(rec, NewNudge):
            nudge = rec.nudge
            nudge_id = "dry-run" if self.dry_run else snacks.store(ctx, rec)
            assert nudge_id is not None
            self.open[nudge.number] = _Open(nudge_id, None, nudge.suggestion.routine)
            return
        if isinstance(rec, SpanDone) and rec.kind == "sitting":
            span_id = self._sit_span[1] if self._sit_span is not None else None
            self._sit_span = None
        else:
            span_id = None
        if self.dry_run:
            return
        if isinstance(rec, NudgeExpired):
            entry = self.open.get(rec.number)
            if entry is not None:
                snacks.store(ctx, rec, nudge_id=entry.nudge_id)
        else:
            snacks.store(ctx, rec, span_id=span_id)

    def _show(self, nudge: Nudge) -> None:
        ctx = self.ctx
        tip = nudge.suggestion
        why = (
            f"You have sat for {nudge.sitting_s / 60:.0f} min."
            if nudge.reason == "sitting"
            else f"Snack {self.engine.taken + 1} of {self.engine.policy.target} today."
        )
        actions: list[tuple[str, str]] = [("start", "Start")]
        if nudge.snoozes_left > 0:
            actions.append(("snooze", f"Snooze {self.engine.policy.snooze_s / 60:.0f} min"))
        if self.engine.policy.strict:
            actions += [(f"skip:{key}", f"Skip: {label}") for key, label in SKIP_REASONS]
        else:
            actions.append(("skip", "Skip"))
        message = Message(f"Exercise snack: {tip.title}", f"{why} {tip.text}", tuple(actions))
        entry = self.open[nudge.number]  # _store opened it with the nudge's first showing
        self.log(
            f"{_hm(ctx, nudge.at)} nudge {nudge.number}"
            f"{' again' if nudge.repeat else ''} ({nudge.reason}): {tip.title}"
        )
        try:
            entry.handle = self.notifier.show(message)
        except NotifyError as error:
            self.log(f"could not show the nudge ({error})")

    def on_action(self, action: Action) -> None:
        """The user answered a notification: Start, Snooze or Skip."""
        number = next((n for n, e in self.open.items() if e.handle == action.handle), None)
        if number is None or self.engine.pending is None:
            return
        key, _, reason = action.key.partition(":")
        answers: dict[str, Answer] = {
            "start": "taken",
            "default": "taken",
            "snooze": "snoozed",
            "skip": "skipped",
        }
        answer = answers.get(key)
        if answer is None:
            return
        self.answer(number, answer, reason)

    def answer(self, number: int, answer: Answer, reason: str = "") -> None:
        t = self.now()
        entry = self.open[number]
        try:
            events = self.engine.answer(t, answer, reason)
        except SoleusError as error:
            self.log(f"answer refused: {error}")
            return
        self.log(f"{_hm(self.ctx, t)} nudge {number}: {answer}{f' ({reason})' if reason else ''}")
        if answer != "snoozed":
            self.open.pop(number, None)
            if entry.handle is not None:
                self.notifier.close(entry.handle)
        if not self.dry_run:
            try:
                snacks.record_answer(self.ctx, entry.nudge_id, answer, _dt(t), reason)
            except SoleusError as error:
                self.log(f"could not log the answer: {error}")
        self._handle(events, t)
        if answer == "taken":
            self._start(entry)

    def _start(self, entry: _Open) -> None:
        """Start opens the player: ``start_command``, else a terminal emulator if any."""
        if self.dry_run:
            return
        template = self.start_command
        if not template and shutil.which("x-terminal-emulator"):
            template = "x-terminal-emulator -e soleus session {routine}"
        if not template:
            self.log(f"start it yourself: soleus session {entry.routine}")
            return
        command = template.replace("{routine}", shlex.quote(entry.routine))
        try:
            if self.launch is not None:
                self.launch(shlex.split(command))
            else:
                self._children.append(
                    subprocess.Popen(shlex.split(command), start_new_session=True)
                )
        except OSError as error:
            self.log(f"could not start {command!r} ({error})")

    # -- bookkeeping ------------------------------------------------------------------

    def _flush_sitting(self, t: float, *, force: bool = False) -> None:
        """Keep the sitting stretch in progress in the store (in case we are killed)."""
        start = self.engine.sit_start
        end = self.engine.last_input
        if start is None or end is None or end <= start or self.dry_run:
            return
        if not force and t - self._sit_flushed < SPAN_FLUSH_S:
            return
        span_id = self._sit_span[1] if self._sit_span and self._sit_span[0] == start else None
        try:
            span_id = snacks.record_span(self.ctx, "sitting", _dt(start), _dt(end), span_id)
        except SoleusError as error:
            self.log(f"could not log sitting time: {error}")
            return
        self._sit_span = (start, span_id)
        self._sit_flushed = t

    def _heartbeat(self, t: float) -> None:
        due = self.engine.next_due()
        data: dict[str, Any] = {
            "pid": os.getpid(),
            "started_at": self.started_at.isoformat(),
            "heartbeat_at": _dt(t).isoformat(),
            "poll_s": self.poll_s,
            "idle_backend": self.idle.name,
            "notifier": self.notifier.name,
            "next_due": _dt(due[0]).isoformat() if due else None,
            "next_reason": due[1] if due else None,
            "sitting_since": _dt(self.engine.sit_start).isoformat()
            if self.engine.sit_start
            else None,
            "taken_today": self.engine.taken,
            "target": self.engine.policy.target,
            "dry_run": self.dry_run,
        }
        try:
            heartbeat.write(self.ctx, data)
        except OSError as error:
            self.log(f"cannot write {heartbeat.heartbeat_path(self.ctx)} ({error})")

    def remove_heartbeat(self) -> None:
        heartbeat.remove(self.ctx, os.getpid())


def _dt(t: float) -> datetime:
    return datetime.fromtimestamp(t, UTC)


def _hm(ctx: Context, t: float) -> str:
    return _dt(t).astimezone(ctx.tz).strftime("%H:%M")
