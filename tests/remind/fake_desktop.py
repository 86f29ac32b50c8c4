"""A small desktop for the D-Bus tests: a notification server that records Notify
calls and emits ActionInvoked, and a Mutter idle monitor whose idle time the test sets."""

from __future__ import annotations

import queue
import threading
from typing import Any

from jeepney import (
    DBusAddress,
    HeaderFields,
    MessageType,
    new_error,
    new_method_return,
    new_signal,
)
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import open_dbus_connection

NOTIFY = "org.freedesktop.Notifications"
NOTIFY_PATH = "/org/freedesktop/Notifications"
MUTTER = "org.gnome.Mutter.IdleMonitor"


class FakeDesktop(threading.Thread):
    def __init__(self, address: str, *, actions: bool = True) -> None:
        super().__init__(daemon=True)
        self.conn = open_dbus_connection(bus=address)
        for name in (NOTIFY, MUTTER):
            self.conn.send_and_get_reply(message_bus.RequestName(name), timeout=5)
        self.calls: list[dict[str, Any]] = []
        self.closed: list[int] = []
        self.idle_ms = 0
        self.actions = actions
        self._out: queue.Queue[Any] = queue.Queue()
        self._halt = threading.Event()
        self.got_call = threading.Event()

    def invoke(self, nid: int, key: str) -> None:
        self._out.put(
            new_signal(
                DBusAddress(NOTIFY_PATH, interface=NOTIFY), "ActionInvoked", "us", (nid, key)
            )
        )

    def stop(self) -> None:
        if self._halt.is_set():
            return
        self._halt.set()
        self.join(timeout=5)
        self.conn.close()

    def run(self) -> None:
        while not self._halt.is_set():
            while not self._out.empty():
                self.conn.send(self._out.get())
            try:
                msg = self.conn.receive(timeout=0.02)
            except TimeoutError:
                continue
            except OSError:
                return
            if msg.header.message_type != MessageType.method_call:
                continue
            self.conn.send(self._answer(msg))

    def _answer(self, msg: Any) -> Any:
        member = msg.header.fields.get(HeaderFields.member)
        if member == "Notify":
            app, _replaces, _icon, summary, body, actions, _hints, _timeout = msg.body
            self.calls.append(
                {"app": app, "summary": summary, "body": body, "actions": list(actions)}
            )
            self.got_call.set()
            return new_method_return(msg, "u", (len(self.calls),))
        if member == "GetCapabilities":
            caps = ["body", "actions"] if self.actions else ["body"]
            return new_method_return(msg, "as", (caps,))
        if member == "GetServerInformation":
            return new_method_return(msg, "ssss", ("fake-desktop", "soleus tests", "1", "1.2"))
        if member == "CloseNotification":
            self.closed.append(int(msg.body[0]))
            return new_method_return(msg)
        if member == "GetIdletime":
            return new_method_return(msg, "t", (self.idle_ms,))
        return new_error(msg, "org.freedesktop.DBus.Error.UnknownMethod")
