"""One finished rise of the tilt, measured and classified: the other half of the window
state machine in :mod:`soleus.signal.candidates` (compiled with numba, cached on disk).

A rise is measured once it is back down: its start, top and end (edge crossings, the
middle of the part near the top, a parabola through a sharp one), its height and hold,
the axis it turned about, and its kind (a candidate rep, a whole-leg lift, too big, or
not a heel raise). Which way is up is judged here too, in hindsight, for the first rise
of an episode.
"""

from __future__ import annotations

import numpy as np

from soleus.signal.kernels.filters import power_start
from soleus.signal.kernels.jit import compiled
from soleus.signal.recording import FloatArray

# candidate rows: kind, start, top, end, amplitude, detected at, hold, axis x, y, z,
# and the axis of the rise alone (start to top) x, y, z
KIND_REJECTED = 0.0  # not a heel raise (already counted in S_REJECTED)
KIND_REP = 1.0  # a heel-raise shape; the caller judges its height against the run
KIND_LIFT = 2.0  # a whole-leg lift: larger than the ankle allows, returned
KIND_BIG = 3.0  # larger than a heel raise but too quick to be a lift: ignored ...
# ... both with their axis filled in when no larger than p[27] and shaped like a heel
# raise: a big rep the caller may count inside a run of heel raises
KIND_SHORT = 4.0  # a heel-raise shape, its whole cycle shorter than a rep on its own
# may be (p[13]) but not shorter than p[28]: the caller counts it only inside a run, in
# its quick rhythm (a bout at 85-95/min)
ROW = 13


@compiled
def principal_axis(w: FloatArray, lo: int, hi: int, centre: bool) -> FloatArray:
    """Principal axis of the integrated rotation ``cumsum(w[lo:hi])`` (from its first
    point, or around its mean when ``centre``)."""
    n = hi - lo
    path = np.empty((n, 3))
    acc = np.zeros(3)
    for k in range(n):
        for j in range(3):
            acc[j] += w[lo + k, j]
            path[k, j] = acc[j]
    ref = np.zeros(3)
    if centre:
        for j in range(3):
            ref[j] = path[:, j].sum() / n
    else:
        ref[:] = path[0]
    c00 = c01 = c02 = c11 = c12 = c22 = 0.0  # the scatter matrix of the path
    for k in range(n):
        x0, x1, x2 = path[k, 0] - ref[0], path[k, 1] - ref[1], path[k, 2] - ref[2]
        c00 += x0 * x0
        c01 += x0 * x1
        c02 += x0 * x2
        c11 += x1 * x1
        c12 += x1 * x2
        c22 += x2 * x2
    return _principal_3x3(c00, c01, c02, c11, c12, c22)


@compiled
def _principal_3x3(
    c00: float, c01: float, c02: float, c11: float, c12: float, c22: float
) -> FloatArray:
    """The principal eigenvector of a symmetric positive semi-definite 3×3 matrix.

    Power steps from the column of the largest diagonal, until the direction stops
    changing (a few dozen at most unless the two largest eigenvalues are nearly equal;
    then any axis in their plane is as good, and a path has no single axis anyway).
    """
    v0, v1, v2 = power_start(c00, c01, c02, c11, c12, c22)
    norm = np.sqrt(v0 * v0 + v1 * v1 + v2 * v2)
    if norm == 0.0:
        return np.array([1.0, 0.0, 0.0])
    v0, v1, v2 = v0 / norm, v1 / norm, v2 / norm
    for _ in range(200):
        u0 = c00 * v0 + c01 * v1 + c02 * v2
        u1 = c01 * v0 + c11 * v1 + c12 * v2
        u2 = c02 * v0 + c12 * v1 + c22 * v2
        norm = np.sqrt(u0 * u0 + u1 * u1 + u2 * u2)
        if norm == 0.0:
            break
        u0, u1, u2 = u0 / norm, u1 / norm, u2 / norm
        done = u0 * v0 + u1 * v1 + u2 * v2 > 1.0 - 1e-14
        v0, v1, v2 = u0, u1, u2
        if done:
            break
    return np.array([v0, v1, v2])


@compiled
def _cross(t: FloatArray, y: FloatArray, i: int, level: float) -> float:
    """Time where y crosses ``level`` between samples i and i+1 (linear)."""
    i = max(min(i, y.size - 2), 0)
    y0, y1 = y[i], y[i + 1]
    if y1 == y0:
        return float(t[i])
    f = min(max((level - y0) / (y1 - y0), 0.0), 1.0)
    return float(t[i] + f * (t[i + 1] - t[i]))


