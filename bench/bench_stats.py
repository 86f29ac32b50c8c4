"""`soleus stats` over ten years of daily logs (~20,000 sets).

Target (issue 2): at most 100 ms median. Prints the in-process service time (query +
figures: what the command and the web page wait for) and the whole command's wall
time (which adds Python start-up and importing SQLAlchemy), over several rounds.
    python bench/bench_stats.py [--runs 20] [--rounds 3]
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

sys.path.insert(0, str(Path(__file__).parent))

from seed import seed_years
from soleus.services import open_context
from soleus.services.reports.history import stats, stats_dict
from soleus.settings import Settings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {"SOLEUS_DATA_DIR": f"{tmp}/data", "SOLEUS_CONFIG_DIR": f"{tmp}/cfg"}
        ctx = open_context(Settings.load(env=env))
        n = seed_years(ctx, years=10)
        print(f"seeded {n} sets over 10 years")
        full_env = {**os.environ, **env}
        cmd = [str(Path(sys.executable).parent / "soleus"), "stats", "--json"]
        subprocess.run(cmd, env=full_env, check=True, stdout=subprocess.DEVNULL)
        for r in range(1, args.rounds + 1):
            service, wall = [], []
            for _ in range(args.runs):
                t = time.perf_counter()
                stats_dict(stats(ctx))
                service.append((time.perf_counter() - t) * 1000)
            for _ in range(max(3, args.runs // 4)):
                t = time.perf_counter()
                subprocess.run(cmd, env=full_env, check=True, stdout=subprocess.DEVNULL)
                wall.append((time.perf_counter() - t) * 1000)
            med = statistics.median(service)
            p95 = statistics.quantiles(service, n=20)[-1]
            verdict = "ok" if med <= 100 else "MISSED (≤100 ms)"
            print(
                f"round {r}: stats service median {med:6.1f} ms p95 {p95:6.1f} ms  {verdict};"
                f"  whole `soleus stats --json` median {statistics.median(wall):6.1f} ms"
            )


if __name__ == "__main__":
    main()
