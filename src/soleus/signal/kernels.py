"""The loops of :mod:`soleus.signal.orientation`, compiled with numba.

The physics, the constants and the reasons are orientation.py's; here are its steps
written out sample by sample and bin by bin, so that no step allocates an hour-long
temporary. Raw samples are binned and the bins tracked a block (BLOCK bins) at a time:
the block's samples are low-passed (accelerometer only) and averaged per bin, then
the bins pass through the gyroscope bias, the principal axis, its sign, the integrators
and the complementary filter. Every filter's state lives in :class:`State`, carried
from one ``feed`` to the next, so any chunking gives the same bins, bit for bit.

The arithmetic keeps the order of the numpy formulas it replaced (scipy's ``lfilter``
is the transposed direct form II: ``y = z + b₀x``, then ``z = b₁x − a₁y``), so results
agree with them to rounding. Kernels compile on their first call and are cached on
disk (``cache=True``), so later processes only load them.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, NamedTuple, TypeVar, cast

import numba
import numpy as np
from numpy.typing import NDArray

from soleus.signal.recording import FloatArray

IntArray = NDArray[np.int64]

_F = TypeVar("_F", bound=Callable[..., Any])


def _inline(fn: _F) -> _F:
    # a helper, inlined where it is called
    return cast(_F, numba.njit(cache=True, error_model="numpy", inline="always")(fn))


def _kernel(fn: _F) -> _F:
    # error_model="numpy": a float division never raises (every divisor is clamped)
    return cast(_F, numba.njit(cache=True, error_model="numpy")(fn))


class Coefficients(NamedTuple):
    """The per-bin filters, derived from orientation.py's constants (see TiltTracker)."""

    rate_hz: float  # bins per second
    dt: float  # bin length, s
    gravity: float  # m/s², subtracted from |a| for the vertical acceleration
    axis_b: float  # covariance EMA: c = axis_b·x + axis_lam·c
    axis_lam: float
    leak_lam: float  # leaky integrator: θ = dt·ω + leak_lam·θ
    comp_alpha: float  # complementary filter (high-pass of gyro tilt − gravity tilt)
    bias_b: float  # gyroscope bias EMA after the warm-up mean
    bias_lam: float
    bias_zi: float  # scipy's lfilter_zi of that EMA (the steady state for input 1)
    bias_warm: int  # still bins averaged plainly before the EMA takes over
    still_part_bins: int
    still_parts: int
    still_range: float
    disp_b: float  # accelerometer only: slow average of gravity's direction
    disp_lam: float
    disp_zi: float
    posture_rad: float  # still this far from the resting tilt: a new posture, re-zeroed ...
    posture_bins: int  # ... after this many still bins (a held leg lift is let be) ...
    far_rad: float  # ... or right away (still_acc_bins) this far: no lift goes so far
    still_acc_rate: float  # accelerometer only: gravity turning slower than this (rad/s) ...
    still_acc_bins: int  # ... for this many bins is still


# Scalars of State.f, by offset.
COV = 0  # 6: EMA of the products x0x0 x0x1 x0x2 x1x1 x1x2 x2x2 of the tracked vector
AXIS = 6  # 3: the last principal axis as computed, before its sign was fixed
SIGN = 9  # 1: the running sign that keeps the axis continuous
THETA = 10  # 1: integrator of the rate about the axis
THETA_ACC = 11  # 1: integrator of gravity's rate about the axis
COMP = 12  # 1: complementary filter
PREV_G = 13  # 3: gravity's direction in the last bin
G_SLOW = 16  # 3: accelerometer only: slow average of gravity's direction
BIAS = 19  # 3: gyroscope bias as of the last still bin
BIAS_SUM = 22  # 3: sum of the still bins during the warm-up
BIAS_Z = 25  # 3: the bias EMA's state after the warm-up
N_FLOAT = 28
# Counters and flags of State.n
BINS = 0  # bins seen
STILL = 1  # still bins seen
HAVE_LAST_ACC = 2  # 1 once State.last_acc holds a bin
HAVE_LAST_GYRO = 3
STILL_RUN = 4  # still bins in a row


