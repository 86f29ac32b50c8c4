"""What the tilt history before a moment shows: compiled looks back for the window scan.

:mod:`soleus.signal.candidates` steps its state machine one window at a time; these
answer its questions about the bins before: did the tilt move by a heel raise's worth
(amid reps, before a re-zero), was there a whole rep already, where did a turn of the
phone in the pocket begin.
"""

from __future__ import annotations

import numpy as np

from soleus.signal.kernels.jit import compiled
from soleus.signal.recording import FloatArray


@compiled
def moved_before(hy: FloatArray, k: int, n: int, least: float, most: float) -> bool:
    """Did the tilt move, in the n bins before bin k, by a heel raise's worth (at least
    ``least``, at most ``most``: neither still nor a change of posture)?"""
    lo, hi = np.inf, -np.inf
    for i in range(max(k - n, 0), k):
        lo, hi = min(lo, hy[i]), max(hi, hy[i])
    return least <= hi - lo <= most


@compiled
def amid_reps(hy: FloatArray, k: int, rise: int, p: FloatArray) -> bool:
    """Did the tracker re-zero the tilt at bin k amid reps? The tilt moved by a heel
    raise's worth in the second before (BIG_TILT, p[27], at most: no posture change);
    or the rise the re-zero ends (open since bin ``rise``; −1: none) left a floor the
    tilt had moved about by a heel raise's worth (MAX_TILT, p[8], at most) in the
    QUIET_S (p[2]) before: a step taken right after reps, held off until re-zeroed (the
    phone turned in the pocket about the pitch axis, which no rate tells from the thigh
    lifting). The tracker keeps the pitch axis' sign through a turn, so which way is up
    stays: judged afresh from the first move, a re-zero just before a rep (or at its
    top: its release comes first) turned it upside down."""
    least = 2.0 * p[4]
    if moved_before(hy, k, int(p[22]), least, p[27]):
        return True
    return rise >= 0 and moved_before(hy, rise, int(p[2] * p[22]), least, p[8])


# A turn of the phone in the pocket lasts a few tenths of a second at least.
TURN_BINS = 5


@compiled
def turn_start(hw: FloatArray, a: int, b: int, n: int) -> int:
    """Where a turn of the phone in the pocket (a rate of exactly zero from the tracker,
    n bins or more) that ends within bins a … b − 1 began; −1 if none ends there."""
    for k in range(max(a, n), b):
        if held(hw[k]):
            continue
        i = k - 1
        while i >= 0 and held(hw[i]):
            i -= 1
        if k - 1 - i >= n:
            return i + 1
    return -1


@compiled
def held(w: FloatArray) -> bool:
    """A bin the tracker held while the phone turned (its rate set to exactly zero)."""
    return bool(w[0] == 0.0 and w[1] == 0.0 and w[2] == 0.0)


@compiled
def rep_before(ht: FloatArray, hy: FloatArray, j: int, i: int, sign: float, p: FloatArray) -> bool:
    """Did the tilt, from the rest at bin j to bin i, already go up (``sign``) by a
    hysteresis (p[4]) and back down as far as a finished rep comes (RETURN_FRACTION,
    p[5]), within twice the floor window (p[6])? (A first rep smaller than the move
    that fixes which way is up: it is a rep of the episode too.)"""
    peak = 0.0
    for k in range(j, i + 1):
        if ht[k] - ht[j] > 2 * p[6]:
            return False
        v = sign * (hy[k] - hy[j])
        peak = max(peak, v)
        if peak >= p[4] and peak - v >= (1.0 - p[5]) * peak:
            return True
    return False


@compiled
def departure(hy: FloatArray, j: int, i: int, least: float) -> int:
    """The first bin after the rest at bin j where the tilt is ``least`` or more from
    it (either way), up to bin i; i if none (or j is no longer in the history)."""
    if j < 0:
        return i
    for k in range(j, i):
        if abs(hy[k] - hy[j]) >= least:
            return k
    return i


@compiled
def rested(
    ht: FloatArray, hy: FloatArray, sign: float, a: int, d: int, b: int, band: float
) -> float:
    """How long the tilt stayed within ``band`` of its low at bin ``d`` (between ``a``
    and ``b``), the heel down between reps."""
    low = sign * hy[d]
    i, j = d, d
    while i > a and sign * hy[i - 1] - low <= band:
        i -= 1
    while j < b - 1 and sign * hy[j + 1] - low <= band:
        j += 1
    return float(ht[j] - ht[i])


@compiled
def small_first(
    ht: FloatArray,
    hy: FloatArray,
    j: int,
    i: int,
    up: float,
    down: float,
    least: float,
    p: FloatArray,
) -> bool:
    """May a move out of the rest at bin j, up to bin i, smaller than a heel raise that
    starts a set (MIN_TILT, p[7]) fix which way is up? If it is ``least`` or more (the
    sway floor, with a gyroscope) and a whole rep the same way came before it
    (rep_before): a bout of small reps (a chair that supports the thigh, under
    MIN_TILT all through) rocks the thigh up and back again and again, while one small
    move ahead of a set's first rep (the knee settling) may go either way."""
    if j < 0 or max(up, down) < least:
        return False
    return rep_before(ht, hy, j, i, 1.0 if up >= down else -1.0, p)
