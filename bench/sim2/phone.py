"""From the body's motion to what a phone in the trouser pocket reports.

The phone sits on the front of the thigh at ``pos`` (thigh frame) in an arbitrary
attitude ``R_TP`` (phone axes in thigh axes), held by soft tissue and cloth that follow
the thigh like a damped spring (8-16 Hz). It may turn in the pocket (``Motion.turns``).
Specific force (what an accelerometer measures, Android sign: +9.81 on z face up) is
``R_WP^T (a + [0, 0, g])``, with ``a`` the phone's acceleration in the world (its path
on the thigh's arc, the hip's movements, vibrations); the gyroscope measures the
phone's angular velocity in its own axes, ``vee(R_WP^T dR_WP/dt)``.

Then the sensor: its own clock (rate error, jitter, dropped samples, gaps), gain and
cross-axis errors, bias (the gyro's drifting), white noise and quantisation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from bench.sim2.body import DEG, GRID_HZ, Motion, lp_noise, minjerk
from scipy import signal
from scipy.spatial.transform import Rotation


def _rx(a: np.ndarray) -> np.ndarray:
    c, s = np.cos(a), np.sin(a)
    o, z = np.ones_like(a), np.zeros_like(a)
    return np.stack([o, z, z, z, c, -s, z, s, c], axis=-1).reshape(-1, 3, 3)


def _ry(a: np.ndarray) -> np.ndarray:
    c, s = np.cos(a), np.sin(a)
    o, z = np.ones_like(a), np.zeros_like(a)
    return np.stack([c, z, s, z, o, z, -s, z, c], axis=-1).reshape(-1, 3, 3)


def _rz(a: np.ndarray) -> np.ndarray:
    c, s = np.cos(a), np.sin(a)
    o, z = np.ones_like(a), np.zeros_like(a)
    return np.stack([c, -s, z, s, c, z, z, z, o], axis=-1).reshape(-1, 3, 3)


def thigh_attitude(elev: np.ndarray, swing: np.ndarray, roll: np.ndarray) -> np.ndarray:
    return _rz(swing) @ _ry(-elev) @ _rx(roll)


@dataclass
class Pocket:
    pos: np.ndarray  # phone centre in the thigh frame, m
    R_TP: np.ndarray  # phone axes -> thigh axes
    wn: float  # soft tissue natural frequency, rad/s
    zeta: float

    @staticmethod
    def draw(rng: np.random.Generator, side: str) -> Pocket:
        lat = 1.0 if side == "left" else -1.0  # the pocket is on the outer front of the thigh
        a = rng.uniform(10, 40) * DEG  # the pocket's face is turned out by this much
        pos = np.array([rng.uniform(0.12, 0.30), 0.0, 0.0]) + rng.uniform(0.06, 0.09) * np.array(
            [0.0, lat * np.sin(a), np.cos(a)]
        )
        if rng.random() < 0.7:
            # flat in the pocket: screen towards or away from the thigh, any turn in its
            # plane, give or take the cloth's folds
            normal = Rotation.from_rotvec([lat * a, 0, 0])  # tilts z about the thigh axis
            spin = Rotation.from_rotvec([0, 0, rng.uniform(0, 2 * np.pi)])
            flip = (
                Rotation.from_rotvec([np.pi, 0, 0]) if rng.random() < 0.5 else Rotation.identity()
            )
            wobble = Rotation.from_rotvec(rng.normal(0, 12 * DEG, 3))
            R = (normal * wobble * flip * spin).as_matrix()
        else:
            R = Rotation.random(random_state=int(rng.integers(1 << 31))).as_matrix()
        return Pocket(
            pos=pos, R_TP=R, wn=2 * np.pi * rng.uniform(8, 16), zeta=rng.uniform(0.3, 0.8)
        )


def _tissue(x: np.ndarray, wn: float, zeta: float) -> np.ndarray:
    """The phone's attitude follows the thigh through a damped spring (unit DC gain)."""
    b, a = signal.bilinear([wn * wn], [1.0, 2 * zeta * wn, wn * wn], fs=GRID_HZ)
    zi = signal.lfilter_zi(b, a) * x[0]
    return signal.lfilter(b, a, x, zi=zi)[0]


def _pocket_turns(m: Motion, R0: np.ndarray) -> np.ndarray:
    n = m.t.size
    R = np.broadcast_to(R0, (n, 3, 3)).copy()
    for tr in sorted(m.turns, key=lambda x: x.t0):
        u = minjerk((m.t - tr.t0) / tr.dur)
        rot = Rotation.from_rotvec(tr.axis[None, :] * (tr.angle * u)[:, None]).as_matrix()
        R = rot @ R  # about an axis fixed in the thigh
    return R