class State(NamedTuple):
    f: FloatArray  # the scalars above
    n: IntArray  # the counters above
    # 3 × (still_part_bins · still_parts − 1): the raw gyroscope bins before the next one
    # (the stillness of a bin looks that far back)
    hist: FloatArray
    last_acc: FloatArray  # 6: the last accelerometer bin (raw, low-passed): empty bins hold it
    last_gyro: FloatArray  # 3: the same for the gyroscope
    lowpass: FloatArray  # 2×3: accelerometer only, the raw-rate low-pass's state


def new_state(coef: Coefficients) -> State:
    f = np.zeros(N_FLOAT)
    f[AXIS] = 1.0  # the first axis is compared with x
    f[SIGN] = 1.0
    span = coef.still_part_bins * coef.still_parts
    return State(
        f,
        np.zeros(5, np.int64),
        np.zeros((3, span - 1)),
        np.zeros(6),
        np.zeros(3),
        np.zeros((2, 3)),
    )


# Bins are made and tracked in blocks: the steps whose bins are independent of each
# other (stillness, power steps) run as loops of their own over a block, the recursive
# filters bin by bin, and the block's scratch stays in the cache (hour-long temporaries
# cost more in page faults than in arithmetic).
BLOCK = 256

# -- raw samples -------------------------------------------------------------------


@_inline
def _first_in_bin(t: FloatArray, lo: int, hi: int, rate_hz: float, k: int) -> int:
    """The first of the samples lo … hi − 1 in bin ≥ k (np.searchsorted on the bins)."""
    while lo < hi:
        mid = (lo + hi) >> 1
        if int(t[mid] * rate_hz) < k:
            lo = mid + 1
        else:
            hi = mid
    return lo


@_kernel
def usable(t: FloatArray, rate_hz: float, stop: int) -> int:
    """How many samples lie in bins before ``stop``; −1 if their bins are out of order.

    (The samples are taken in order of their bins; a stream that is not is sorted
    first, see TiltTracker.)
    """
    lo = _first_in_bin(t, 0, t.size, rate_hz, stop)
    ordered = True
    for i in range(1, lo):
        ordered &= bool(int(t[i] * rate_hz) >= int(t[i - 1] * rate_hz))
    return lo if ordered else -1


@_inline
def _lowpass(z: FloatArray, c: int, x: float, b: FloatArray, a: FloatArray) -> float:
    """scipy's lfilter (order 2, transposed direct form II), one sample of axis c."""
    y = z[0, c] + b[0] * x
    z[0, c] = z[1, c] + x * b[1] - y * a[1]
    z[1, c] = x * b[2] - y * a[2]
    return float(y)


@_kernel
def _first_bin_mean(
    t: FloatArray,
    v: FloatArray,
    cut: int,
    rate_hz: float,
    first_bin: int,
    last: FloatArray,
    lp_b: FloatArray,
    lp_a: FloatArray,
    lp_z: FloatArray,
) -> None:
    """last = the mean of the first bin from ``first_bin`` with samples (zeros if none).

    Empty bins before it, with nothing before them to hold, take its value. The
    low-pass (if ``lp_b`` is not empty) runs on a copy of its state.
    """
    lowpass = lp_b.size > 0
    z = lp_z.copy()
    target = -1
    count = 0
    sums = np.zeros(6)
    for i in range(cut):
        k = int(t[i] * rate_hz)
        if target >= 0 and k != target:
            break
        for c in range(3):
            x = v[i, c]
            if k >= first_bin:
                sums[c] += x
            if lowpass:
                y = _lowpass(z, c, x, lp_b, lp_a)
                if k >= first_bin:
                    sums[3 + c] += y
        if k >= first_bin:
            target = k
            count += 1
    for c in range(last.size):
        last[c] = sums[c] / count if count else 0.0


