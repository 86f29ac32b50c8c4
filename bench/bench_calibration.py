"""What a calibration (issue 12, item 3) changes: small-amplitude sets counted, and false
reps in the confounder hour (fidgets, typing, crossed legs, standing and walking), with
and without one. The project's simulator; seeds fixed.
    python bench/bench_calibration.py [--sets 6] [--chunks 12] [--seed 9000]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from soleus.errors import SoleusError
from soleus.signal.analysis import calibrate
from soleus.signal.calibration import Calibration
from soleus.signal.detect import detect
from soleus.signal.scenarios import random_confounders
from soleus.signal.simulate import RepSet, Rest, Sensors, simulate


def small_sets(amp: float, sets: int, seed: int) -> None:
    """Two sets of ten at ``amp`` degrees per recording: default vs calibrated from three
    reps of the same person (measured, as `soleus analyze --calibrate` does)."""
    truth = default = own = accepted = 0
    for s in range(sets):
        sensors = Sensors(gyroscope=bool(s % 2))
        three = simulate([Rest(4), RepSet(3, 20, amp), Rest(4)], sensors, seed=seed + 100 + s)
        try:
            cal: Calibration | None = calibrate(three.recording)
            accepted += 1
        except SoleusError:  # refused: counted as not calibrated
            cal = None
        events = [Rest(5), RepSet(10, 30, amp), Rest(8), RepSet(10, 40, amp), Rest(5)]
        sim = simulate(events, sensors, seed=seed + s)
        truth += len(sim.truth.reps)
        default += len(detect(sim.recording).reps)
        own += len(detect(sim.recording, calibration=cal).reps)
    print(
        f"  sets of {amp:.1f}° reps: {truth} true, default {default}, calibrated {own} "
        f"(calibrations accepted {accepted}/{sets}; refused ones count as none)"
    )


def confounders(chunks: int, seed: int) -> None:
    cals: dict[str, Calibration | None] = {
        "default": None,
        "own 1°": Calibration(1.0, 1.0, 0.3, 3),
        "own 2°": Calibration(2.0, 1.0, 0.3, 3),
    }
    counts = dict.fromkeys(cals, 0)
    total = 0.0
    for k in range(chunks):
        rng = np.random.default_rng(seed + 50_000 + k)
        sensors = Sensors(gyroscope=bool(k % 3), rate_hz=float(rng.choice([50.0, 100.0])))
        sim = simulate(random_confounders(rng, 300.0), sensors, seed=seed + 50_000 + k)
        total += sim.recording.duration_s
        for name, cal in cals.items():
            counts[name] += len(detect(sim.recording, calibration=cal).reps)
    shown = ", ".join(f"{name} {n}" for name, n in counts.items())
    print(f"  confounders, {total / 3600:.2f} h: false reps {shown}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sets", type=int, default=6)
    ap.add_argument("--chunks", type=int, default=12, help="5-minute confounder recordings")
    ap.add_argument("--seed", type=int, default=9000)
    args = ap.parse_args()
    print("calibration (project simulator)")
    for amp in (0.9, 1.2, 1.5, 5.0):
        small_sets(amp, args.sets, args.seed)
    confounders(args.chunks, args.seed)


if __name__ == "__main__":
    main()
