"""Start-up cost of the CLI: `soleus --help` and `soleus log` vs a bare `python3 -c pass`.

Targets (issue 2): median ≤ 150 ms and ≤ 6 × bare Python, measured in the same run.
    python bench/bench_cli.py [--runs 25] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def wall_ms(argv: list[str], env: dict[str, str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL)
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=25)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "SOLEUS_DATA_DIR": f"{tmp}/data", "SOLEUS_CONFIG_DIR": f"{tmp}/cfg"}
        soleus = str(BIN / "soleus")
        cases = {
            "python3 -c pass": [sys.executable, "-c", "pass"],
            "soleus --help": [soleus, "--help"],
            "soleus log soleus-pushup 2x10": [soleus, "log", "soleus-pushup", "2x10"],
            "soleus log pain 2": [soleus, "log", "pain", "2"],
        }
        for argv in cases.values():  # warm the .pyc caches
            wall_ms(argv, env, 2)
        for r in range(1, args.rounds + 1):
            medians = {
                name: statistics.median(wall_ms(argv, env, args.runs))
                for name, argv in cases.items()
            }
            base = medians["python3 -c pass"]
            print(f"round {r} ({args.runs} runs each):")
            for name, med in medians.items():
                ratio = med / base
                verdict = (
                    ""
                    if name.startswith("python3")
                    else ("  ok" if med <= 150 and ratio <= 6 else "  MISSED (≤150 ms and ≤6×)")
                )
                print(f"  {name:<32} median {med:7.1f} ms  {ratio:4.1f}× bare{verdict}")


if __name__ == "__main__":
    main()