@_inline
def _hold(
    out: FloatArray,
    lo: int,
    hi: int,
    l0: float,
    l1: float,
    l2: float,
    l3: float,
    l4: float,
    l5: float,
    lowpass: bool,
) -> None:
    """out[:, lo:hi] = the bin values l (3, or 6 with the low-pass)."""
    for k in range(lo, hi):
        out[0, k], out[1, k], out[2, k] = l0, l1, l2
        if lowpass:
            out[3, k], out[4, k], out[5, k] = l3, l4, l5


@_kernel
def _bin_block(
    t: FloatArray,
    v: FloatArray,
    pos: int,
    cut: int,
    rate_hz: float,
    first: int,
    nb: int,
    out: FloatArray,
    last: FloatArray,
    lp_b: FloatArray,
    lp_a: FloatArray,
    lp_z: FloatArray,
    empty: FloatArray,
) -> int:
    """The mean of the samples from ``pos`` in each bin first … first + nb − 1.

    Into out (3×nb, or 6×nb with the low-pass: columns 3–5 are the means of the
    low-passed samples, scipy's lfilter run sample by sample). Samples in bins before
    ``first`` only pass through the low-pass. An empty bin holds ``last`` (the last
    bin with samples; updated) and is marked 1.0 in ``empty`` (others 0.0). Returns the
    position of the first sample not used.
    """
    for k in range(nb):
        empty[k] = 1.0
    lowpass = lp_b.size > 0
    end = _first_in_bin(t, pos, cut, rate_hz, first + nb)
    l0, l1, l2 = last[0], last[1], last[2]  # the last bin with samples
    l3 = l4 = l5 = 0.0
    if lowpass:
        l3, l4, l5 = last[3], last[4], last[5]
    filled = 0  # bins of the block written so far
    cur = -1  # the bin being summed (relative), its count and sums
    count = 0
    s0 = s1 = s2 = f0 = f1 = f2 = 0.0
    # (indexed from 0: numba drops its negative-index checks)
    ts, vs, n_samples = t[pos:end], v[pos:end], end - pos
    for p in range(n_samples + 1):
        j = int(ts[p] * rate_hz) - first if p < n_samples else nb
        if j != cur:
            if count:
                _hold(out, filled, cur, l0, l1, l2, l3, l4, l5, lowpass)
                l0, l1, l2 = s0 / count, s1 / count, s2 / count
                if lowpass:
                    l3, l4, l5 = f0 / count, f1 / count, f2 / count
                _hold(out, cur, cur + 1, l0, l1, l2, l3, l4, l5, lowpass)
                empty[cur] = 0.0
                filled = cur + 1
            if p == n_samples:
                break
            cur = j
            count = 0
            s0 = s1 = s2 = f0 = f1 = f2 = 0.0
        x0, x1, x2 = vs[p, 0], vs[p, 1], vs[p, 2]
        if lowpass:
            f0 += _lowpass(lp_z, 0, x0, lp_b, lp_a)
            f1 += _lowpass(lp_z, 1, x1, lp_b, lp_a)
            f2 += _lowpass(lp_z, 2, x2, lp_b, lp_a)
        if j >= 0:
            count += 1
            s0 += x0
            s1 += x1
            s2 += x2
    _hold(out, filled, nb, l0, l1, l2, l3, l4, l5, lowpass)
    last[0], last[1], last[2] = l0, l1, l2
    if lowpass:
        last[3], last[4], last[5] = l3, l4, l5
    return end


# -- bins --------------------------------------------------------------------------
# Each step below is its own small loop over a block of bins (small loops compile to
# fast code); the filters' state is read from State.f at a block's start and written
# back at its end.


