"""The phone in the pocket: where it sits on the thigh, how it turns in the pocket, and
what its accelerometer and gyroscope read (true specific force and rate on the fine grid).

The phone's frame is Android's: x to the right of the screen, y up the screen, z out of
the screen; lying face up it reads +g on z. Specific force f = R^T (a + g z_world) and the
gyroscope's rate is the body-frame rate of R (R: phone frame to world), both taken from
the orientation and position tracks by finite differences, so every movement's
accelerations (the pocket swinging about the hip, the hip's path, the tissue ringing)
come out of the same geometry rather than being added by hand.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from bench.sim3.body import DEG, FINE_HZ, Arr, Body, minjerk
from scipy.ndimage import gaussian_filter1d


def rot_x(a: Arr) -> Arr:
    c, s = np.cos(a), np.sin(a)
    o, z = np.ones_like(a), np.zeros_like(a)
    return np.stack(
        [np.stack([o, z, z], -1), np.stack([z, c, -s], -1), np.stack([z, s, c], -1)], -2
    )


def rot_y(a: Arr) -> Arr:
    c, s = np.cos(a), np.sin(a)
    o, z = np.ones_like(a), np.zeros_like(a)
    return np.stack(
        [np.stack([c, z, s], -1), np.stack([z, o, z], -1), np.stack([-s, z, c], -1)], -2
    )


def rot_z(a: Arr) -> Arr:
    c, s = np.cos(a), np.sin(a)
    o, z = np.ones_like(a), np.zeros_like(a)
    return np.stack(
        [np.stack([c, -s, z], -1), np.stack([s, c, z], -1), np.stack([z, z, o], -1)], -2
    )


def rot_vec(v: Arr) -> Arr:
    """Rotation matrices from rotation vectors (n, 3) (Rodrigues)."""
    v = np.atleast_2d(v)
    th = np.linalg.norm(v, axis=1)
    safe = np.where(th > 1e-12, th, 1.0)
    k = v / safe[:, None]
    kx = np.zeros((v.shape[0], 3, 3))
    kx[:, 0, 1], kx[:, 0, 2] = -k[:, 2], k[:, 1]
    kx[:, 1, 0], kx[:, 1, 2] = k[:, 2], -k[:, 0]
    kx[:, 2, 0], kx[:, 2, 1] = -k[:, 1], k[:, 0]
    s, c = np.sin(th)[:, None, None], (1.0 - np.cos(th))[:, None, None]
    out: Arr = np.eye(3)[None] + s * kx + c * (kx @ kx)
    return out


@dataclass(frozen=True)
class Turn:
    """The phone turning in the pocket: ``angle`` about ``axis`` (phone frame) over ``dur``."""

    start: float
    dur: float
    angle: float  # radians
    axis: tuple[float, float, float]


@dataclass
class Pocket:
    """Where and how the phone sits: the pocket, its place on the thigh, its orientation."""

    kind: str  # "front" or "side"
    offset: Arr  # phone position in the thigh frame (m)
    mount: Arr  # (3, 3) phone frame -> thigh frame
    described: str  # e.g. "front portrait screen-out top-to-knee, 23 deg off the surface"
    turns: list[Turn] = field(default_factory=list)


def random_pocket(rng: np.random.Generator) -> Pocket:
    front = rng.random() < 0.65
    if front:  # phone on the thigh's top: screen normal = thigh z, long axis along thigh x
        surface = np.array([[0.0, 1.0, 0.0], [-1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
        offset = np.array([rng.uniform(0.12, 0.32), rng.uniform(-0.05, 0.05), 0.075])
    else:  # on the thigh's outer side: screen normal = -thigh y
        surface = np.array([[0.0, 1.0, 0.0], [0.0, 0.0, -1.0], [-1.0, 0.0, 0.0]])
        offset = np.array([rng.uniform(0.12, 0.32), -0.085, rng.uniform(-0.02, 0.03)])
    quarter = int(rng.integers(4))
    spin = quarter * 90.0 + rng.normal(0.0, 8.0)
    screen_in = rng.random() < 0.5
    off = rng.uniform(10.0, 40.0)
    phi = rng.uniform(0.0, 2.0 * math.pi)
    tilt_axis = np.array([math.cos(phi), math.sin(phi), 0.0])
    m = surface @ rot_z(np.array([spin * DEG]))[0]
    if screen_in:
        m = m @ rot_y(np.array([math.pi]))[0]
    m = m @ rot_vec((off * DEG * tilt_axis)[None])[0]
    words = (
        f"{'front' if front else 'side'} {('portrait', 'landscape')[quarter % 2]}"
        f"{' upside-down' if quarter >= 2 else ''} screen-{'in' if screen_in else 'out'}, "
        f"{off:.0f} deg off the surface"
    )
    return Pocket("front" if front else "side", offset, m, words)


def slip_track(t: Arr, turns: list[Turn]) -> Arr:
    """(n, 3, 3): the phone's turns in the pocket so far, each held once done."""
    out = np.broadcast_to(np.eye(3), (t.size, 3, 3)).copy()
    for turn in turns:
        frac = minjerk((t - turn.start) / turn.dur)
        v = np.outer(frac * turn.angle, np.array(turn.axis))
        out = out @ rot_vec(v)
    return out


