"""A real session D-Bus (dbus-run-session) and the test desktop on it."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator

import pytest

pytest.importorskip("jeepney")

from fake_desktop import FakeDesktop


@pytest.fixture
def session_bus() -> Iterator[str]:
    if shutil.which("dbus-run-session") is None:
        pytest.skip("dbus-run-session is not installed (Debian package dbus)")
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
