"""Equivalence check for detector speed work: outputs before == outputs after.

    .venv/bin/python bench/bench_signal_equiv.py save FILE   # on the reference code
    .venv/bin/python bench/bench_signal_equiv.py check FILE  # on the changed code

Runs the detector (whole and in chunks) on the bench's kinds of recordings — sets in
every simulated condition, confounder hours, a desk day, reps back to back — and the
tilt tracker on a few of them; ``check`` reports any count that differs or any time
further than 1e-6 s (tilt 1e-6°) from the saved reference.
"""

from __future__ import annotations

import pickle
import sys
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from bench_signal import desk_day
from soleus.signal.detect import detect
from soleus.signal.orientation import TiltTracker
from soleus.signal.scenarios import CONDITIONS, random_confounders, random_set
from soleus.signal.simulate import RepSet, Rest, Sensors, simulate

SEED = 9000


def recordings() -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for k in range(2 * len(CONDITIONS) + 8):
        cond = CONDITIONS[k % len(CONDITIONS)]
        rng = np.random.default_rng(SEED + k)
        events, sensors = random_set(cond, rng)
        out.append((f"set{k}-{cond}", simulate(events, sensors, seed=SEED + k).recording))
    for k in range(6):
        rng = np.random.default_rng(SEED + 50_000 + k)
        sensors = Sensors(gyroscope=bool(k % 3), rate_hz=float(rng.choice([50.0, 100.0])))
        sim = simulate(random_confounders(rng, 300.0), sensors, seed=SEED + 50_000 + k)
        out.append((f"conf{k}", sim.recording))
    out.append(("desk", desk_day(SEED, 30.0)))
    sim = simulate([Rest(3), RepSet(200, 40.0, 5.0), Rest(3)], Sensors(rate_hz=100.0), seed=SEED)
    out.append(("b2b", sim.recording))
    return out


def _rep(r: Any) -> tuple[float, ...]:
    return (r.start_s, r.top_s, r.end_s, r.amplitude_deg, r.detected_at_s, r.hold_s)


def results() -> dict[str, Any]:
    res: dict[str, Any] = {}
    for name, rec in recordings():
        for chunk in (None, 1.0, 0.37):
            d = detect(rec, chunk)
            res[f"{name}/{chunk}"] = (
                [_rep(r) for r in d.reps],
                [(x.start_s, x.end_s, x.amplitude_deg) for x in d.lifts],
                d.rejected,
                d.large_moves,
                d.max_linear,
            )
        if name.startswith(("conf", "desk", "b2b", "set0-", "set1-", "set2-")):
            tr = TiltTracker(accelerometer=rec.acc is not None, gyroscope=rec.gyro is not None)
            res[f"{name}/tilt"] = tr.feed(rec.t_acc, rec.acc, rec.t_gyro, rec.gyro, final=True)
    return res


def check(ref: dict[str, Any], new: dict[str, Any]) -> int:
    bad = 0
    for key, want in ref.items():
        got = new[key]
        if key.endswith("/tilt"):
            for a, b in zip(want, got, strict=True):
                if a.shape != b.shape or not np.allclose(a, b, rtol=0, atol=1e-6):
                    bad += 1
                    print(f"{key}: tilt differs")
                    break
            continue
        reps_w, lifts_w, *rest_w = want
        reps_g, lifts_g, *rest_g = got
        if len(reps_w) != len(reps_g) or len(lifts_w) != len(lifts_g) or rest_w[:2] != rest_g[:2]:
            bad += 1
            print(f"{key}: {len(reps_w)}→{len(reps_g)} reps, {len(lifts_w)}→{len(lifts_g)} lifts")
            continue
        pairs = zip(reps_w + lifts_w, reps_g + lifts_g, strict=True)
        diffs = [abs(x - y) for a, b in pairs for x, y in zip(a, b, strict=True)]
        diff = max([*diffs, abs(rest_w[2] - rest_g[2])])
        if diff > 1e-6:
            bad += 1
            print(f"{key}: values differ by {diff:.3g}")
    print(f"{len(ref)} results, {bad} differ")
    return bad


def main() -> None:
    mode, path = sys.argv[1], Path(sys.argv[2])
    if mode == "save":
        path.write_bytes(pickle.dumps(results()))
    else:
        sys.exit(1 if check(pickle.loads(path.read_bytes()), results()) else 0)


if __name__ == "__main__":
    main()
