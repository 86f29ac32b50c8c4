"""The thigh's pitch axis, kept through the phone turning in the pocket.

A phone in a trouser pocket turns now and then (up to ~40°, over a fraction of a second
to a couple of seconds) and stays there. Seen from the phone that is a rotation like
any other; but the thigh only pitches (a heel raise turns it about one axis, with a
little roll and swing), so a rotation mostly *off* the thigh's axis is not the thigh.

The reference axis is the energy-weighted average of the signed pitch axis over
``ref_lam``: a bin counts in proportion to its squared rate about the axis, up to
``ref_cap``, so that it takes sustained movement about one axis (a few reps) to make
it known (``ref_min``), not one vigorous fidget. It does two things:

- the sign of the axis (which way is "up") is tied to it whenever the current axis is
  within ``anchor_cos`` of it, instead of only being continuous from one bin to the
  next, so the sign comes back the same after the axis wandered off during a turn;
- with a gyroscope, a bin whose rate is mostly off that axis (more than ``turn_rate``
  and more than ``turn_fraction`` of the whole rate; once turning, ``turning_rate`` and
  ``turning_fraction``, as a turn slows down) is the phone turning: it is left
  out of the axis' covariance and not integrated into the tilt (the integrators hold),
  so the tilt neither jumps nor drifts by the turn, and the axis re-forms at once; the
  reference turns with the phone (dr/dt = r × ω: the thigh's axis is fixed in the
  thigh), so that the reps after the turn are not taken for more of it.

One loop per bin (covariance, two power steps, sign, reference): each bin's judgement
needs the reference as of the bin before, so that any chunking gives the same bins.
(The power steps of bins that do not turn are worked out ahead: _ahead.)
"""

from __future__ import annotations

import math

import numpy as np

from soleus.signal.kernels.filters import power_start
from soleus.signal.kernels.jit import inline, kernel
from soleus.signal.kernels.state import (
    AXIS,
    BINS,
    COV,
    OFF_PATH,
    OFF_SUM,
    REF,
    SEAT,
    SEAT_FAR,
    SEAT_HELD,
    SEAT_KNOWN,
    SEAT_UNTURNED,
    SEAT_UNTURNED_FAR,
    SIGN,
    TURNING,
    Coefficients,
    IntArray,
)
from soleus.signal.recording import FloatArray


@inline
def _project(
    c00: float,
    c01: float,
    c02: float,
    c11: float,
    c12: float,
    c22: float,
    u0: float,
    u1: float,
    u2: float,
) -> tuple[float, float, float, float, float, float]:
    """The symmetric 3×3 C (upper triangle) with the unit direction u taken out: PCP,
    P = I − uuᵀ."""
    # Cu, then uᵀCu: PCP = C − (Cu)uᵀ − u(Cu)ᵀ + (uᵀCu)uuᵀ
    w0 = c00 * u0 + c01 * u1 + c02 * u2
    w1 = c01 * u0 + c11 * u1 + c12 * u2
    w2 = c02 * u0 + c12 * u1 + c22 * u2
    q = u0 * w0 + u1 * w1 + u2 * w2
    return (
        c00 - 2.0 * w0 * u0 + q * u0 * u0,
        c01 - w0 * u1 - u0 * w1 + q * u0 * u1,
        c02 - w0 * u2 - u0 * w2 + q * u0 * u2,
        c11 - 2.0 * w1 * u1 + q * u1 * u1,
        c12 - w1 * u2 - u1 * w2 + q * u1 * u2,
        c22 - 2.0 * w2 * u2 + q * u2 * u2,
    )


JUMP_POWER_STEPS = 8


@inline
def _one_axis(
    c: tuple[float, float, float, float, float, float], least: float, fraction: float
) -> bool:
    """Does the symmetric 3×3 c (upper triangle) hold ``least`` or more (its trace), and
    ``fraction`` of it or more about one axis (its largest eigenvalue)?"""
    c00, c01, c02, c11, c12, c22 = c
    trace = c00 + c11 + c22
    if not trace >= least:
        return False
    v0, v1, v2 = power_start(c00 + 1e-12, c01, c02, c11 + 1e-12, c12, c22 + 1e-12)
    top = 0.0
    for _ in range(JUMP_POWER_STEPS):
        w0 = c00 * v0 + c01 * v1 + c02 * v2
        w1 = c01 * v0 + c11 * v1 + c12 * v2
        w2 = c02 * v0 + c12 * v1 + c22 * v2
        top = math.sqrt(w0 * w0 + w1 * w1 + w2 * w2)
        inv = 1.0 / max(top, 1e-30)
        v0, v1, v2 = w0 * inv, w1 * inv, w2 * inv
    return top >= fraction * trace


