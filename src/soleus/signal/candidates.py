"""From the thigh's tilt to candidate reps: the window state machine, compiled.

This is the inner loop of :mod:`soleus.signal.detect` (which explains the algorithm and
owns the thresholds): the tilt history is cut into windows of ``WINDOW_BINS`` bins and
each window's extremes step a small state machine — floor, rising, back down — whose
finished rises are measured (start, top, end, amplitude, hold, the axis they turned
about) and classified by :mod:`soleus.signal.rise`. What depends on the reps before
(runs, the smallest rep a run accepts) stays in Python, in :mod:`soleus.signal.detect`.

It is compiled with numba (cached on disk after the first run) because it runs once per
window of every recording: in Python it was most of the detector's time.

The state lives in arrays the caller keeps between chunks (their layout:
:mod:`soleus.signal.scan_state`), so a recording fed in any chunks gives the same
candidates as fed at once.
"""

from __future__ import annotations

import numpy as np

from soleus.signal.jolt import judge, landing
from soleus.signal.kernels.jit import compiled
from soleus.signal.lookback import (
    TURN_BINS,
    amid_reps,
    departure,
    rep_before,
    rested,
    small_first,
    turn_start,
)
from soleus.signal.recording import FloatArray
from soleus.signal.rise import (
    KIND_LIFT,
    KIND_REJECTED,
    KIND_REP,
    KIND_SHORT,
    ROW,
    first_move_sign,
    measure,
)
from soleus.signal.scan_state import (
    S_BUSY_END,
    S_DIP,
    S_DIP_I,
    S_FIRST_T,
    S_FIRST_Y,
    S_LARGE_MOVES,
    S_LIFT_HELD,
    S_MAX_LINEAR,
    S_MOVE_END,
    S_MOVE_LEVEL,
    S_NHIGHS,
    S_NLOWS,
    S_PEAK,
    S_PEAK_I,
    S_PEND_DIP,
    S_PEND_DIP_I,
    S_REJECTED,
    S_REST_I,
    S_RISE_FLOOR,
    S_RISE_START,
    S_RISING,
    S_SEEN,
    S_SIGN,
    S_THUMP_END,
    S_THUMP_I,
    S_THUMP_T,
    S_VIOLENT_END,
    open_rise,
    push,
)

# candidate rows (kind, start, ...): see soleus.signal.rise

# the heel down between two reps rests this long (within half a hysteresis of the lowest
# tilt): a level the tilt stepped to and stayed at, not a held top's sag or a bout's turn
REST_S = 0.3


