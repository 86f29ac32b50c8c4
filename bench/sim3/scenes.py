"""One recording per condition: who sits there, what they do, how the phone records it.

A condition changes one thing from the common case (the release, the rate, the phone
turning, no gyroscope, a small knee ratio, big reps) or is a whole kind of file (a bout,
the other leg, quiet sitting with its confounders, seated knee raises).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from bench.sim3 import files
from bench.sim3.body import DEG
from bench.sim3.moves import Leg, Plan, Tissue, TrueSet, seated_background
from bench.sim3.phone import Turn, random_pocket, sense
from bench.sim3.sensors import Stream, accelerometer, clock_for, gyroscope, instants

SET_CONDITIONS = (
    "quick_release",
    "slow_release",
    "very_slow_release",
    "phone_turn",
    "50hz_jittery",
    "100hz",
    "200hz",
    "no_gyro",
    "small_knee_ratio",
    "big_reps",
)
OTHER_CONDITIONS = ("bout", "other_leg", "quiet", "knee_raises")
CONDITIONS = SET_CONDITIONS + OTHER_CONDITIONS
SPU = (*SET_CONDITIONS, "bout")  # files whose true count is not zero


@dataclass(frozen=True)
class Made:
    """One generated recording: its file and its truth (the JSON beside it)."""

    path: Path
    truth: dict[str, Any]


def _release(condition: str, rng: np.random.Generator) -> str:
    if condition in ("quick_release", "slow_release", "very_slow_release"):
        return condition.removesuffix("_release").replace("very_slow", "very slow")
    return str(rng.choice(["quick", "quick", "slow", "slow", "very slow"]))


def _cadence(release: str, rng: np.random.Generator) -> float:
    if release == "quick":
        return rng.uniform(10.0, 40.0)
    if release == "slow":
        return rng.uniform(10.0, 28.0)
    return rng.uniform(10.0, 22.0)


def _heel_cm(rng: np.random.Generator) -> float:
    return rng.uniform(8.0, 11.0) if rng.random() < 0.1 else rng.uniform(3.0, 8.0)


def _rest_gap(plan: Plan, seconds: float) -> None:
    """A rest between sets: sitting, sometimes a fidget or a posture shift in it."""
    rng = plan.rng
    end = plan.t + seconds
    if seconds > 12.0 and rng.random() < 0.45:
        plan.rest(rng.uniform(3.0, seconds - 8.0))
        if rng.random() < 0.6:
            plan.fidget()
        else:
            plan.shift()
    plan.rest(max(end - plan.t, 2.0))


def _spu_plan(plan: Plan, condition: str, n_sets: int) -> None:
    rng = plan.rng
    plan.rest(rng.uniform(4.0, 15.0))
    release = _release(condition, rng)
    for k in range(n_sets):
        if k:
            _rest_gap(plan, rng.uniform(10.0, 60.0))
        if condition == "big_reps":
            tilt = rng.uniform(9.0, 14.0) * DEG
            heel = math.tan(tilt) * plan.leg.thigh_m / plan.leg.knee_ratio * 100.0
        else:
            heel = _heel_cm(rng)
        plan.spu_set(int(rng.integers(8, 16)), _cadence(release, rng), heel, release)
    plan.rest(rng.uniform(4.0, 12.0))


def _quiet_plan(plan: Plan, minutes: float) -> None:
    """Sitting at a desk for ``minutes``: everything that must not count, mixed."""
    rng = plan.rng
    end = minutes * 60.0
    walked = False
    kinds = ["rest", "fidget", "shift", "lean", "cross", "typing", "bouncing", "walk"]
    weights = np.array([3.0, 2.5, 1.5, 1.0, 1.2, 2.0, 1.2, 0.4])
    plan.rest(rng.uniform(3.0, 8.0))
    while plan.t < end:
        kind = str(rng.choice(kinds, p=weights / weights.sum()))
        if kind == "rest":
            plan.rest(rng.uniform(3.0, 25.0))
        elif kind == "fidget":
            plan.fidget()
        elif kind == "shift":
            plan.shift()
        elif kind == "lean":
            plan.lean()
        elif kind == "cross":
            plan.cross(on_top=rng.random() < 0.65, hold=rng.uniform(12.0, 60.0))
        elif kind == "typing":
            plan.typing(rng.uniform(8.0, 45.0))
        elif kind == "bouncing":
            plan.bouncing(rng.uniform(3.0, 15.0))
        elif not walked:
            plan.stand_and_walk()
            walked = True
        plan.rest(rng.uniform(1.0, 6.0))


def _turns(plan: Plan, sets: list[TrueSet], rng: np.random.Generator) -> list[Turn]:
    """One or two turns of the phone in the pocket, mid-set or in a rest."""
    out: list[Turn] = []
    for _ in range(1 if rng.random() < 0.7 else 2):
        s = sets[int(rng.integers(len(sets)))]
        if rng.random() < 0.6 and len(s.starts) >= 6:
            i = int(rng.integers(2, len(s.starts) - 3))
            start = rng.uniform(s.starts[i], s.ends[i])
        else:
            k = sets.index(s)
            lo = s.ends[-1] + 1.0
            hi = sets[k + 1].starts[0] - 2.0 if k + 1 < len(sets) else plan.t - 1.0
            start = rng.uniform(lo, max(hi, lo + 0.1))
        axis = rng.normal(0.0, 1.0, 3)
        axis /= np.linalg.norm(axis)
        angle = rng.uniform(10.0, 40.0) * (1 if rng.random() < 0.5 else -1) * DEG
        out.append(Turn(start, rng.uniform(0.3, 2.0), angle, (axis[0], axis[1], axis[2])))
    return out


def make(condition: str, index: int, seed: int, out_dir: Path, size: float = 0.0) -> Made:
    """Generate file ``index`` of ``condition`` (random from seed and index alone);
    ``size``: sets in a file of sets, minutes of quiet sitting (0: drawn here)."""
    rng = np.random.default_rng([seed, index, CONDITIONS.index(condition)])
    pocket = random_pocket(rng)
    small = condition == "small_knee_ratio"
    knee = rng.uniform(0.45, 0.58) if small else rng.uniform(0.6, 1.0)
    if condition == "big_reps":
        knee = rng.uniform(0.85, 1.0)
    leg = Leg(thigh_m=rng.uniform(0.38, 0.5), knee_ratio=knee, pocket_m=float(pocket.offset[0]))
    tissue = Tissue(
        freq=(rng.uniform(5.0, 9.0), rng.uniform(9.0, 15.0)),
        decay=rng.uniform(0.04, 0.12),
        gain=rng.uniform(4.0, 12.0),
    )
    plan = Plan(rng, leg, tissue)
    if condition in SET_CONDITIONS:
        _spu_plan(plan, condition, int(size) or int(rng.choice([1, 2, 2, 3, 3, 3, 4])))
    elif condition == "bout":
        plan.rest(rng.uniform(4.0, 15.0))
        plan.bout(rng.uniform(1.0, 3.0), rng.uniform(30.0, 90.0), rng.uniform(2.5, 6.0))
        plan.rest(rng.uniform(4.0, 12.0))
    elif condition in ("other_leg", "knee_raises"):
        plan.rest(rng.uniform(4.0, 15.0))
        for k in range(int(rng.integers(2, 4))):
            if k:
                _rest_gap(plan, rng.uniform(10.0, 45.0))
            n = int(rng.integers(8, 16))
            if condition == "other_leg":
                plan.other_leg(n, rng.uniform(10.0, 40.0))
            else:
                plan.knee_raises(n, rng.uniform(10.0, 30.0))
        plan.rest(rng.uniform(4.0, 12.0))
    else:
        _quiet_plan(plan, size or 5.0)
    if condition == "phone_turn":
        pocket.turns.extend(_turns(plan, plan.sets, rng))
    body = plan.render(lead_out=0.5)
    base = np.array([rng.uniform(-8, 12), rng.uniform(-8, 8), rng.uniform(-25, 25)]) * DEG
    seated_background(body, rng, base)
    gravity = rng.uniform(9.78, 9.83)
    truth = sense(body, pocket, gravity, smooth_s=rng.uniform(0.008, 0.02))
    rate = {"50hz_jittery": 50.0, "100hz": 100.0, "200hz": 200.0}.get(
        condition, float(rng.choice([50.0, 100.0, 100.0, 200.0]))
    )
    has_gyro = condition != "no_gyro"
    fmts = files.FORMATS_GYRO if has_gyro else files.FORMATS_ACC_ONLY
    fmt = str(rng.choice(fmts))
    jittery = condition == "50hz_jittery"
    acc_clock = clock_for(rate, jittery, rng)
    at = instants(acc_clock, float(body.t[-1]), rng)
    acc = accelerometer(truth, acc_clock, rng, at)
    gyro: Stream | None = None
    if has_gyro:
        shared = fmt == "generic"  # one time column: both sensors on one clock
        g_clock = clock_for(rate, jittery, rng)
        gyro = gyroscope(truth, g_clock, rng, at if shared else None)
    t0 = float(min(acc.t[0], gyro.t[0] if gyro is not None else math.inf))
    grav = np.stack([np.interp(at[0], truth.t, truth.gravity[:, k]) for k in range(3)], 1)
    name = f"{condition}_{index:03d}"
    path = files.write(out_dir / name, fmt, acc, gyro, grav)
    record = {
        "file": path.name,
        "condition": condition,
        "format": fmt,
        "rate_hz": rate,
        "gyroscope": has_gyro,
        "duration_s": round(float(body.t[-1]) - t0, 3),
        "spu": condition in SPU,
        "quiet_minutes": round((float(body.t[-1]) - t0) / 60.0, 3) if condition == "quiet" else 0.0,
        "times": "seconds from the file's first sample, as the app counts them",
        "sets": [_set_json(s, t0) for s in plan.sets],
        "events": [
            {"kind": k, "start_s": round(a - t0, 3), "end_s": round(b - t0, 3)}
            for k, a, b in plan.events
        ],
        "phone": pocket.described,
        "turns": [
            {
                "start_s": round(tn.start - t0, 3),
                "dur_s": round(tn.dur, 3),
                "deg": round(tn.angle / DEG, 1),
            }
            for tn in pocket.turns
        ],
        "person": {
            "thigh_m": round(leg.thigh_m, 3),
            "knee_ratio": round(leg.knee_ratio, 3),
            "pocket_m": round(leg.pocket_m, 3),
        },
    }
    return Made(path, record)


def _set_json(s: TrueSet, t0: float) -> dict[str, Any]:
    return {
        "kind": s.kind,
        "count": len(s.tops),
        "release": s.release,
        "cadence_per_min": round(s.cadence_per_min, 1),
        "start_s": round(s.starts[0] - t0, 3),
        "end_s": round(s.ends[-1] - t0, 3),
        "tops_s": [round(x - t0, 3) for x in s.tops],
        "hold_ends_s": [round(x - t0, 3) for x in s.holds],
        "near_top_s": [[round(a - t0, 3), round(b - t0, 3)] for a, b in s.near],
        "starts_s": [round(x - t0, 3) for x in s.starts],
        "ends_s": [round(x - t0, 3) for x in s.ends],
        "tilts_deg": [round(x, 2) for x in s.tilts_deg],
    }