@compiled
def _reversals(y: FloatArray, h: float, smooth: bool) -> int:
    """Number of peaks in ``y`` separated by dips deeper than ``h`` (a zigzag count).

    ``smooth``: counted on the median of each three bins, where one odd bin (a gap in
    the samples, a gyroscope batch late against the accelerometer's) is no reversal.
    """
    peaks = 0
    up = True
    ext = y[0]
    n = y.size
    for i in range(n):
        v = y[i]
        if smooth and 0 < i < n - 1:
            a, b = y[i - 1], y[i + 1]
            v = max(min(a, b), min(max(a, b), v))
        if up:
            if v > ext:
                ext = v
            elif ext - v >= h:
                peaks += 1
                up = False
                ext = v
        elif v < ext:
            ext = v
        elif v - ext >= h:
            up = True
            ext = v
    if up and ext - y[-1] < h and peaks == 0:
        peaks += 1
    return peaks


@compiled
def thump(hl: FloatArray, lo: int, hi: int, max_linear: float, thump_bins: int) -> bool:
    """Is the acceleration in bins lo … hi − 1 no more than a heel landing's thump?

    A heel put down on the floor ends its fall in a jolt: a short spike of acceleration
    (at most ``thump_bins`` bins above ``max_linear``) at the bottom of the release. It
    is the heel landing, not the thigh moving violently; footsteps, a bump or a bouncing
    knee (3-7 Hz) keep it up longer or come back again and again."""
    n = 0
    for k in range(lo, hi):
        if hl[k] > max_linear:
            n += 1
    return n <= thump_bins


@compiled
def first_move_sign(
    hy: FloatArray,
    hw: FloatArray,
    h0: int,
    first: int,
    now: int,
    guess: float,
    has_gyro: bool,
    lookback_bins: int,
    hysteresis: float,
    rate_hz: float,
) -> float:
    """Which way the tilt signal goes when the heel goes up, judged in hindsight.

    The running axis may still be settling during the first rise, so the tilt can
    show a fast release more than the slow rise before it. The integrated rotation
    since rest, projected on its own principal axis, does not have that problem:
    its first excursion from rest is the heel going up.
    """
    a, b = max(first - h0 - lookback_bins, 0), now - h0 + 1
    if not has_gyro or b - a < 3:
        return guess  # accelerometer tilt is a displacement: no settling problem
    v = principal_axis(hw, a, b, False)
    n = b - a
    z = np.empty(n)
    acc = np.zeros(3)
    first_w = hw[a]
    for k in range(n):
        for j in range(3):
            acc[j] += hw[a + k, j]
        # the path from its first point (cumsum minus its first row)
        z[k] = (
            (acc[0] - first_w[0]) * v[0]
            + (acc[1] - first_w[1]) * v[1]
            + (acc[2] - first_w[2]) * v[2]
        )
    z *= 180.0 / np.pi / rate_hz
    big = -1
    for k in range(n):
        if abs(z[k]) >= hysteresis:
            big = k
            break
    if big < 0:
        return guess
    up = 1.0 if z[big] > 0 else -1.0
    # which way the tilt signal moved meanwhile, from the rest before, all along (the
    # two are one movement; at one moment, the thigh back near its rest, either may be
    # off the other by the tracker's settling reference)
    r = min(lookback_bins, n - 1)
    y0, z0 = hy[a : a + r].mean(), z[:r].mean()
    agree = 0.0
    for k in range(n):
        agree += (hy[a + k] - y0) * (z[k] - z0)
    return up if agree >= 0 else -up


