"""What the body does: the thigh's attitude, the hip's position and the heel's height on a
fine time grid, written by movement "renderers" (reps, fidgets, leg crossing, ...).

Frames: world X forward, Y left, Z up. The thigh frame has x along the thigh from the
hip to the knee, z out of its front surface, y to the left. The thigh's attitude is
``Rz(swing) @ Ry(-elev) @ Rx(roll)``: ``elev`` is the angle of the thigh above the
horizontal (the knee rises -> elev grows), ``swing`` the knee moving sideways and
``roll`` the thigh turning about its own axis.

A seated soleus pushup is a heel trajectory ``heel(t)`` (m): the knee rises by
``ratio * heel`` and the thigh pivots about the hip, ``elev += asin(ratio * heel / L)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import signal

GRID_HZ = 400.0
DEG = np.pi / 180.0


# -- shapes --------------------------------------------------------------------------


def minjerk(u: np.ndarray) -> np.ndarray:
    u = np.clip(u, 0.0, 1.0)
    return u * u * u * (10.0 - 15.0 * u + 6.0 * u * u)


def rise_shape(u: np.ndarray, k: float) -> np.ndarray:
    """0 -> 1, zero speed at both ends; k < 1 is a fast start, k > 1 a slow one."""
    return minjerk(np.clip(u, 0.0, 1.0) ** k)


def fall_shape(u: np.ndarray, kind: str, k: float) -> np.ndarray:
    """The fraction of the way down (0 -> 1) after a fraction u of the release."""
    u = np.clip(u, 0.0, 1.0)
    if kind == "drop":  # speeds up under gravity, lands in the last (1 - k) of the time
        m = k
        return np.where(u <= m, u * u / m, 1.0 - (1.0 - u) ** 2 / (1.0 - m))
    if kind == "controlled":  # eccentric: constant speed with eased ends (ramp k)
        a = k
        vp = 1.0 / (1.0 - a)
        return np.where(
            u < a,
            vp * u * u / (2 * a),
            np.where(u <= 1 - a, vp * (a / 2 + u - a), 1.0 - vp * (1 - u) ** 2 / (2 * a)),
        )
    if kind == "passive":  # the calf lets go: quick at first, long settling tail
        f = 1.0 - (1.0 + k * u) * np.exp(-k * u)
        return f / (1.0 - (1.0 + k) * np.exp(-k))
    return minjerk(u)


def lp_noise(rng: np.random.Generator, n: int, fc: float, fs: float = GRID_HZ) -> np.ndarray:
    """Unit-variance low-pass noise (2nd-order Butterworth at fc)."""
    if n < 8:
        return np.zeros(n)
    sos = signal.butter(2, min(fc / (fs / 2), 0.99), output="sos")
    x = signal.sosfilt(sos, rng.standard_normal(n + 400))[400:]
    s = float(np.std(x))
    return x / s if s > 0 else x


def bp_noise(rng: np.random.Generator, n: int, lo: float, hi: float) -> np.ndarray:
    """Unit-variance band-pass noise."""
    if n < 8:
        return np.zeros(n)
    sos = signal.butter(
        2, [lo / (GRID_HZ / 2), min(hi / (GRID_HZ / 2), 0.99)], "band", output="sos"
    )
    x = signal.sosfilt(sos, rng.standard_normal(n + 400))[400:]
    s = float(np.std(x))
    return x / s if s > 0 else x


# -- the person ----------------------------------------------------------------------


@dataclass
class Body:
    """One sitter: thigh length, how much of the heel's rise reaches the knee, posture."""

    thigh_m: float
    ratio: float
    heel_m: float
    elev0: float  # rad, thigh above horizontal at rest (seat slope, chair height)
    c_swing: float  # sideways knee motion per rad of tilt
    c_roll: float  # thigh axial turn per rad of tilt
    side: str = "right"

    @staticmethod
    def draw(rng: np.random.Generator, *, ratio: tuple[float, float] | None = None) -> Body:
        if ratio is None:
            # with chair support the knee takes 0.45-0.8 of the heel's rise; up to 0.9 without
            ratio = (0.45, 0.8) if rng.random() < 0.8 else (0.6, 0.9)
        return Body(
            thigh_m=rng.uniform(0.40, 0.50),
            ratio=rng.uniform(*ratio),
            heel_m=rng.uniform(0.03, 0.06),
            elev0=rng.uniform(-8, 12) * DEG,
            c_swing=rng.uniform(-0.25, 0.25),
            c_roll=rng.uniform(-0.2, 0.2),
            side="right" if rng.random() < 0.5 else "left",
        )

    def tilt(self, heel: np.ndarray | float, ratio: float | None = None) -> np.ndarray:
        r = self.ratio if ratio is None else ratio
        return np.arcsin(np.clip(r * np.asarray(heel) / self.thigh_m, -1, 1))


