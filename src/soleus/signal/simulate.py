"""Realistic synthetic recordings of a phone in a trouser pocket, with ground truth.

Physics: a seated person's thigh pivots at the hip; a heel rise of h cm lifts the knee
by about 0.7·h, which on a ~45 cm thigh pitches it by a few degrees (3–8°). The phone
sits in the pocket 15–25 cm from the hip, mounted in a random orientation. The
accelerometer measures specific force (motion minus gravity) and the gyroscope the
rotation rate, both in the phone's own frame. Everything else a phone in a pocket
sees is here too: sets and sustained bouts with cadence drift, sensor noise and bias,
sample-rate jitter and dropped samples, fidgets, knee jiggling, typing vibration,
crossing the legs, standing up and walking, and whole-leg lifts (flagged, not reps).

The scenario is a list of events played one after the other. ``simulate`` is pure
(seeded numpy random generator in, arrays out); ``soleus.signal.writers`` turns the
result into the file formats of the phone apps.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import signal as sps

from soleus.signal.recording import STANDARD_GRAVITY, FloatArray, Recording

GRID_HZ = 400.0


@dataclass(frozen=True)
class Rest:
    seconds: float = 5.0


@dataclass(frozen=True)
class RepSet:
    """``reps`` heel raises at ``cadence`` per minute (sets: 20–40, bouts: about 50)."""

    reps: int = 10
    cadence: float = 30.0
    amplitude_deg: float = 5.0
    rise_fraction: float = 0.45  # of the cycle
    release_s: float | None = None  # None: passive release, 0.2–0.4 s
    hold_s: float = 0.0
    drift: float = 0.0  # relative change of the cycle over the set
    incomplete_every: int = 0  # every n-th rep only reaches half height
    turn_deg: float = 0.0  # the phone turns this much in the pocket half-way through


@dataclass(frozen=True)
class Bout:
    """A sustained bout: continuous passive-release cycles for ``seconds``."""

    seconds: float = 60.0
    cadence: float = 50.0
    amplitude_deg: float = 4.0
    drift: float = 0.15
    fade: float = 0.0  # the amplitude falls by this fraction by the end


@dataclass(frozen=True)
class Fidgets:
    seconds: float = 60.0
    per_minute: float = 4.0


@dataclass(frozen=True)
class Jiggle:
    """Bouncing knee: fast small pitch oscillation, 3–7 Hz."""

    seconds: float = 10.0
    hz: float = 4.5
    amplitude_deg: float = 1.5


@dataclass(frozen=True)
class Typing:
    seconds: float = 60.0


@dataclass(frozen=True)
class LegCross:
    crossed_s: float = 30.0


@dataclass(frozen=True)
class StandWalk:
    walk_s: float = 20.0


@dataclass(frozen=True)
class LegLift:
    """The whole leg lifted from the hip: large tilt, no heel-raise pattern."""

    amplitude_deg: float = 18.0
    hold_s: float = 1.5


@dataclass(frozen=True)
class OtherLeg:
    """A set done with the other leg: the pelvis passes a few % of its tilt to this thigh."""

    reps: int = 10
    cadence: float = 30.0
    fraction: float = 0.06


Event = Rest | RepSet | Bout | Fidgets | Jiggle | Typing | LegCross | StandWalk | LegLift | OtherLeg


@dataclass(frozen=True)
class Sensors:
    rate_hz: float = 100.0
    jitter: float = 0.1  # standard deviation of sample times, in sample periods
    drop_fraction: float = 0.01
    acc_noise: float = 0.03  # m/s² per sample
    gyro_noise: float = 0.005  # rad/s per sample
    gyro_bias: float = 0.01  # rad/s, per axis, standard deviation
    gyroscope: bool = True
    accelerometer: bool = True


@dataclass(frozen=True)
class RepTruth:
    start_s: float
    top_s: float
    end_s: float
    amplitude_deg: float


@dataclass(frozen=True)
class Truth:
    reps: tuple[RepTruth, ...]
    leg_lifts: tuple[tuple[float, float], ...] = field(default=())


@dataclass(frozen=True)
class Simulated:
    recording: Recording
    truth: Truth


class _Motion:
    """Thigh angles and extra phone acceleration on the fine grid, in world terms."""

    def __init__(self, n: int) -> None:
        self.pitch = np.zeros(n)  # knee up positive, radians
        self.roll = np.zeros(n)  # about the thigh's long axis
        self.yaw = np.zeros(n)  # about the vertical
        self.acc = np.zeros((n, 3))  # extra world acceleration (walking, vibration)
        self.rot_vib = np.zeros((n, 3))  # small fast rotations (vibration), radians
        self.turn = np.zeros((n, 3))  # the phone turned in the pocket (rotation vector)


def _ramp(u: FloatArray) -> FloatArray:
    """Smooth 0→1 over u in [0, 1] (minimum-jerk-like raised cosine)."""
    return (1.0 - np.cos(np.pi * np.clip(u, 0.0, 1.0))) / 2.0


def _pulse(t: FloatArray, t0: float, rise: float, hold: float, fall: float) -> FloatArray:
    up = _ramp((t - t0) / rise)
    down = _ramp((t - t0 - rise - hold) / fall)
    return up - down


def _rep_profile(
    m: _Motion, t: FloatArray, t0: float, amp: float, rise: float, hold: float, fall: float
) -> RepTruth:
    i0, i1 = np.searchsorted(t, [t0, t0 + rise + hold + fall])
    m.pitch[i0:i1] += np.radians(amp) * _pulse(t[i0:i1], t0, rise, hold, fall)
    return RepTruth(t0, t0 + rise + hold / 2, t0 + rise + hold + fall, amp)


def _play(
    events: list[Event], rng: np.random.Generator
) -> tuple[FloatArray, _Motion, list[RepTruth], list[tuple[float, float]]]:
    total = sum(_length(e, rng) for e in events)
    t = np.arange(int(total * GRID_HZ) + 1) / GRID_HZ
    m = _Motion(t.size)
    reps: list[RepTruth] = []
    lifts: list[tuple[float, float]] = []
    now = 0.0
    for e in events:
        length = _length(e, rng)
        _apply(e, m, t, now, length, rng, reps, lifts)
        now += length
    return t, m, reps, lifts


def _length(e: Event, rng: np.random.Generator) -> float:
    if isinstance(e, Rest):
        return e.seconds
    if isinstance(e, RepSet):
        cycle = 60.0 / e.cadence
        return e.reps * cycle * (1 + max(e.drift, 0.0)) * 1.25 + e.reps * e.hold_s + 1.0
    if isinstance(e, Bout):
        return e.seconds + 2.0
    if isinstance(e, Fidgets | Jiggle | Typing):
        return e.seconds
    if isinstance(e, LegCross):
        return e.crossed_s + 4.0
    if isinstance(e, OtherLeg):
        return _length(RepSet(e.reps, e.cadence), rng)
    if isinstance(e, StandWalk):
        return e.walk_s + 6.0
    return 2.0 + e.hold_s + 1.0


def _apply(
    e: Event,
    m: _Motion,
    t: FloatArray,
    now: float,
    length: float,
    rng: np.random.Generator,
    reps: list[RepTruth],
    lifts: list[tuple[float, float]],
) -> None:
    if isinstance(e, OtherLeg):  # played like a set, its reps not this leg's
        weak = RepSet(e.reps, e.cadence, 5.0 * e.fraction)
        _apply(weak, m, t, now, length, rng, [], lifts)
    elif isinstance(e, RepSet):
        cycle = 60.0 / e.cadence
        start = now + 0.5
        for k in range(e.reps):
            c = cycle * (1 + e.drift * k / max(e.reps - 1, 1)) * (1 + 0.05 * rng.standard_normal())
            rise = c * e.rise_fraction * (1 + 0.08 * rng.standard_normal())
            fall = e.release_s if e.release_s is not None else rng.uniform(0.2, 0.4)
            fall = min(fall * (1 + 0.08 * rng.standard_normal()), c - rise)
            amp = e.amplitude_deg * (1 + 0.1 * rng.standard_normal())
            if e.incomplete_every and k % e.incomplete_every == e.incomplete_every - 1:
                amp *= 0.5
            reps.append(_rep_profile(m, t, start, amp, rise, e.hold_s, fall))
            if e.turn_deg and k == e.reps // 2:  # at any moment of the cycle
                _turn(m, t, start + rng.uniform(0, c), e.turn_deg, rng)
            start += max(c, rise + fall + 0.05) + e.hold_s
    elif isinstance(e, Bout):
        start, stop = now + 0.5, now + 0.5 + e.seconds
        k = 0
        while True:
            frac = (start - now) / e.seconds
            c = 60.0 / e.cadence * (1 + e.drift * frac) * (1 + 0.05 * rng.standard_normal())
            if start + c > stop:
                break
            fall = min(rng.uniform(0.2, 0.35), 0.4 * c)
            rise = min(c * rng.uniform(0.45, 0.6), c - fall)
            amp = e.amplitude_deg * (1 - e.fade * frac) * (1 + 0.1 * rng.standard_normal())
            reps.append(_rep_profile(m, t, start, amp, rise, 0.0, fall))
            start += c
            k += 1
    elif isinstance(e, Fidgets):
        n = rng.poisson(e.per_minute * e.seconds / 60.0)
        for t0 in np.sort(rng.uniform(now, now + e.seconds - 1.0, n)):
            dur = rng.uniform(0.15, 0.6)
            amp = np.radians(rng.uniform(0.5, 6.0)) * rng.choice([-1.0, 1.0])
            keep = rng.uniform(0.0, 1.0) < 0.4
            end = now + length
            i0, i1 = np.searchsorted(t, [t0, end])
            u = t[i0:i1]
            if keep:  # a shift of posture, settled back at the end of the event
                shape = _pulse(u, t0, dur, max(end - t0 - dur - 0.6, 0.0), 0.5)
            else:
                shape = _pulse(u, t0, dur / 2, 0.0, dur / 2)
            target = (m.pitch, m.roll, m.yaw)[int(rng.integers(3))]
            target[i0:i1] += amp * shape
    elif isinstance(e, Jiggle):
        i0, i1 = np.searchsorted(t, [now, now + e.seconds])
        u = t[i0:i1] - now
        env = np.minimum(1.0, np.minimum(u, e.seconds - u) / 0.5)
        m.pitch[i0:i1] += np.radians(e.amplitude_deg) * env * (1 - np.cos(2 * np.pi * e.hz * u)) / 2
    elif isinstance(e, Typing):
        i0, i1 = np.searchsorted(t, [now, now + e.seconds])
        u = t[i0:i1]
        # bursts of keystrokes; the vibration swells and dies over ~0.1 s (a few cycles),
        # never switching on within one grid step: a step in the 20 µm vibration
        # displacement would read as metres-per-second² spikes, which typing cannot make
        gate = np.clip(np.sin(2 * np.pi * 0.3 * u + rng.uniform(0, 6)) / 0.2 + 0.5, 0.0, 1.0)
        bursts = gate * gate * (3 - 2 * gate)
        for f in rng.uniform(8.0, 25.0, 3):
            phase = rng.uniform(0, 2 * np.pi, 3)
            m.acc[i0:i1] += bursts[:, None] * 0.15 * np.sin(2 * np.pi * f * u[:, None] + phase)
            m.rot_vib[i0:i1] += (
                bursts[:, None] * 0.0001 * np.sin(2 * np.pi * f * u[:, None] + phase)
            )
    elif isinstance(e, LegCross):
        i0, i1 = np.searchsorted(t, [now, now + length])
        u = t[i0:i1]
        shape = _pulse(u, now + 0.5, 1.2, e.crossed_s, 1.2)
        lift = np.radians(25.0) * _pulse(u, now + 0.5, 0.6, 0.3, 0.6)
        lift += np.radians(25.0) * _pulse(u, now + 0.5 + e.crossed_s, 0.6, 0.3, 0.6)
        m.pitch[i0:i1] += np.radians(12.0) * shape + lift
        m.roll[i0:i1] += np.radians(rng.uniform(10, 25)) * shape
        m.yaw[i0:i1] += np.radians(rng.uniform(10, 25)) * shape
    elif isinstance(e, StandWalk):
        i0, i1 = np.searchsorted(t, [now, now + length])
        u = t[i0:i1]
        stand = _pulse(u, now + 1.0, 1.5, e.walk_s, 1.5)
        m.pitch[i0:i1] -= np.radians(85.0) * stand
        w0, w1 = now + 2.5, now + 2.5 + e.walk_s
        walking = ((u > w0) & (u < w1)).astype(float)
        step = 0.9 * (1 + 0.05 * rng.standard_normal())
        m.pitch[i0:i1] += walking * np.radians(25.0) * np.sin(2 * np.pi * step * (u - w0))
        m.acc[i0:i1, 2] += walking * 2.5 * np.sin(2 * np.pi * 2 * step * (u - w0))
        m.acc[i0:i1, 0] += walking * 1.5 * np.sin(2 * np.pi * step * (u - w0) + 0.7)
        impacts = walking * np.maximum(0.0, np.sin(2 * np.pi * 2 * step * (u - w0))) ** 8
        m.acc[i0:i1, 2] += 6.0 * impacts
    elif isinstance(e, LegLift):
        t0 = now + 1.0
        i0, i1 = np.searchsorted(t, [t0, t0 + 1.6 + e.hold_s])
        m.pitch[i0:i1] += np.radians(e.amplitude_deg) * _pulse(t[i0:i1], t0, 0.8, e.hold_s, 0.8)
        lifts.append((t0, t0 + 1.6 + e.hold_s))


def _turn(m: _Motion, t: FloatArray, t0: float, deg: float, rng: np.random.Generator) -> None:
    """The phone turns ``deg`` in the pocket about a random axis over 0.3-1.5 s, and stays."""
    axis = rng.standard_normal(3)
    axis /= np.linalg.norm(axis)
    i0 = int(np.searchsorted(t, t0))
    u = (t[i0:] - t0) / rng.uniform(0.3, 1.5)
    m.turn[i0:] += np.radians(deg) * _ramp(u)[:, None] * axis


def _rotvec(v: FloatArray) -> FloatArray:
    """Rotation matrices (n×3×3) of rotation vectors (n×3), by Rodrigues' formula."""
    angle = np.linalg.norm(v, axis=1)
    k = v / np.maximum(angle, 1e-12)[:, None]
    kx = np.zeros((v.shape[0], 3, 3))
    kx[:, 0, 1], kx[:, 0, 2], kx[:, 1, 2] = -k[:, 2], k[:, 1], -k[:, 0]
    kx[:, 1, 0], kx[:, 2, 0], kx[:, 2, 1] = k[:, 2], -k[:, 1], k[:, 0]
    s, c = np.sin(angle)[:, None, None], np.cos(angle)[:, None, None]
    out: FloatArray = np.eye(3) + s * kx + (1 - c) * (kx @ kx)
    return out