@_kernel
def _still(
    s: State,
    gyro: FloatArray,
    nb: int,
    k0: int,
    coef: Coefficients,
    hist: FloatArray,
    sums: FloatArray,
    lo: FloatArray,
    hi: FloatArray,
    still: FloatArray,
) -> None:
    """still[i] = 1.0 if bin i of the block gyro (3×nb; bin k0 + i) is still, else 0.0.

    Still: the means of the last still_parts parts of still_part_bins bins differ by
    less than still_range on every axis. The raw bins before the block are in s.hist,
    which moves on to the block's last bins. The other arrays are scratch.
    """
    # (loops index slices from 0, so numba can vectorise them)
    m = coef.still_part_bins
    back = m * coef.still_parts - 1
    n_sums = back + nb - m + 1
    for i in range(nb):
        still[i] = 1.0
    for c in range(3):
        h, kept, row = hist[c], s.hist[c], sums[c]
        for p in range(back):  # the history, then the block
            h[p] = kept[p]
        block = h[back:]
        for i in range(nb):
            block[i] = gyro[c, i]
        tail = h[nb:]
        for p in range(back):
            kept[p] = tail[p]
        # part sums, oldest bin first: row[p] = h[p] + … + h[p + m − 1]
        for p in range(n_sums):
            row[p] = h[p]
        for q in range(1, m):
            shifted = h[q:]
            for p in range(n_sums):
                row[p] += shifted[p]
        # the parts of block bin i start at row index i + r·m, r < still_parts
        for i in range(nb):
            lo[i] = row[i]
            hi[i] = row[i]
        for r in range(1, coef.still_parts):
            part = row[r * m :]
            for i in range(nb):
                hi[i] = max(hi[i], part[i])
                lo[i] = min(lo[i], part[i])
        for i in range(nb):
            if not (hi[i] - lo[i]) / m < coef.still_range:
                still[i] = 0.0
    for i in range(min(max(back - k0, 0), nb)):  # not enough history yet
        still[i] = 0.0


@_kernel
def _debias(
    gyro: FloatArray,
    nb: int,
    still: FloatArray,
    coef: Coefficients,
    s: State,
    w: FloatArray,
) -> None:
    """The de-biased rate of a block (gyro → w, 3×nb).

    The bias: a plain mean of the first bias_warm still bins, then an EMA that starts
    where the mean ended; frozen while moving.
    """
    f, cnt = s.f, s.n
    n_still = cnt[STILL]
    bias0, bias1, bias2 = f[BIAS], f[BIAS + 1], f[BIAS + 2]
    sum0, sum1, sum2 = f[BIAS_SUM], f[BIAS_SUM + 1], f[BIAS_SUM + 2]
    z0, z1, z2 = f[BIAS_Z], f[BIAS_Z + 1], f[BIAS_Z + 2]
    for j in range(nb):
        x0, x1, x2 = gyro[0, j], gyro[1, j], gyro[2, j]
        if still[j]:
            sum0, z0, bias0 = _bias_step(x0, n_still, sum0, z0, bias0, coef)
            sum1, z1, bias1 = _bias_step(x1, n_still, sum1, z1, bias1, coef)
            sum2, z2, bias2 = _bias_step(x2, n_still, sum2, z2, bias2, coef)
            n_still += 1
        w[0, j], w[1, j], w[2, j] = x0 - bias0, x1 - bias1, x2 - bias2
    cnt[STILL] = n_still
    f[BIAS], f[BIAS + 1], f[BIAS + 2] = bias0, bias1, bias2
    f[BIAS_SUM], f[BIAS_SUM + 1], f[BIAS_SUM + 2] = sum0, sum1, sum2
    f[BIAS_Z], f[BIAS_Z + 1], f[BIAS_Z + 2] = z0, z1, z2


@_kernel
def _covariance(x: FloatArray, nb: int, coef: Coefficients, f: FloatArray, cov: FloatArray) -> None:
    """The covariance EMA of x (3×nb) into cov (6×nb: c00 c01 c02 c11 c12 c22, the
    diagonal + 1e-12), for the principal axes."""
    b, lam = coef.axis_b, coef.axis_lam
    c00, c01, c02 = f[COV], f[COV + 1], f[COV + 2]
    c11, c12, c22 = f[COV + 3], f[COV + 4], f[COV + 5]
    for j in range(nb):
        x0, x1, x2 = x[0, j], x[1, j], x[2, j]
        y00 = c00 + b * (x0 * x0)
        y01 = c01 + b * (x0 * x1)
        y02 = c02 + b * (x0 * x2)
        y11 = c11 + b * (x1 * x1)
        y12 = c12 + b * (x1 * x2)
        y22 = c22 + b * (x2 * x2)
        c00, c01, c02 = lam * y00, lam * y01, lam * y02
        c11, c12, c22 = lam * y11, lam * y12, lam * y22
        cov[0, j], cov[1, j], cov[2, j] = y00 + 1e-12, y01, y02
        cov[3, j], cov[4, j], cov[5, j] = y11 + 1e-12, y12, y22 + 1e-12
    f[COV], f[COV + 1], f[COV + 2] = c00, c01, c02
    f[COV + 3], f[COV + 4], f[COV + 5] = c11, c12, c22