# -- the timeline ----------------------------------------------------------------------


@dataclass
class Turn:
    """The phone turning in the pocket: about ``axis`` (thigh frame) by ``angle``."""

    t0: float
    dur: float
    axis: np.ndarray
    angle: float


@dataclass
class Motion:
    """Everything the body does, sampled on the grid."""

    dur: float
    t: np.ndarray = field(init=False)
    elev: np.ndarray = field(init=False)
    swing: np.ndarray = field(init=False)
    roll: np.ndarray = field(init=False)
    heel: np.ndarray = field(init=False)  # working leg, m
    heel_other: np.ndarray = field(init=False)  # the other leg, m
    hip: np.ndarray = field(init=False)  # (n, 3) m
    acc_extra: np.ndarray = field(init=False)  # (n, 3) world m/s², vibrations
    turns: list[Turn] = field(default_factory=list)

    def __post_init__(self) -> None:
        n = int(np.ceil(self.dur * GRID_HZ)) + 1
        self.t = np.arange(n) / GRID_HZ
        self.elev = np.zeros(n)
        self.swing = np.zeros(n)
        self.roll = np.zeros(n)
        self.heel = np.zeros(n)
        self.heel_other = np.zeros(n)
        self.hip = np.zeros((n, 3))
        self.acc_extra = np.zeros((n, 3))

    def idx(self, t0: float, t1: float) -> slice:
        n = self.t.size
        return slice(max(0, int(t0 * GRID_HZ)), min(n, int(np.ceil(t1 * GRID_HZ)) + 1))


# -- reps ----------------------------------------------------------------------------


@dataclass
class Rep:
    t0: float
    rise: float
    hold: float
    fall: float
    amp: float  # heel rise, m
    rise_k: float
    fall_kind: str
    fall_k: float
    bump: float  # the heel drifts up by this fraction during the hold
    partial: bool = False

    @property
    def top(self) -> float:
        """Full height: the middle of the hold (the end of the rise without one)."""
        return self.t0 + self.rise + self.hold / 2

    def fall_part(self, tt: np.ndarray) -> np.ndarray:
        """The height from the start of the release on (0 before it and after it)."""
        p = self.amp * (1.0 - self.bump)
        u = tt - self.t0 - self.rise - self.hold
        h = np.zeros_like(tt)
        m = (u >= 0) & (u < self.fall)
        h[m] = p * (1.0 - fall_shape(u[m] / self.fall, self.fall_kind, self.fall_k))
        return h

    def height(self, tt: np.ndarray, prev: Rep | None) -> np.ndarray:
        """The heel's height; a rise that starts before the last release is over blends
        out of it (no jump in speed)."""
        p = self.amp * (1.0 - self.bump)
        u = tt - self.t0
        h = self.fall_part(tt)
        r, d = self.rise, self.hold
        m = (u >= 0) & (u < r)
        w = rise_shape(u[m] / r, self.rise_k)
        base = prev.fall_part(tt[m]) if prev is not None else 0.0
        h[m] = (1.0 - w) * base + w * p
        m = (u >= r) & (u < r + d)
        h[m] = p + self.amp * self.bump * np.sin(np.pi * (u[m] - r) / max(d, 1e-9)) ** 2
        return h


