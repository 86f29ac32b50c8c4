"""``python -m bench.sim2 --out DIR --seed N``: write a corpus and its truth.json."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.sim2", description=__doc__)
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--sets", type=int, default=300, help="SPU sets (spread over the conditions)")
    ap.add_argument("--bouts", type=int, default=30)
    ap.add_argument("--quiet-minutes", type=float, default=60.0)
    ap.add_argument("--check", action="store_true", help="print physical plausibility figures")
    a = ap.parse_args()
    from bench.sim2 import corpus

    t = time.perf_counter()
    cases = corpus(a.seed, a.sets, a.bouts, a.quiet_minutes)
    a.out.mkdir(parents=True, exist_ok=True)
    truth = []
    for c in cases:
        (a.out / c.name).write_bytes(c.data)
        truth.append(c.truth())
    (a.out / "truth.json").write_text(json.dumps({"seed": a.seed, "cases": truth}, indent=1))
    n_sets = sum(len(c.sets) for c in cases)
    n_bouts = sum(len(c.bouts) for c in cases)
    quiet = sum(c.quiet_minutes for c in cases)
    mb = sum(len(c.data) for c in cases) / 1e6
    print(
        f"{len(cases)} files ({mb:.0f} MB): {n_sets} sets, {n_bouts} bouts, {quiet:.0f} quiet "
        f"minutes in {time.perf_counter() - t:.0f} s -> {a.out}"
    )
    if a.check:
        from bench.sim2.check import report

        report(cases)


if __name__ == "__main__":
    main()
