"""The guided session in the terminal: a full-screen Rich view driven by the pure Player.

One thread, no busy polling: the loop waits on the keyboard (``select``) until the
next cue or redraw is due, fires the cues that fell due (bell, speech), hands each
completed set to ``on_set`` at once (the caller saves it), then redraws.

When stdout is not a terminal it prints plain lines instead (pipe- and test-friendly).
"""

from __future__ import annotations

import contextlib
import gc
import math
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from types import FrameType
from typing import IO, Any, ClassVar, Protocol

from rich.console import Console
from rich.live import Live

from soleus.cli.common import console as make_console
from soleus.cli.player_screen import describe_set, render
from soleus.cli.sound import CueSink, make_sound
from soleus.domain.clock import Clock
from soleus.domain.player import (
    Cue,
    Event,
    PhaseStarted,
    Player,
    SessionFinished,
    SetCompleted,
    SetResult,
    Snapshot,
)
from soleus.domain.routine import Plan
from soleus.services.sessions.player import player_settings
from soleus.settings import Settings

# A cue this late is not worth a sound any more (still shown and logged).
STALE_S = 0.5
ACTIONS = {
    " ": "toggle_pause", "p": "toggle_pause",
    "right": "skip", "s": "skip", "n": "skip",
    "left": "back", "b": "back",
    "q": "quit", "escape": "quit",
}  # fmt: skip


SUSPENDED = "suspended"  # what TerminalKeys.read gives once back from Ctrl-Z
# Leave the alternate screen and show the cursor; and back.
_LEAVE_SCREEN = "\x1b[?25h\x1b[?1049l"
_ENTER_SCREEN = "\x1b[?1049h\x1b[?25l"


@dataclass(frozen=True)
class PlayerOutcome:
    finished: bool  # False when the user quit
    results: tuple[SetResult, ...]


class KeySource(Protocol):
    def read(self, timeout: float) -> str | None:
        """Wait up to ``timeout`` seconds for a key; its name (" ", "q", "left", …) or None."""
        ...