@dataclass(frozen=True)
class Truth:
    """What a perfect phone would read on the fine grid, and gravity's size there."""

    t: Arr
    acc: Arr  # (n, 3) specific force, phone frame, m/s^2
    gyro: Arr  # (n, 3) body rate, phone frame, rad/s
    gravity: Arr  # (n, 3) gravity alone, phone frame (what iOS exports apart)


def sense(body: Body, pocket: Pocket, gravity: float, smooth_s: float) -> Truth:
    """The phone's true specific force and rate from the body's tracks."""
    sig = smooth_s * FINE_HZ
    pitch = gaussian_filter1d(body.pitch, sig, mode="nearest")
    roll = gaussian_filter1d(body.roll, sig, mode="nearest")
    yaw = gaussian_filter1d(body.yaw, sig, mode="nearest")
    hip = gaussian_filter1d(body.hip, sig, axis=0, mode="nearest")
    tissue = gaussian_filter1d(body.tissue, 4.0, axis=0, mode="nearest")
    rock = gaussian_filter1d(body.rock, 4.0, axis=0, mode="nearest")
    # knee up = pitch up: the thigh's x axis turns towards +z, i.e. a rotation of -pitch
    # about y; yaw about the vertical, roll about the thigh's own axis
    thigh = rot_z(yaw) @ rot_y(-pitch) @ rot_x(roll)
    phone = thigh @ rot_vec(rock) @ pocket.mount
    if pocket.turns:
        phone = phone @ slip_track(body.t, pocket.turns)
    where = hip + np.einsum("nij,nj->ni", thigh, pocket.offset[None, :] + tissue)
    dt = 1.0 / FINE_HZ
    accel = np.gradient(np.gradient(where, dt, axis=0), dt, axis=0)
    accel[:, 2] += gravity
    f = np.einsum("nji,nj->ni", phone, accel)
    # the body rate: R^T dR/dt = [w]x, from each pair of neighbours (midpoints)
    rel = np.transpose(phone[:-1], (0, 2, 1)) @ phone[1:]
    w = (
        0.5
        * np.stack(
            [rel[:, 2, 1] - rel[:, 1, 2], rel[:, 0, 2] - rel[:, 2, 0], rel[:, 1, 0] - rel[:, 0, 1]],
            1,
        )
        / dt
    )
    mid = np.vstack([w[:1], 0.5 * (w[1:] + w[:-1]), w[-1:]])
    g = gravity * phone[:, 2, :]  # R^T (0, 0, g): the world's z row of R
    return Truth(body.t, f, mid, g)
