"""Movements planned on a timeline: heel raises (sets and bouts) and everything a seated
person does that is not one (fidgets, posture shifts, leaning, crossed legs and a hanging
foot's swing, typing, a bouncing knee, the other leg's heel raises, standing up and
walking, seated knee raises).

Planning draws every random number at once (so a seed gives the same file) and queues
what to draw on the body; :meth:`Plan.render` draws it once the length is known.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from bench.sim3.body import DEG, Arr, Body, minjerk

Op = Callable[[Body], None]


@dataclass
class TrueSet:
    """One set or bout as performed: each rep's start, top (heel highest) and end (s)."""

    kind: str  # "set" or "bout"
    starts: list[float] = field(default_factory=list)
    tops: list[float] = field(default_factory=list)
    holds: list[float] = field(default_factory=list)  # the hold's end (= top without one)
    near: list[tuple[float, float]] = field(default_factory=list)  # heel within 2 % of top
    ends: list[float] = field(default_factory=list)
    tilts_deg: list[float] = field(default_factory=list)
    release: str = ""
    cadence_per_min: float = 0.0


@dataclass(frozen=True)
class Leg:
    """The person's geometry: thigh length, knee rise per heel rise, the pocket's place."""

    thigh_m: float
    knee_ratio: float
    pocket_m: float  # distance of the phone from the hip along the thigh

    def tilt(self, heel_m: float) -> float:
        """Thigh pitch (rad) for a heel rise: atan(knee rise / thigh length)."""
        return math.atan(self.knee_ratio * heel_m / self.thigh_m)


@dataclass(frozen=True)
class Tissue:
    """The pocket's soft tissue: how the phone rings after a jolt."""

    freq: tuple[float, float]
    decay: float
    gain: float


