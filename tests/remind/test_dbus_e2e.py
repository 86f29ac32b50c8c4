"""End to end over a real session D-Bus: Mutter idle time in, Notify calls out,
ActionInvoked back, outcomes in the store; then the CLI against the same bus."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from tests.remind.fake_desktop import FakeDesktop

from soleus.domain.clock import FakeClock
from soleus.domain.snacks.policy import RemindPolicy
from soleus.remind.bus import Bus
from soleus.remind.daemon import Daemon
from soleus.remind.idle import MutterIdle, choose
from soleus.remind.notify import DbusNotifier, Fallback, TerminalNotifier
from soleus.services import open_context
from soleus.services.context import Context
from soleus.services.snacks import records as snacks
from soleus.settings import Settings

MONDAY = date(2026, 1, 5)


def env_for(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "c").mkdir(exist_ok=True)
    (tmp_path / "c" / "config.toml").write_text(
        'timezone = "Europe/Berlin"\n[remind]\nstart_command = "true"\n', encoding="utf-8"
    )
    return {"SOLEUS_DATA_DIR": str(tmp_path / "d"), "SOLEUS_CONFIG_DIR": str(tmp_path / "c")}


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[Context]:
    settings = Settings.load(env=env_for(tmp_path))
    context = open_context(settings, FakeClock(datetime(2026, 1, 5, 8, 0, tzinfo=UTC)))
    yield context
    context.store.close()


def until(check: object, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return
        time.sleep(0.02)
    raise AssertionError("timed out")


def test_daemon_over_dbus(
    ctx: Context, desktop: FakeDesktop, session_bus: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", session_bus)
    bus = Bus.session()
    source, probes = choose("auto", bus)
    assert isinstance(source, MutterIdle) and probes[0].ok
    out = io.StringIO()
    notifier = Fallback(DbusNotifier(bus), TerminalNotifier(out=out, inp=io.StringIO()), print)
    launched: list[list[str]] = []
    d = Daemon(
        ctx,
        snacks.engine(ctx, RemindPolicy(target=0)),
        source,
        notifier,
        poll_s=300,
        max_block_s=0.05,
        start_command="soleus session {routine}",
        launch=launched.append,
        log=lambda _t: None,
    )

    def step_until(predicate: object, limit: int = 200) -> None:
        for _ in range(limit):
            d.wait(d.tick())
            if predicate():  # type: ignore[operator]
                return
        raise AssertionError("the daemon never got there")

    step_until(lambda: desktop.calls)  # 09:30 Berlin after 30 min of sitting
    first = desktop.calls[0]
    assert first["app"] == "soleus" and first["summary"].startswith("Exercise snack")
    assert first["actions"][::2] == ["start", "snooze", "skip"]
    desktop.invoke(1, "snooze")
    step_until(lambda: d.engine.pending is not None and d.engine.pending.snoozes == 1)
    step_until(lambda: len(desktop.calls) == 2)  # back after the snooze
    desktop.invoke(2, "start")
    step_until(lambda: d.engine.pending is None)
    assert launched and launched[0][:2] == ["soleus", "session"]
    assert 2 in desktop.closed
    # away from the keyboard for ten minutes: a natural break
    desktop.idle_ms = 10 * 60 * 1000
    d.ctx.clock.advance(600)  # type: ignore[attr-defined]
    d.tick()
    desktop.idle_ms = 0
    d.tick()
    day = snacks.day_stats(ctx, MONDAY)
    assert (day.prompted, day.taken, day.postponed, day.natural_breaks) == (1, 1, 1, 1)
    # the notification server dies: nudges go to the terminal and are still logged
    desktop.stop()
    step_until(lambda: "Exercise snack" in out.getvalue(), limit=400)
    assert snacks.day_stats(ctx, MONDAY).prompted == 2
    bus.close()


def run_cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "soleus", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_cli_doctor_once_and_status(tmp_path: Path, desktop: FakeDesktop, session_bus: str) -> None:
    env = {**env_for(tmp_path), "DBUS_SESSION_BUS_ADDRESS": session_bus}
    env.pop("DISPLAY", None)
    done = run_cli(["remind", "doctor", "--notify", "--json"], env)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["dbus"]["ok"] and report["idle"]["chosen"] == "mutter"
    assert report["notifier"]["chosen"] == "dbus" and report["notifier"]["sent"]
    until(lambda: desktop.calls)
    assert desktop.calls[0]["body"].startswith("Reminders work")
    once = run_cli(["remind", "--once"], env)
    assert once.returncode == 0, once.stderr
    assert "idle from mutter, notifications via dbus" in once.stderr
    status = json.loads(run_cli(["remind", "status", "--json"], env).stdout)
    assert status["idle_backend"] == "mutter" and status["running"] is False  # --once exited


def test_missing_dbus_falls_back(tmp_path: Path) -> None:
    env = {**env_for(tmp_path), "DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent/bus"}
    done = run_cli(["remind", "--once", "--dry-run"], env)
    assert done.returncode == 0
    assert "cannot connect to the session D-Bus" in done.stderr
    assert "notifications via terminal" in done.stderr
    # It says what it decided (the rest depends on the hour: next due, or none today).
    [said] = done.stdout.splitlines()
    assert said.startswith("No nudge now (dry run: nothing logged): snacks 0 of 3 today;")
    assert "next due " in said or "no more nudges today" in said


def test_contradictory_settings_fall_back(tmp_path: Path) -> None:
    env = env_for(tmp_path)
    (tmp_path / "c" / "config.toml").write_text('[remind]\nquiet = "00:00-24:00"\n')
    done = run_cli(["remind", "--once", "--dry-run"], env)
    assert done.returncode == 0
    assert "quiet times cover all working hours; using the default" in done.stderr
    doctor = run_cli(["remind", "preview"], env)
    assert doctor.returncode == 2
    assert doctor.stderr.strip().splitlines() == [
        "soleus: error: remind: quiet times cover all working hours"
    ]
    (tmp_path / "c" / "config.toml").write_text("[remind\n")
    broken = run_cli(["remind", "--once", "--dry-run"], env)
    assert broken.returncode == 0 and "using the default settings" in broken.stderr
