"""Activity detection: how long since the last keyboard or mouse input.

One small protocol, several backends, the first that works is chosen:

- ``mutter``: GNOME's ``org.gnome.Mutter.IdleMonitor`` over D-Bus (works on Wayland)
- ``screensaver``: ``org.freedesktop.ScreenSaver.GetSessionIdleTime`` (KDE and others)
- ``x11``: the X screensaver extension through ctypes (libXss)
- ``macos``: ``HIDIdleTime`` from ``ioreg``
- ``windows``: ``GetLastInputInfo`` through ctypes
- ``fixed``: no detection; you count as sitting all through working hours, so nudges
  come at a fixed interval (and natural breaks are not seen).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from soleus.errors import SoleusError
from soleus.remind.bus import Bus, BusError


class IdleError(SoleusError):
    """A backend cannot tell the idle time (now or at all)."""


class IdleSource(Protocol):
    name: str

    def idle_seconds(self) -> float:
        """Seconds since the last user input; raises IdleError when it cannot tell."""
        ...


class MutterIdle:
    name = "mutter"

    def __init__(self, bus: Bus) -> None:
        self.bus = bus

    def idle_seconds(self) -> float:
        try:
            (ms,) = self.bus.call(
                "org.gnome.Mutter.IdleMonitor",
                "/org/gnome/Mutter/IdleMonitor/Core",
                "org.gnome.Mutter.IdleMonitor",
                "GetIdletime",
            )
        except BusError as error:
            raise IdleError(str(error)) from None
        return float(ms) / 1000.0


class ScreenSaverIdle:
    """KDE's implementation answers in milliseconds, like Mutter's."""

    name = "screensaver"

    def __init__(self, bus: Bus) -> None:
        self.bus = bus

    def idle_seconds(self) -> float:
        try:
            (ms,) = self.bus.call(
                "org.freedesktop.ScreenSaver",
                "/org/freedesktop/ScreenSaver",
                "org.freedesktop.ScreenSaver",
                "GetSessionIdleTime",
            )
        except BusError as error:
            raise IdleError(str(error)) from None
        return float(ms) / 1000.0


class _XScreenSaverInfo(ctypes.Structure):
    _fields_ = [
        ("window", ctypes.c_ulong),
        ("state", ctypes.c_int),
        ("kind", ctypes.c_int),
        ("til_or_since", ctypes.c_ulong),
        ("idle", ctypes.c_ulong),
        ("eventMask", ctypes.c_ulong),
    ]


class X11Idle:
    name = "x11"

    def __init__(self) -> None:
        if not os.environ.get("DISPLAY"):
            raise IdleError("no X display (DISPLAY is not set)")
        x11_name = ctypes.util.find_library("X11")
        xss_name = ctypes.util.find_library("Xss")
        if not x11_name or not xss_name:
            raise IdleError("libX11 or libXss is not installed")
        self._x11 = ctypes.cdll.LoadLibrary(x11_name)
        self._xss = ctypes.cdll.LoadLibrary(xss_name)
        self._x11.XOpenDisplay.restype = ctypes.c_void_p
        self._x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
        self._x11.XDefaultRootWindow.restype = ctypes.c_ulong
        self._x11.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
        self._xss.XScreenSaverAllocInfo.restype = ctypes.POINTER(_XScreenSaverInfo)
        self._xss.XScreenSaverQueryInfo.argtypes = [
            ctypes.c_void_p,
            ctypes.c_ulong,
            ctypes.POINTER(_XScreenSaverInfo),
        ]
        self._display = self._x11.XOpenDisplay(None)
        if not self._display:
            raise IdleError(f"cannot open the X display {os.environ.get('DISPLAY')}")
        self._root = self._x11.XDefaultRootWindow(self._display)
        self._info = self._xss.XScreenSaverAllocInfo()

    def idle_seconds(self) -> float:
        if not self._xss.XScreenSaverQueryInfo(self._display, self._root, self._info):
            raise IdleError("the X server has no screensaver extension")
        return float(self._info.contents.idle) / 1000.0


_HID = re.compile(rb'"HIDIdleTime"\s*=\s*(\d+)')


class MacIdle:
    name = "macos"

    def __init__(self, run: Callable[..., Any] = subprocess.run) -> None:
        if sys.platform != "darwin" and run is subprocess.run:
            raise IdleError("not macOS")
        self._run = run

    def idle_seconds(self) -> float:
        try:
            out = self._run(
                ["ioreg", "-c", "IOHIDSystem", "-d", "4"],
                capture_output=True,
                timeout=5,
                check=False,
            ).stdout
        except (OSError, subprocess.SubprocessError) as error:
            raise IdleError(f"ioreg failed ({error})") from None
        match = _HID.search(out)
        if not match:
            raise IdleError("ioreg shows no HIDIdleTime")
        return int(match.group(1)) / 1e9


class WindowsIdle:
    name = "windows"

    def __init__(self) -> None:
        if sys.platform != "win32":
            raise IdleError("not Windows")

    def idle_seconds(self) -> float:  # pragma: no cover - Windows only
        class LastInput(ctypes.Structure):
            _fields_ = [("cbSize", ctypes.c_uint), ("dwTime", ctypes.c_uint)]

        info = LastInput()
        info.cbSize = ctypes.sizeof(info)
        user32 = ctypes.windll.user32  # type: ignore[attr-defined]
        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        if not user32.GetLastInputInfo(ctypes.byref(info)):
            raise IdleError("GetLastInputInfo failed")
        return float((kernel32.GetTickCount() - info.dwTime) & 0xFFFFFFFF) / 1000.0


class FixedIdle:
    """No detection: always "active", so nudges follow the clock alone."""

    name = "fixed"

    def idle_seconds(self) -> float:
        return 0.0


@dataclass(frozen=True)
class Probe:
    name: str
    ok: bool
    detail: str


BACKENDS = ("mutter", "screensaver", "x11", "macos", "windows", "fixed")


def _make(name: str, bus: Bus | None) -> IdleSource:
    if name in {"mutter", "screensaver"}:
        if bus is None:
            raise IdleError("no session D-Bus")
        return MutterIdle(bus) if name == "mutter" else ScreenSaverIdle(bus)
    factories: dict[str, Callable[[], IdleSource]] = {
        "x11": X11Idle,
        "macos": MacIdle,
        "windows": WindowsIdle,
        "fixed": FixedIdle,
    }
    if name not in factories:
        raise SoleusError(f"unknown idle backend {name!r} (known: {', '.join(BACKENDS)}, auto)")
    return factories[name]()


def probe_all(bus: Bus | None) -> list[tuple[Probe, IdleSource | None]]:
    """Try every backend once: (what happened, the source if it answered)."""
    out: list[tuple[Probe, IdleSource | None]] = []
    for name in BACKENDS:
        try:
            source = _make(name, bus)
            idle = source.idle_seconds()
        except (IdleError, OSError, AttributeError) as error:
            out.append((Probe(name, False, str(error)), None))
            continue
        detail = "assumes you sit all through working hours" if name == "fixed" else ""
        out.append((Probe(name, True, detail or f"idle {idle:.0f} s"), source))
    return out


def choose(preferred: str, bus: Bus | None) -> tuple[IdleSource, list[Probe]]:
    """The preferred backend, or with ``auto`` the first that answers."""
    if preferred != "auto":
        source = _make(preferred, bus)
        try:
            idle = source.idle_seconds()
        except IdleError as error:
            raise IdleError(f"idle backend {preferred}: {error}") from None
        return source, [Probe(preferred, True, f"idle {idle:.0f} s (chosen in settings)")]
    probes = []
    chosen: IdleSource | None = None
    for name in BACKENDS:
        try:
            source = _make(name, bus)
            idle = source.idle_seconds()
        except (IdleError, OSError, AttributeError) as error:
            probes.append(Probe(name, False, str(error)))
            continue
        probes.append(Probe(name, True, f"idle {idle:.0f} s"))
        chosen = source
        break
    assert chosen is not None  # "fixed" always answers
    return chosen, probes
