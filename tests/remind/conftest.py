"""A real session D-Bus (dbus-run-session) and the test desktop on it."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator

import pytest
from tests.required import require, require_module

require_module("jeepney", "jeepney, for the D-Bus tests: pip install -e '.[dev]'")

from tests.remind.fake_desktop import FakeDesktop  # noqa: E402  (after the check above)


@pytest.fixture
def session_bus() -> Iterator[str]:
    require(shutil.which("dbus-run-session") is not None, "dbus-run-session (Debian package dbus)")
    proc = subprocess.Popen(
        ["dbus-run-session", "--", "sh", "-c", 'echo "$DBUS_SESSION_BUS_ADDRESS"; exec cat'],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdin is not None
    address = proc.stdout.readline().strip()
    assert address, "dbus-run-session printed no address"
    try:
        yield address
    finally:
        proc.stdin.close()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        proc.stdout.close()


@pytest.fixture
def desktop(session_bus: str) -> Iterator[FakeDesktop]:
    server = FakeDesktop(session_bus)
    server.start()
    yield server
    server.stop()
