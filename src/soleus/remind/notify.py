"""Showing a nudge and hearing the answer: desktop notifications over D-Bus
(``org.freedesktop.Notifications``, with actions where the server supports them),
the terminal as a fallback, and an in-memory notifier for tests."""

from __future__ import annotations

import contextlib
import os
import select
import sys
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, TextIO

from soleus.errors import SoleusError
from soleus.remind.bus import Bus, BusError

APP_NAME = "soleus"


class NotifyError(SoleusError):
    """A notification could not be shown."""


@dataclass(frozen=True)
class Message:
    title: str
    body: str
    actions: tuple[tuple[str, str], ...]  # (key, label): start, snooze, skip, skip:<reason>


@dataclass(frozen=True)
class Action:
    """The user chose ``key`` on the notification ``handle``."""

    handle: int
    key: str


class Notifier(Protocol):
    name: str

    def show(self, message: Message) -> int:
        """Show a notification; returns its handle. Raises NotifyError."""
        ...

    def close(self, handle: int) -> None: ...

    def wait(self, timeout: float) -> list[Action]:
        """Block up to ``timeout`` seconds for the user's answers."""
        ...


class DbusNotifier:
    """``org.freedesktop.Notifications``: Notify, ActionInvoked, NotificationClosed."""

    name = "dbus"
    DEST = "org.freedesktop.Notifications"
    PATH = "/org/freedesktop/Notifications"

    def __init__(self, bus: Bus) -> None:
        self.bus = bus
        self.server = "?"
        self.capabilities: tuple[str, ...] = ()
        try:
            info = self._call("GetServerInformation")
            self.server = f"{info[0]} {info[2]}"
            (caps,) = self._call("GetCapabilities")
            self.capabilities = tuple(caps)
            self._actions = bus.subscribe(interface=self.DEST, member="ActionInvoked")
        except BusError as error:
            raise NotifyError(f"no notification server ({error})") from None
        self.shown: set[int] = set()

    @property
    def supports_actions(self) -> bool:
        return "actions" in self.capabilities

    def _call(self, method: str, signature: str | None = None, body: tuple[Any, ...] = ()) -> Any:
        return self.bus.call(self.DEST, self.PATH, self.DEST, method, signature, body)

    def show(self, message: Message) -> int:
        actions: list[str] = []
        if self.supports_actions:
            for key, label in message.actions:
                actions += [key, label]
        hints = {
            "urgency": ("y", 1),
            "category": ("s", "x-soleus.reminder"),
            "resident": ("b", True),
        }
        try:
            (handle,) = self._call(
                "Notify",
                "susssasa{sv}i",
                (APP_NAME, 0, "", message.title, message.body, actions, hints, 0),
            )
        except BusError as error:
            raise NotifyError(str(error)) from None
        self.shown.add(int(handle))
        return int(handle)

    def close(self, handle: int) -> None:
        with contextlib.suppress(BusError):
            self._call("CloseNotification", "u", (handle,))
        self.shown.discard(handle)

    def wait(self, timeout: float) -> list[Action]:
        try:
            self.bus.wait([self._actions], timeout)
        except BusError as error:
            raise NotifyError(str(error)) from None
        out = []
        while self._actions:
            msg = self._actions.popleft()
            handle, key = msg.body
            if int(handle) in self.shown:
                out.append(Action(int(handle), str(key)))
        return out