def draw_fall(rng: np.random.Generator, style: str) -> tuple[str, float]:
    if style == "quick":
        kind = str(rng.choice(["drop", "minjerk", "drop"]))
    elif style == "slow":
        kind = str(rng.choice(["controlled", "minjerk", "passive"]))
    elif style == "bout":
        kind = str(rng.choice(["passive", "minjerk"]))
    else:
        kind = str(rng.choice(["controlled", "passive"]))
    k = {
        "drop": rng.uniform(0.72, 0.9),
        "controlled": rng.uniform(0.12, 0.3),
        "passive": rng.uniform(3.0, 5.5),
        "minjerk": 1.0,
    }[kind]
    return kind, float(k)


RELEASE = {  # fractions of the cycle: rise, hold, release
    "quick": ((0.18, 0.32), (0.03, 0.15), (0.10, 0.25)),
    "slow": ((0.18, 0.30), (0.02, 0.12), (0.42, 0.58)),
    "very_slow": ((0.14, 0.24), (0.0, 0.08), (0.62, 0.80)),
    "bout": ((0.30, 0.45), (0.0, 0.05), (0.45, 0.65)),  # sustained: no rest at the bottom
}


def plan_set(
    rng: np.random.Generator,
    t_start: float,
    n: int,
    cadence: float,
    release: str,
    amp: float,
    *,
    partial_p: float = 0.06,
    fade: float = 0.0,
    drift: float = 0.0,
    passive: bool = False,
) -> list[Rep]:
    """A train of n reps at ``cadence``/min. ``fade``: amplitude lost by the end (0.3 =
    ends at 70 %); ``drift``: cadence change by the end (fraction)."""
    (r_lo, r_hi), (h_lo, h_hi), (f_lo, f_hi) = RELEASE[release]
    fr_rise, fr_hold, fr_fall = (
        rng.uniform(r_lo, r_hi),
        rng.uniform(h_lo, h_hi),
        rng.uniform(f_lo, f_hi),
    )
    kind, k = draw_fall(rng, release)
    if passive:
        kind, k = "passive", float(rng.uniform(2.5, 4.5))
    rise_k = rng.uniform(0.75, 1.35)
    fatigue = rng.uniform(0.0, 0.15)
    reps: list[Rep] = []
    t = t_start
    for i in range(n):
        x = i / max(n - 1, 1)
        period = (
            60.0
            / (cadence * (1 + drift * x))
            * float(np.clip(1 + 0.06 * rng.standard_normal(), 0.8, 1.25))
        )
        a = (
            amp
            * (1 - fade * x**1.3)
            * (1 - fatigue * x)
            * float(np.clip(1 + 0.1 * rng.standard_normal(), 0.75, 1.3))
        )
        if i == 0:
            a *= rng.uniform(0.8, 1.0)
        partial = bool(rng.random() < partial_p) and 0 < i < n - 1
        if partial:
            a *= rng.uniform(0.55, 0.8)
        rise = period * fr_rise * float(np.clip(1 + 0.1 * rng.standard_normal(), 0.7, 1.3))
        hold = period * fr_hold * float(np.clip(1 + 0.3 * rng.standard_normal(), 0.0, 2.0))
        fall = period * fr_fall * float(np.clip(1 + 0.1 * rng.standard_normal(), 0.7, 1.3))
        reps.append(
            Rep(
                t0=t,
                rise=max(rise, min(0.3, 0.3 * period)),
                hold=hold if hold > 0.04 else 0.0,
                fall=max(fall, 0.12),
                amp=a,
                rise_k=float(rise_k * rng.uniform(0.9, 1.1)),
                fall_kind=kind,
                fall_k=k,
                bump=float(rng.uniform(0.005, 0.02) * min(1.0, (hold / 0.6) ** 2)),
                partial=partial,
            )
        )
        t += period
    return reps