@_inline
def _bias_step(
    x: float, n_still: int, total: float, z: float, bias: float, coef: Coefficients
) -> tuple[float, float, float]:
    """One axis of the bias, fed a still bin: (sum, EMA state, bias) after it."""
    if n_still < coef.bias_warm:
        total += x
        return total, z, total / (n_still + 1)
    if n_still == coef.bias_warm:
        z = coef.bias_zi * bias
    y = z + coef.bias_b * x
    return total, coef.bias_lam * y, y


@_inline
def power_start(
    c00: float, c01: float, c02: float, c11: float, c12: float, c22: float
) -> tuple[float, float, float]:
    """Where power steps towards a symmetric 3×3 matrix's principal axis start: the
    column of its largest diagonal (never orthogonal to that axis)."""
    if c00 >= c11 and c00 >= c22:
        return c00, c01, c02
    if c11 >= c22:
        return c01, c11, c12
    return c02, c12, c22


@_kernel
def _principal_axes(cov: FloatArray, axes: FloatArray, nb: int) -> None:
    """Per bin, the principal axis of cov (6×nb) into axes (3×nb), unsigned.

    Two power steps from the column of the largest diagonal.
    """
    for i in range(nb):
        y00, y01, y02 = cov[0, i], cov[1, i], cov[2, i]
        y11, y12, y22 = cov[3, i], cov[4, i], cov[5, i]
        v0, v1, v2 = power_start(y00, y01, y02, y11, y12, y22)
        for _ in range(2):
            w0 = y00 * v0 + y01 * v1 + y02 * v2
            w1 = y01 * v0 + y11 * v1 + y12 * v2
            w2 = y02 * v0 + y12 * v1 + y22 * v2
            inv = 1.0 / max(math.sqrt(w0 * w0 + w1 * w1 + w2 * w2), 1e-30)
            v0, v1, v2 = w0 * inv, w1 * inv, w2 * inv
        axes[0, i], axes[1, i], axes[2, i] = v0, v1, v2


@_kernel
def _signs(f: FloatArray, axes: FloatArray, nb: int) -> None:
    """Flip axes (3×nb) so the sign is continuous from one bin to the next.

    Each axis as computed is compared with the one before it (as computed); the
    running sign flips where they point apart.
    """
    ax0, ax1, ax2, sign = f[AXIS], f[AXIS + 1], f[AXIS + 2], f[SIGN]
    for i in range(nb):
        v0, v1, v2 = axes[0, i], axes[1, i], axes[2, i]
        if v0 * ax0 + v1 * ax1 + v2 * ax2 < 0:
            sign = -sign
        ax0, ax1, ax2 = v0, v1, v2
        axes[0, i], axes[1, i], axes[2, i] = v0 * sign, v1 * sign, v2 * sign
    f[AXIS], f[AXIS + 1], f[AXIS + 2], f[SIGN] = ax0, ax1, ax2, sign


@_inline
def _across(
    g: FloatArray, j: int, p0: float, p1: float, p2: float, rate_hz: float, r: FloatArray
) -> None:
    """r[:, j] = dĝ/dt × ĝ from gravity's direction g[:, j] and p in the bin before."""
    g0, g1, g2 = g[0, j], g[1, j], g[2, j]
    d0 = (g0 - p0) * rate_hz
    d1 = (g1 - p1) * rate_hz
    d2 = (g2 - p2) * rate_hz
    r[0, j], r[1, j], r[2, j] = d1 * g2 - d2 * g1, d2 * g0 - d0 * g2, d0 * g1 - d1 * g0