class SleepKeys:
    """No keyboard (stdin is not a terminal): just wait on the clock."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock

    def read(self, timeout: float) -> str | None:
        self.clock.sleep(timeout)
        return None


class ScriptedKeys:
    """Keys pressed at given monotonic times, on a clock that ``sleep`` advances (tests)."""

    def __init__(self, clock: Clock, presses: Sequence[tuple[float, str]]) -> None:
        self.clock = clock
        self.presses = sorted(presses)

    def read(self, timeout: float) -> str | None:
        now = self.clock.monotonic()
        if self.presses and self.presses[0][0] <= now + timeout:
            at, key = self.presses.pop(0)
            self.clock.sleep(max(0.0, at - now))
            return key
        self.clock.sleep(timeout)
        return None


class TerminalKeys:
    """Keys from a terminal in cbreak mode; ``select`` gives an exact timeout."""

    _ARROWS: ClassVar[dict[bytes, str]] = {
        b"\x1b[C": "right",
        b"\x1b[D": "left",
        b"\x1bOC": "right",
        b"\x1bOD": "left",
    }

    def __init__(self, stream: IO[str], clock: Clock, screen: IO[str] | None = None) -> None:
        self.fd = stream.fileno()
        self.clock = clock
        self.screen = screen  # the full-screen view's terminal, left and re-entered on Ctrl-Z
        self._pending: list[str] = []
        self._wake: tuple[int, int] | None = None  # a pipe the signal handlers write to
        self.suspended_at: float | None = None

    def read(self, timeout: float) -> str | None:
        """A key, or ``SUSPENDED`` once the program is back from Ctrl-Z (or any stop)."""
        import select

        if self._wake is not None and self._drain():
            return SUSPENDED
        if self._pending:
            return self._pending.pop(0)
        fds = [self.fd] + ([self._wake[0]] if self._wake else [])
        ready, _, _ = select.select(fds, [], [], max(0.0, timeout))
        if self._wake is not None and self._drain():
            return SUSPENDED
        if not ready:
            return None
        data = os.read(self.fd, 64)
        self._pending = self._parse(data)
        return self._pending.pop(0) if self._pending else ""

    def _parse(self, data: bytes) -> list[str]:
        keys: list[str] = []
        while data:
            for seq, name in self._ARROWS.items():
                if data.startswith(seq):
                    keys.append(name)
                    data = data[len(seq) :]
                    break
            else:
                if data.startswith(b"\x1b["):  # another escape sequence: ignore it whole
                    data = data.lstrip(b"\x1b[0123456789;")[1:]
                    continue
                keys.append("escape" if data[:1] == b"\x1b" else chr(data[0]).lower())
                data = data[1:]
        return keys

    def _drain(self) -> bool:
        assert self._wake is not None
        try:
            return bool(os.read(self._wake[0], 64))
        except BlockingIOError:
            return False

    @contextmanager
    def raw(self) -> Iterator[None]:
        """cbreak mode (keys at once, no echo) restored on exit, on errors and on SIGTERM;
        on Ctrl-Z the terminal is given back as it was, and taken again on ``fg``."""
        import termios
        import tty

        saved = termios.tcgetattr(self.fd)

        def on_term(signum: int, frame: FrameType | None) -> None:
            raise SystemExit(128 + signum)

        def on_stop(signum: int, frame: FrameType | None) -> None:
            at = self.clock.monotonic()
            termios.tcsetattr(self.fd, termios.TCSADRAIN, saved)
            self._write(_LEAVE_SCREEN)
            signal.signal(signal.SIGTSTP, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGTSTP)  # stopped here until `fg`
            signal.signal(signal.SIGTSTP, on_stop)
            if self.suspended_at is None:
                self.suspended_at = at
            on_continue(signal.SIGCONT, frame)

        def on_continue(signum: int, frame: FrameType | None) -> None:
            tty.setcbreak(self.fd)
            self._write(_ENTER_SCREEN)
            if self._wake is not None:
                os.write(self._wake[1], b"c")

        self._wake = os.pipe()
        for end in self._wake:
            os.set_blocking(end, False)
        handlers = {signal.SIGTERM: on_term, signal.SIGTSTP: on_stop, signal.SIGCONT: on_continue}
        previous: dict[signal.Signals, Any] = {}
        try:
            for signum, handler in handlers.items():
                previous[signum] = signal.signal(signum, handler)
        except ValueError:  # not the main thread
            pass
        try:
            tty.setcbreak(self.fd)
            yield
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
            termios.tcsetattr(self.fd, termios.TCSADRAIN, saved)
            for end in self._wake:
                os.close(end)
            self._wake = None

    def _write(self, codes: str) -> None:
        if self.screen is not None:
            with contextlib.suppress(OSError, ValueError):
                self.screen.write(codes)
                self.screen.flush()

    def take_suspended(self) -> float | None:
        """When the program was last stopped by Ctrl-Z (``None`` for a stop from elsewhere)."""
        at, self.suspended_at = self.suspended_at, None
        return at


def run_player(
    plan: Plan,
    *,
    clock: Clock,
    settings: Settings,
    on_set: Callable[[SetResult], None],
    done: frozenset[int] = frozenset(),
    keys: KeySource | None = None,
    console: Console | None = None,
    sound: CueSink | None = None,
) -> PlayerOutcome:
    """Play ``plan`` (minus the plan indices in ``done``) until it ends or the user quits.

    ``on_set`` is called with every completed (or skipped) set the moment it happens;
    a redone set is reported again with the same plan index: keep the latest.
    """
    console = console or make_console()
    live = console.is_terminal
    if keys is None:
        screen_out = console.file if live else None
        terminal = sys.stdin.isatty()
        keys = TerminalKeys(sys.stdin, clock, screen_out) if terminal else SleepKeys(clock)
    if sound is None:
        bell_out = console.file if live else None
        sound = make_sound(bell=settings.sound, speech=settings.speech, out=bell_out)
    player = Player(plan, settings=player_settings(settings), done=done)
    results: list[SetResult] = []
    raw = keys.raw() if isinstance(keys, TerminalKeys) else nullcontext()
    screen = (
        Live(
            console=console,
            screen=True,
            auto_refresh=False,
            transient=True,
            redirect_stdout=False,
            redirect_stderr=False,
        )
        if live
        else nullcontext()
    )
    printer = _Printer(console, plan) if not live else None
    render_cost = 0.01  # worst recent redraw, decaying: never draw into a cue's time
    finished = False
    gc.freeze()  # a full collection over every imported object would delay cues by ms
    try:
        with raw, screen as view:
            last = clock.monotonic()  # the latest time the player was given
            events = player.start(last)
            while True:
                now = clock.monotonic()
                finished = _handle(events, now, sound, printer, on_set, results) or finished
                if player.finished:
                    break
                deadline = player.next_deadline()
                if isinstance(view, Live):
                    snap = player.snapshot(now)
                    if deadline is None or deadline - now > 2 * render_cost + 0.005:
                        view.update(render(snap, plan, player.order), refresh=True)
                        render_cost = max(0.99 * render_cost, clock.monotonic() - now)
                    wake = _next_redraw(snap, now)
                    deadline = wake if deadline is None else min(deadline, wake)
                now = clock.monotonic()
                timeout = 3600.0 if deadline is None else max(0.0, deadline - now)
                key = keys.read(timeout)
                now = clock.monotonic()
                stopped_at = keys.take_suspended() if isinstance(keys, TerminalKeys) else None
                if stopped_at is not None and not player.paused:
                    # Back from Ctrl-Z: paused as of the stop, so the stop is no work time.
                    events = player.pause(max(stopped_at, last))
                else:
                    action = ACTIONS.get(key or "")
                    events = getattr(player, action)(now) if action else player.tick(now)
                last = max(last, now)
    except KeyboardInterrupt:
        events = player.quit(clock.monotonic())
        _handle(events, clock.monotonic(), sound, printer, on_set, results)
    finally:
        gc.unfreeze()
        sound.close(wait_s=2.0 if finished else 0.0)
    return PlayerOutcome(finished, tuple(results))


def _handle(
    events: list[Event],
    now: float,
    sound: CueSink,
    printer: _Printer | None,
    on_set: Callable[[SetResult], None],
    results: list[SetResult],
) -> bool:
    """Fire what fell due; True when the session ran to its end."""
    fresh = [e for e in events if isinstance(e, Cue) and now - e.at <= STALE_S]
    if fresh:
        sound.play(fresh)
    finished = False
    for event in events:
        if isinstance(event, SetCompleted):
            results.append(event.result)
            on_set(event.result)
        elif isinstance(event, SessionFinished):
            finished = not event.quit
        if printer is not None:
            printer.show(event)
    return finished


def _next_redraw(snap: Snapshot, now: float) -> float:
    """Smooth for the tempo bar, else when the big countdown's number changes."""
    if snap.paused:
        return now + 3600.0
    if snap.tempo is not None:
        return now + 1 / 20
    left = snap.seconds_left
    return now + min(0.25, left - math.floor(left) or 1.0) + 0.001