class TerminalNotifier:
    """Prints the nudge with a bell; on a terminal, reads one-letter answers."""

    name = "terminal"

    def __init__(self, out: TextIO | None = None, inp: TextIO | None = None) -> None:
        self.out = out or sys.stdout
        self.inp = inp if inp is not None else sys.stdin
        self._next = 1
        self._open: int | None = None
        self._keys: dict[str, str] = {}
        try:
            self.interactive = bool(self.inp.isatty()) and os.name == "posix"
        except (AttributeError, ValueError):
            self.interactive = False

    def show(self, message: Message) -> int:
        handle, self._next = self._next, self._next + 1
        self._open = handle
        self._keys = {}
        choices = []
        for key, label in message.actions:
            letter = next(
                c
                for c in label.lower() + "abcdefghijklmnopqrstuvwxyz"
                if c.isalpha() and c not in self._keys
            )
            self._keys[letter] = key
            choices.append(f"[{letter}] {label}")
        try:
            bell = "\a" if os.environ.get("TERM") != "dumb" else ""
            print(f"{bell}{message.title}: {message.body}", file=self.out)
            if self.interactive and choices:
                print("  " + "  ".join(choices), file=self.out)
            self.out.flush()
        except OSError as error:
            raise NotifyError(f"cannot write to the terminal ({error})") from None
        return handle

    def close(self, handle: int) -> None:
        if self._open == handle:
            self._open = None

    def wait(self, timeout: float) -> list[Action]:
        if not (self.interactive and self._open is not None):
            time.sleep(max(0.0, timeout))
            return []
        ready, _, _ = select.select([self.inp], [], [], max(0.0, timeout))
        if not ready:
            return []
        answer = self.inp.readline().strip().lower()[:1]
        key = self._keys.get(answer)
        if key is None:
            return []
        return [Action(self._open, key)]


@dataclass
class MemoryNotifier:
    """For tests: records what was shown, answers with a scripted function."""

    name: str = "memory"
    answer: Callable[[Message], str | None] = lambda _m: None
    fail: bool = False
    shown: list[Message] = field(default_factory=list)
    _queue: deque[Action] = field(default_factory=deque)

    def show(self, message: Message) -> int:
        if self.fail:
            raise NotifyError("the notification server went away")
        self.shown.append(message)
        handle = len(self.shown)
        key = self.answer(message)
        if key is not None:
            self._queue.append(Action(handle, key))
        return handle

    def close(self, handle: int) -> None:
        return None

    def wait(self, timeout: float) -> list[Action]:
        out = list(self._queue)
        self._queue.clear()
        return out


class Fallback:
    """Use ``primary``; when it fails, tell the terminal instead and keep going."""

    def __init__(self, primary: Notifier, backup: Notifier, log: Callable[[str], None]) -> None:
        self.primary, self.backup, self.log = primary, backup, log
        self.name = f"{primary.name} (falls back to {backup.name})"
        self._backup_handles: set[int] = set()
        self.failures = 0

    def show(self, message: Message) -> int:
        try:
            return self.primary.show(message)
        except NotifyError as error:
            self.failures += 1
            self.log(f"notification failed ({error}); showing it in the terminal")
            handle = -self.backup.show(message)
            self._backup_handles.add(handle)
            return handle

    def close(self, handle: int) -> None:
        (self.backup.close(-handle) if handle < 0 else self.primary.close(handle))

    def wait(self, timeout: float) -> list[Action]:
        start = time.monotonic()
        try:
            actions = self.primary.wait(timeout)
        except NotifyError as error:
            self.failures += 1
            self.log(f"notification server lost ({error})")
            left = timeout - (time.monotonic() - start)
            return [Action(-a.handle, a.key) for a in self.backup.wait(max(0.0, left))]
        return actions


def choose(preferred: str, bus: Bus | None, log: Callable[[str], None]) -> Notifier:
    """D-Bus notifications when a server answers (with the terminal as a backup)."""
    terminal = TerminalNotifier()
    if preferred == "terminal":
        return terminal
    if bus is None:
        if preferred == "dbus":
            raise NotifyError("notifier dbus: no session D-Bus")
        log("no session D-Bus: nudges go to the terminal")
        return terminal
    try:
        return Fallback(DbusNotifier(bus), terminal, log)
    except NotifyError as error:
        if preferred == "dbus":
            raise
        log(f"{error}: nudges go to the terminal")
        return terminal