def end_of(reps: list[Rep]) -> float:
    r = reps[-1]
    return r.t0 + r.rise + r.hold + r.fall


def render_train(
    m: Motion, reps: list[Rep], heel: np.ndarray, rng: np.random.Generator, tremor: float = 0.01
) -> None:
    """Write the heel's height for a train of reps (each may start before the last
    one is fully down). ``tremor``: physiological tremor (8-12 Hz) as a fraction of the
    height while the calf is loaded."""
    for i, rep in enumerate(reps):
        last = i + 1 == len(reps)
        t_next = rep.t0 + rep.rise + rep.hold + rep.fall + 0.1 if last else reps[i + 1].t0
        s = m.idx(rep.t0, t_next)
        tt = m.t[s]
        h = rep.height(tt, reps[i - 1] if i else None)
        h[tt >= t_next] = 0.0
        heel[s] += h
    if tremor > 0 and reps:
        s = m.idx(reps[0].t0, end_of(reps))
        f0 = rng.uniform(8, 12)
        trem = bp_noise(rng, s.stop - s.start, f0 - 1.5, f0 + 1.5)
        heel[s] += tremor * heel[s] * trem


# -- other movements -------------------------------------------------------------------


def bump(m: Motion, t0: float, up: float, hold: float, down: float) -> tuple[slice, np.ndarray]:
    """0 -> 1 (min jerk) -> hold -> 0, as (slice, values)."""
    s = m.idx(t0, t0 + up + hold + down)
    u = m.t[s] - t0
    v = np.where(u < up, minjerk(u / up), 1.0 - minjerk((u - up - hold) / down))
    return s, v


def step(m: Motion, t0: float, dur: float) -> tuple[slice, np.ndarray]:
    """0 -> 1 over dur, then 1 to the end of the recording."""
    s = slice(max(0, int(t0 * GRID_HZ)), m.t.size)
    return s, minjerk((m.t[s] - t0) / dur)


def baseline(m: Motion, rng: np.random.Generator, body: Body) -> None:
    """Sitting still: the seat posture, slow postural wander, breathing, pulse."""
    n = m.t.size
    m.elev += body.elev0 + rng.uniform(0.05, 0.35) * DEG * lp_noise(rng, n, rng.uniform(0.02, 0.08))
    m.swing += rng.uniform(0.05, 0.3) * DEG * lp_noise(rng, n, 0.05)
    m.roll += rng.uniform(0.05, 0.4) * DEG * lp_noise(rng, n, 0.05)
    fb = rng.uniform(0.15, 0.35)
    m.elev += rng.uniform(0.005, 0.04) * DEG * np.sin(2 * np.pi * fb * m.t + rng.uniform(0, 6.3))
    m.hip[:, 0] += rng.uniform(0.0002, 0.001) * np.sin(2 * np.pi * fb * m.t)
    # ballistocardiogram: a faint thump per heartbeat
    hr = rng.uniform(55, 90) / 60
    m.acc_extra[:, 2] += rng.uniform(0.002, 0.01) * np.sin(2 * np.pi * hr * m.t) ** 15


def posture_shift(m: Motion, rng: np.random.Generator, t0: float, *, turn_p: float = 0.2) -> float:
    dur = rng.uniform(0.8, 3.0)
    s, v = step(m, t0, dur)
    m.elev[s] += rng.uniform(-4, 4) * DEG * v
    m.swing[s] += rng.uniform(-5, 5) * DEG * v
    m.roll[s] += rng.uniform(-8, 8) * DEG * v
    m.hip[s] += rng.uniform([-0.03, -0.03, -0.01], [0.03, 0.03, 0.01]) * v[:, None]
    sb, vb = bump(m, t0 + dur * rng.uniform(0.1, 0.4), dur * 0.3, 0.0, dur * 0.3)
    m.elev[sb] += rng.uniform(-2, 6) * DEG * vb  # the thigh unloads while the seat moves
    if rng.random() < turn_p:
        add_turn(m, rng, t0 + dur * rng.uniform(0.2, 0.6), max_deg=30)
    return dur


