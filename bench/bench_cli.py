"""Start-up and read-command cost of the CLI vs a bare `python3 -c pass`, same run.

Targets: `--help` and the quick logs (issue 2) median ≤ 150 ms and ≤ 6 × bare Python;
the read commands `today`, `stats`, `history`, `exercises`, `show` (issue 10) median
≤ 250 ms and ≤ 8 × bare Python, and `session` to its first question ≤ 300 ms, on ten
years of data (seeded as bench/bench_stats.py does, ~20,000 sets). Each line also gives
the median CPU time (user + system) and its ratio to bare Python's: on a shared, loaded
machine wall times swing with the load, CPU times much less.
    python bench/bench_cli.py [--runs 15] [--rounds 3] [--only today,stats]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

BIN = Path(sys.executable).parent
FIRST_QUESTION = b"[y/n]"  # the safety check is the first question of a day's session


CPU: dict[str, list[float]] = {}  # argv -> CPU ms (user + system) of each run


def _cpu_ms() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (used.ru_utime + used.ru_stime) * 1000


def wall_ms(argv: list[str], env: dict[str, str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        cpu, start = _cpu_ms(), time.perf_counter()
        subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL)
        times.append((time.perf_counter() - start) * 1000)
        CPU.setdefault(" ".join(argv), []).append(_cpu_ms() - cpu)
    return times


def first_question_ms(argv: list[str], env: dict[str, str], runs: int) -> list[float]:
    """Time until the first question is on stdout (then the process is ended)."""
    times = []
    for _ in range(runs):
        cpu, start = _cpu_ms(), time.perf_counter()
        proc = subprocess.Popen(
            argv, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        assert proc.stdout is not None
        seen = b""
        while FIRST_QUESTION not in seen:
            chunk = os.read(proc.stdout.fileno(), 4096)
            if not chunk:
                raise SystemExit(f"no question from {argv}: {seen!r} {proc.stderr.read()!r}")
            seen += chunk
        times.append((time.perf_counter() - start) * 1000)
        proc.kill()
        proc.communicate()
        CPU.setdefault(" ".join(argv), []).append(_cpu_ms() - cpu)  # to the kill
    return times


def seed(env: dict[str, str]) -> int:
    from seed import seed_years
    from soleus.services import open_context
    from soleus.settings import Settings

    ctx = open_context(Settings.load(env=env))
    n = seed_years(ctx, years=10)
    ctx.store.close()
    return n


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", default="", help="comma-separated case names (substrings)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        dirs = {"SOLEUS_DATA_DIR": f"{tmp}/data", "SOLEUS_CONFIG_DIR": f"{tmp}/cfg"}
        print(f"seeded {seed(dirs)} sets over 10 years")
        env = {**os.environ, **dirs}
        # As installed: Python's byte-code caches are written and used (a shell with
        # PYTHONDONTWRITEBYTECODE would compile every module on every run).
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        soleus = str(BIN / "soleus")
        # name: (argv, median limit ms, limit × bare, timer)
        cases = {
            "python3 -c pass": ([sys.executable, "-c", "pass"], 0, 0.0, wall_ms),
            "soleus --help": ([soleus, "--help"], 150, 6.0, wall_ms),
            "soleus log soleus-pushup 2x10": (
                [soleus, "log", "soleus-pushup", "2x10"],
                150,
                6.0,
                wall_ms,
            ),
            "soleus log pain 2": ([soleus, "log", "pain", "2"], 150, 6.0, wall_ms),
            "soleus today": ([soleus, "today"], 250, 8.0, wall_ms),
            "soleus stats": ([soleus, "stats"], 250, 8.0, wall_ms),
            "soleus history": ([soleus, "history"], 250, 8.0, wall_ms),
            "soleus exercises": ([soleus, "exercises"], 250, 8.0, wall_ms),
            "soleus show soleus-pushup": ([soleus, "show", "soleus-pushup"], 250, 8.0, wall_ms),
            "soleus session (1st question)": ([soleus, "session"], 300, 0.0, first_question_ms),
        }
        if args.only:
            wanted = args.only.split(",")
            cases = {
                k: v
                for k, v in cases.items()
                if k.startswith("python3") or any(w in k for w in wanted)
            }
        for argv, _, _, timer in cases.values():  # warm the .pyc caches
            timer(argv, env, 2)
        for r in range(1, args.rounds + 1):
            CPU.clear()
            # Interleaved: run i of every command, then run i+1 of every command, so a
            # slow spell of a shared machine falls on all of them, bare Python included.
            times: dict[str, list[float]] = {name: [] for name in cases}
            for _ in range(args.runs):
                for name, (argv, _, _, timer) in cases.items():
                    times[name] += timer(argv, env, 1)
            medians = {name: statistics.median(ts) for name, ts in times.items()}
            base = medians["python3 -c pass"]
            cpu = {n: statistics.median(CPU[" ".join(cases[n][0])]) for n in cases}
            print(f"round {r} ({args.runs} runs each; load average {os.getloadavg()[0]:.1f}):")
            for name, med in medians.items():
                _, limit, factor, _ = cases[name]
                ratio = med / base
                used = f"cpu {cpu[name]:5.1f} ms {cpu[name] / cpu['python3 -c pass']:4.1f}×"
                verdict = ""
                if limit:
                    ok = med <= limit and (not factor or ratio <= factor)
                    rule = f"≤{limit} ms" + (f" and ≤{factor:g}×" if factor else "")
                    verdict = "  ok" if ok else f"  MISSED ({rule})"
                print(f"  {name:<32} median {med:7.1f} ms  {ratio:4.1f}× bare  {used}{verdict}")


if __name__ == "__main__":
    main()