@compiled
def scan(
    ht: FloatArray,
    hy: FloatArray,
    hl: FloatArray,
    hw: FloatArray,
    h0: int,
    start: int,
    stop: int,
    state: FloatArray,
    lows: FloatArray,
    highs: FloatArray,
    has_gyro: bool,
    p: FloatArray,
) -> FloatArray:
    """Windows from absolute bin ``start`` to ``stop``; returns the candidate rows.

    ``ht, hy, hl, hw`` are the history (times, tilt °, |a| − g, rate n×3) from absolute
    bin ``h0``; ``p`` the thresholds, in the order of ``thresholds.PARAMS``.
    """
    window_bins, lookback_bins = int(p[0]), int(p[20])
    quiet_range, quiet_s, hold_quiet_s, hysteresis = p[1], p[2], p[3], p[4]
    return_fraction, floor_window_s, min_tilt = p[5], p[6], p[7]
    max_rep_s, max_linear, warmup_s, rate_hz = p[14], p[15], p[19], p[22]
    max_lift, max_jump, max_rise_s, calm_s = p[9], p[25], p[11], p[26]
    max_tilt, sign_tilt = p[8], min(p[7], p[23]) if has_gyro else p[7]
    split_fraction, counter_swing_s = p[24], p[32]
    out = np.empty(((stop - start) // window_bins * 2 + 2, ROW))  # ≤ one per step
    n_out = 0
    pts = np.empty((2, 3))  # this window's low and high, in time order
    for ws in range(start, stop, window_bins):
        a = ws - h0
        b = min(ws + window_bins, stop) - h0
        # (the extremes so far kept as values, not looked up again by index: each bin's
        # comparisons then wait on no load, which halves the scan's time)
        lo_i, hi_i = a, a
        lo_v = hi_v = prev = hy[a]
        top = hl[a]
        jump = abs(hy[a] - hy[a - 1]) if a > 0 else 0.0
        jump_i = a
        for k in range(a + 1, b):
            v = hy[k]
            if v < lo_v:
                lo_i, lo_v = k, v
            if v > hi_v:
                hi_i, hi_v = k, v
            if hl[k] > top:
                top = hl[k]
            if abs(v - prev) > jump:
                jump, jump_i = abs(v - prev), k
            prev = v
        # a re-zeroed tilt: one jump faster than a thigh turns (a new posture, or a thigh
        # that stays far off); amid reps, which way is up stays (lookback.amid_reps)
        rezero = jump > max_jump
        rise_i = int(state[S_RISE_START]) - h0 if state[S_RISING] != 0.0 else -1
        moving = rezero and amid_reps(hy, jump_i, rise_i, p)
        if top > state[S_MAX_LINEAR]:
            state[S_MAX_LINEAR] = top
        busy = hy[hi_i] - hy[lo_i] >= quiet_range or top > max_linear or rezero
        if state[S_RISING] == 0.0 and not busy:
            # still, but a heel raise's worth (a hysteresis) above the floor: the tilt
            # rose between two windows (a small rep's top, held still, or a slow
            # release's long way down): the rise is looked at, though no window moved
            sign = state[S_SIGN]
            if not (
                sign != 0.0
                and state[S_NLOWS] > 0.0
                and max(sign * hy[lo_i], sign * hy[hi_i]) - lows[0, 1] >= hysteresis
            ):
                if sign != 0.0 and state[S_NLOWS] > 0.0 and ht[a] - state[S_BUSY_END] < quiet_s:
                    # the end of a release that slows to a stop settles still at the
                    # floor (a bout's bottom): the next rise is measured from there
                    f = lo_i if sign > 0.0 else hi_i
                    nl = push(
                        lows, int(state[S_NLOWS]), ht[f], sign * hy[f], f + h0, floor_window_s, 1.0
                    )
                    state[S_NLOWS] = nl
                continue
        now = ht[b - 1]
        if now < warmup_s:  # filters and the axis estimate are settling
            continue
        if busy:
            judge(ht, hy, hw, h0, b, state, p, top > max_linear, has_gyro)
            if top > max_linear:
                k = landing(hy, hl, a, b, p)
                if k >= 0:  # the thigh stopped short: violence only if it goes on (jolt)
                    state[S_THUMP_T], state[S_THUMP_I], state[S_THUMP_END] = ht[k], k + h0, now
                else:
                    state[S_LARGE_MOVES] += 1
                    state[S_VIOLENT_END] = now
            be, me = state[S_BUSY_END], state[S_MOVE_END]
            quiet = ht[a] - be if not np.isnan(be) else np.inf
            # away from the floor without a clear move for this long (small shifts
            # and tremor aside): a new posture, not a held top
            held = ht[a] - me if not np.isnan(me) else np.inf
            new_episode = state[S_RISING] == 0.0 and quiet >= quiet_s
            if state[S_RISING] != 0.0 and held >= hold_quiet_s:
                state[S_RISING] = 0.0
                state[S_REJECTED] += 1
                new_episode = True
            # more than a whole-leg lift inside one window, or the tracker re-zeroed
            # the tilt for a new posture: start afresh from where the window ends
            posture = hy[hi_i] - hy[lo_i] > max_lift or rezero
            if posture:
                if state[S_RISING] != 0.0:
                    state[S_RISING] = 0.0
                    lift = state[S_PEAK] - state[S_RISE_FLOOR]
                    start_t = ht[int(state[S_RISE_START]) - h0]
                    # (the leg coming down after a held lift is not another lift)
                    if max_tilt < lift <= max_lift and start_t - state[S_LIFT_HELD] > 2.0:
                        state[S_LIFT_HELD] = ht[a]
                        # a whole-leg lift held until the tracker took it for a posture
                        row = out[n_out]
                        row[:] = 0.0
                        row[0] = KIND_LIFT
                        row[1] = start_t
                        row[2] = ht[int(state[S_PEAK_I]) - h0]
                        row[3], row[4], row[5] = ht[a], lift, now
                        n_out += 1
                    else:
                        state[S_REJECTED] += 1
                new_episode = True
            if new_episode and moving and state[S_SIGN] != 0.0:
                # (re-zeroed with the reps going on: the floor is found again)
                rest = b - 1
                lows[0, 0], lows[0, 1], lows[0, 2] = ht[rest], state[S_SIGN] * hy[rest], rest + h0
                state[S_NLOWS] = 1.0
            elif new_episode:
                # a new episode: which way is up is open again, and the first move is
                # measured from the level at rest just before it (not from this
                # window's extremes: a slow small first rise is partly before them)
                state[S_SIGN] = 0.0
                state[S_FIRST_T] = np.nan
                rest = b - 1 if posture else max(a - 1, 0)
                for queue in (lows, highs):
                    queue[0, 0], queue[0, 1], queue[0, 2] = ht[rest], hy[rest], rest + h0
                state[S_NLOWS] = 1.0
                state[S_NHIGHS] = 1.0
                state[S_REST_I] = rest + h0
            state[S_BUSY_END] = now
            level = state[S_MOVE_LEVEL]
            if (
                np.isnan(state[S_MOVE_END])
                or max(hy[hi_i] - level, level - hy[lo_i]) >= hysteresis
                # (a bout's rep faded to ~1°: each window swings half of that, though
                # no window ends a hysteresis away from the last one's end)
                or hy[hi_i] - hy[lo_i] >= 0.5 * hysteresis
                or top > max_linear
            ):
                state[S_MOVE_END] = now
                state[S_MOVE_LEVEL] = hy[b - 1]
        if busy and (hy[hi_i] - hy[lo_i] > max_lift or rezero):
            continue  # a posture change: nothing in this window is a rep
        turned = turn_start(hw, a, b, TURN_BINS) if has_gyro and state[S_RISING] else -1
        if turned >= 0:
            # the phone turned in the pocket during this rise: the thigh's movement
            # meanwhile is lost (the tracker held the tilt), so the floor it left is no
            # longer where the tilt returns to. The rise ends where the turn began (the
            # detector judges it in the run's rhythm) and the floor is found again,
            # which way is up kept
            state[S_RISING] = 0.0
            ca = int(state[S_RISE_START]) - h0
            sign = state[S_SIGN]
            if turned - ca >= 3:
                row = out[n_out]
                measure(ht, hy, hl, hw, ca, turned, sign, state[S_RISE_FLOOR], now, p, row, True)
                if ht[ca] - state[S_VIOLENT_END] < calm_s:
                    _uncalm(row)
                if row[0] == KIND_REJECTED:
                    state[S_REJECTED] += 1
                n_out += 1
            else:
                state[S_REJECTED] += 1
            lows[0, 0], lows[0, 1], lows[0, 2] = ht[b - 1], sign * hy[b - 1], b - 1 + h0
            state[S_NLOWS] = 1.0
            continue
        first, second = (lo_i, hi_i) if lo_i <= hi_i else (hi_i, lo_i)
        pts[0, 0], pts[0, 1], pts[0, 2] = ht[first], hy[first], first + h0
        pts[1, 0], pts[1, 1], pts[1, 2] = ht[second], hy[second], second + h0
        for q in range(2):
            t, theta, i = pts[q, 0], pts[q, 1], int(pts[q, 2])
            sign = state[S_SIGN]
            if sign == 0.0:
                # unknown sign: floor candidates both ways; the first move out of rest
                # as large as the smallest heel raise is the heel going up
                nl = push(lows, int(state[S_NLOWS]), t, theta, i, floor_window_s, 1.0)
                nh = push(highs, int(state[S_NHIGHS]), t, theta, i, floor_window_s, -1.0)
                state[S_NLOWS], state[S_NHIGHS] = nl, nh
                up, down = theta - lows[0, 1], highs[0, 1] - theta
                if not has_gyro and (max(up, down) >= min_tilt or not np.isnan(state[S_FIRST_T])):
                    # without a gyroscope the tilt is gravity's direction, and a pocket
                    # that accelerates into a quick rise swings it the other way first
                    # (the phone rides above the hip's axis: the thigh's angular
                    # acceleration times that height, over g): the heel raise is the
                    # larger move out of rest within COUNTER_SWING_S of the first one
                    if np.isnan(state[S_FIRST_T]):
                        state[S_FIRST_T] = t
                        state[S_FIRST_Y] = lows[0, 1] if up >= down else highs[0, 1]
                    if t - state[S_FIRST_T] < counter_swing_s and min(up, down) < min_tilt:
                        continue
                    up = highs[0, 1] - state[S_FIRST_Y]
                    down = state[S_FIRST_Y] - lows[0, 1]
                    if max(up, down) < min_tilt:  # gone back: no heel raise yet
                        state[S_FIRST_T] = np.nan
                        continue
                j = int(state[S_REST_I]) - h0
                if max(up, down) >= min_tilt or small_first(
                    ht, hy, j, i - h0, up, down, sign_tilt, p
                ):
                    # (the move began where the tilt first left the rest by a hysteresis:
                    # later extremes, a first rep's release, may have taken the queues)
                    first_i = int(min(lows[0, 2], highs[0, 2]))
                    first_i = min(
                        first_i, departure(hy, int(state[S_REST_I]) - h0, i - h0, hysteresis) + h0
                    )
                    guess = 1.0 if up >= down else -1.0
                    sign = first_move_sign(
                        hy, hw, h0, first_i, i, guess, has_gyro, lookback_bins, hysteresis, rate_hz
                    )
                    state[S_SIGN] = sign
                    base = lows[0].copy() if sign > 0 else highs[0].copy()
                    top_i = int((highs if sign > 0 else lows)[0, 2]) - h0
                    if 0 <= j < top_i and (
                        (
                            sign != guess
                            and ht[top_i] - ht[j] <= floor_window_s
                            and sign * (hy[top_i] - hy[j]) >= hysteresis
                        )
                        or rep_before(ht, hy, j, i - h0, sign, p)
                    ):
                        # the move just seen was the release, the smaller first move
                        # out of rest (a hysteresis or more) the rise (the floor drifted,
                        # or the heel came down further than it rose); or a whole first
                        # rep, smaller than MIN_TILT, came before it: the rise began at
                        # that rest
                        base[0], base[1], base[2] = ht[j], hy[j], j + h0
                    lows[0, 0], lows[0, 1], lows[0, 2] = base[0], sign * base[1], base[2]
                    state[S_NLOWS], state[S_NHIGHS] = 1.0, 0.0
                    state[S_RISING] = 1.0
                    state[S_RISE_START] = base[2]
                    state[S_RISE_FLOOR] = sign * base[1]
                    open_rise(state)
                continue
            y = sign * theta
            if state[S_RISING] == 0.0:
                nl = push(lows, int(state[S_NLOWS]), t, y, i, floor_window_s, 1.0)
                state[S_NLOWS] = nl
                if y - lows[0, 1] >= hysteresis:
                    state[S_RISING] = 1.0
                    # it starts where the tilt was last back at the floor: a smaller rise
                    # before it (a bout's rep faded under a hysteresis) is not its shape
                    r = nl - 2
                    while r > 0 and lows[r, 1] - lows[0, 1] > return_fraction * hysteresis:
                        r -= 1
                    state[S_RISE_START] = lows[max(r, 0), 2]
                    state[S_RISE_FLOOR] = lows[0, 1]
                    open_rise(state)
                continue
            ca = int(state[S_RISE_START]) - h0
            cb = i - h0 + 1
            floor = state[S_RISE_FLOOR]
            peak, pk = state[S_PEAK], int(state[S_PEAK_I]) - h0
            dip, dk = state[S_DIP], int(state[S_DIP_I]) - h0  # lowest since the peak
            split = False  # down by half or more, then clearly up again: see below
            seen = cb
            for k in range(max(int(state[S_SEEN]) - h0, ca), cb):
                v = sign * hy[k]
                half = peak - floor >= hysteresis and peak - dip >= split_fraction * (peak - floor)
                if half and v - dip >= hysteresis:
                    # down by half or more from this top and clearly up again (the split
                    # below; a long bout's floor drifts): a new rep, seen bin by bin (a
                    # window's extremes may hold both, or the rise be looked at late)
                    split, seen = True, k
                    break
                if (
                    peak - dip >= min_tilt
                    and dip - floor <= max_tilt
                    and v - dip >= (1.0 - return_fraction) * (peak - dip)
                    and rested(ht, hy, sign, pk, dk, k, 0.5 * hysteresis) >= REST_S
                ):
                    # down by a heel raise, at rest there (the heel down), most of the way
                    # up again, from a level up to MAX_TILT above the floor: the floor moved
                    # (the phone turned in the pocket partly about the knee's axis, the tilt
                    # kept that step) and the reps go on from the new level: a new rep
                    split, seen = True, k
                    break
                if v > peak and peak - floor >= hysteresis:
                    if peak - dip >= (1.0 - return_fraction) * (peak - floor):
                        # back down from this top as far as a finished rep comes, and
                        # past the top again: a new rep, which would otherwise take this
                        # one's place before the window ends (and the dip be lost)
                        split, seen = True, k
                        break
                    if half and (state[S_PEND_DIP_I] < 0.0 or dip < state[S_PEND_DIP]):
                        # down by half, but past the top before clearly up again (the next
                        # rep rose quicker than the last one came down): judged at the
                        # next tops
                        state[S_PEND_DIP], state[S_PEND_DIP_I] = dip, dk + h0
                if v > peak and state[S_PEND_DIP_I] >= 0.0 and v - state[S_PEND_DIP] >= hysteresis:
                    dip, dk = state[S_PEND_DIP], int(state[S_PEND_DIP_I]) - h0
                    split, seen = True, k
                    break
                if v > peak:
                    peak, pk, dip, dk = v, k, v, k
                elif v < dip:
                    dip, dk = v, k
            state[S_PEAK], state[S_PEAK_I] = peak, pk + h0
            state[S_DIP], state[S_DIP_I] = dip, dk + h0
            state[S_SEEN] = seen + h0
            amp = peak - floor
            if t - ht[ca] > max_rep_s:
                state[S_RISING] = 0.0
                lows[0, 0], lows[0, 1], lows[0, 2] = t, y, i
                state[S_NLOWS] = 1.0
                state[S_REJECTED] += 1
                continue
            if ht[pk] - ht[ca] > max_rise_s:
                # still climbing to new peaks long after a heel raise would have topped
                # out: a drift or a slow change of posture; a new episode starts here
                state[S_RISING] = 0.0
                state[S_REJECTED] += 1
                state[S_SIGN] = 0.0
                state[S_FIRST_T] = np.nan
                for queue in (lows, highs):
                    queue[0, 0], queue[0, 1], queue[0, 2] = t, theta, i
                state[S_NLOWS] = 1.0
                state[S_NHIGHS] = 1.0
                state[S_REST_I] = i
                continue
            if not split and y <= floor + return_fraction * amp and amp >= hysteresis:
                state[S_RISING] = 0.0
                lows[0, 0], lows[0, 1], lows[0, 2] = t, y, i
                state[S_NLOWS] = 1.0
                row = out[n_out]
                measure(ht, hy, hl, hw, ca, cb, sign, floor, now, p, row, False)
                if ht[ca] - state[S_VIOLENT_END] < calm_s:
                    _uncalm(row)  # footsteps or a bump just before: not a set
                if row[0] == KIND_REJECTED:
                    state[S_REJECTED] += 1
                n_out += 1
            elif split or (
                amp >= hysteresis and peak - dip >= split_fraction * amp and y - dip >= hysteresis
            ):
                # down by half or more, then clearly up again: the heel went down (not
                # all the way, or the tilt lost some of it) and a new rep began
                row = out[n_out]
                measure(ht, hy, hl, hw, ca, dk + 1, sign, floor, now, p, row, True)
                if ht[ca] - state[S_VIOLENT_END] < calm_s:
                    _uncalm(row)  # footsteps or a bump just before: not a set
                if row[0] == KIND_REJECTED:
                    state[S_REJECTED] += 1
                n_out += 1
                state[S_RISE_START] = dk + h0
                state[S_RISE_FLOOR] = dip
                open_rise(state)
                lows[0, 0], lows[0, 1], lows[0, 2] = ht[dk], dip, dk + h0
                state[S_NLOWS] = 1.0
    return out[:n_out]


@compiled
def _uncalm(row: FloatArray) -> None:
    """A rise right after violent acceleration is no rep, nor a big one (its axis goes)."""
    if row[0] == KIND_REP or row[0] == KIND_SHORT:
        row[0] = KIND_REJECTED
    row[7] = row[8] = row[9] = 0.0
