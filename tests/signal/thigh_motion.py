"""A phone lying flat on a thigh that turns by given angles: the recording it makes.

Shared by the tests of confounders that turn the thigh off its heel-raise axis (crossed
legs, knee raises) and of the phone turning in the pocket."""

from __future__ import annotations

import numpy as np

from soleus.signal.recording import STANDARD_GRAVITY, Recording

RATE_HZ = 100.0


def heel_raises(
    t: np.ndarray,
    reps: int,
    *,
    height: float = 4.0,
    every: float = 2.5,
    up: float = 0.5,
    hold: float = 0.0,
    down: float = 1.2,
    start: float = 20.0,
) -> tuple[np.ndarray, list[float]]:
    """The thigh's pitch (degrees, per time in ``t``) for ``reps`` heel raises of
    ``height`` every ``every`` s from ``start`` (``up`` s up, held ``hold`` s, ``down``
    s down; by default 4° every 2.5 s from 20 s, 0.5 s up, 1.2 s down), and their tops."""
    pitch = np.zeros_like(t)
    tops = []
    for k in range(reps):
        t0 = start + every * k
        rise = np.clip((t - t0) / up, 0, 1)
        fall = np.clip((t - t0 - up - hold) / down, 0, 1)
        pitch += height * 0.5 * ((1 - np.cos(np.pi * rise)) - (1 - np.cos(np.pi * fall)))
        tops.append(t0 + up)
    return pitch, tops


def rot(axis: int, angle: np.ndarray) -> np.ndarray:
    """Rotations by ``angle`` (one per sample) about a coordinate axis, n×3×3."""
    c, s = np.cos(angle), np.sin(angle)
    r = np.zeros((angle.size, 3, 3))
    i, j = [(1, 2), (2, 0), (0, 1)][axis]
    r[:, axis, axis] = 1.0
    r[:, i, i], r[:, j, j], r[:, i, j], r[:, j, i] = c, c, -s, s
    return r


def leg(
    pitch: np.ndarray, roll: np.ndarray, yaw: np.ndarray, rng: np.random.Generator
) -> Recording:
    """A phone lying flat on the thigh (its frame the thigh's), the thigh turned by yaw
    (about the vertical), pitch (knee up) and roll (about its length), in radians per
    sample at RATE_HZ: gravity and the rate as the phone sees them, with a little noise
    drawn from ``rng``."""
    t = np.arange(pitch.size) / RATE_HZ
    r = rot(2, yaw) @ rot(1, -pitch) @ rot(0, roll)
    g = np.einsum("nji,j->ni", r, np.array([0.0, 0.0, STANDARD_GRAVITY]))
    skew = np.einsum("nji,njk->nik", r, np.gradient(r, 1 / RATE_HZ, axis=0))
    w = np.stack([skew[:, 2, 1], skew[:, 0, 2], skew[:, 1, 0]], axis=1)
    return Recording(
        format="test",
        t_acc=t,
        acc=g + rng.normal(0, 0.02, g.shape),
        t_gyro=t,
        gyro=w + rng.normal(0, 0.003, w.shape),
    )
