"""A jolt amid reps: the thigh stopped short, or violence? (compiled, for the window scan
in :mod:`soleus.signal.candidates`).

A quick move of the thigh that ends at a hard stop ends in a jolt: a short spike of
acceleration (at most THUMP_BINS bins above MAX_LINEAR_MS2, :func:`rise.thump`) as the
soft tissue and cloth holding the phone ring on after the thigh stopped. A heel let drop
stops on the floor (the heel landing); a big, quick heel raise stops at the top of the
ankle's range (the calf's end stop), the pocket ringing as much (10-13 m/s² at 8-16 Hz
for a 12° rep risen in 0.3 s). Either way the thigh then holds where it stopped, or
turns back the way it came (the release after a top, the next rise after a landing in
a quick set). A heel let go from a top jolts the pocket too as its fall starts or speeds
up, the thigh then going on down to the floor. Footsteps, a bump or a stumble are a blow
to a thigh that goes on the way it was going and not back to its rest (a stride's next
swing, a body pushed over): that is violence, and no rep starts within CALM_S of it.
"""

from __future__ import annotations

import math

import numpy as np

from soleus.signal.kernels.jit import compiled
from soleus.signal.recording import FloatArray
from soleus.signal.rise import thump
from soleus.signal.scan_state import (
    S_LARGE_MOVES,
    S_SIGN,
    S_THUMP_END,
    S_THUMP_I,
    S_THUMP_T,
    S_VIOLENT_END,
)


@compiled
def landing(hy: FloatArray, hl: FloatArray, a: int, b: int, p: FloatArray) -> int:
    """May the violent acceleration in window bins a … b − 1 be the thigh stopping short?
    Its first violent bin if so, else −1.

    A stop's jolt (see :func:`rise.thump`) comes as a quick move of the tilt ends: the
    thigh moved by a heel raise's worth (p[7]) in the LANDING_FALL_S (p[31]) before it
    (and the LANDING_REST_S it may ring on for),
    down (the heel landing) or up (a big rep's top). (Whether the thigh then holds or
    turns back, as after a stop, is judged later: :func:`judge`.)
    """
    max_linear, min_tilt, thump_bins = p[15], float(p[7]), int(p[29])
    first = a
    while first < b and hl[first] <= max_linear:
        first += 1
    if first == b or not thump(hl, first, b, max_linear, thump_bins):
        return -1
    # (the tissue rings on after the stop: the move may have ended up to LANDING_REST_S,
    # p[30], before the jolt)
    back = max(first - int((p[31] + p[30]) * p[22]), 0)
    high = low = float(hy[first])
    for k in range(back, first):
        high, low = max(high, float(hy[k])), min(low, float(hy[k]))
    # (without a gyroscope the tilt is low-passed: the stop may show a bin or two late)
    later = float(hy[min(first + 2, b - 1)])
    fell = high - min(float(hy[first]), later)  # the tilt signal went down ...
    rose = max(float(hy[first]), later) - low  # ... or up
    return first if max(fell, rose) >= min_tilt else -1


@compiled
def judge(
    ht: FloatArray,
    hy: FloatArray,
    hw: FloatArray,
    h0: int,
    b: int,
    state: FloatArray,
    p: FloatArray,
    new: bool,
    has_gyro: bool,
) -> None:
    """A stop's jolt waits (S_THUMP_*) until the thigh has had LANDING_REST_S (p[30])
    after it: a thigh stopped short holds there or turns back the way it came, while
    footsteps or a bump come with the thigh going on the way it went. Going on (turning
    by a hysteresis, p[4], onwards in that time), it was violence after all. Judged once
    that time has passed (or another jolt comes, ``new``), from a little after the
    jolt: two bins (the tissue's ringing), or without a gyroscope as long as the
    low-passed tilt takes to settle after a quick move (LANDING_FALL_S). With a
    gyroscope the turning is its rate, integrated, along the rotation of the
    LANDING_FALL_S before the jolt: the tilt itself goes on settling for a while after a
    jolt (the complementary filter takes gravity's direction back in), with the thigh
    still."""
    lag = 2 / p[22] if has_gyro else p[31]
    t0 = state[S_THUMP_T]
    if np.isnan(t0) or (ht[b - 1] < t0 + lag + p[30] and not new):
        return
    state[S_THUMP_T] = np.nan
    j0 = int(state[S_THUMP_I]) - h0
    if j0 < 0:
        return
    back = max(j0 - int((p[31] + p[30]) * p[22]), 0)
    # the way the thigh went into the jolt: its rotation (or tilt) over the move before
    # (as landing looks for it)
    u0 = u1 = u2 = 0.0
    for i in range(back + 1, j0 + 1):
        dt = ht[i] - ht[i - 1]
        u0, u1, u2 = u0 + hw[i, 0] * dt, u1 + hw[i, 1] * dt, u2 + hw[i, 2] * dt
    way = 1.0 if hy[j0] >= hy[back] else -1.0
    i0 = j0
    while i0 < b - 1 and ht[i0] < t0 + lag:
        i0 += 1
    onward = 0.0  # the tilt's furthest onwards since, without a gyroscope
    r0 = r1 = r2 = 0.0  # the rotation since (radians, with a gyroscope)
    i = i0
    while i < b and ht[i] <= t0 + lag + p[30]:
        onward = max(onward, way * (hy[i] - hy[i0]))
        if i > i0:
            dt = ht[i] - ht[i - 1]
            r0, r1, r2 = r0 + hw[i, 0] * dt, r1 + hw[i, 1] * dt, r2 + hw[i, 2] * dt
        i += 1
    # (the rotation as a whole, along the move's: the tissue's ringing rocks the phone
    # to and fro)
    size = math.sqrt(u0 * u0 + u1 * u1 + u2 * u2)
    if np.degrees(size) >= p[7]:  # (else no way to go on: any turning is moving)
        turned = np.degrees((r0 * u0 + r1 * u1 + r2 * u2) / size)
    else:
        turned = np.degrees(math.sqrt(r0 * r0 + r1 * r1 + r2 * r2))
    moved = turned if has_gyro else onward
    # (the thigh coming down towards the floor after the jolt, by a hysteresis, is a
    # rep's release, never a blow: a heel let drop from a top jolts the pocket as it
    # starts or speeds its fall, then goes on down to the floor, where it stops; a
    # stride's swing or a body pushed over does not bring the thigh back to its rest)
    sign = state[S_SIGN]
    if sign != 0.0 and i > i0 and sign * (hy[i - 1] - hy[i0]) <= -p[4]:
        return
    if moved >= p[4]:
        state[S_LARGE_MOVES] += 1
        state[S_VIOLENT_END] = max(state[S_VIOLENT_END], state[S_THUMP_END])
