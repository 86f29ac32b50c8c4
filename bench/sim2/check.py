"""Physical plausibility: read every file back with soleus's importer and measure,
from the imported accelerometer alone, the thigh tilt of each true rep (the angle the
gravity direction turns between the rep's start and its top)."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from bench.sim2.corpus import Case
from scipy import signal


def _unit_lp(t: np.ndarray, v: np.ndarray, fc: float = 2.0) -> tuple[np.ndarray, np.ndarray]:
    fs = 100.0
    tg = np.arange(t[0], t[-1], 1 / fs)
    x = np.stack([np.interp(tg, t, v[:, k]) for k in range(3)], axis=1)
    b, a = signal.butter(2, fc / (fs / 2))
    x = signal.filtfilt(b, a, x, axis=0)
    return tg, x / np.linalg.norm(x, axis=1, keepdims=True)


def _angle(tg: np.ndarray, u: np.ndarray, t0: float, t1: float) -> float:
    i, j = np.searchsorted(tg, [t0, t1])
    i, j = min(i, tg.size - 1), min(j, tg.size - 1)
    return float(np.degrees(np.arccos(np.clip(u[i] @ u[j], -1, 1))))


def report(cases: list[Case]) -> None:
    from soleus.signal.formats import parse

    model: dict[str, list[float]] = defaultdict(list)
    measured: dict[str, list[float]] = defaultdict(list)
    gyro_peak: dict[str, list[float]] = defaultdict(list)
    dyn: dict[str, list[float]] = defaultdict(list)
    fmts: dict[str, int] = defaultdict(int)
    for c in cases:
        rec = parse(c.data, c.name)
        fmts[f"{c.format}->{rec.format}"] += 1
        if rec.acc is None:
            continue
        tg, u = _unit_lp(rec.t_acc, rec.acc)
        mag = np.linalg.norm(rec.acc, axis=1)
        dyn[c.condition].append(float(np.percentile(np.abs(mag - np.median(mag)), 99)))
        if rec.gyro is not None:
            gyro_peak[c.condition].append(
                float(np.percentile(np.linalg.norm(rec.gyro, axis=1), 99))
            )
        for s in c.sets + c.bouts:
            model[c.condition] += s.tilt_deg
            measured[c.condition] += [
                _angle(tg, u, a, b) for a, b in zip(s.starts, s.tops, strict=True)
            ]
        for e in c.non_spu:
            if e["kind"] in ("leg_lift", "other_leg"):
                i, j = np.searchsorted(tg, [e["start_s"], e["end_s"]])
                ref = u[max(i - 50, 0)]
                ang = np.degrees(np.arccos(np.clip(u[i:j] @ ref, -1, 1)))
                measured[c.condition].append(float(np.max(ang)) if ang.size else 0.0)
    print("imported as:", dict(fmts))
    print(
        f"{'condition':20} {'model tilt° p10/50/90':>24} {'measured p10/50/90':>22} "
        f"{'|a|-g p99':>10} {'gyro p99':>9}"
    )
    for k in sorted(set(model) | set(measured)):
        p = np.percentile(model[k], [10, 50, 90]) if model[k] else [np.nan] * 3
        q = np.percentile(measured[k], [10, 50, 90]) if measured[k] else [np.nan] * 3
        print(
            f"{k:20} {p[0]:7.1f} {p[1]:7.1f} {p[2]:7.1f}   {q[0]:6.1f} {q[1]:6.1f} {q[2]:6.1f}"
            f" {np.median(dyn[k]):10.2f} {np.median(gyro_peak[k]) if gyro_peak[k] else np.nan:9.2f}"
        )
