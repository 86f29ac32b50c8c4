"""Recordings with their ground truth: sets of soleus pushups under labelled
conditions, sustained bouts, quiet sitting and movements that are not soleus pushups."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
from bench.sim2 import apps, body
from bench.sim2.body import DEG, Body, Motion, Rep
from bench.sim2.phone import Clock, Pocket, record

SET_CONDITIONS = (
    "quick_release",
    "slow_release",
    "very_slow_release",
    "phone_turn",
    "50hz_jittery",
    "100hz",
    "200hz",
    "small_ratio",
    "big_reps",
)
ZERO_CONDITIONS = ("other_leg", "leg_lift")  # sets of movements that are not SPUs


@dataclass
class TrueSet:
    start_s: float  # the first rep's start
    end_s: float  # the last rep's end
    count: int
    tops: list[float]
    starts: list[float]  # each rep's start (the heel leaves the floor)
    tilt_deg: list[float]  # each rep's thigh tilt (model value, for checks)
    partial: list[bool]


@dataclass
class Case:
    condition: str
    name: str
    data: bytes
    style: str  # "sets" or "bout": the style to analyse with
    format: str
    fs: float
    duration_s: float
    sets: list[TrueSet] = field(default_factory=list)  # SPU sets (sets style)
    bouts: list[TrueSet] = field(default_factory=list)  # SPU bouts (bout style)
    quiet_minutes: float = 0.0  # minutes of sitting with no SPU (quiet recordings)
    non_spu: list[dict[str, Any]] = field(default_factory=list)  # windows of other movements
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def expected(self) -> int:
        return sum(s.count for s in self.sets) + sum(b.count for b in self.bouts)

    def truth(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("data")
        d["expected"] = self.expected
        return d


# -- pieces --------------------------------------------------------------------------


def _tilts(b: Body, reps: list[Rep]) -> list[float]:
    return [float(b.tilt(r.amp) / DEG) for r in reps]


def _fidgets(
    m: Motion, rng: np.random.Generator, t0: float, t1: float, rate: float, *, mild: bool = False
) -> list[dict[str, Any]]:
    """Random everyday movements between t0 and t1, about ``rate`` per minute."""
    events: list[dict[str, Any]] = []
    kinds = ["shift", "reach", "typing", "bounce", "toe_tap", "lean", "cross"]
    w = np.array([0.2, 0.16, 0.2, 0.1, 0.1, 0.1, 0.14])
    if mild:
        kinds, w = [*kinds[:3], "lean"], np.array([0.4, 0.3, 0.2, 0.1])
    t = t0 + rng.exponential(60 / rate)
    while t < t1 - 4:
        k = str(rng.choice(kinds, p=w / w.sum()))
        if k == "cross" and t > t1 - 70:
            k = "shift"
        f = {
            "shift": body.posture_shift,
            "reach": body.reach,
            "typing": body.typing,
            "bounce": body.leg_bounce,
            "toe_tap": body.toe_tap,
            "lean": body.lean,
            "cross": body.leg_cross,
        }[k]
        d = f(m, rng, t)
        events.append({"kind": k, "start_s": round(t, 3), "end_s": round(t + d, 3)})
        t += d + rng.exponential(60 / rate) + 1.0
    return events


def _clock(rng: np.random.Generator, fs: float, jittery: bool) -> Clock:
    if jittery:
        return Clock(
            fs,
            rng.uniform(0.08, 0.25),
            rng.uniform(0.0, 0.2),
            rng.uniform(0.005, 0.03),
            int(rng.integers(1, 6)),
        )
    return Clock(
        fs,
        rng.uniform(0.0, 0.04),
        rng.uniform(0.0, 0.03),
        rng.uniform(0.0, 0.003),
        int(rng.integers(0, 2)),
    )


def _fs_for(rng: np.random.Generator, condition: str) -> tuple[float, bool]:
    if condition == "50hz_jittery":
        return 50.0, True
    if condition == "100hz":
        return 100.0, False
    if condition == "200hz":
        return 200.0, False
    return float(rng.choice([50.0, 60.0, 100.0, 100.0, 200.0])), bool(rng.random() < 0.15)


def _finish(
    rng: np.random.Generator,
    m: Motion,
    b: Body,
    condition: str,
    name: str,
    style: str,
    fs: float,
    jittery: bool,
    sets: list[TrueSet],
    bouts: list[TrueSet],
    quiet: float,
    non_spu: list[dict[str, Any]],
    params: dict[str, Any],
    fmt: str | None = None,
) -> Case:
    fmt = fmt or apps.draw_format(rng)
    if jittery and fmt == "physicstoolbox":
        fmt = "sensorlogger-android"
    pocket = Pocket.draw(rng, b.side)
    ca = _clock(rng, fs, jittery)
    cg = _clock(rng, fs * (1.0 if rng.random() < 0.7 else rng.uniform(0.9, 1.1)), jittery)
    s = record(rng, m, pocket, ca, cg, shared=fmt == "generic", g=rng.uniform(9.78, 9.83))
    shift = s.t0

    def moved(ts: TrueSet) -> TrueSet:
        return TrueSet(
            round(ts.start_s - shift, 3),
            round(ts.end_s - shift, 3),
            ts.count,
            [round(x - shift, 3) for x in ts.tops],
            [round(x - shift, 3) for x in ts.starts],
            [round(x, 2) for x in ts.tilt_deg],
            ts.partial,
        )

    for e in non_spu:
        e["start_s"] = round(e["start_s"] - shift, 3)
        e["end_s"] = round(e["end_s"] - shift, 3)
    data = apps.write(s, rng, fmt)
    suffix = apps.FORMATS[fmt][1]
    params.update(
        thigh_m=round(b.thigh_m, 3),
        ratio=round(b.ratio, 3),
        heel_m=round(b.heel_m, 4),
        side=b.side,
        pocket_R=np.round(pocket.R_TP, 3).tolist(),
        turns=[
            {
                "t_s": round(t.t0 - shift, 2),
                "dur_s": round(t.dur, 2),
                "deg": round(t.angle / DEG, 1),
            }
            for t in m.turns
        ],
        jittery=jittery,
    )
    return Case(
        condition=condition,
        name=f"{name}{suffix}",
        data=data,
        style=style,
        format=fmt,
        fs=fs,
        duration_s=round(m.dur, 2),
        sets=[moved(x) for x in sets],
        bouts=[moved(x) for x in bouts],
        quiet_minutes=quiet,
        non_spu=non_spu,
        params=params,
    )


def _true_set(b: Body, reps: list[Rep]) -> TrueSet:
    return TrueSet(
        start_s=reps[0].t0,
        end_s=body.end_of(reps),
        count=len(reps),
        tops=[r.top for r in reps],
        starts=[r.t0 for r in reps],
        tilt_deg=_tilts(b, reps),
        partial=[r.partial for r in reps],
    )


# -- recordings ----------------------------------------------------------------------


def set_recording(rng: np.random.Generator, condition: str, name: str, n_sets: int) -> Case:
    """1-3 sets of soleus pushups (or of a zero-rep movement) with rests in between."""
    b = Body.draw(rng, ratio=(0.45, 0.6) if condition == "small_ratio" else None)
    if condition == "big_reps":
        b.ratio = rng.uniform(0.75, 0.92)
        b.thigh_m = rng.uniform(0.40, 0.45)
        b.heel_m = rng.uniform(0.085, 0.11)
    release = {
        "quick_release": "quick",
        "slow_release": "slow",
        "very_slow_release": "very_slow",
    }.get(condition, str(rng.choice(["quick", "slow", "slow", "very_slow"])))
    fs, jittery = _fs_for(rng, condition)
    plans: list[tuple[str, Any]] = []
    t = rng.uniform(5, 20)
    for _ in range(n_sets):
        n = int(np.clip(round(rng.normal(10, 2.5)), 5, 16))
        cadence = rng.uniform(15, 40)
        if condition == "leg_lift":
            cadence = rng.uniform(12, 30)
            plans.append(("lift", (t, n, cadence)))
            t += n * 60 / cadence * 1.1
        else:
            reps = body.plan_set(rng, t, n, cadence, release, b.heel_m * rng.uniform(0.85, 1.15))
            plans.append(("reps", reps))
            t = body.end_of(reps)
        last_end = t
        t += rng.uniform(20, 60)
    dur = last_end + rng.uniform(3, 15)
    m = Motion(dur)
    body.baseline(m, rng, b)
    sets: list[TrueSet] = []
    non_spu: list[dict[str, Any]] = []
    prev_end = 0.0
    for kind, plan in plans:
        if kind == "lift":
            t0, n, cadence = plan
            d = body.leg_lift(m, rng, t0, n, cadence)
            non_spu.append({"kind": "leg_lift", "start_s": t0, "end_s": t0 + d, "count": n})
            start, end = t0, t0 + d
        else:
            reps = plan
            heel = m.heel_other if condition == "other_leg" else m.heel
            body.render_train(m, reps, heel, rng, tremor=rng.uniform(0.0, 0.02))
            start, end = reps[0].t0, body.end_of(reps)
            if condition == "other_leg":
                non_spu.append(
                    {"kind": "other_leg", "start_s": start, "end_s": end, "count": len(reps)}
                )
            else:
                sets.append(_true_set(b, reps))
                if condition == "phone_turn":
                    body.add_turn(
                        m,
                        rng,
                        rng.uniform(start + 0.2 * (end - start), start + 0.8 * (end - start)),
                        min_deg=15,
                    )
        # rest: now and then a small movement
        non_spu += _fidgets(m, rng, prev_end + 2, start - 3, 1.0, mild=True)
        prev_end = end
    non_spu += _fidgets(m, rng, prev_end + 2, dur - 1, 1.0, mild=True)
    if condition == "other_leg":
        body.other_leg_coupling(m, b, rng)
    m.elev += b.tilt(m.heel)  # the working leg's heel (reps, knee bouncing)
    m.swing += b.c_swing * b.tilt(m.heel)
    m.roll += b.c_roll * b.tilt(m.heel)
    return _finish(
        rng,
        m,
        b,
        condition,
        name,
        "sets",
        fs,
        jittery,
        sets,
        [],
        0.0,
        non_spu,
        {"release": release},
    )


def bout_recording(rng: np.random.Generator, name: str) -> Case:
    """One sustained bout, 30-90 cycles/min for 1-3 minutes, fading to ~70 %."""
    b = Body.draw(rng)
    fs, jittery = float(rng.choice([50.0, 100.0, 100.0, 200.0])), bool(rng.random() < 0.15)
    cadence = rng.uniform(30, 90)
    length = rng.uniform(60, 180)
    n = int(length * cadence / 60)
    t0 = rng.uniform(5, 20)
    release = "bout"
    reps = body.plan_set(
        rng,
        t0,
        n,
        cadence,
        release,
        b.heel_m * rng.uniform(0.7, 1.0) * (1.0 if cadence < 60 else 0.8),
        partial_p=0.02,
        fade=rng.uniform(0.2, 0.4),
        drift=rng.uniform(-0.1, 0.1),
        passive=rng.random() < 0.6,
    )
    end = body.end_of(reps)
    m = Motion(end + rng.uniform(3, 15))
    body.baseline(m, rng, b)
    body.render_train(m, reps, m.heel, rng, tremor=rng.uniform(0.0, 0.02))
    non_spu = _fidgets(m, rng, 1.0, t0 - 2, 2.0, mild=True)
    m.elev += b.tilt(m.heel)
    m.swing += b.c_swing * b.tilt(m.heel)
    m.roll += b.c_roll * b.tilt(m.heel)
    return _finish(
        rng,
        m,
        b,
        "bout",
        name,
        "bout",
        fs,
        jittery,
        [],
        [_true_set(b, reps)],
        0.0,
        non_spu,
        {"cadence": round(cadence, 1)},
    )


def quiet_recording(rng: np.random.Generator, name: str, minutes: float) -> Case:
    """Sitting with everyday movements and no soleus pushups."""
    b = Body.draw(rng)
    fs, jittery = float(rng.choice([50.0, 100.0, 100.0, 200.0])), bool(rng.random() < 0.2)
    m = Motion(minutes * 60)
    body.baseline(m, rng, b)
    non_spu = _fidgets(m, rng, 2.0, m.dur - 1, rng.uniform(1.5, 4.0))
    m.elev += b.tilt(m.heel)
    m.swing += b.c_swing * b.tilt(m.heel)
    return _finish(rng, m, b, "quiet", name, "sets", fs, jittery, [], [], minutes, non_spu, {})


def corpus(
    seed: int, n_sets: int = 300, n_bouts: int = 30, quiet_minutes: float = 60.0
) -> list[Case]:
    """The whole corpus: ``n_sets`` SPU sets spread over the set conditions (1-3 a file),
    a few zero-rep sets (other leg, leg lifts), ``n_bouts`` bouts, and quiet recordings of
    4-7 minutes adding up to at least ``quiet_minutes``."""
    rng = np.random.default_rng(seed)
    cases: list[Case] = []
    quota = {
        c: n_sets // len(SET_CONDITIONS) + (k < n_sets % len(SET_CONDITIONS))
        for k, c in enumerate(SET_CONDITIONS)
    }
    for c in ZERO_CONDITIONS:
        quota[c] = max(2, n_sets // 25)
    for c, q in quota.items():
        k = 0
        while q > 0:
            n = min(q, int(rng.choice([1, 1, 2, 2, 3])))
            cases.append(set_recording(rng, c, f"{c}_{k:03d}", n))
            q -= n
            k += 1
    for k in range(n_bouts):
        cases.append(bout_recording(rng, f"bout_{k:03d}"))
    total, k = 0.0, 0
    while total < quiet_minutes:
        mins = float(min(rng.uniform(4, 7), max(quiet_minutes - total, 4.0)))
        cases.append(quiet_recording(rng, f"quiet_{k:03d}", round(mins, 2)))
        total += round(mins, 2)
        k += 1
    return cases