@inline
def _principal(
    y00: float, y01: float, y02: float, y11: float, y12: float, y22: float
) -> tuple[float, float, float]:
    """The principal axis of the covariance y (upper triangle), unsigned: two power
    steps from the column of its largest diagonal."""
    y00 += 1e-12
    y11 += 1e-12
    y22 += 1e-12
    v0, v1, v2 = power_start(y00, y01, y02, y11, y12, y22)
    for _ in range(2):
        w0 = y00 * v0 + y01 * v1 + y02 * v2
        w1 = y01 * v0 + y11 * v1 + y12 * v2
        w2 = y02 * v0 + y12 * v1 + y22 * v2
        inv = 1.0 / max(math.sqrt(w0 * w0 + w1 * w1 + w2 * w2), 1e-30)
        v0, v1, v2 = w0 * inv, w1 * inv, w2 * inv
    return v0, v1, v2


@kernel
def _ahead(x: FloatArray, nb: int, b: float, lam: float, f: FloatArray, ahead: FloatArray) -> None:
    """Each bin's principal axis into ahead[:3] (6×nb; rows 3–5 scratch), worked out
    before pitch_axes judges the bins, as if none of them turned the phone or jumped.

    Each bin's power steps (a square root and a division each) wait on the last's in
    pitch_axes' one loop, where a bin's covariance might depend on the judgement of
    the bin before; here the covariance of all of them comes first (a cheap recursion),
    then the steps, bin by bin independent, so the processor overlaps them (and may
    vectorise: IEEE square roots and divisions, so the same bits). pitch_axes takes
    them up to the first bin that turned or jumped (rare: from there on it computes
    its own), the same numbers its own steps would give.
    """
    c00, c01, c02 = f[COV], f[COV + 1], f[COV + 2]
    c11, c12, c22 = f[COV + 3], f[COV + 4], f[COV + 5]
    for j in range(nb):
        x0, x1, x2 = x[0, j], x[1, j], x[2, j]
        ahead[0, j] = c00 + b * (x0 * x0)
        ahead[1, j] = c01 + b * (x0 * x1)
        ahead[2, j] = c02 + b * (x0 * x2)
        ahead[3, j] = c11 + b * (x1 * x1)
        ahead[4, j] = c12 + b * (x1 * x2)
        ahead[5, j] = c22 + b * (x2 * x2)
        c00, c01, c02 = lam * ahead[0, j], lam * ahead[1, j], lam * ahead[2, j]
        c11, c12, c22 = lam * ahead[3, j], lam * ahead[4, j], lam * ahead[5, j]
    for j in range(nb):
        y00, y01, y02 = ahead[0, j], ahead[1, j], ahead[2, j]
        y11, y12, y22 = ahead[3, j], ahead[4, j], ahead[5, j]
        ahead[0, j], ahead[1, j], ahead[2, j] = _principal(y00, y01, y02, y11, y12, y22)


# A phone turning in the pocket turns one way, to where it settles; a thigh moving to
# and fro about an axis the reference did not learn (a knee bouncing 3-7 times a second
# after the legs were crossed in a quiet file, where no heel raise taught the
# reference) turns off the reference just as fast, but back and forth. Over the last
# ~OSC_TAU_S, where the rotation off the reference has a path of more than OSC_MIN_RAD
# and its sum is less than OSC_FRACTION of the path, it is no turn (held out, every
# other half of each bounce would walk the tilt off by degrees a second).
OSC_TAU_S = 0.5
OSC_MIN_RAD = math.radians(3.0)
OSC_FRACTION = 0.3


