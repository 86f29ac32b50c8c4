"""The two drivers: raw samples binned and tracked a block at a time, with or without a
gyroscope (what :class:`soleus.signal.orientation.TiltTracker` calls).
"""

from __future__ import annotations

import math

import numpy as np

from soleus.signal.kernels.binning import bin_block, bridge, first_bin_mean, usable
from soleus.signal.kernels.filters import (
    debias,
    displacement,
    integrate,
    mark_still,
    track_gravity,
)
from soleus.signal.kernels.jit import kernel
from soleus.signal.kernels.pocket import pitch_axes, seated_posture
from soleus.signal.kernels.state import (
    BINS,
    BLOCK,
    HAVE_LAST_ACC,
    HAVE_LAST_GYRO,
    LAST_GYRO_BIN,
    Coefficients,
    State,
)
from soleus.signal.recording import FloatArray


@kernel
def _times(first_bin: int, dt: float, delay_s: float, times: FloatArray) -> None:
    """Each bin's time: its end, less the low-pass delay."""
    for i in range(times.size):
        times[i] = (float(first_bin + i) + 1.0) * dt - delay_s


@kernel
def track_gyro(
    t_acc: FloatArray,
    acc: FloatArray,
    t_gyro: FloatArray,
    gyro: FloatArray,
    first_bin: int,
    stop: int,
    coef: Coefficients,
    s: State,
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray, int, int]:
    """Raw gyroscope samples (n×3, times t_gyro) and accelerometer samples (or none)
    binned from ``first_bin`` to ``stop`` and tracked.

    Returns times, tilt (°), vertical acceleration (|a| − g), de-biased rate (n×3) and
    the cosine of gravity's angle from the seated posture (one without an
    accelerometer) per bin, and how many samples of each stream were used (−1, with nothing done, if
    a stream's samples are out of order).
    """
    has_acc = t_acc.size > 0
    cut_acc = usable(t_acc, coef.rate_hz, stop)
    cut_gyro = usable(t_gyro, coef.rate_hz, stop)
    n = stop - first_bin
    times, theta, rate = np.empty(n), np.empty(n), np.empty((n, 3))
    # (with an accelerometer every bin of these is written below: not filled first)
    vertical = np.empty(n) if has_acc else np.zeros(n)
    posture = np.empty((n, 2)) if has_acc else np.ones((n, 2))
    if cut_acc < 0 or cut_gyro < 0:
        return times, theta, vertical, rate, posture, cut_acc, cut_gyro
    nothing = np.empty(0)
    if not s.n[HAVE_LAST_GYRO]:
        first_bin_mean(
            t_gyro,
            gyro,
            cut_gyro,
            coef.rate_hz,
            first_bin,
            s.last_gyro,
            nothing,
            nothing,
            s.lowpass,
        )
        s.n[HAVE_LAST_GYRO] = 1
    if has_acc and not s.n[HAVE_LAST_ACC]:
        first_bin_mean(
            t_acc,
            acc,
            cut_acc,
            coef.rate_hz,
            first_bin,
            s.last_acc[:3],
            nothing,
            nothing,
            s.lowpass,
        )
        s.n[HAVE_LAST_ACC] = 1
    back = s.hist.shape[1]
    gb, ab = np.empty((3, BLOCK)), np.empty((3, BLOCK))
    hist, sums = np.empty((3, back + BLOCK)), np.empty((3, back + BLOCK))
    lo, hi, still = np.empty(BLOCK), np.empty(BLOCK), np.empty(BLOCK)
    axes, w = np.empty((3, BLOCK)), np.empty((3, BLOCK))
    g, r = np.empty((3, BLOCK)), np.empty((3, BLOCK))
    no_jumps = np.zeros((3, BLOCK))  # (the tilt is re-zeroed in integrate)
    gyro_empty, acc_empty, turning = np.empty(BLOCK), np.empty(BLOCK), np.empty(BLOCK)
    pos_acc = pos_gyro = 0
    gyro_bin = s.n[LAST_GYRO_BIN : LAST_GYRO_BIN + 1]
    for start in range(0, n, BLOCK):
        nb = min(BLOCK, n - start)
        start_gyro = pos_gyro
        pos_gyro = bin_block(
            t_gyro,
            gyro,
            pos_gyro,
            cut_gyro,
            coef.rate_hz,
            first_bin + start,
            nb,
            gb,
            s.last_gyro,
            nothing,
            nothing,
            s.lowpass,
            gyro_empty,
        )
        # a short gap bridged (binning.GAP_BRIDGE_S)
        bridge(
            t_gyro,
            gyro,
            start_gyro,
            pos_gyro,
            coef.rate_hz,
            first_bin + start,
            nb,
            gb,
            gyro_empty,
            gyro_bin,
        )
        if has_acc:
            pos_acc = bin_block(
                t_acc,
                acc,
                pos_acc,
                cut_acc,
                coef.rate_hz,
                first_bin + start,
                nb,
                ab,
                s.last_acc[:3],
                nothing,
                nothing,
                s.lowpass,
                acc_empty,
            )
        k = s.n[BINS]
        mark_still(s, gb, nb, k, coef, hist, sums, lo, hi, still)
        debias(gb, nb, still, coef, s, w)
        # the principal axis of the recent rotation (the phone's turns in the pocket
        # aside); the rate about it, integrated
        pitch_axes(w, nb, coef, s.f, axes, turning, True, no_jumps)
        if has_acc:
            track_gravity(ab, 0, start, nb, coef, s, vertical, g, r)
            seated_posture(g, w, turning, nb, coef, s.f, s.n, start, posture)
        integrate(
            w, r, g, vertical, start, nb, axes, coef, s.f, s.n, has_acc, gyro_empty, still,
            turning, theta,
        )  # fmt: skip
        _put(rate, start, w, nb, turning)
        s.n[BINS] = k + nb
    _times(first_bin, coef.dt, 0.0, times)
    return times, theta, vertical, rate, posture, cut_acc, cut_gyro