class _Printer:
    """Plain lines for a pipe or a dumb terminal: phases, spoken cues, results."""

    def __init__(self, console: Console, plan: Plan) -> None:
        self.console = console
        self.plan = plan
        self.t0: float | None = None

    def _line(self, at: float, text: str) -> None:
        self.t0 = at if self.t0 is None else self.t0
        minutes, seconds = divmod(int(at - self.t0), 60)
        self.console.print(f"{minutes:02d}:{seconds:02d} {text}", highlight=False, markup=False)
        self.console.file.flush()

    def show(self, event: Event) -> None:
        if isinstance(event, PhaseStarted) and event.phase != "done":
            if event.phase == "work" and event.planned is not None:
                self._line(event.at, f"== {describe_set(event.planned)}")
        elif isinstance(event, Cue):
            if event.speak or event.sound in ("up", "top", "down"):
                rep = f" ({event.rep})" if event.rep and event.sound != "go" else ""
                self._line(event.at, f"   {event.text}{rep}")
        elif isinstance(event, SetCompleted):
            self._line(event.at, f"   {describe_result(event.result)}")
        elif isinstance(event, SessionFinished):
            word = "Stopped" if event.quit else "Session done"
            self._line(event.at, f"{word}.")


def describe_result(result: SetResult) -> str:
    parts = []
    if result.reps_done is not None:
        unit = "cycles" if result.planned.dosage.kind == "bout" else "reps"
        parts.append(f"{result.reps_done} {unit}")
    if result.seconds_done is not None:
        parts.append(f"{result.seconds_done:.0f} s")
    what = ", ".join(parts)
    if result.interrupted:
        return f"stopped after {what}"
    return f"skipped after {what}" if result.skipped else f"done: {what}"
