"""Helpers shared by the browser tests: the running app, and reading the player's state."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass
class App:
    url: str
    env: dict[str, str]
    config_dir: Path

    def get(self, path: str) -> Any:
        with urllib.request.urlopen(self.url + path, timeout=10) as response:
            return json.loads(response.read())

    def cli(self, *args: str) -> str:
        exe = Path(sys.executable).with_name("soleus")
        done = subprocess.run(
            [str(exe), *args], env=self.env, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
        return done.stdout


Snap = Callable[[Any], dict[str, Any]]


def snapshot(page: Any) -> dict[str, Any] | None:
    snap: dict[str, Any] | None = page.evaluate(
        "() => { const p = window.soleusPlayer; if (!p || !p.player) return null;"
        " const s = p.player.snapshot(p.driver.now());"
        " return {phase: s.phase, paused: s.paused, elapsed: s.elapsed, position: s.position,"
        " total: s.total, index: s.planned ? s.planned.index : null, rep: s.rep}; }"
    )
    return snap


def wait_for(
    page: Any, predicate: Callable[[dict[str, Any]], bool], timeout: float = 30
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        snap = snapshot(page)
        if snap is not None and predicate(snap):
            return snap
        assert time.monotonic() < deadline, f"timed out; last snapshot {snap}"
        page.wait_for_timeout(50)


def saved_sets(app: App, session_id: str) -> list[dict[str, Any]]:
    return list(app.get(f"/api/sessions/{session_id}")["session"]["sets"])


def wait_saved(app: App, session_id: str, count: int, timeout: float = 15) -> list[dict[str, Any]]:
    deadline = time.monotonic() + timeout
    while True:
        sets = saved_sets(app, session_id)
        if len(sets) >= count:
            return sets
        assert time.monotonic() < deadline, f"only {len(sets)} sets saved: {sets}"
        time.sleep(0.1)


def pass_screen_and_open(page: Any, app: App, path: str) -> None:
    """Open a player page, answering the safety screen (all "no") if it comes first."""
    page.goto(app.url + path)
    if "/screen" in page.url:
        for radio in page.locator("input[type=radio][value=no]").all():
            radio.check()
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url("**/player**")
    page.wait_for_function("() => window.soleusPlayer && window.soleusPlayer.ready")