def lean(m: Motion, rng: np.random.Generator, t0: float) -> float:
    """Lean back (or forward) and stay: the pelvis rolls, the thigh's angle changes a little."""
    dur = rng.uniform(1.0, 3.0)
    s, v = step(m, t0, dur)
    m.elev[s] += rng.uniform(-3, 3) * DEG * v
    m.roll[s] += rng.uniform(-2, 2) * DEG * v
    m.hip[s, 0] += rng.uniform(-0.05, 0.02) * v
    return dur


def reach(m: Motion, rng: np.random.Generator, t0: float) -> float:
    """Reach for something and come back: a slow 0.5-3° dip or lift of the thigh."""
    up, hold, down = rng.uniform(0.6, 1.8), rng.uniform(0.3, 2.0), rng.uniform(0.6, 1.8)
    s, v = bump(m, t0, up, hold, down)
    m.elev[s] += rng.choice([-1, 1]) * rng.uniform(0.5, 3.0) * DEG * v
    m.swing[s] += rng.uniform(-3, 3) * DEG * v
    m.roll[s] += rng.uniform(-4, 4) * DEG * v
    m.hip[s] += rng.uniform([-0.05, -0.04, -0.005], [0.05, 0.04, 0.005]) * v[:, None]
    return up + hold + down


def leg_bounce(m: Motion, rng: np.random.Generator, t0: float) -> float:
    """Nervous knee bouncing: quick small heel raises at 3-6 Hz."""
    dur = rng.uniform(2, 12)
    s = m.idx(t0, t0 + dur)
    u = m.t[s] - t0
    f = rng.uniform(3, 6) * (1 + 0.05 * lp_noise(rng, u.size, 0.3))
    ph = 2 * np.pi * np.cumsum(f) / GRID_HZ
    env = minjerk(u / 0.5) * (1 - minjerk((u - dur + 0.5) / 0.5))
    m.heel[s] += rng.uniform(0.003, 0.02) * env * 0.5 * (1 - np.cos(ph))
    return dur


def toe_tap(m: Motion, rng: np.random.Generator, t0: float) -> float:
    """Tapping the forefoot to a beat, heel down: tiny thigh pulses and floor thumps."""
    dur = rng.uniform(4, 20)
    s = m.idx(t0, t0 + dur)
    u = m.t[s] - t0
    f = rng.uniform(1.3, 2.5)
    ph = (u * f) % 1.0
    pulse = np.sin(np.pi * np.clip(ph / 0.45, 0, 1)) ** 2
    m.elev[s] += rng.uniform(0.05, 0.3) * DEG * pulse
    thump = np.exp(-((ph - 0.45) % 1.0) * 40) * np.sin(2 * np.pi * 25 * ((ph - 0.45) % 1.0) / f)
    m.acc_extra[s, 2] += rng.uniform(0.02, 0.15) * thump
    return dur


def typing(m: Motion, rng: np.random.Generator, t0: float) -> float:
    """Typing at a desk: a buzz of small vibrations through the body and chair."""
    dur = rng.uniform(3, 30)
    s = m.idx(t0, t0 + dur)
    n = s.stop - s.start
    env = (lp_noise(rng, n, 2.0) > -0.3).astype(float)  # bursts of keystrokes
    env = signal.lfilter([0.05], [1, -0.95], env)
    amp = rng.uniform(0.02, 0.1)
    for k in range(3):
        m.acc_extra[s, k] += amp * env * bp_noise(rng, n, 5, 25)
    m.elev[s] += rng.uniform(0.005, 0.02) * DEG * env * bp_noise(rng, n, 4, 15)
    m.roll[s] += rng.uniform(0.005, 0.02) * DEG * env * bp_noise(rng, n, 4, 15)
    return dur