@kernel
def pitch_axes(
    x: FloatArray,
    nb: int,
    coef: Coefficients,
    f: FloatArray,
    axes: FloatArray,
    turning: FloatArray,
    detect_turns: bool,
    jump: FloatArray,
) -> None:
    """Per bin of the tracked vector x (3×nb: the rate, or gravity's displacement):
    the signed principal axis into axes (3×nb) and, if ``detect_turns``, whether the
    phone is turning in the pocket into turning (1.0 / 0.0).

    Where jump (3×nb) is not zero (a unit vector: the way gravity moved to a new zero,
    accelerometer only) and what is left of the covariance without that direction
    (PCP, P = I − jjᵀ) still holds ``jump_keep``, ``jump_axis_fraction`` of it about
    one axis (reps taught the axis: a set going on, each rep along one arc), that
    direction is taken out of the covariance and the reference (C ← PCP,
    r ← Pr) before the bin: what moved gravity there and held it with the reps going
    on was no heel raise (the phone turned in the pocket), and its energy would
    otherwise outweigh the reps about the thigh's own axis for half a minute. Without
    reps before it (a leg crossed while sitting quietly) nothing changes: the axis
    is not re-formed from a dangling foot's swing.
    """
    b, lam = coef.axis_b, coef.axis_lam
    ahead = np.empty((6, nb))
    _ahead(x, nb, b, lam, f, ahead)
    valid = nb  # bins whose axis _ahead found with the covariance as it came (see there)
    c00, c01, c02 = f[COV], f[COV + 1], f[COV + 2]
    c11, c12, c22 = f[COV + 3], f[COV + 4], f[COV + 5]
    ax0, ax1, ax2, sign = f[AXIS], f[AXIS + 1], f[AXIS + 2], f[SIGN]
    r0, r1, r2 = f[REF], f[REF + 1], f[REF + 2]
    ref_lam = coef.ref_lam
    turn = f[TURNING]
    o0, o1, o2, path = f[OFF_SUM], f[OFF_SUM + 1], f[OFF_SUM + 2], f[OFF_PATH]
    osc_lam = math.exp(-coef.dt / OSC_TAU_S)
    for j in range(nb):
        u0, u1, u2 = jump[0, j], jump[1, j], jump[2, j]
        if u0 != 0.0 or u1 != 0.0 or u2 != 0.0:
            p = _project(c00, c01, c02, c11, c12, c22, u0, u1, u2)
            if _one_axis(p, coef.jump_keep, coef.jump_axis_fraction):  # (reps taught it)
                c00, c01, c02, c11, c12, c22 = p
                along = r0 * u0 + r1 * u1 + r2 * u2
                r0, r1, r2 = r0 - along * u0, r1 - along * u1, r2 - along * u2
                valid = min(valid, j)
        x0, x1, x2 = x[0, j], x[1, j], x[2, j]
        norm = math.sqrt(r0 * r0 + r1 * r1 + r2 * r2)
        known = norm >= coef.ref_min
        if detect_turns and known:
            along = (x0 * r0 + x1 * r1 + x2 * r2) / norm
            off2 = max(x0 * x0 + x1 * x1 + x2 * x2 - along * along, 0.0)
            whole2 = x0 * x0 + x1 * x1 + x2 * x2
            rate, fraction = coef.turn_rate, coef.turn_fraction
            if turn:  # (going on)
                rate, fraction = coef.turning_rate, coef.turning_fraction
            turn = 1.0 if off2 > rate**2 and off2 > fraction**2 * whole2 else 0.0
            # the rotation off the reference, to and fro (a bouncing knee's: the
            # reference taught by another movement) or one way (the phone turning)
            k = (x0 * r0 + x1 * r1 + x2 * r2) / (norm * norm)
            e0, e1, e2 = x0 - k * r0, x1 - k * r1, x2 - k * r2
            o0 = osc_lam * o0 + coef.dt * e0
            o1 = osc_lam * o1 + coef.dt * e1
            o2 = osc_lam * o2 + coef.dt * e2
            path = osc_lam * path + coef.dt * math.sqrt(off2)
            if path > OSC_MIN_RAD and o0 * o0 + o1 * o1 + o2 * o2 < (OSC_FRACTION * path) ** 2:
                turn = 0.0
        else:
            turn = 0.0
        turning[j] = turn
        if turn:
            # the thigh's axis is fixed in the thigh: in the phone's frame it turns the
            # other way, as gravity does (dr/dt = r × ω), and the reference with it
            d0, d1, d2 = x0 * coef.dt, x1 * coef.dt, x2 * coef.dt
            r0, r1, r2 = (
                r0 + (r1 * d2 - r2 * d1),
                r1 + (r2 * d0 - r0 * d2),
                r2 + (r0 * d1 - r1 * d0),
            )
            x0 = x1 = x2 = 0.0  # the covariance only decays
            valid = min(valid, j)
        y00 = c00 + b * (x0 * x0)
        y01 = c01 + b * (x0 * x1)
        y02 = c02 + b * (x0 * x2)
        y11 = c11 + b * (x1 * x1)
        y12 = c12 + b * (x1 * x2)
        y22 = c22 + b * (x2 * x2)
        c00, c01, c02 = lam * y00, lam * y01, lam * y02
        c11, c12, c22 = lam * y11, lam * y12, lam * y22
        if j < valid:
            v0, v1, v2 = ahead[0, j], ahead[1, j], ahead[2, j]
        else:
            v0, v1, v2 = _principal(y00, y01, y02, y11, y12, y22)
        # the sign: continuous from the bin before ...
        if v0 * ax0 + v1 * ax1 + v2 * ax2 < 0:
            sign = -sign
        ax0, ax1, ax2 = v0, v1, v2
        s0, s1, s2 = v0 * sign, v1 * sign, v2 * sign
        # ... and tied to the reference where the axis is near it
        cos = (s0 * r0 + s1 * r1 + s2 * r2) / norm if known else 1.0
        if known and abs(cos) >= coef.anchor_cos:
            if cos < 0:
                sign = -sign
                s0, s1, s2 = -s0, -s1, -s2
            cos = abs(cos)
        axes[0, j], axes[1, j], axes[2, j] = s0, s1, s2
        # the reference learns from bins turning about an axis near it (or any at first)
        r0, r1, r2 = ref_lam * r0, ref_lam * r1, ref_lam * r2
        if not turn and (not known or cos >= coef.anchor_cos):
            about = x0 * s0 + x1 * s1 + x2 * s2
            e = (1.0 - ref_lam) * min(about * about, coef.ref_cap)
            r0, r1, r2 = r0 + e * s0, r1 + e * s1, r2 + e * s2
    f[COV], f[COV + 1], f[COV + 2] = c00, c01, c02
    f[COV + 3], f[COV + 4], f[COV + 5] = c11, c12, c22
    f[AXIS], f[AXIS + 1], f[AXIS + 2], f[SIGN] = ax0, ax1, ax2, sign
    f[REF], f[REF + 1], f[REF + 2] = r0, r1, r2
    f[TURNING] = turn
    f[OFF_SUM], f[OFF_SUM + 1], f[OFF_SUM + 2], f[OFF_PATH] = o0, o1, o2, path