@_kernel
def _gravity(
    acc: FloatArray,
    col: int,
    start: int,
    nb: int,
    coef: Coefficients,
    s: State,
    vertical: FloatArray,
    g: FloatArray,
    r: FloatArray,
) -> None:
    """From a block of accelerometer bins (acc, rows 0–2 raw): the vertical acceleration
    |a| − g (into vertical from ``start``), gravity's direction (rows col … col + 2,
    normalised; into g, 3×nb) and the rotation rate across it, dĝ/dt × ĝ (into r)."""
    out = vertical[start:]  # (indexed from 0, so numba can vectorise the loop)
    for j in range(nb):
        a0, a1, a2 = acc[0, j], acc[1, j], acc[2, j]
        out[j] = math.sqrt(a0 * a0 + a1 * a1 + a2 * a2) - coef.gravity
        x0, x1, x2 = acc[col, j], acc[col + 1, j], acc[col + 2, j]
        norm = max(math.sqrt(x0 * x0 + x1 * x1 + x2 * x2), 1e-9)
        g[0, j], g[1, j], g[2, j] = x0 / norm, x1 / norm, x2 / norm
    f = s.f
    if s.n[BINS] == 0:  # the first bin: no change yet
        f[PREV_G], f[PREV_G + 1], f[PREV_G + 2] = g[0, 0], g[1, 0], g[2, 0]
    _across(g, 0, f[PREV_G], f[PREV_G + 1], f[PREV_G + 2], coef.rate_hz, r)
    for j in range(1, nb):
        _across(g, j, g[0, j - 1], g[1, j - 1], g[2, j - 1], coef.rate_hz, r)
    f[PREV_G], f[PREV_G + 1], f[PREV_G + 2] = g[0, nb - 1], g[1, nb - 1], g[2, nb - 1]


@_kernel
def _integrate(
    w: FloatArray,
    r: FloatArray,
    start: int,
    nb: int,
    axes: FloatArray,
    coef: Coefficients,
    f: FloatArray,
    n: IntArray,
    has_acc: bool,
    gyro_empty: FloatArray,
    still: FloatArray,
    theta: FloatArray,
) -> None:
    """The rate w (3×nb) about the (signed) axes, integrated; with an accelerometer,
    fused with gravity's tilt (its rate r, 3×nb, about the same axes, integrated) by the
    complementary filter. Into theta (°) from ``start``.

    Where the gyroscope has no samples (``gyro_empty``) and the accelerometer has,
    gravity's rate stands in for it: holding the last rate through a gap in the middle
    of a quick release would keep turning the thigh at full speed for the whole gap.

    A thigh still at a tilt no heel raise reaches has a new posture (sat down, legs
    crossed or uncrossed): the tilt starts again from zero there (see _new_posture),
    instead of leaking back over half a minute under the reps that follow.
    """
    dt, leak, alpha = coef.dt, coef.leak_lam, coef.comp_alpha
    z_theta, z_theta_acc, z_comp = f[THETA], f[THETA_ACC], f[COMP]
    run = n[STILL_RUN]
    out = theta[start:]
    for j in range(nb):
        v0, v1, v2 = axes[0, j], axes[1, j], axes[2, j]
        about = w[0, j] * v0 + w[1, j] * v1 + w[2, j] * v2
        if has_acc:
            across = r[0, j] * v0 + r[1, j] * v1 + r[2, j] * v2
            if gyro_empty[j]:
                about = across
        th = z_theta + dt * about
        z_theta = leak * th
        if has_acc:
            # the same axis as gravity sees it; the gyroscope keeps the fast part
            slow = z_theta_acc + dt * across
            z_theta_acc = leak * slow
            x = th - slow
            fast = z_comp + alpha * x
            z_comp = x * -alpha - fast * -alpha
            th = slow + fast
        run = run + 1 if still[j] else 0
        if still[j] and _new_posture(abs(th), run, coef):
            z_theta = z_theta_acc = z_comp = th = 0.0
        out[j] = th * (180.0 / math.pi)
    f[THETA], f[THETA_ACC], f[COMP] = z_theta, z_theta_acc, z_comp
    n[STILL_RUN] = run


