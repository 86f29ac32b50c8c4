"""Raw samples into bins: each bin's mean, empty bins holding the last, the raw-rate low-pass."""

from __future__ import annotations

import math

import numpy as np

from soleus.signal.kernels.jit import inline, kernel
from soleus.signal.kernels.state import IntArray
from soleus.signal.recording import STANDARD_GRAVITY, FloatArray

# Without a gyroscope the tilt is gravity's direction, low-passed: a raw sample whose
# |a| is further than this from g (a heel landing's jolt: 40-100 ms, up to 2 g) is no
# view of gravity, and low-passed it would be a tilt of a tenth of a second. The
# low-pass takes the last bin's low-passed mean in its place.
RAW_STEADY_MS2 = 4.0
# A gap in the gyroscope stream (a phone batching or dropping samples, a busy CPU) is no
# pause of the thigh: it turned on meanwhile at a rate between the last one seen and the
# next. A gap of up to GAP_BRIDGE_S (about a heel raise's rise) is bridged by the mean
# of the two, so its rotation is their trapezoid (held, the last rate would turn the
# thigh on at a rise's full speed through the whole gap, or not at all at its top).
# The bridge misses what the rate did inside the gap (a quick release swallowed whole),
# more the longer the gap; gravity's direction knows where the thigh went, blurred by
# its accelerations: so gravity's rate takes over from the bridge by (gap /
# GAP_BRIDGE_S)², and a longer gap is left to gravity (kernels.filters.integrate).
GAP_BRIDGE_S = 0.5


@inline
def _first_in_bin(t: FloatArray, lo: int, hi: int, rate_hz: float, k: int) -> int:
    """The first of the samples lo … hi − 1 in bin ≥ k (np.searchsorted on the bins)."""
    while lo < hi:
        mid = (lo + hi) >> 1
        if int(t[mid] * rate_hz) < k:
            lo = mid + 1
        else:
            hi = mid
    return lo


@kernel
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


@inline
def _lowpass(z: FloatArray, c: int, x: float, b: FloatArray, a: FloatArray) -> float:
    """scipy's lfilter (order 2, transposed direct form II), one sample of axis c."""
    y = z[0, c] + b[0] * x
    z[0, c] = z[1, c] + x * b[1] - y * a[1]
    z[1, c] = x * b[2] - y * a[2]
    return float(y)


@kernel
def first_bin_mean(
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


@inline
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


# A bin holds 4 samples at 100 Hz, 8 at 200 Hz: summed WIDE at a time (see _means).
WIDE = 8


@kernel
def _means(
    ts: FloatArray,
    vs: FloatArray,
    rate_hz: float,
    first: int,
    nb: int,
    out: FloatArray,
    last: FloatArray,
    empty: FloatArray,
) -> None:
    """bin_block without the low-pass: the mean of the samples ts, vs (in order of
    their bins; those before ``first`` left out) in each bin first … first + nb − 1.

    Summed sample by sample, a bin's end is a branch the processor cannot foresee
    (2–6 samples a bin, jittered): the samples are counted per bin first, then each
    bin summed in a fixed WIDE steps, the steps past its samples adding −0.0 (x + −0.0
    is x, bit for bit), in the same order: the same bits as one sample at a time.
    """
    n = ts.size
    ends = np.empty(nb, np.int64)  # one past each bin's last sample (−1: none)
    for k in range(nb):
        ends[k] = -1
    e = 0
    while e < n and int(ts[e] * rate_hz) < first:
        e += 1
    for q in range(e, n):
        ends[int(ts[q] * rate_hz) - first] = q + 1
    l0, l1, l2 = last[0], last[1], last[2]  # the last bin with samples
    for k in range(nb):
        a = e
        e = max(e, ends[k])
        count = e - a
        empty[k] = 0.0 if count else 1.0
        if count:
            s0 = s1 = s2 = 0.0
            for i in range(WIDE):
                q = min(a + i, n - 1)
                inside = i < count
                s0 += vs[q, 0] if inside else -0.0
                s1 += vs[q, 1] if inside else -0.0
                s2 += vs[q, 2] if inside else -0.0
            for q in range(a + WIDE, e):
                s0 += vs[q, 0]
                s1 += vs[q, 1]
                s2 += vs[q, 2]
            l0, l1, l2 = s0 / count, s1 / count, s2 / count
        out[0, k], out[1, k], out[2, k] = l0, l1, l2
    last[0], last[1], last[2] = l0, l1, l2


@kernel
def bin_block(
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
    low-passed samples, scipy's lfilter run sample by sample; an unsteady sample,
    RAW_STEADY_MS2, is replaced by the last bin's low-passed mean). Samples in bins before
    ``first`` only pass through the low-pass. An empty bin holds ``last`` (the last
    bin with samples; updated) and is marked 1.0 in ``empty`` (others 0.0). Returns the
    position of the first sample not used.
    """
    lowpass = lp_b.size > 0
    end = _first_in_bin(t, pos, cut, rate_hz, first + nb)
    if not lowpass:
        _means(t[pos:end], v[pos:end], rate_hz, first, nb, out, last, empty)
        return end
    for k in range(nb):
        empty[k] = 1.0
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
            q0, q1, q2 = x0, x1, x2
            if abs(math.sqrt(x0 * x0 + x1 * x1 + x2 * x2) - STANDARD_GRAVITY) > RAW_STEADY_MS2:
                q0, q1, q2 = l3, l4, l5
            f0 += _lowpass(lp_z, 0, q0, lp_b, lp_a)
            f1 += _lowpass(lp_z, 1, q1, lp_b, lp_a)
            f2 += _lowpass(lp_z, 2, q2, lp_b, lp_a)
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


@kernel
def bridge(
    t: FloatArray,
    v: FloatArray,
    pos: int,
    end: int,
    rate_hz: float,
    first: int,
    nb: int,
    out: FloatArray,
    empty: FloatArray,
    last_bin: IntArray,
) -> None:
    """The gyroscope's bins first … first + nb − 1 as bin_block left them (samples pos …
    end − 1; an empty bin holding the last bin with samples, last_bin[0]: its absolute
    bin, updated): each gap of up to GAP_BRIDGE_S takes the mean of that bin and the
    first sample after the gap (if it has come: fed in chunks or all at once, the same
    sample ends the gap), marked in ``empty`` by how far gravity's rate takes over there:
    (gap / GAP_BRIDGE_S)², a guess that grows worse as the gap grows.
    """
    most = int(GAP_BRIDGE_S * rate_hz)
    lb = last_bin[0]
    k = 0
    while k < nb:
        if not empty[k]:
            lb = first + k
            k += 1
            continue
        k2 = k + 1  # the gap's end in the block
        while k2 < nb and empty[k2]:
            k2 += 1
        if k2 < nb:
            nxt = _first_in_bin(t, pos, end, rate_hz, first + k2)
        else:
            nxt = end if end < t.size else -1
        gap = int(t[nxt] * rate_hz) - lb - 1 if nxt >= 0 else -1
        if 0 < gap <= most:
            share = (gap / most) ** 2
            for q in range(k, k2):
                for c in range(3):
                    out[c, q] = (out[c, q] + v[nxt, c]) / 2
                empty[q] = share
        k = k2
    last_bin[0] = lb
