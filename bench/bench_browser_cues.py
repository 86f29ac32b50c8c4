"""Cue timing of the browser player in headless Chromium, on the AudioContext clock.

Starts the real app (``soleus serve``, temp data and config dirs) with a routine of
about ``--minutes`` minutes — a sustained SPU bout at 50/min (a metronome tick or tock
every 0.6 s) and sets of soleus pushups per leg — opens ``/player?routine=…&probe=1``
in Debian's Chromium and lets the session play through, untouched, to the end.

For every cue the page's look-ahead scheduler records the planned time on the audio
clock and ``currentTime`` when it called ``start(when)``. With ``probe=1`` each sound
also starts a silent step (a ConstantSourceNode of height = the cue's id, at the same
``when``) that an AudioWorklet watches in the rendered output, so the *onset* is the
frame at which the sound really began in the audio stream. Printed per run and over
all runs: onset error (onset − planned) median / p95 / max in ms, how far ahead the
cues were queued, and how many were queued late.

Target (issue 3): audio cue onsets within 2 ms of schedule over a 5-minute session.
    python bench/bench_browser_cues.py [--minutes 5] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
]


def routine_toml(minutes: float) -> str:
    """A bout for most of the time, then one set of 5 reps per leg (desk tempo)."""
    reps_part = 5 + 2 * 5 * 2.8 + 5  # get ready, two sides of 5 reps, switch side
    bout = max(20, round(minutes * 60 - 10 - reps_part))
    return f"""\
id = "bench"
name = "Cue bench"

[[blocks]]
exercise = "soleus-pushup"
[blocks.dosage]
kind = "bout"
sets = 1
seconds = {bout}
sides = "both"
rest_s = 0

[[blocks]]
exercise = "soleus-pushup"
[blocks.dosage]
kind = "reps"
sets = 1
reps = 5
sides = "each"
rest_s = 0
[blocks.dosage.tempo]
up = 1.0
top = 0.3
down = 1.0
floor = 0.5
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_app(root: Path, minutes: float) -> tuple[subprocess.Popen[bytes], str]:
    config = root / "config"
    (config / "routines").mkdir(parents=True)
    (config / "routines" / "bench.toml").write_text(routine_toml(minutes))
    env = {**os.environ, "SOLEUS_DATA_DIR": str(root / "data"), "SOLEUS_CONFIG_DIR": str(config)}
    env.pop("SOLEUS_DATABASE_URL", None)
    port = free_port()
    exe = Path(sys.executable).with_name("soleus")
    proc = subprocess.Popen(
        [str(exe), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(url + "/api/routines", timeout=2).close()
            return proc, url
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("soleus serve did not start")


def one_run(browser: Any, url: str, minutes: float) -> list[dict[str, Any]]:
    context = browser.new_context()
    page = context.new_page()
    page.goto(url + "/player?routine=bench&probe=1")
    if "/screen" in page.url:
        for radio in page.locator("input[type=radio][value=no]").all():
            radio.check()
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url("**/player**")
    if not page.title().startswith("Player"):
        raise SystemExit(f"the player page did not open: {page.inner_text('main')[:400]}")
    page.wait_for_function("() => window.soleusPlayer && window.soleusPlayer.ready")
    if page.locator("#p-restart-btn").is_visible():
        page.locator("#p-restart-btn").click()
    else:
        page.locator("#p-start").click()
    page.wait_for_function("() => window.soleusPlayer.player !== null")
    if not page.evaluate("() => window.soleusPlayer.audio.running"):
        raise SystemExit("the AudioContext is not running in this Chromium")
    deadline = time.monotonic() + minutes * 60 + 120
    while not page.evaluate("() => window.soleusPlayer.player.finished"):
        if time.monotonic() > deadline:
            raise SystemExit("the session did not finish in time")
        page.wait_for_timeout(1000)
    page.wait_for_timeout(600)  # the probe reports every 0.1 s of audio
    records: list[dict[str, Any]] = page.evaluate("() => window.soleusPlayer.audio.report()")
    context.close()
    return [r for r in records if not r.get("cancelled")]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summarise(label: str, records: list[dict[str, Any]]) -> list[float]:
    measured = [r for r in records if r["onset"] is not None]
    errors = [abs(r["onset"] - r["planned"]) * 1000 for r in measured]
    leads = [r["lead"] * 1000 for r in records]
    late = sum(1 for r in records if r["lead"] < 0)
    if not errors:
        print(f"{label}: {len(records)} cues, no onsets measured (no AudioWorklet?)")
        return []
    worst = max(measured, key=lambda r: abs(r["onset"] - r["planned"]))
    print(
        f"{label}: {len(records)} cues, {len(measured)} onsets measured;"
        f" onset error median {statistics.median(errors):.3f} ms,"
        f" p95 {pct(errors, 0.95):.3f} ms, max {max(errors):.3f} ms;"
        f" queued ahead by {min(leads):.0f}..{max(leads):.0f} ms, {late} late"
        f" (worst: {worst['sound']!r} queued {worst['lead'] * 1000:.1f} ms ahead)"
    )
    return errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=5.0, help="session length (default 5)")
    parser.add_argument("--runs", type=int, default=3, help="sessions to play (default 3)")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    all_errors: list[float] = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        proc, url = start_app(Path(tmp), args.minutes)
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            for run in range(1, args.runs + 1):
                records = one_run(browser, url, args.minutes)
                all_errors += summarise(f"run {run}", records)
        finally:
            browser.close()
            proc.terminate()
            proc.wait(timeout=10)
    if all_errors:
        worst = max(all_errors)
        print(
            f"all runs ({args.minutes:g} min each): {len(all_errors)} onsets,"
            f" median {statistics.median(all_errors):.3f} ms, p95 {pct(all_errors, 0.95):.3f} ms,"
            f" max {worst:.3f} ms — target ≤ 2 ms: {'met' if worst <= 2 else 'NOT met'}"
        )


if __name__ == "__main__":
    main()