@kernel
def _put(rows: FloatArray, start: int, x: FloatArray, nb: int, turning: FloatArray) -> None:
    """rows[start + j] = x[:, j] (n×3 output from a 3×nb block); zero where the phone
    turns in the pocket (not the thigh's rotation)."""
    for j in range(nb):
        out = rows[start + j]
        if turning[j]:
            out[0] = out[1] = out[2] = 0.0
        else:
            out[0], out[1], out[2] = x[0, j], x[1, j], x[2, j]


@kernel
def track_acc(
    t_acc: FloatArray,
    acc: FloatArray,
    first_bin: int,
    stop: int,
    coef: Coefficients,
    s: State,
    lp_b: FloatArray,
    lp_a: FloatArray,
    delay_s: float,
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray, int]:
    """Raw accelerometer samples (n×3), without a gyroscope, low-passed (lp_b, lp_a),
    binned from ``first_bin`` to ``stop`` and tracked.

    Returns times (less the low-pass delay), tilt (°) from gravity's displacement,
    vertical acceleration (|a| − g, raw), the rate across gravity (n×3) and the cosine of
    gravity's angle from the seated posture per bin, and how many samples were used (−1,
    with nothing done, if out of order).
    """
    cut = usable(t_acc, coef.rate_hz, stop)
    n = stop - first_bin
    times, theta = np.empty(n), np.empty(n)
    vertical, rate, posture = np.empty(n), np.empty((n, 3)), np.empty((n, 2))
    if cut < 0:
        return times, theta, vertical, rate, posture, cut
    if not s.n[HAVE_LAST_ACC]:
        first_bin_mean(t_acc, acc, cut, coef.rate_hz, first_bin, s.last_acc, lp_b, lp_a, s.lowpass)
        s.n[HAVE_LAST_ACC] = 1
    ab = np.empty((6, BLOCK))
    axes, disp, jump = np.empty((3, BLOCK)), np.empty((3, BLOCK)), np.empty((3, BLOCK))
    g, r = np.empty((3, BLOCK)), np.empty((3, BLOCK))
    turning, no_turns = np.empty(BLOCK), np.zeros(BLOCK)  # (no turns without a gyroscope)
    acc_empty = np.empty(BLOCK)
    pos = 0
    for start in range(0, n, BLOCK):
        nb = min(BLOCK, n - start)
        pos = bin_block(
            t_acc,
            acc,
            pos,
            cut,
            coef.rate_hz,
            first_bin + start,
            nb,
            ab,
            s.last_acc,
            lp_b,
            lp_a,
            s.lowpass,
            acc_empty,
        )
        track_gravity(ab, 3, start, nb, coef, s, vertical, g, r)
        _put(rate, start, r, nb, no_turns)
        seated_posture(g, g, no_turns, nb, coef, s.f, s.n, start, posture)
        displacement(g, r, nb, coef, s, disp, jump)
        # the tilt: the displacement along its principal axis
        pitch_axes(disp, nb, coef, s.f, axes, turning, False, jump)
        out = theta[start:]
        for j in range(nb):
            along = disp[0, j] * axes[0, j] + disp[1, j] * axes[1, j] + disp[2, j] * axes[2, j]
            out[j] = math.asin(min(max(along, -1.0), 1.0)) * (180.0 / math.pi)
        s.n[BINS] += nb
    _times(first_bin, coef.dt, delay_s, times)
    return times, theta, vertical, rate, posture, cut