SEAT_NORM_BINS = 64


@kernel
def seated_posture(
    g: FloatArray,
    w: FloatArray,
    turning: FloatArray,
    nb: int,
    coef: Coefficients,
    f: FloatArray,
    n: IntArray,
    start: int,
    out: FloatArray,
) -> None:
    """Per bin of gravity's direction g (3×nb): the cosine of its angle from the seated
    posture, into out (n×2) from ``start``: from the posture turned with the phone, and
    from the one never turned (see below).

    The seated posture is gravity's direction in the phone's frame while the thigh
    rests as it does with both feet on the floor: an average over ``seat_lam`` of the
    bins within ``seat_cos`` of it (a crossed leg, 20–40° off, does not teach it); a
    posture that stays further off for ``seat_adopt_bins`` is taken as the new one.
    Where the phone turns in the pocket (``turning``, with the rate w, 3×nb) the
    posture turns with the phone, as gravity does: dŝ/dt = ŝ × ω. But a rotation off
    the thigh's axis may as well be the thigh's own (crossing the legs lifts it and turns
    it in): a second posture learns the same way, never turned, and takes a posture
    further off only once it is held there (within ``seat_cos``) for ``seat_adopt_bins``.
    """
    lam = coef.seat_lam
    if not n[SEAT_KNOWN] and nb:
        f[SEAT], f[SEAT + 1], f[SEAT + 2] = g[0, 0], g[1, 0], g[2, 0]
        f[SEAT_UNTURNED], f[SEAT_UNTURNED + 1], f[SEAT_UNTURNED + 2] = g[0, 0], g[1, 0], g[2, 0]
        n[SEAT_KNOWN] = 1
    s0, s1, s2 = f[SEAT], f[SEAT + 1], f[SEAT + 2]
    u0, u1, u2 = f[SEAT_UNTURNED], f[SEAT_UNTURNED + 1], f[SEAT_UNTURNED + 2]
    far = n[SEAT_FAR]
    far_u = f[SEAT_UNTURNED_FAR]
    h0, h1, h2 = f[SEAT_HELD], f[SEAT_HELD + 1], f[SEAT_HELD + 2]
    first = n[BINS]  # the absolute index of g's first bin
    for j in range(nb):
        g0, g1, g2 = g[0, j], g[1, j], g[2, j]
        turn = turning[j] != 0.0
        if turn:
            w0, w1, w2 = w[0, j] * coef.dt, w[1, j] * coef.dt, w[2, j] * coef.dt
            s0, s1, s2 = (
                s0 + (s1 * w2 - s2 * w1),
                s1 + (s2 * w0 - s0 * w2),
                s2 + (s0 * w1 - s1 * w0),
            )
            inv = 1.0 / max(math.sqrt(s0 * s0 + s1 * s1 + s2 * s2), 1e-9)
            s0, s1, s2 = s0 * inv, s1 * inv, s2 * inv
        # (s, a unit vector, shrinks by under 1e-5 a bin in the average below: it is
        # made one again every SEAT_NORM_BINS bins, counted from the first, so that any
        # chunking gives the same)
        if (first + j) % SEAT_NORM_BINS == 0:
            inv = 1.0 / max(math.sqrt(s0 * s0 + s1 * s1 + s2 * s2), 1e-9)
            s0, s1, s2 = s0 * inv, s1 * inv, s2 * inv
            inv = 1.0 / max(math.sqrt(u0 * u0 + u1 * u1 + u2 * u2), 1e-9)
            u0, u1, u2 = u0 * inv, u1 * inv, u2 * inv
        cos = s0 * g0 + s1 * g1 + s2 * g2
        cos_u = u0 * g0 + u1 * g1 + u2 * g2
        out[start + j, 0] = cos
        out[start + j, 1] = cos_u
        if turn:
            pass
        elif cos_u >= coef.seat_cos:
            far_u = 0.0
            u0, u1, u2 = (
                lam * u0 + (1.0 - lam) * g0,
                lam * u1 + (1.0 - lam) * g1,
                lam * u2 + (1.0 - lam) * g2,
            )
        else:
            # (held: a posture the thigh stays in, not one far posture after another,
            # such as a turn of the phone and then the legs crossed)
            if far_u == 0.0 or h0 * g0 + h1 * g1 + h2 * g2 < coef.seat_cos:
                h0, h1, h2 = g0, g1, g2
                far_u = 0.0
            far_u += 1.0
            if far_u >= coef.seat_adopt_bins:
                u0, u1, u2 = g0, g1, g2
                far_u = 0.0
        if turn:
            pass
        elif cos >= coef.seat_cos:
            far = 0
            s0, s1, s2 = (
                lam * s0 + (1.0 - lam) * g0,
                lam * s1 + (1.0 - lam) * g1,
                lam * s2 + (1.0 - lam) * g2,
            )
        else:
            far += 1
            if far >= coef.seat_adopt_bins:
                s0, s1, s2 = g0, g1, g2
                far = 0
    f[SEAT], f[SEAT + 1], f[SEAT + 2] = s0, s1, s2
    f[SEAT_UNTURNED], f[SEAT_UNTURNED + 1], f[SEAT_UNTURNED + 2] = u0, u1, u2
    f[SEAT_UNTURNED_FAR] = far_u
    f[SEAT_HELD], f[SEAT_HELD + 1], f[SEAT_HELD + 2] = h0, h1, h2
    n[SEAT_FAR] = far
