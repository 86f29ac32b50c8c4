"""A thin blocking client of the session D-Bus (jeepney: pure Python, no threads)."""

from __future__ import annotations

import os
from collections import deque
from typing import Any

from soleus.errors import SoleusError


class BusError(SoleusError):
    """The session bus is missing, or a call on it failed."""


class Bus:
    """One connection to the session bus, with calls and signal subscriptions."""

    def __init__(self, conn: Any) -> None:
        self._conn = conn
        self._filters: list[Any] = []

    @classmethod
    def session(cls, timeout: float = 2.0) -> Bus:
        address = os.environ.get("DBUS_SESSION_BUS_ADDRESS", "")
        if not address:
            uid = os.getuid() if hasattr(os, "getuid") else -1
            socket = f"/run/user/{uid}/bus"
            if not os.path.exists(socket):
                raise BusError("no session D-Bus (DBUS_SESSION_BUS_ADDRESS is not set)")
            address = f"unix:path={socket}"
        try:
            from jeepney.io.blocking import open_dbus_connection
        except ImportError:
            raise BusError("the jeepney package is not installed") from None
        try:
            conn = open_dbus_connection(bus=address, auth_timeout=timeout)
        except (OSError, ValueError, KeyError, RuntimeError, StopIteration) as error:
            raise BusError(f"cannot connect to the session D-Bus ({error})") from None
        return cls(conn)

    @property
    def unique_name(self) -> str:
        return str(self._conn.unique_name)

    def call(
        self,
        dest: str,
        path: str,
        interface: str,
        method: str,
        signature: str | None = None,
        body: tuple[Any, ...] = (),
        *,
        timeout: float = 2.0,
    ) -> tuple[Any, ...]:
        from jeepney import DBusAddress, new_method_call
        from jeepney.wrappers import DBusErrorResponse, unwrap_msg

        msg = new_method_call(DBusAddress(path, dest, interface), method, signature, body)
        try:
            reply = self._conn.send_and_get_reply(msg, timeout=timeout)
            result: tuple[Any, ...] = unwrap_msg(reply)
        except DBusErrorResponse as error:
            raise BusError(f"{interface}.{method}: {error.name}") from None
        except (TimeoutError, OSError, ConnectionError) as error:
            raise BusError(f"{interface}.{method}: {type(error).__name__} {error}") from None
        return result

    def subscribe(self, *, interface: str, member: str | None = None) -> deque[Any]:
        """Route matching signals to a queue that :meth:`wait` fills."""
        from jeepney import MatchRule
        from jeepney.bus_messages import message_bus

        rule = MatchRule(type="signal", interface=interface, member=member)
        queue: deque[Any] = deque(maxlen=256)
        handle = self._conn.filter(rule, queue=queue)
        self._filters.append(handle)
        reply = self._conn.send_and_get_reply(message_bus.AddMatch(rule), timeout=2.0)
        from jeepney.wrappers import unwrap_msg

        unwrap_msg(reply)
        return queue

    def wait(self, queues: list[deque[Any]], timeout: float) -> None:
        """Read messages until one lands in ``queues`` or ``timeout`` seconds pass."""
        import time

        deadline = time.monotonic() + max(0.0, timeout)
        while not any(queues):
            left = deadline - time.monotonic()
            if left <= 0:
                return
            try:
                self._conn.recv_messages(timeout=left)
            except TimeoutError:
                return
            except (OSError, ConnectionError) as error:
                raise BusError(f"lost the session D-Bus ({error})") from None

    def close(self) -> None:
        for handle in self._filters:
            handle.close()
        self._conn.close()