def leg_cross(
    m: Motion, rng: np.random.Generator, t0: float, *, on_top: bool | None = None
) -> float:
    """Cross the legs, stay, uncross. On top: the instrumented thigh lifts 20-40° and
    turns in; underneath: the other leg presses it down a little."""
    if on_top is None:
        on_top = bool(rng.random() < 0.6)
    up, down = rng.uniform(1.0, 2.5), rng.uniform(1.0, 2.5)
    hold = rng.uniform(10, 60)
    s, v = bump(m, t0, up, hold, down)
    if on_top:
        m.elev[s] += rng.uniform(20, 40) * DEG * v
        m.swing[s] += rng.choice([-1, 1]) * rng.uniform(10, 25) * DEG * v
        m.roll[s] += rng.uniform(-25, 25) * DEG * v
        m.hip[s] += rng.uniform([-0.03, -0.02, 0.0], [0.02, 0.02, 0.02]) * v[:, None]
        for tb in (t0, t0 + up + hold):  # lifted over the other knee
            sb, vb = bump(m, tb + 0.1, 0.4, 0.0, 0.6)
            m.elev[sb] += rng.uniform(3, 10) * DEG * vb
        # the dangling foot swings now and then
        sw = m.idx(t0 + up, t0 + up + hold)
        u = m.t[sw] - t0 - up
        fp = rng.uniform(0.9, 1.4)
        m.elev[sw] += (
            rng.uniform(0.1, 1.0)
            * DEG
            * np.sin(2 * np.pi * fp * u)
            * (lp_noise(rng, u.size, 0.1) > 0.5)
        )
    else:
        m.elev[s] -= rng.uniform(0.5, 3) * DEG * v
        m.roll[s] += rng.uniform(-5, 5) * DEG * v
        m.swing[s] += rng.uniform(-3, 3) * DEG * v
    return up + hold + down


def leg_lift(m: Motion, rng: np.random.Generator, t0: float, n: int, cadence: float) -> float:
    """Seated knee raises: the foot leaves the floor, the thigh lifts 15-35° at the hip."""
    amp = rng.uniform(15, 35) * DEG
    t = t0
    for _ in range(n):
        period = 60 / cadence * rng.uniform(0.9, 1.1)
        up = period * rng.uniform(0.25, 0.35)
        hold = period * rng.uniform(0.05, 0.2)
        down = period * rng.uniform(0.25, 0.4)
        s, v = bump(m, t, up, hold, down)
        a = amp * rng.uniform(0.85, 1.15)
        m.elev[s] += a * v
        m.swing[s] += rng.uniform(-0.1, 0.1) * a * v
        m.roll[s] += rng.uniform(-0.15, 0.15) * a * v
        t += period
    return t - t0


def add_turn(
    m: Motion, rng: np.random.Generator, t0: float, *, max_deg: float = 40.0, min_deg: float = 5.0
) -> Turn:
    """The phone turns in the pocket about a random axis, then stays."""
    ax = rng.standard_normal(3)
    ax /= np.linalg.norm(ax)
    tr = Turn(
        t0=t0,
        dur=float(rng.uniform(0.3, 2.0)),
        axis=ax,
        angle=float(rng.uniform(min_deg, max_deg) * DEG * rng.choice([-1, 1])),
    )
    m.turns.append(tr)
    return tr


def other_leg_coupling(m: Motion, body: Body, rng: np.random.Generator) -> None:
    """The other leg's heel raises reach the instrumented thigh only through the pelvis
    and the chair: a small fraction of their tilt, and a little roll."""
    other = np.arcsin(np.clip(body.ratio * m.heel_other / body.thigh_m, -1, 1))
    m.elev += rng.uniform(0.02, 0.1) * other * rng.choice([-1, 1])
    m.roll += rng.uniform(0.02, 0.1) * other * rng.choice([-1, 1])
    m.swing += rng.uniform(0.0, 0.05) * other