@compiled
def measure(
    ht: FloatArray,
    hy: FloatArray,
    hl: FloatArray,
    hw: FloatArray,
    a: int,
    b: int,
    sign: float,
    floor: float,
    now: float,
    p: FloatArray,
    row: FloatArray,
    cut: bool,
) -> None:
    """A finished rise: its times, height and axis, and what kind of movement it was.

    ``cut``: the rise was cut off at a dip before the next one (it ends there).
    """
    min_tilt, max_tilt, max_lift = p[7], p[8], p[9]
    min_rise_s, max_rise_s, max_release_s, min_rep_s = p[10], p[11], p[12], p[13]
    max_linear, edge_fraction, top_fraction, peak_s = p[15], p[16], p[17], p[18]
    reversal_fraction, run_min_tilt, big_tilt, short_rep_s = p[21], p[23], p[27], p[28]
    thump_bins = int(p[29])
    t = ht[a:b]
    y = sign * hy[a:b] - floor
    k = int(np.argmax(y))
    last = y.size - 1
    amp = y[k]
    edge = edge_fraction * amp
    top_lvl = top_fraction * amp
    # start: last crossing of the edge level before the peak
    s = 0
    for j in range(k - 1, -1, -1):
        if y[j] <= edge:
            s = j
            break
    start = _cross(t, y, s, edge)
    # top: middle of the contiguous part above 95% around the peak
    lo = k
    while lo > 0 and y[lo - 1] >= top_lvl:
        lo -= 1
    hi = k
    while hi < last and y[hi + 1] >= top_lvl:
        hi += 1
    t_in = _cross(t, y, lo - 1, top_lvl) if lo > 0 else t[lo]
    t_out = _cross(t, y, hi, top_lvl) if hi < last else t[hi]
    top = (t_in + t_out) / 2
    if t_out - t_in <= peak_s and 0 < k < last:
        # a sharp top: the vertex of the parabola through the three highest samples
        y0, y1, y2 = y[k - 1], y[k], y[k + 1]
        curv = y0 - 2 * y1 + y2
        if curv < 0:
            top = t[k] + 0.5 * (y0 - y2) / curv * (t[k + 1] - t[k])
    # end: first crossing of the edge level after the peak, else extrapolated
    after = -1
    for j in range(k, last + 1):
        if y[j] <= edge:
            after = j
            break
    if after >= 0:
        end = _cross(t, y, after - 1, edge)
    elif cut:
        end = t[last]
    else:
        j = last
        slope = (y[j] - y[j - 1]) / (t[j] - t[j - 1]) if j > 0 else 0.0
        end = t[j] + ((y[j] - edge) / -slope if slope < 0 else 0.0)
        end = min(end, t[j] + 1.0)
    # violent acceleration from the rise's start to its top is not a heel raise's, but
    # for the stop's at the top (a big, quick rep stopped short at the end of the
    # ankle's range: see jolt; the tissue rings from the rise's last bins on, where it
    # reached its top's part, TOP_FRACTION: a held top may drift higher later); in the
    # release, only a landing's thump is (the heel put down hard: see thump; the tilt
    # without a gyroscope lags the acceleration, so not only at the bottom); and before
    # the start, on the floor, it may be the last rep's landing
    stop_lo = max(a + lo - 1, a + s + 1)
    stop_hi = max(min(stop_lo + 2 + thump_bins, b), stop_lo)
    lin = hl[a + s : stop_lo].max()
    if not thump(hl, stop_lo, stop_hi, max_linear, thump_bins):
        lin = max(lin, hl[stop_lo:stop_hi].max())
    if not thump(hl, stop_hi, b, max_linear, thump_bins):
        lin = max(lin, hl[stop_hi:b].max())
    rise, dur = top - start, end - start
    row[1], row[2], row[3], row[4], row[5] = start, top, end, amp, now
    row[6] = max(t_out - t_in, 0.0)
    row[7] = row[8] = row[9] = 0.0
    row[10] = row[11] = row[12] = 0.0
    if lin > max_linear or amp > max_lift:
        row[0] = KIND_REJECTED
        return
    # (a short rep, the caller's to judge: its cycle and rise down to short_rep_s / min_rep_s
    # of the usual limits)
    short = dur < min_rep_s or rise < min_rise_s
    shaped = (
        min_rise_s * short_rep_s / min_rep_s <= rise <= max_rise_s
        and end - top <= max_release_s
        and dur >= short_rep_s
        # else shaking (a bouncing knee): one odd bin is let be, but shaking fast enough
        # (5-7 Hz, 4-5 bins a cycle) to lose its dips in a median of three is not
        and _reversals(y, reversal_fraction * amp, True) <= 1
        and _reversals(y, reversal_fraction * amp, False) <= 2
    )
    if amp > max_tilt:
        row[0] = KIND_LIFT if dur >= 2 * min_rep_s else KIND_BIG
        if amp <= big_tilt and shaped and not short:
            axis = principal_axis(hw, a, b, True)
            row[7], row[8], row[9] = axis[0], axis[1], axis[2]
        return
    # (down to a hysteresis p[4]: the detector takes a rep under run_min_tilt only on
    # a confirmed run's beat, rhythm.on_beat)
    if amp < min(min_tilt, run_min_tilt, p[4]) or not shaped:
        row[0] = KIND_REJECTED
        return
    # the rep's own axis: principal direction of its integrated rotation
    # (integration averages out the noise of accelerometer-derived rates)
    axis = principal_axis(hw, a, b, True)
    row[0] = KIND_SHORT if short else KIND_REP
    row[7], row[8], row[9] = axis[0], axis[1], axis[2]
    # ... and of the rise alone: a turn of the phone in the pocket that begins in the
    # release (and cuts it short) turns the whole rep's axis its way, not the rise's
    if k - s >= 2:
        axis = principal_axis(hw, a + s, a + k + 1, False)
        row[10], row[11], row[12] = axis[0], axis[1], axis[2]