def kinematics(m: Motion, pocket: Pocket, g: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """True specific force (n, 3), angular velocity (n, 3) in the phone's axes, and the
    thigh's attitude (n, 3, 3), on the grid."""
    elev = _tissue(m.elev, pocket.wn, pocket.zeta)
    swing = _tissue(m.swing, pocket.wn, pocket.zeta)
    roll = _tissue(m.roll, pocket.wn, pocket.zeta)
    R_WT = thigh_attitude(elev, swing, roll)
    R_TP = _pocket_turns(m, pocket.R_TP)
    R_WP = R_WT @ R_TP
    p = m.hip + R_WT @ pocket.pos
    dt = 1.0 / GRID_HZ
    a = np.zeros_like(p)
    a[1:-1] = (p[2:] - 2 * p[1:-1] + p[:-2]) / (dt * dt)
    a += m.acc_extra
    a[:, 2] += g
    f = np.einsum("nji,nj->ni", R_WP, a)
    dR = np.zeros_like(R_WP)
    dR[1:-1] = (R_WP[2:] - R_WP[:-2]) / (2 * dt)
    dR[0], dR[-1] = dR[1], dR[-2]
    W = np.einsum("nji,njk->nik", R_WP, dR)
    w = 0.5 * np.stack(
        [W[:, 2, 1] - W[:, 1, 2], W[:, 0, 2] - W[:, 2, 0], W[:, 1, 0] - W[:, 0, 1]], axis=1
    )
    return f, w, R_WT


@dataclass
class Clock:
    fs: float
    jitter: float  # sample-to-sample spread of the true instants, fraction of a period
    stamp_noise: float  # error of the reported times, fraction of a period
    drop: float  # fraction of samples lost
    gaps: int  # longer gaps (50-400 ms)

    def times(self, rng: np.random.Generator, dur: float, t_start: float) -> np.ndarray:
        fs = self.fs * rng.uniform(0.98, 1.02)  # the sensor's own rate
        n = int(dur * fs) + 1
        dt = (1.0 / fs) * np.clip(1 + self.jitter * rng.standard_normal(n), 0.3, 3.0)
        t = t_start + rng.uniform(0, 1 / fs) + np.concatenate(([0.0], np.cumsum(dt[1:])))
        t = t[t < dur - 0.01]
        keep = rng.random(t.size) >= self.drop
        for _ in range(self.gaps):
            t0 = rng.uniform(0, dur)
            keep &= ~((t > t0) & (t < t0 + rng.uniform(0.05, 0.4)))
        return t[keep]


@dataclass
class Imu:
    noise: float
    bias: np.ndarray
    gain: np.ndarray  # 3x3: scale and cross-axis
    lsb: float
    drift: float  # bias random walk scale (units per sqrt(s))

    @staticmethod
    def accel(rng: np.random.Generator) -> Imu:
        return Imu(
            noise=rng.uniform(0.01, 0.05),
            bias=rng.uniform(-0.15, 0.15, 3),
            gain=np.eye(3) * rng.uniform(0.985, 1.015, 3)
            + rng.normal(0, 0.004, (3, 3)) * (1 - np.eye(3)),
            lsb=float(rng.choice([0.0012, 0.0024, 0.0048, 0.0098])),
            drift=0.0,
        )

    @staticmethod
    def gyro(rng: np.random.Generator) -> Imu:
        return Imu(
            noise=rng.uniform(0.002, 0.01),
            bias=rng.uniform(-0.01, 0.01, 3),
            gain=np.eye(3) * rng.uniform(0.98, 1.02, 3)
            + rng.normal(0, 0.005, (3, 3)) * (1 - np.eye(3)),
            lsb=float(rng.choice([0.00015, 0.0003, 0.0011])),
            drift=rng.uniform(0.0, 0.0005),
        )

    def measure(
        self, rng: np.random.Generator, t: np.ndarray, tg: np.ndarray, x: np.ndarray
    ) -> np.ndarray:
        v = np.stack([np.interp(t, tg, x[:, k]) for k in range(3)], axis=1)
        v = v @ self.gain.T + self.bias
        if self.drift > 0 and t.size > 1:
            walk = lp_noise(rng, t.size, 0.01, fs=max(1.0, t.size / max(t[-1] - t[0], 1e-3)))
            v += (
                self.drift * np.sqrt(max(t[-1] - t[0], 1.0)) * walk[:, None] * rng.uniform(-1, 1, 3)
            )
        v += self.noise * rng.standard_normal(v.shape)
        return np.round(v / self.lsb) * self.lsb


@dataclass
class Streams:
    t_acc: np.ndarray
    acc: np.ndarray  # specific force, m/s², Android sign
    t_gyro: np.ndarray
    gyro: np.ndarray
    grav: np.ndarray  # the phone's own gravity estimate at t_acc (for the apps that write it)
    t0: float  # first sample time on the body's clock


def record(
    rng: np.random.Generator,
    m: Motion,
    pocket: Pocket,
    acc_clock: Clock,
    gyro_clock: Clock | None,
    *,
    shared: bool = False,
    g: float = 9.80665,
) -> Streams:
    """Sample the phone's sensors. ``shared``: one clock for both (the generic CSV)."""
    f, w, _ = kinematics(m, pocket, g)
    t_start = rng.uniform(0.0, 0.05)
    ta = acc_clock.times(rng, m.dur, t_start)
    tw = (
        ta
        if shared or gyro_clock is None
        else gyro_clock.times(rng, m.dur, t_start + rng.uniform(0, 0.02))
    )
    acc = Imu.accel(rng).measure(rng, ta, m.t, f)
    gyro = Imu.gyro(rng).measure(rng, tw, m.t, w)
    # the phone's fused gravity: the specific force low-passed (a ~0.5 s complementary filter)
    b, a = signal.butter(1, 1.0 / (GRID_HZ / 2))
    fg = signal.filtfilt(b, a, f, axis=0)
    fg *= g / np.linalg.norm(fg, axis=1, keepdims=True)
    grav = np.stack([np.interp(ta, m.t, fg[:, k]) for k in range(3)], axis=1)

    def stamp(clock: Clock, t: np.ndarray) -> np.ndarray:
        if clock.stamp_noise <= 0:
            return t
        return np.sort(t + clock.stamp_noise / clock.fs * rng.standard_normal(t.size))

    ta_rep = stamp(acc_clock, ta)
    tw_rep = ta_rep if tw is ta else stamp(gyro_clock or acc_clock, tw)
    t0 = float(min(ta_rep[0], tw_rep[0]))
    return Streams(ta_rep, acc, tw_rep, gyro, grav, t0)
