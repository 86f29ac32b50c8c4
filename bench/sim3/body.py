"""The seated body on a fine time grid: the thigh's pitch, roll and yaw, the hip's path,
and the pocket's soft tissue (the phone's small wobble on the thigh).

Angles are radians, lengths metres. The world: x forward, y left, z up. The thigh's frame:
x from hip to knee, z out of the thigh's top surface. A heel raise pitches the thigh about
the hip's medio-lateral axis (the knee end rises: pitch up); pitch -90 deg is standing.
Everything here is additive: each movement adds its share to the tracks on the slice of
the grid it covers, so movements overlap freely (a fidget during a set, a turn mid-rep).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Arr = NDArray[np.float64]

FINE_HZ = 1000.0  # the simulation's own grid; sensors sample it later
DEG = math.pi / 180.0


def minjerk(x: Arr) -> Arr:
    """The minimum-jerk step 0 -> 1 over x in [0, 1] (flat before, flat after)."""
    u = np.clip(x, 0.0, 1.0)
    return u * u * u * (10.0 - 15.0 * u + 6.0 * u * u)


@dataclass
class Body:
    """The tracks, all of length n on the grid t (seconds)."""

    t: Arr
    pitch: Arr
    roll: Arr
    yaw: Arr
    hip: Arr  # (n, 3) world position of the hip joint
    tissue: Arr  # (n, 3) the phone's displacement on the thigh, thigh frame
    rock: Arr  # (n, 3) the phone's small rotation on the thigh (rotation vector, thigh frame)

    @classmethod
    def empty(cls, duration_s: float) -> Body:
        n = math.ceil(duration_s * FINE_HZ) + 1
        t = np.arange(n, dtype=np.float64) / FINE_HZ
        z = np.zeros(n)
        return cls(
            t=t,
            pitch=z.copy(),
            roll=z.copy(),
            yaw=z.copy(),
            hip=np.zeros((n, 3)),
            tissue=np.zeros((n, 3)),
            rock=np.zeros((n, 3)),
        )

    def span(self, start: float, end: float) -> slice:
        """The grid's indices from ``start`` to ``end`` seconds (clipped to the grid)."""
        n = self.t.size
        i = min(max(math.floor(start * FINE_HZ), 0), n)
        j = min(max(math.ceil(end * FINE_HZ) + 1, i), n)
        return slice(i, j)

    def step(self, track: Arr, start: float, dur: float, delta: float) -> None:
        """A smooth change of ``delta`` over ``dur`` seconds from ``start``, held after."""
        s = self.span(start, start + dur)
        track[s] += delta * minjerk((self.t[s] - start) / dur)
        track[s.stop :] += delta

    def bump(
        self, track: Arr, start: float, up: float, hold: float, down: float, amp: float
    ) -> None:
        """Up by ``amp`` (min-jerk), held, and back down (min-jerk)."""
        s = self.span(start, start + up + hold + down)
        x = self.t[s] - start
        track[s] += amp * (minjerk(x / up) - minjerk((x - up - hold) / down))

    def landing(
        self, when: float, speed: float, freq: float, decay: float, gain: float, axis: Arr
    ) -> None:
        """The pocket's soft tissue ringing after a jolt: a damped oscillation of the
        phone on the thigh (``speed`` m/s of the thigh's surface stopped at ``when``)."""
        s = self.span(when, when + 6.0 * decay)
        x = self.t[s] - when
        w = 2.0 * math.pi * freq
        ring = np.exp(-x / decay) * np.sin(w * x)
        accel = gain * speed  # peak m/s^2 of the ringing
        disp = accel / (w * w)
        self.tissue[s] += np.outer(ring * disp, axis)
        # the phone rocks on the tissue about the thigh's side axis as it rings
        self.rock[s, 1] += ring * speed * 0.9 / w