def _rot(axis: int, angle: FloatArray) -> FloatArray:
    c, s = np.cos(angle), np.sin(angle)
    r = np.zeros((*angle.shape, 3, 3))
    i, j = [(1, 2), (2, 0), (0, 1)][axis]
    r[..., axis, axis] = 1.0
    r[..., i, i] = c
    r[..., j, j] = c
    r[..., i, j] = -s
    r[..., j, i] = s
    return r


def random_mount(rng: np.random.Generator) -> FloatArray:
    """A uniformly random rotation: phone frame to thigh frame."""
    q = rng.standard_normal(4)
    w, x, y, z = q / np.linalg.norm(q)
    return np.array(
        [
            [1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)],
            [2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)],
            [2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)],
        ]
    )


def simulate(
    events: list[Event],
    sensors: Sensors | None = None,
    seed: int = 0,
    fmt: str = "simulated",
) -> Simulated:
    """Play ``events`` and sample the phone's sensors; returns the recording and truth."""
    sensors = sensors or Sensors()
    rng = np.random.default_rng(seed)
    t, m, reps, lifts = _play(events, rng)
    # slow sway of the resting thigh: a random walk smoothed below 1 Hz (a raw random
    # walk has white-noise jerk: differentiated twice it would shake the phone with
    # broadband m/s² that no resting body makes)
    sway = np.cumsum(rng.standard_normal((t.size, 3)), axis=0) / GRID_HZ
    sway -= np.linspace(0, 1, t.size)[:, None] * sway[-1]
    sway = sps.sosfiltfilt(sps.butter(2, 1.0, fs=GRID_HZ, output="sos"), sway, axis=0)
    sway *= np.radians(0.15)
    pitch = m.pitch + sway[:, 0] + np.radians(rng.uniform(-10, 10))
    roll = m.roll + sway[:, 1]
    yaw = m.yaw + sway[:, 2] + rng.uniform(0, 2 * np.pi)

    r_thigh = _rot(2, yaw) @ _rot(1, -pitch) @ _rot(0, roll)
    vib = m.rot_vib
    r_thigh = r_thigh @ _rot(0, vib[:, 0]) @ _rot(1, vib[:, 1]) @ _rot(2, vib[:, 2])
    r_phone = r_thigh @ random_mount(rng)
    if m.turn.any():
        r_phone = r_phone @ _rotvec(m.turn)

    # phone position: r along the thigh from the hip; its world acceleration
    r = rng.uniform(0.15, 0.25)
    pos = r * r_thigh[:, :, 0]
    dt = 1.0 / GRID_HZ
    acc_world = np.gradient(np.gradient(pos, dt, axis=0), dt, axis=0) + m.acc
    gravity = np.array([0.0, 0.0, -STANDARD_GRAVITY])
    force = np.einsum("nji,nj->ni", r_phone, acc_world - gravity)
    r_dot = np.gradient(r_phone, dt, axis=0)
    skew = np.einsum("nji,njk->nik", r_phone, r_dot)
    omega = np.stack([skew[:, 2, 1], skew[:, 0, 2], skew[:, 1, 0]], axis=1)

    def sample(noise: float) -> FloatArray:
        n = int(t[-1] * sensors.rate_hz)
        ts = (np.arange(n) + sensors.jitter * rng.standard_normal(n)) / sensors.rate_hz
        ts = np.sort(np.clip(ts, 0.0, t[-1]))
        keep = rng.uniform(0, 1, n) >= sensors.drop_fraction
        # occasional bursts of loss (buffer overruns)
        for g in rng.integers(0, max(n - 20, 1), int(sensors.drop_fraction * n / 50)):
            keep[g : g + rng.integers(2, 20)] = False
        keep[0] = keep[-1] = True
        return ts[keep]

    t_acc = acc = t_gyro = gyro = None
    if sensors.accelerometer:
        t_acc = sample(sensors.acc_noise)
        acc = np.stack([np.interp(t_acc, t, force[:, i]) for i in range(3)], axis=1)
        acc += sensors.acc_noise * rng.standard_normal(acc.shape)
        acc += 0.05 * rng.standard_normal(3)  # accelerometer offset
    if sensors.gyroscope:
        t_gyro = sample(sensors.gyro_noise)
        gyro = np.stack([np.interp(t_gyro, t, omega[:, i]) for i in range(3)], axis=1)
        gyro += sensors.gyro_noise * rng.standard_normal(gyro.shape)
        gyro += sensors.gyro_bias * rng.standard_normal(3)
    rec = Recording(format=fmt, t_acc=t_acc, acc=acc, t_gyro=t_gyro, gyro=gyro)
    return Simulated(rec, Truth(tuple(reps), tuple(lifts)))


def length_of(e: Event, rng: np.random.Generator) -> float:
    """How long an event plays (s; a draw for the random ones)."""
    return _length(e, rng)