@dataclass
class Plan:
    rng: np.random.Generator
    leg: Leg
    tissue: Tissue
    t: float = 0.0
    ops: list[Op] = field(default_factory=list)
    sets: list[TrueSet] = field(default_factory=list)
    events: list[tuple[str, float, float]] = field(default_factory=list)

    # -- the heel raise -------------------------------------------------------------------
    def _rep(
        self, start: float, rise: float, hold: float, fall: float, amp: float, shape: str
    ) -> tuple[float, float]:
        """One heel raise of ``amp`` rad thigh pitch; the heel lands at the end. Returns
        when the heel is first and last within 2 % of its height (the top's span)."""
        rng = self.rng
        # the heel sinks a little over a hold (not at all without one)
        sag = rng.uniform(0.0, 0.06) * amp * min(hold / 0.5, 1.0)
        # a dropped heel speeds up until it lands, from rest: the calf lets go over tens
        # of ms, so the fall's acceleration grows from little (1 - u^p, p >= 2)
        power = rng.uniform(2.0, 3.0)
        soft = rng.uniform(0.0, 0.3)
        # a loaded calf's holding tremor: a few thousandths of the rep's tilt (at 7-11 Hz
        # even 0.002 of an 8 deg rep shakes the pocket by ~0.1 m/s^2)
        tremor = rng.uniform(0.0, 0.002) * amp
        tremor_hz = rng.uniform(7.0, 11.0)
        land_w = amp * power / fall if shape == "quick" else (amp - sag) * 2.0 * soft / fall
        tissue = self.tissue
        freq = rng.uniform(*tissue.freq)
        axis = np.array([rng.normal(0.0, 0.3), rng.normal(0.0, 0.2), 1.0])
        axis /= np.linalg.norm(axis)
        end = start + rise + hold + fall

        def lift(x: Arr) -> Arr:
            up = amp * minjerk(x / rise)
            held = sag * minjerk((x - rise) / max(hold, 1e-3))
            h = np.clip((x - rise - hold) / fall, 0.0, 1.0)
            down = h**power if shape == "quick" else (1.0 - soft) * minjerk(h) + soft * h * h
            out: Arr = np.where(x < rise + hold, up - held, (amp - sag) * (1.0 - down))
            return out

        def draw(b: Body) -> None:
            s = b.span(start, end)
            x = b.t[s] - start
            y = lift(x)
            in_hold = (x > rise) & (x < rise + hold)
            y = y + np.where(in_hold, tremor * np.sin(2 * math.pi * tremor_hz * x), 0.0)
            b.pitch[s] += y
            speed = land_w * self.leg.pocket_m
            if speed > 0.02:
                b.landing(end, speed, freq, tissue.decay, tissue.gain, axis)

        self.ops.append(draw)
        # while the heel is within 2 % of its height: any moment there is its top
        x = np.arange(0.0, end - start, 0.001)
        y = lift(x)
        near = np.flatnonzero(y >= 0.98 * float(y.max()))
        return start + float(x[near[0]]), start + float(x[near[-1]])

    def spu_set(self, n: int, cadence: float, heel_cm: float, release: str) -> TrueSet:
        """A set of ``n`` heel raises: rise 0.5-1.5 s, a short hold, a quick (0.3 s),
        slow (half the cycle) or very slow release; sizes and timing vary rep to rep."""
        rng = self.rng
        period = 60.0 / cadence
        rise = rng.uniform(0.5, 1.5)
        hold = rng.uniform(0.0, 1.0) if rng.random() < 0.7 else 0.0
        if release == "quick":
            fall = rng.uniform(0.22, 0.4)
        elif release == "slow":
            fall = rng.uniform(0.5, 0.62) * period
        else:
            fall = rng.uniform(0.66, 0.8) * period
        room = period * 0.95 - fall
        if rise + hold > room:
            hold = max(0.0, min(hold, room - 0.5))
            rise = max(0.35, min(rise, room - hold))
        base = self.leg.tilt(heel_cm / 100.0)
        cv = rng.uniform(0.05, 0.15)
        trend = rng.uniform(-0.25, 0.05)
        first = rng.uniform(0.7, 1.1)
        ts = TrueSet("set", release=release, cadence_per_min=cadence)
        t = self.t
        for i in range(n):
            amp = base * (1.0 + trend * i / max(n - 1, 1)) * math.exp(rng.normal(0.0, cv))
            amp *= first if i == 0 else 1.0
            p = period * (1.0 + rng.normal(0.0, 0.06))
            r = max(0.3, rise * (1.0 + rng.normal(0.0, 0.12)))
            hd = max(0.0, hold * (1.0 + rng.normal(0.0, 0.25)))
            f = max(0.18, fall * (1.0 + rng.normal(0.0, 0.12)))
            if r + hd + f > p - 0.05:  # never into the next rep
                p = r + hd + f + 0.05
            shape = "quick" if release == "quick" else "slow"
            ts.near.append(self._rep(t, r, hd, f, amp, shape))
            ts.starts.append(t)
            ts.tops.append(t + r)
            ts.holds.append(t + r + hd)
            ts.ends.append(t + r + hd + f)
            ts.tilts_deg.append(amp / DEG)
            t += p
        self.t = ts.ends[-1]
        self.sets.append(ts)
        return ts

    def bout(self, minutes: float, cadence: float, heel_cm: float) -> TrueSet:
        """A sustained bout: passive release, the cadence drifting within +-10 %, the
        size fading 20-40 % towards the end."""
        rng = self.rng
        base = self.leg.tilt(heel_cm / 100.0)
        fade = rng.uniform(0.2, 0.4)
        fade_from = rng.uniform(0.3, 0.6)
        rise_frac = rng.uniform(0.38, 0.55)
        rest_frac = rng.uniform(0.0, 0.12)
        drift_phase = rng.uniform(0.0, 2 * math.pi)
        drift_amp = rng.uniform(0.03, 0.1)
        ts = TrueSet("bout", release="passive", cadence_per_min=cadence)
        t = self.t
        end = self.t + minutes * 60.0
        while t < end:
            frac = (t - self.t) / (end - self.t)
            p = 60.0 / cadence * (1.0 + drift_amp * math.sin(drift_phase + 2.2 * frac * math.pi))
            p *= 1.0 + rng.normal(0.0, 0.03)
            fading = max(0.0, (frac - fade_from) / (1.0 - fade_from))
            amp = base * (1.0 - fade * fading) * math.exp(rng.normal(0.0, 0.08))
            r = p * rise_frac * (1.0 + rng.normal(0.0, 0.06))
            f = p * (1.0 - rise_frac - rest_frac) * (1.0 + rng.normal(0.0, 0.06))
            f = min(f, p - r - 0.02)
            ts.near.append(self._rep(t, r, 0.0, f, amp, "quick"))
            ts.starts.append(t)
            ts.tops.append(t + r)
            ts.holds.append(t + r)
            ts.ends.append(t + r + f)
            ts.tilts_deg.append(amp / DEG)
            t += p
        self.t = ts.ends[-1]
        self.sets.append(ts)
        return ts

    # -- what is not a heel raise -----------------------------------------------------------
    def rest(self, seconds: float) -> None:
        self.t += seconds

    def _event(self, kind: str, start: float, end: float) -> None:
        self.events.append((kind, start, end))

    def fidget(self) -> None:
        """A small restless move of the leg, back where it was (or nearly)."""
        rng = self.rng
        start, up, hold, down = (
            self.t,
            rng.uniform(0.3, 1.2),
            rng.uniform(0.0, 1.5),
            rng.uniform(0.3, 1.2),
        )
        amps = rng.normal(0.0, 1.2, 3) * DEG
        keep = rng.uniform(0.0, 0.3)

        def draw(b: Body) -> None:
            for track, a in zip((b.pitch, b.roll, b.yaw), amps, strict=True):
                b.bump(track, start, up, hold, down, a)
                b.step(track, start + up + hold, down, a * keep)

        self.ops.append(draw)
        self._event("fidget", start, start + up + hold + down)
        self.t += up + hold + down

    def shift(self) -> None:
        """A posture shift: the seat moves, the thigh settles at a new angle."""
        rng = self.rng
        start, dur = self.t, rng.uniform(0.6, 2.0)
        d_ang = rng.normal(0.0, [2.0, 2.0, 4.0]) * DEG
        d_hip = rng.normal(0.0, [0.03, 0.02, 0.005])

        def draw(b: Body) -> None:
            for track, a in zip((b.pitch, b.roll, b.yaw), d_ang, strict=True):
                b.step(track, start, dur, float(a))
            for k in range(3):
                b.step(b.hip[:, k], start, dur, float(d_hip[k]))

        self.ops.append(draw)
        self._event("shift", start, start + dur)
        self.t += dur

    def lean(self) -> None:
        """Leaning forward to the desk and back: weight onto the thighs."""
        rng = self.rng
        start, dur, hold = self.t, rng.uniform(0.8, 1.8), rng.uniform(4.0, 25.0)
        pitch = -rng.uniform(0.2, 1.2) * DEG
        fwd = rng.uniform(0.005, 0.02)

        def draw(b: Body) -> None:
            b.bump(b.pitch, start, dur, hold, dur, pitch)
            b.bump(b.hip[:, 0], start, dur, hold, dur, fwd)

        self.ops.append(draw)
        self._event("lean", start, start + 2 * dur + hold)
        self.t += 2 * dur + hold

    def cross(self, on_top: bool, hold: float) -> None:
        """Crossing the legs and uncrossing them; with this leg on top its lower leg
        hangs from the knee and the foot swings (a pendulum of about a second)."""
        rng = self.rng
        start, dur = self.t, rng.uniform(1.0, 2.2)
        if on_top:
            d = np.array([rng.uniform(12, 28), -rng.uniform(8, 25), -rng.uniform(8, 20)]) * DEG
        else:
            d = np.array([-rng.uniform(0.8, 3.0), rng.uniform(1.5, 5.0), rng.uniform(-3, 3)]) * DEG
        swing_hz = rng.uniform(0.75, 1.3)
        swing = rng.uniform(0.2, 1.2) * DEG * (1.0 if on_top else 0.15)
        bursts = [
            (rng.uniform(0.0, hold * 0.6), rng.uniform(4.0, hold * 0.6 + 4.0)) for _ in range(2)
        ]
        t_on = start + dur

        def draw(b: Body) -> None:
            for track, a in zip((b.pitch, b.roll, b.yaw), d, strict=True):
                b.bump(track, start, dur, hold, dur, float(a))
            for s0, length in bursts:
                a0 = t_on + s0
                s = b.span(a0, a0 + length)
                x = b.t[s] - a0
                env = minjerk(x / 1.5) * (1.0 - minjerk((x - length + 1.5) / 1.5))
                b.pitch[s] += swing * env * np.sin(2 * math.pi * swing_hz * x)
                b.roll[s] += 0.3 * swing * env * np.sin(2 * math.pi * swing_hz * x + 1.0)

        self.ops.append(draw)
        kind = "cross_on_top" if on_top else "cross_under"
        self._event(kind, start, start + 2 * dur + hold)
        self.t += 2 * dur + hold

    def typing(self, seconds: float) -> None:
        """Typing at a desk: key strokes shake the body through the arms and chair."""
        rng = self.rng
        start = self.t
        n = int(seconds * rng.uniform(3.0, 8.0))
        when = np.sort(rng.uniform(start, start + seconds, n))
        accel = rng.uniform(0.01, 0.08, n)
        freq = rng.uniform(12.0, 30.0, n)
        dirs = rng.normal(0.0, 1.0, (n, 3))
        sway = rng.uniform(0.01, 0.06) * DEG
        sway_hz = rng.uniform(0.8, 2.5)

        def draw(b: Body) -> None:
            for w, a, f, dv in zip(when, accel, freq, dirs, strict=True):
                s = b.span(w, w + 0.25)
                x = b.t[s] - w
                om = 2 * math.pi * f
                ring = np.exp(-x / 0.04) * np.sin(om * x) * a / (om * om)
                b.hip[s] += np.outer(ring, dv / np.linalg.norm(dv))
            s = b.span(start, start + seconds)
            x = b.t[s] - start
            env = minjerk(x / 1.0) * (1.0 - minjerk((x - seconds + 1.0) / 1.0))
            b.pitch[s] += sway * env * np.sin(2 * math.pi * sway_hz * x)

        self.ops.append(draw)
        self._event("typing", start, start + seconds)
        self.t += seconds

    def bouncing(self, seconds: float) -> None:
        """A bouncing knee: fast heel taps (3-6 Hz), the heel landing each time."""
        rng = self.rng
        start = self.t
        hz = rng.uniform(3.0, 6.0)
        heel = rng.uniform(0.8, 3.5) / 100.0
        amp = self.leg.tilt(heel)
        n = int(seconds * hz)
        for i in range(n):
            p = 1.0 / hz * (1.0 + rng.normal(0.0, 0.04))
            a = amp * math.exp(rng.normal(0.0, 0.15))
            self._rep(self.t, p * 0.45, 0.0, p * 0.45, a, "quick")
            self.t += p
            del i
        self._event("bouncing", start, self.t)

    def other_leg(self, n: int, cadence: float) -> None:
        """The other leg's heel raises, felt through the chair: a small roll and pitch
        of this thigh in the same rhythm (no heel raise of this leg)."""
        rng = self.rng
        start = self.t
        period = 60.0 / cadence
        rise, fall = rng.uniform(0.5, 1.3), rng.uniform(0.25, 0.5 * period)
        other_tilt = self.leg.tilt(rng.uniform(3.0, 9.0) / 100.0)
        c_pitch = rng.uniform(0.01, 0.05) * (1 if rng.random() < 0.5 else -1)
        c_roll = rng.uniform(0.02, 0.08) * (1 if rng.random() < 0.5 else -1)
        reps = []
        t = self.t
        for _ in range(n):
            a = other_tilt * math.exp(rng.normal(0.0, 0.1))
            r = rise * (1.0 + rng.normal(0.0, 0.1))
            f = fall * (1.0 + rng.normal(0.0, 0.1))
            reps.append((t, r, f, a))
            t += max(period * (1.0 + rng.normal(0.0, 0.06)), r + f + 0.05)
        jolt = self.tissue.gain * 0.05

        def draw(b: Body) -> None:
            for t0, r, f, a in reps:
                b.bump(b.pitch, t0, r, 0.0, f, c_pitch * a)
                b.bump(b.roll, t0, r, 0.0, f, c_roll * a)
                b.landing(t0 + r + f, 0.2, 9.0, 0.05, jolt, np.array([0.0, 0.0, 1.0]))

        self.ops.append(draw)
        self._event("other_leg", start, t)
        self.t = t

    def knee_raises(self, n: int, cadence: float) -> None:
        """Seated knee raises: the foot leaves the floor, the hip flexes 15-35 deg."""
        rng = self.rng
        start = self.t
        period = 60.0 / cadence
        lift = rng.uniform(15.0, 35.0) * DEG
        up, hold, down = rng.uniform(0.6, 1.4), rng.uniform(0.0, 1.5), rng.uniform(0.6, 1.4)
        reps = []
        t = self.t
        for _ in range(n):
            a = lift * math.exp(rng.normal(0.0, 0.1))
            u, h, d = (v * (1.0 + rng.normal(0.0, 0.12)) for v in (up, hold, down))
            h = max(h, 0.0)
            wander = rng.normal(0.0, 3.0, 2) * DEG
            reps.append((t, u, h, d, a, wander))
            t += max(period * (1.0 + rng.normal(0.0, 0.06)), u + h + d + 0.1)
        tissue = self.tissue

        def draw(b: Body) -> None:
            for t0, u, h, d, a, wander in reps:
                b.bump(b.pitch, t0, u, h, d, a)
                b.bump(b.roll, t0, u, h, d, float(wander[0]))
                b.bump(b.yaw, t0, u, h, d, float(wander[1]))
                b.landing(
                    t0 + u + h + d,
                    0.1,
                    tissue.freq[0],
                    tissue.decay,
                    tissue.gain,
                    np.array([0.0, 0.0, 1.0]),
                )

        self.ops.append(draw)
        self._event("knee_raises", start, t)
        self.t = t

    def stand_and_walk(self) -> None:
        """Standing up, a few steps away, turning, back, sitting down."""
        rng = self.rng
        start = self.t
        up = rng.uniform(1.2, 2.2)
        steps = int(rng.integers(4, 11))
        cadence = rng.uniform(1.6, 2.0)  # steps per second
        walk = steps / cadence
        turn = rng.uniform(1.2, 2.0)
        base = rng.uniform(0.0, 2 * math.pi)
        thigh_down = -rng.uniform(82.0, 90.0) * DEG
        swing = rng.uniform(15.0, 25.0) * DEG
        speed = rng.uniform(0.9, 1.3)
        t_walk1 = start + up
        t_turn = t_walk1 + walk
        t_walk2 = t_turn + turn
        t_sit = t_walk2 + walk
        end = t_sit + up

        def draw(b: Body) -> None:
            s = b.span(start, end)
            x = b.t[s]
            stood = minjerk((x - start) / up) - minjerk((x - t_sit) / up)
            b.pitch[s] += stood * (thigh_down - 0.0)
            b.hip[s, 2] += stood * 0.42
            b.hip[s, 0] += minjerk((x - start) / up) * 0.15 - minjerk((x - t_sit) / up) * 0.15
            b.yaw[s] += math.pi * minjerk((x - t_turn) / turn) - math.pi * minjerk((x - t_sit) / up)
            for w0 in (t_walk1, t_walk2):
                env = minjerk((x - w0) / 0.6) * (1.0 - minjerk((x - w0 - walk + 0.6) / 0.6))
                ph = 2 * math.pi * cadence * (x - w0)
                b.pitch[s] += env * swing * np.sin(0.5 * ph + base)
                b.hip[s, 2] += env * 0.025 * np.cos(ph)
                b.hip[s, 1] += env * 0.02 * np.sin(0.5 * ph)
            # forward and back along x (the turn brings the walker back)
            out = speed * np.clip(x - t_walk1, 0.0, walk) - speed * np.clip(x - t_walk2, 0.0, walk)
            b.hip[s, 0] += out

        self.ops.append(draw)
        self._event("stand_walk", start, end)
        self.t = end

    def render(self, lead_out: float) -> Body:
        body = Body.empty(self.t + lead_out)
        for op in self.ops:
            op(body)
        return body


def seated_background(body: Body, rng: np.random.Generator, base: Arr) -> None:
    """The seated pose, breathing, and a slowly wandering floor."""
    t = body.t
    body.pitch += base[0]
    body.roll += base[1]
    body.yaw += base[2]
    body.hip[:, 2] += 0.46
    br_hz = rng.uniform(0.2, 0.33)
    body.pitch += rng.uniform(0.01, 0.06) * DEG * np.sin(2 * math.pi * br_hz * t)
    body.roll += rng.uniform(0.01, 0.04) * DEG * np.sin(2 * math.pi * br_hz * t + 1.3)
    # the floor wanders: smooth noise, about 0.1-0.4 deg over a minute
    knots = np.arange(0.0, t[-1] + 20.0, 10.0)
    for track, sd in ((body.pitch, 0.12), (body.roll, 0.08)):
        walk = np.cumsum(rng.normal(0.0, sd * DEG, knots.size))
        track += np.interp(t, knots, walk - walk[0]) * rng.uniform(0.3, 1.0)
