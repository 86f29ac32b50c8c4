"""The window scan's state between chunks: its layout, and the steps that reset it.

:mod:`soleus.signal.candidates` keeps everything it needs from one window to the next
in three arrays the caller holds (so a recording fed in any chunks gives the same
candidates as fed at once): ``state`` (float64, :data:`STATE_SIZE`, see the ``S_*``
indices), and ``lows``/``highs`` (``POINTS×3``: time, tilt, absolute bin), the recent
window extremes that can still be the floor (a monotonic queue) and, while the
episode's direction is not known, the highs.
"""

from __future__ import annotations

import numpy as np

from soleus.signal.kernels.jit import compiled
from soleus.signal.recording import FloatArray

# state indices
S_SIGN = 0  # 0: unknown (episode start), else ±1
S_BUSY_END = 1  # time of the last busy window (NaN: none yet)
S_RISING = 2  # 1 while a rise is open
S_RISE_START = 3  # absolute bin where the open rise left the floor
S_RISE_FLOOR = 4  # the floor it left (sign-adjusted tilt)
S_NLOWS = 5
S_NHIGHS = 6
S_REJECTED = 7  # rises that were not heel raises (timeouts, violent, wrong shape)
S_LARGE_MOVES = 8  # windows with more acceleration than a heel raise makes
S_MAX_LINEAR = 9  # the largest |a| − g seen (m/s²)
# the open rise so far (absolute bins): its peak, the lowest point since the peak, and
# the first bin not looked at yet (each bin is looked at once)
S_PEAK, S_PEAK_I, S_DIP, S_DIP_I, S_SEEN = 10, 11, 12, 13, 14
S_MOVE_END = 15  # when the tilt last moved clearly: a heel raise's worth from ...
S_MOVE_LEVEL = 16  # ... the level it had then
S_VIOLENT_END = 17  # when a window last had more acceleration than a heel raise makes
S_LIFT_HELD = 18  # when a held leg lift was last taken for a posture (its return follows)
# a heel landing's thump not judged yet (jolt.landing): its first violent bin's time
# (NaN: none), absolute bin, and the end of its window (the violence, if it was)
S_THUMP_T, S_THUMP_I, S_THUMP_END = 19, 20, 21
S_REST_I = 22  # the absolute bin of the rest the episode started from
# without a gyroscope: when the tilt first went a heel raise's worth from rest (NaN: not
# yet) and that rest's level; which way is up is judged COUNTER_SWING_S later (see scan)
S_FIRST_T, S_FIRST_Y = 23, 24
# the open rise's dip (value, absolute bin; bin −1: none) down by half or more from a top
# that the tilt passed again before it was clearly (a hysteresis) up from it: if it gets
# there, the dip ends a rep all the same
S_PEND_DIP, S_PEND_DIP_I = 25, 26
STATE_SIZE = 27
POINTS = 64  # window extremes within FLOOR_WINDOW_S: two per 0.32 s window, ~20


def new_state() -> tuple[FloatArray, FloatArray, FloatArray]:
    state = np.zeros(STATE_SIZE)
    state[S_BUSY_END] = np.nan
    state[S_MOVE_END] = np.nan
    state[S_VIOLENT_END] = -np.inf
    state[S_LIFT_HELD] = -np.inf
    state[S_THUMP_T] = np.nan
    state[S_FIRST_T] = np.nan
    state[S_PEND_DIP_I] = -1.0
    return state, np.zeros((POINTS, 3)), np.zeros((POINTS, 3))


@compiled
def push(pts: FloatArray, n: int, t: float, y: float, i: float, window_s: float, up: float) -> int:
    """Add a point to a queue of floor (``up`` = 1) or ceiling (−1) candidates: drop
    those not lower (not higher), then those older than ``window_s``."""
    k = n
    while k > 0 and (pts[k - 1, 1] - y) * up >= 0.0:
        k -= 1
    if k >= pts.shape[0]:  # cannot happen within a few seconds of windows; stay safe
        pts[: k - 1] = pts[1:k]
        k -= 1
    pts[k, 0], pts[k, 1], pts[k, 2] = t, y, i
    k += 1
    old = 0
    while old < k and pts[old, 0] < t - window_s:
        old += 1
    if old:
        pts[: k - old] = pts[old:k]
        k -= old
    return k


@compiled
def open_rise(state: FloatArray) -> None:
    """A rise has just been opened at S_RISE_START: nothing of it looked at yet."""
    state[S_PEAK] = state[S_DIP] = -np.inf
    state[S_PEAK_I] = state[S_DIP_I] = state[S_SEEN] = state[S_RISE_START]
    state[S_PEND_DIP_I] = -1.0
