"""Reminder benches (printed, several runs).

    python bench/bench_remind.py throughput [--runs 3]
    python bench/bench_remind.py idle [--seconds 600]

throughput: a simulated year of one-second activity samples decided by the policy
(target: under 2 s). idle: the cost of `soleus remind` running with nothing to do,
as CPU % of one core and peak resident memory (targets: <= 0.1 %, <= 60 MB).
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from soleus.domain.snacks.engine import Engine, Nudge, simulate
from soleus.domain.snacks.policy import RemindPolicy

TZ = ZoneInfo("Europe/Berlin")


def year_of_runs(seed: int) -> list[tuple[float, float, bool]]:
    """Activity runs with one-second resolution: sitting 1-50 min, away 10 s-25 min,
    nights off."""
    rng = random.Random(seed)
    t = datetime(2026, 1, 1, 0, 0, tzinfo=TZ).timestamp()
    end = t + 365 * 86400
    runs = []
    while t < end:
        hour = datetime.fromtimestamp(t, TZ).hour
        if hour < 7 or hour >= 19:
            length, active = rng.randint(1800, 3 * 3600), False
        else:
            active = rng.random() < 0.6
            length = rng.randint(60, 3000) if active else rng.randint(10, 1500)
        runs.append((t, min(end, t + length), active))
        t += length
    return runs


def throughput(runs_count: int) -> None:
    policy = RemindPolicy()
    for i in range(runs_count):
        runs = year_of_runs(i)
        samples = int(runs[-1][1] - runs[0][0])
        engine = Engine(policy, TZ)
        replies = random.Random(i)

        def respond(_n: Nudge, r: random.Random = replies) -> tuple[str, str] | None:
            return r.choice([("taken", ""), ("skipped", "x"), None])  # type: ignore[return-value]

        start = time.perf_counter()
        events = sum(1 for _ in simulate(engine, runs, respond, step=1.0))
        took = time.perf_counter() - start
        print(
            f"throughput run {i + 1}: {samples:,} one-second samples ({len(runs):,} runs) "
            f"-> {events:,} events in {took:.2f} s  [target < 2 s: {'ok' if took < 2 else 'MISS'}]"
        )


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def idle_cost(seconds: float, warmup: float = 5.0) -> None:
    if not Path("/proc/self/stat").exists():
        sys.exit("idle bench needs /proc (Linux)")
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "SOLEUS_DATA_DIR": f"{tmp}/data",
            "SOLEUS_CONFIG_DIR": f"{tmp}/config",
            "SOLEUS_TIMEZONE": "UTC",
        }
        # the database exists already, as on any day but the first (the first run's
        # Alembic migration alone peaks at about 62 MB)
        subprocess.run(
            [sys.executable, "-m", "soleus", "remind", "--once", "--dry-run"],
            env=env,
            capture_output=True,
            check=True,
        )
        proc = subprocess.Popen(
            [sys.executable, "-m", "soleus", "remind"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            time.sleep(warmup)
            cpu0, t0 = _cpu_seconds(proc.pid), time.monotonic()
            time.sleep(seconds)
            cpu1, t1 = _cpu_seconds(proc.pid), time.monotonic()
            rss = _peak_rss_mb(proc.pid)
        finally:
            proc.send_signal(signal.SIGTERM)
            _, err = proc.communicate(timeout=30)
    pct = 100 * (cpu1 - cpu0) / (t1 - t0)
    first = err.strip().splitlines()[-1] if err.strip() else ""
    print(
        f"idle daemon over {t1 - t0:.0f} s: CPU {pct:.3f} % of one core "
        f"[target <= 0.1 %: {'ok' if pct <= 0.1 else 'MISS'}], peak RSS {rss:.1f} MB "
        f"[target <= 60 MB: {'ok' if rss <= 60 else 'MISS'}]  ({first})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("which", choices=["throughput", "idle", "all"], nargs="?", default="all")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=600.0)
    args = parser.parse_args()
    if args.which in {"throughput", "all"}:
        throughput(args.runs)
    if args.which in {"idle", "all"}:
        for _ in range(max(1, min(args.runs, 2))):
            idle_cost(args.seconds)


if __name__ == "__main__":
    main()