@_kernel
def _times(first_bin: int, dt: float, delay_s: float, times: FloatArray) -> None:
    """Each bin's time: its end, less the low-pass delay."""
    for i in range(times.size):
        times[i] = (float(first_bin + i) + 1.0) * dt - delay_s


@_kernel
def track_gyro(
    t_acc: FloatArray,
    acc: FloatArray,
    t_gyro: FloatArray,
    gyro: FloatArray,
    first_bin: int,
    stop: int,
    coef: Coefficients,
    s: State,
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, int, int]:
    """Raw gyroscope samples (n×3, times t_gyro) and accelerometer samples (or none)
    binned from ``first_bin`` to ``stop`` and tracked.

    Returns times, tilt (°), vertical acceleration (|a| − g) and de-biased rate (n×3)
    per bin, and how many samples of each stream were used (−1, with nothing done, if
    a stream's samples are out of order).
    """
    has_acc = t_acc.size > 0
    cut_acc = usable(t_acc, coef.rate_hz, stop)
    cut_gyro = usable(t_gyro, coef.rate_hz, stop)
    n = stop - first_bin
    times, theta = np.empty(n), np.empty(n)
    vertical, rate = np.zeros(n), np.empty((n, 3))
    if cut_acc < 0 or cut_gyro < 0:
        return times, theta, vertical, rate, cut_acc, cut_gyro
    nothing = np.empty(0)
    if not s.n[HAVE_LAST_GYRO]:
        _first_bin_mean(
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
        _first_bin_mean(
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
    cov, axes, w = np.empty((6, BLOCK)), np.empty((3, BLOCK)), np.empty((3, BLOCK))
    g, r = np.empty((3, BLOCK)), np.empty((3, BLOCK))
    gyro_empty, acc_empty = np.empty(BLOCK), np.empty(BLOCK)
    pos_acc = pos_gyro = 0
    for start in range(0, n, BLOCK):
        nb = min(BLOCK, n - start)
        pos_gyro = _bin_block(
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
        if has_acc:
            pos_acc = _bin_block(
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
        _still(s, gb, nb, k, coef, hist, sums, lo, hi, still)
        _debias(gb, nb, still, coef, s, w)
        # the principal axis of the recent rotation; the rate about it, integrated
        _covariance(w, nb, coef, s.f, cov)
        _principal_axes(cov, axes, nb)
        _signs(s.f, axes, nb)
        if has_acc:
            _gravity(ab, 0, start, nb, coef, s, vertical, g, r)
        _integrate(w, r, start, nb, axes, coef, s.f, s.n, has_acc, gyro_empty, still, theta)
        _put(rate, start, w, nb)
        s.n[BINS] = k + nb
    _times(first_bin, coef.dt, 0.0, times)
    return times, theta, vertical, rate, cut_acc, cut_gyro


@_inline
def _new_posture(angle: float, still_bins: int, coef: Coefficients) -> bool:
    """A thigh still ``angle`` (rad) from its resting tilt has changed posture: beyond any
    leg lift at once; beyond any heel raise once still longer than a lift is held."""
    if angle > coef.far_rad:
        return True
    return angle > coef.posture_rad and still_bins >= coef.posture_bins


@_kernel
def _displacement(
    g: FloatArray, r: FloatArray, nb: int, coef: Coefficients, s: State, disp: FloatArray
) -> None:
    """Accelerometer only: gravity's displacement (g, 3×nb) from its slow average (which
    starts at rest), into disp.

    Still (gravity turning slower than still_acc_rate, r, for still_acc_bins) at an angle
    from that average no heel raise reaches: a new posture (see _new_posture), which
    becomes the average at once.
    """
    f = s.f
    b, lam = coef.disp_b, coef.disp_lam
    if s.n[BINS] == 0:
        for c in range(3):
            f[G_SLOW + c] = coef.disp_zi * g[c, 0]
    gs0, gs1, gs2 = f[G_SLOW], f[G_SLOW + 1], f[G_SLOW + 2]
    run = s.n[STILL_RUN]
    for j in range(nb):
        g0, g1, g2 = g[0, j], g[1, j], g[2, j]
        r0, r1, r2 = r[0, j], r[1, j], r[2, j]
        run = run + 1 if r0 * r0 + r1 * r1 + r2 * r2 < coef.still_acc_rate**2 else 0
        d0, d1, d2 = g0 - gs0 / lam, g1 - gs1 / lam, g2 - gs2 / lam  # (gs = λ·average)
        apart = 2.0 * math.asin(min(0.5 * math.sqrt(d0 * d0 + d1 * d1 + d2 * d2), 1.0))
        if run >= coef.still_acc_bins and _new_posture(apart, run, coef):
            # re-zero: the slow average (its state) is this direction from now on
            gs0, gs1, gs2 = coef.disp_zi * g0, coef.disp_zi * g1, coef.disp_zi * g2
        y0 = gs0 + b * g0
        y1 = gs1 + b * g1
        y2 = gs2 + b * g2
        gs0, gs1, gs2 = lam * y0, lam * y1, lam * y2
        disp[0, j], disp[1, j], disp[2, j] = g0 - y0, g1 - y1, g2 - y2
    s.n[STILL_RUN] = run
    f[G_SLOW], f[G_SLOW + 1], f[G_SLOW + 2] = gs0, gs1, gs2


@_kernel
def _put(rows: FloatArray, start: int, x: FloatArray, nb: int) -> None:
    """rows[start + j] = x[:, j] (n×3 output from a 3×nb block)."""
    for j in range(nb):
        out = rows[start + j]
        out[0], out[1], out[2] = x[0, j], x[1, j], x[2, j]


@_kernel
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
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, int]:
    """Raw accelerometer samples (n×3), without a gyroscope, low-passed (lp_b, lp_a),
    binned from ``first_bin`` to ``stop`` and tracked.

    Returns times (less the low-pass delay), tilt (°) from gravity's displacement,
    vertical acceleration (|a| − g, raw) and the rate across gravity (n×3) per bin,
    and how many samples were used (−1, with nothing done, if out of order).
    """
    cut = usable(t_acc, coef.rate_hz, stop)
    n = stop - first_bin
    times, theta = np.empty(n), np.empty(n)
    vertical, rate = np.empty(n), np.empty((n, 3))
    if cut < 0:
        return times, theta, vertical, rate, cut
    if not s.n[HAVE_LAST_ACC]:
        _first_bin_mean(t_acc, acc, cut, coef.rate_hz, first_bin, s.last_acc, lp_b, lp_a, s.lowpass)
        s.n[HAVE_LAST_ACC] = 1
    ab = np.empty((6, BLOCK))
    cov, axes, disp = np.empty((6, BLOCK)), np.empty((3, BLOCK)), np.empty((3, BLOCK))
    g, r = np.empty((3, BLOCK)), np.empty((3, BLOCK))
    acc_empty = np.empty(BLOCK)
    pos = 0
    for start in range(0, n, BLOCK):
        nb = min(BLOCK, n - start)
        pos = _bin_block(
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
        _gravity(ab, 3, start, nb, coef, s, vertical, g, r)
        _put(rate, start, r, nb)
        _displacement(g, r, nb, coef, s, disp)
        # the tilt: the displacement along its principal axis
        _covariance(disp, nb, coef, s.f, cov)
        _principal_axes(cov, axes, nb)
        _signs(s.f, axes, nb)
        out = theta[start:]
        for j in range(nb):
            along = disp[0, j] * axes[0, j] + disp[1, j] * axes[1, j] + disp[2, j] * axes[2, j]
            out[j] = math.asin(min(max(along, -1.0), 1.0)) * (180.0 / math.pi)
        s.n[BINS] += nb
    _times(first_bin, coef.dt, delay_s, times)
    return times, theta, vertical, rate, cut
