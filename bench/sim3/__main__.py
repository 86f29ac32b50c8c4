"""Generate a corpus: ``python -m bench.sim3 --out DIR --seed S [--sets N --bouts N
--quiet-minutes M --others N --jobs J]``.

Each recording is a file (or Sensor Logger folder) in one of the formats soleus imports,
with ``NAME.truth.json`` beside it; ``corpus.json`` lists them with the arguments.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
from bench.sim3.scenes import SET_CONDITIONS, Made, make

Job = tuple[str, int, int, float]  # condition, index, seed, size (sets or quiet minutes)


def plan_jobs(seed: int, sets: int, bouts: int, quiet_minutes: float, others: int) -> list[Job]:
    """Which files to make: enough files per condition for its share of the sets."""
    rng = np.random.default_rng([seed, 424242])
    jobs: list[Job] = []
    per = math.ceil(sets / len(SET_CONDITIONS))
    for cond in SET_CONDITIONS:
        total, k = 0, 0
        while total < per:
            n = min(int(rng.choice([1, 2, 2, 3, 3, 3, 4])), per - total)
            jobs.append((cond, k, seed, float(n)))
            total, k = total + n, k + 1
    jobs += [("bout", k, seed, 0.0) for k in range(bouts)]
    jobs += [("other_leg", k, seed, 0.0) for k in range(others)]
    jobs += [("knee_raises", k, seed, 0.0) for k in range(others)]
    done, k = 0.0, 0
    while done < quiet_minutes:
        m = float(rng.uniform(4.0, 6.0))
        jobs.append(("quiet", k, seed, m))
        done, k = done + m, k + 1
    return jobs


def _run(job: Job, out: Path) -> Made:
    cond, k, seed, size = job
    made = make(cond, k, seed, out, size)
    truth = out / f"{cond}_{k:03d}.truth.json"
    truth.write_text(json.dumps(made.truth, indent=1) + "\n")
    return made


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.sim3", description=__doc__)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=5000)
    ap.add_argument("--sets", type=int, default=300, help="sets across the 10 set conditions")
    ap.add_argument("--bouts", type=int, default=30)
    ap.add_argument("--quiet-minutes", type=float, default=60.0)
    ap.add_argument("--others", type=int, default=8, help="other-leg and knee-raise files each")
    ap.add_argument("--only", default="", help="comma-separated conditions to keep")
    ap.add_argument("--jobs", type=int, default=1)
    a = ap.parse_args(argv)
    if a.out.exists() and any(a.out.iterdir()):
        print(f"{a.out}: not empty; give a new folder", file=sys.stderr)
        return 2
    a.out.mkdir(parents=True, exist_ok=True)
    jobs = plan_jobs(a.seed, a.sets, a.bouts, a.quiet_minutes, a.others)
    if a.only:
        keep = set(a.only.split(","))
        jobs = [j for j in jobs if j[0] in keep]
    t0 = time.perf_counter()
    if a.jobs > 1:
        with ProcessPoolExecutor(a.jobs) as pool:
            made = list(pool.map(_run, jobs, [a.out] * len(jobs)))
    else:
        made = [_run(j, a.out) for j in jobs]
    index = {
        "generator": "bench.sim3",
        "seed": a.seed,
        "args": {k: str(v) for k, v in vars(a).items()},
        "files": [m.path.name for m in made],
    }
    (a.out / "corpus.json").write_text(json.dumps(index, indent=1) + "\n")
    n_sets = sum(len(m.truth["sets"]) for m in made if m.truth["spu"])
    quiet = sum(m.truth["quiet_minutes"] for m in made)
    print(
        f"{len(made)} recordings, {n_sets} sets and bouts, {quiet:.0f} quiet minutes "
        f"in {a.out} ({time.perf_counter() - t0:.0f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
