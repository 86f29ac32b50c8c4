"""The per-bin stages: stillness, gyroscope bias, gravity, integrators and the
complementary filter, and (accelerometer only) gravity's displacement (the principal
axis and its sign: :mod:`soleus.signal.kernels.pocket`).

Each step below is its own small loop over a block of bins (small loops compile to
fast code); the filters' state is read from State.f at a block's start and written
back at its end.
"""

from __future__ import annotations

import math

from soleus.signal.kernels.jit import inline, kernel
from soleus.signal.kernels.state import (
    BEYOND_RUN,
    BIAS,
    BIAS_SUM,
    BIAS_Z,
    BINS,
    CALM_G,
    CALM_OWED,
    CALM_RUN,
    COMP,
    G_SLOW,
    GAP_OWED,
    GYRO_GAP,
    PEAK,
    PREV_G,
    RAW_G,
    SHIFT_RUN,
    STILL,
    STILL_RUN,
    THETA,
    THETA_ACC,
    VALLEY,
    Coefficients,
    IntArray,
    State,
)
from soleus.signal.recording import FloatArray


@kernel
def mark_still(
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


@kernel
def debias(
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


@inline
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


@inline
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


@inline
def _across(
    g: FloatArray, j: int, p0: float, p1: float, p2: float, rate_hz: float, r: FloatArray
) -> None:
    """r[:, j] = dĝ/dt × ĝ from gravity's direction g[:, j] and p in the bin before."""
    g0, g1, g2 = g[0, j], g[1, j], g[2, j]
    d0 = (g0 - p0) * rate_hz
    d1 = (g1 - p1) * rate_hz
    d2 = (g2 - p2) * rate_hz
    r[0, j], r[1, j], r[2, j] = d1 * g2 - d2 * g1, d2 * g0 - d0 * g2, d0 * g1 - d1 * g0


# Gravity's direction is the accelerometer's only while the phone does not accelerate:
# a bin whose |a| is further than this from g (a heel landing's jolt, the quick drop
# of a big rep's release) says nothing about the thigh's attitude. There the direction
# of the bin before is held, and the next steady bin brings the rotation meanwhile
# (so nothing is lost or counted twice); the gyroscope carries the tilt across it.
STEADY_MS2 = 3.0
# ... and so is a bin turned over from the one before as measured (beyond 90° in 40 ms:
# no thigh turns so fast): the pocket dropping faster than it would fall in a big rep's
# quick release, |a| near g but pointing up, not gravity turned over (and the bin after
# it, turning back). (Turns of 30-70° a bin are common in a big rep's quick rise and
# drop, the pocket's own acceleration across gravity; they come back, and are let be.)
STEADY_COS = 0.0
# With a gyroscope, gravity's direction is the tilt's slow reference only while the
# pocket hardly accelerates. The phone rides 6-9 cm above the hip's axis and 10-30 cm
# along the thigh, on soft tissue: a big, quick rise's angular acceleration, its stop
# and the tissue's ringing after it (8-16 Hz) accelerate the pocket by several m/s²,
# mostly along gravity (|a| − g, the thigh near level) but a third as much across it,
# which turns gravity's direction as measured by tens of degrees, to and fro, and
# leaves its integrated rate degrees off at the rep's end (big, quick reps read up to
# 70 % high, the floor creeping back for seconds). So where |a| − g exceeds LEVER_MS2
# (~0.7 m/s² across gravity, 4°), and for CALM_BINS bins after (0.2 s: the ringing dies
# away), the gyroscope's rate stands in for gravity's; then gravity's turn since comes in
# at once, less the gyroscope's meanwhile (the slow part stays gravity's, the fast part
# the gyroscope's). A heel raise of a few degrees, even in a quick bout, accelerates the
# pocket by about 1 m/s² or less and turns gravity by a degree or two: there gravity stays the
# reference (switching to and fro at every rep of a bout left small steps in the tilt,
# a rep too many in 2 of 30 bouts of a dev corpus).
LEVER_MS2 = 2.0
CALM_BINS = 5
# Gravity's rate standing in for the gyroscope's in a gap is taken up to this (rad/s,
# 200°/s): a 12° release let drop in 0.12 s peaks at ~160°/s.
GAP_RATE_MAX = 3.5


@kernel
def track_gravity(
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
    normalised; into g, 3×nb; held through unsteady bins, STEADY_MS2 and STEADY_COS) and
    the rotation rate across it, dĝ/dt × ĝ (into r)."""
    out = vertical[start:]  # (indexed from 0, so numba can vectorise the loop)
    for j in range(nb):
        a0, a1, a2 = acc[0, j], acc[1, j], acc[2, j]
        out[j] = math.sqrt(a0 * a0 + a1 * a1 + a2 * a2) - coef.gravity
        x0, x1, x2 = acc[col, j], acc[col + 1, j], acc[col + 2, j]
        norm = max(math.sqrt(x0 * x0 + x1 * x1 + x2 * x2), 1e-9)
        g[0, j], g[1, j], g[2, j] = x0 / norm, x1 / norm, x2 / norm
    f = s.f
    if col == 0:  # (with a gyroscope; without one, the raw samples were held: binning)
        q0, q1, q2 = f[RAW_G], f[RAW_G + 1], f[RAW_G + 2]  # the last bin as measured
        first = s.n[BINS] == 0
        for j in range(nb):
            x0, x1, x2 = g[0, j], g[1, j], g[2, j]
            turned = x0 * q0 + x1 * q1 + x2 * q2 < STEADY_COS and not (first and j == 0)
            if (abs(out[j]) > STEADY_MS2 or turned) and (j > 0 or not first):
                if j > 0:
                    g[0, j], g[1, j], g[2, j] = g[0, j - 1], g[1, j - 1], g[2, j - 1]
                else:
                    g[0, j], g[1, j], g[2, j] = f[PREV_G], f[PREV_G + 1], f[PREV_G + 2]
            q0, q1, q2 = x0, x1, x2
        f[RAW_G], f[RAW_G + 1], f[RAW_G + 2] = q0, q1, q2
    if s.n[BINS] == 0:  # the first bin: no change yet
        f[PREV_G], f[PREV_G + 1], f[PREV_G + 2] = g[0, 0], g[1, 0], g[2, 0]
    _across(g, 0, f[PREV_G], f[PREV_G + 1], f[PREV_G + 2], coef.rate_hz, r)
    for j in range(1, nb):
        _across(g, j, g[0, j - 1], g[1, j - 1], g[2, j - 1], coef.rate_hz, r)
    f[PREV_G], f[PREV_G + 1], f[PREV_G + 2] = g[0, nb - 1], g[1, nb - 1], g[2, nb - 1]


@kernel
def integrate(
    w: FloatArray,
    r: FloatArray,
    g: FloatArray,
    vertical: FloatArray,
    start: int,
    nb: int,
    axes: FloatArray,
    coef: Coefficients,
    f: FloatArray,
    n: IntArray,
    has_acc: bool,
    gyro_empty: FloatArray,
    still: FloatArray,
    turning: FloatArray,
    theta: FloatArray,
) -> None:
    """The rate w (3×nb) about the (signed) axes, integrated (held while the phone
    turns in the pocket, ``turning``: see kernels.pocket); with an accelerometer,
    fused with gravity's tilt (its rate r, 3×nb, about the same axes, integrated) by the
    complementary filter. Into theta (°) from ``start``.

    Where the gyroscope has no samples (``gyro_empty``) and the accelerometer has,
    gravity's rate stands in for it: holding the last rate through a gap in the middle
    of a quick release would keep turning the thigh at full speed for the whole gap.
    But not for one bin (a jittery 50 Hz stream leaves one empty now and then): the
    thigh's rate 40 ms on is what it was, while gravity's direction, differentiated,
    carries the pocket's own acceleration (a degree or more in one bin); a longer gap
    takes gravity's rate from its first bin on after all (the second makes up for it).
    A gap of up to kernels.binning.GAP_BRIDGE_S is bridged instead (the rates either
    side): there ``gyro_empty`` is the share (0 … 1) gravity's rate takes over.

    With a gyroscope, while the pocket accelerates (LEVER_MS2) gravity's rate is not
    taken and the complementary filter holds: the gyroscope alone carries the tilt, and
    gravity's turn over that time comes in once the pocket is calm again (CALM_BINS).

    A thigh still at a tilt no heel raise reaches has a new posture (sat down, legs
    crossed or uncrossed): the tilt starts again from zero there (see _new_posture),
    instead of leaking back over half a minute under the reps that follow; so does a
    tilt that stays off (_stays_off) or rises again from a valley far off (_valley).
    """
    dt, leak, alpha = coef.dt, coef.leak_lam, coef.comp_alpha
    z_theta, z_theta_acc, z_comp = f[THETA], f[THETA_ACC], f[COMP]
    run, shifted, beyond = n[STILL_RUN], n[SHIFT_RUN], n[BEYOND_RUN]
    peak, valley = f[PEAK], f[VALLEY]
    gap, owed = n[GYRO_GAP], f[GAP_OWED]
    calm, owed_calm = n[CALM_RUN], f[CALM_OWED]
    c0, c1, c2 = f[CALM_G], f[CALM_G + 1], f[CALM_G + 2]
    out = theta[start:]
    for j in range(nb):
        v0, v1, v2 = axes[0, j], axes[1, j], axes[2, j]
        about = w[0, j] * v0 + w[1, j] * v1 + w[2, j] * v2  # (an empty bin: the last)
        if has_acc:
            across = r[0, j] * v0 + r[1, j] * v1 + r[2, j] * v2
            share = gyro_empty[j]
            if 0.0 < share < 1.0:  # a short gap, bridged: gravity's rate takes this share
                about += share * (min(max(across, -GAP_RATE_MAX), GAP_RATE_MAX) - about)
            gap = gap + 1 if share == 1.0 else 0
            if gap == 1:
                owed = across - about
            elif gap > 1:
                # a longer gap: gravity's rate from its first bin on (its sum over the
                # gap is gravity's turn across it, only its ends noisy)
                about = across + (owed if gap == 2 else 0.0)
                # (no heel raise turns the thigh faster: the rest is the pocket's own
                # acceleration across gravity, at a quick rise's start and top)
                about = min(max(about, -GAP_RATE_MAX), GAP_RATE_MAX)
        if turning[j]:
            about = across = 0.0
        th = z_theta + dt * about
        z_theta = leak * th
        if has_acc:
            # the same axis as gravity sees it; the gyroscope keeps the fast part, and
            # the whole of it while the pocket accelerates (LEVER_MS2, CALM_BINS): then
            # gravity's turn since it was last calm comes in at once, less the rotation
            # the gyroscope gave meanwhile
            # (in a gap of the gyroscope's, bridged or not, gravity's rate as before)
            calm = 0 if share == 0.0 and abs(vertical[start + j]) > LEVER_MS2 else calm + 1
            if turning[j] or not (c0 or c1 or c2):  # (gravity's turn with the phone's: none)
                c0, c1, c2, owed_calm = g[0, j], g[1, j], g[2, j], 0.0
            if calm <= CALM_BINS:
                slow = z_theta_acc + dt * about
                owed_calm += dt * about
            else:
                g0, g1, g2 = g[0, j], g[1, j], g[2, j]
                d0, d1, d2 = g0 - c0, g1 - c1, g2 - c2
                turn = (d1 * g2 - d2 * g1) * v0 + (d2 * g0 - d0 * g2) * v1
                turn += (d0 * g1 - d1 * g0) * v2
                slow = z_theta_acc + turn - owed_calm
                c0, c1, c2, owed_calm = g0, g1, g2, 0.0
            z_theta_acc = leak * slow
            x = th - slow
            # (while the gyroscope alone carries the tilt, the filter holds: tilt = th − L,
            # L its low-passed x, kept as it was)
            a = 1.0 if calm <= CALM_BINS else alpha
            fast = z_comp + a * x
            z_comp = x * -a - fast * -a
            th = slow + fast
        run = run + 1 if still[j] else 0
        shifted = shifted + 1 if abs(th) > coef.posture_rad else 0
        beyond = beyond + 1 if abs(th) > coef.beyond_rad else 0
        peak, valley, moved = _valley(abs(th), peak, valley, coef)
        if (
            (still[j] and _new_posture(abs(th), run, coef))
            or _stays_off(shifted, beyond, coef)
            or moved
        ):
            z_theta = z_theta_acc = z_comp = th = owed_calm = 0.0
            if has_acc:
                c0, c1, c2 = g[0, j], g[1, j], g[2, j]
            shifted = beyond = 0
            peak = valley = 0.0
        out[j] = th * (180.0 / math.pi)
    f[THETA], f[THETA_ACC], f[COMP] = z_theta, z_theta_acc, z_comp
    n[STILL_RUN], n[SHIFT_RUN], n[BEYOND_RUN] = run, shifted, beyond
    f[PEAK], f[VALLEY] = peak, valley
    n[GYRO_GAP], f[GAP_OWED] = gap, owed
    n[CALM_RUN], f[CALM_OWED] = calm, owed_calm
    f[CALM_G], f[CALM_G + 1], f[CALM_G + 2] = c0, c1, c2


@inline
def _valley(
    size: float, peak: float, valley: float, coef: Coefficients
) -> tuple[float, float, bool]:
    """One bin of the tilt's size (rad from zero) against its last peak and the valley
    after it, while beyond floor_rad: the new peak and valley, and whether the tilt
    came down to a valley that far off and left it again by rerise_rad (a rep from
    there: the floor moved)."""
    if size < coef.floor_rad:
        return 0.0, 0.0, False
    if size > peak and peak - valley < coef.rerise_rad:  # climbing: no valley yet
        return size, size, False
    valley = min(valley, size)
    return peak, valley, peak - valley >= coef.rerise_rad and size - valley >= coef.rerise_rad


@inline
def _stays_off(shifted: int, beyond: int, coef: Coefficients) -> bool:
    """Has the tilt stayed off, moving or not, where the thigh cannot do heel raises
    (``shifted`` bins in a row beyond posture_rad, ``beyond`` beyond beyond_rad)?"""
    return shifted >= coef.shift_bins or beyond >= coef.beyond_bins


@inline
def _new_posture(angle: float, still_bins: int, coef: Coefficients) -> bool:
    """A thigh still ``angle`` (rad) from its resting tilt has changed posture: beyond any
    leg lift at once; beyond any heel raise once still longer than a lift is held."""
    if angle > coef.far_rad:
        return True
    return angle > coef.posture_rad and still_bins >= coef.posture_bins


@kernel
def displacement(
    g: FloatArray,
    r: FloatArray,
    nb: int,
    coef: Coefficients,
    s: State,
    disp: FloatArray,
    jump: FloatArray,
) -> None:
    """Accelerometer only: gravity's displacement (g, 3×nb) from its slow average (which
    starts at rest), into disp.

    Still (gravity turning slower than still_acc_rate, r, for still_acc_bins) at an angle
    from that average no heel raise reaches: a new posture (see _new_posture), which
    becomes the average at once; so is an angle that stays off (_stays_off) or rises
    again from a valley far off (_valley). Where it
    does while moving, and by no more than a phone turns in a pocket (far_rad), the
    direction gravity moved in to get there (unit) goes into jump (3×nb; zero
    elsewhere): no heel raise moved it there, so it tells nothing of the thigh's axis.
    """
    f = s.f
    b, lam = coef.disp_b, coef.disp_lam
    if s.n[BINS] == 0:
        for c in range(3):
            f[G_SLOW + c] = coef.disp_zi * g[c, 0]
    gs0, gs1, gs2 = f[G_SLOW], f[G_SLOW + 1], f[G_SLOW + 2]
    run, shifted, beyond = s.n[STILL_RUN], s.n[SHIFT_RUN], s.n[BEYOND_RUN]
    peak, valley = f[PEAK], f[VALLEY]
    for j in range(nb):
        g0, g1, g2 = g[0, j], g[1, j], g[2, j]
        r0, r1, r2 = r[0, j], r[1, j], r[2, j]
        run = run + 1 if r0 * r0 + r1 * r1 + r2 * r2 < coef.still_acc_rate**2 else 0
        d0, d1, d2 = g0 - gs0 / lam, g1 - gs1 / lam, g2 - gs2 / lam  # (gs = λ·average)
        apart = 2.0 * math.asin(min(0.5 * math.sqrt(d0 * d0 + d1 * d1 + d2 * d2), 1.0))
        shifted = shifted + 1 if apart > coef.posture_rad else 0
        beyond = beyond + 1 if apart > coef.beyond_rad else 0
        jump[0, j] = jump[1, j] = jump[2, j] = 0.0
        still = run >= coef.still_acc_bins and _new_posture(apart, run, coef)
        peak, valley, moved = _valley(apart, peak, valley, coef)
        if still or _stays_off(shifted, beyond, coef) or moved:
            # re-zero: the slow average (its state) is this direction from now on
            if not still and apart <= coef.far_rad:  # (further: the thigh moved)
                inv = 1.0 / max(math.sqrt(d0 * d0 + d1 * d1 + d2 * d2), 1e-9)
                jump[0, j], jump[1, j], jump[2, j] = d0 * inv, d1 * inv, d2 * inv
            gs0, gs1, gs2 = coef.disp_zi * g0, coef.disp_zi * g1, coef.disp_zi * g2
            shifted = beyond = 0
            peak = valley = 0.0
        y0 = gs0 + b * g0
        y1 = gs1 + b * g1
        y2 = gs2 + b * g2
        gs0, gs1, gs2 = lam * y0, lam * y1, lam * y2
        disp[0, j], disp[1, j], disp[2, j] = g0 - y0, g1 - y1, g2 - y2
    s.n[STILL_RUN], s.n[SHIFT_RUN], s.n[BEYOND_RUN] = run, shifted, beyond
    f[G_SLOW], f[G_SLOW + 1], f[G_SLOW + 2] = gs0, gs1, gs2
    f[PEAK], f[VALLEY] = peak, valley
