"""The rep detector: one streaming algorithm, used live and on whole recordings.

A heel raise, seen from the thigh, is a tilt *away from a resting floor and back*:
knee up by 0.7×heel rise (3–8° of thigh pitch for a 45 cm thigh), then down again.
The detector follows the tilt from :mod:`soleus.signal.orientation` in windows of
:data:`WINDOW_BINS` bins, feeding each window's extremes to a small state machine:

floor → rising (tilt ≥ floor + :data:`HYSTERESIS_DEG`) → back down to within
:data:`RETURN_FRACTION` of the amplitude above the floor → a candidate rep.

Which way is "up" is unknown (the pitch axis' sign is arbitrary): the first movement
out of rest is the heel going up, so it fixes the sign for the episode.

A candidate counts when its shape is a heel raise (amplitude, rise and rep durations,
no violent acceleration) and it belongs to a run of at least :data:`MIN_RUN` similar
reps: a single tilt-and-back is as likely a fidget as an SPU. Larger tilts that return
are whole-leg lifts (reported, never counted). Windows where nothing moves are skipped
without a Python step, which is what makes the detector fast.

Batch analysis (:func:`detect`) feeds the whole recording through the same
:class:`StreamingDetector`; the result does not depend on how the input is chunked.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace

import numpy as np

from soleus.signal.orientation import RATE_HZ, TiltTracker
from soleus.signal.recording import FloatArray, Recording

# --- thresholds (physics, not fitted to the simulator) -------------------------------
WINDOW_BINS = 8  # 0.32 s at 25 Hz: a rep cannot rise and fall inside one window
QUIET_RANGE_DEG = 0.2  # a window moving less than this is stillness
QUIET_S = 2.5  # stillness this long at the floor ends an episode
# ... and this long away from the floor too: the SPU's top lasts a fraction of a
# second (a "held top" style a second or two); a thigh that stays put longer has
# changed posture (a foot drawn back, a shift in the chair), and what it returns to
# is a new floor.
HOLD_QUIET_S = 3.0
HYSTERESIS_DEG = 0.75  # half the smallest heel raise worth counting
RETURN_FRACTION = 0.3  # heel down: back within 30% of the amplitude above the floor
FLOOR_WINDOW_S = 3.0  # the floor is the lowest tilt of the last few seconds
MIN_TILT_DEG = 1.5  # ~1.5 cm of heel rise
MAX_TILT_DEG = 12.0  # ~12 cm heel rise: the end of the ankle's range
MAX_LIFT_DEG = 40.0  # more than this is a posture change, not a lift
MIN_RISE_S = 0.2  # a heel rise at 90/min takes ~0.3 s; knee jiggling (3-7 Hz) under 0.17 s
MAX_RISE_S = 5.0
MAX_RELEASE_S = 4.0  # even a deliberately slow lowering is done in a few seconds
MIN_REP_S = 0.4  # 90/min leaves 0.67 s per cycle; knee jiggling is 3–7 Hz
MAX_REP_S = 20.0  # up at the top longer than this: a posture change, not a rep
# A passive release drops the knee 0.7·h in ~0.15 s: for a 10 cm heel raise the pocket
# (~0.45 of the way to the knee) drops ~3 cm, a raised-cosine peak of d·π²/(2T²) ≈ 7 m/s².
# Anything more violent (a bouncing knee at 5–7 Hz, footsteps, a bump) is not a rep.
MAX_LINEAR_MS2 = 8.0
MIN_RUN = 3  # reps in a row before any of them counts
RUN_GAP_S = 10.0  # longer than this between reps starts a new run
RUN_AMPLITUDE_RATIO = 3.0
START_AMPLITUDE_RATIO = 3.0  # the first MIN_RUN reps: heights within 3× (half reps) ...
START_INTERVAL_RATIO = 1.6  # ... and a rhythm (fidgets come at random) ...
# ... of a set: top to top at most this (the slowest sets, 15/min with a held top, take
# ~5 s a rep; fidgets a few times a minute can fall into step by chance)
START_MAX_CYCLE_S = 7.0
EDGE_FRACTION = 0.05  # start/end: within 5% of the amplitude of the floor
TOP_FRACTION = 0.95  # top: middle of the part above 95% of the amplitude
PEAK_S = 0.4  # ... unless that part is shorter (no hold): then the vertex of the peak
HISTORY_S = 60.0
WARMUP_S = 1.5
LOOKBACK_BINS = 12  # 0.5 s of rest before the first move, to judge its direction
REVERSAL_FRACTION = 0.3  # a dip deeper than 30% of the amplitude splits a rep in two
RUN_AXIS_COS = 0.9  # reps of a run turn the thigh about the same axis (within ~25°)
# Inside a confirmed run the smallest rep is judged against the run itself: a rep a
# third of the run's median height is still a rep (flagged "incomplete range" by the
# form checks), down to 0.8° (~0.6 cm of heel) — below that it is sway.
RUN_MIN_FRACTION = 1 / 3
RUN_MIN_TILT_DEG = 0.8
# When a run is confirmed, the reps just before it that failed only the run's start
# test (same axis, in rhythm, a plausible height) are its first reps after all.
LOOKBACK_REPS = 2


@dataclass(frozen=True)
class Rep:
    start_s: float
    top_s: float
    end_s: float
    amplitude_deg: float
    detected_at_s: float  # when the streaming detector knew (latency = this − end_s)
    hold_s: float = 0.0  # time near the top (above 95% of the amplitude)

    @property
    def rise_s(self) -> float:
        return self.top_s - self.start_s

    @property
    def release_s(self) -> float:
        return self.end_s - self.top_s


@dataclass(frozen=True)
class LegLift:
    start_s: float
    end_s: float
    amplitude_deg: float


@dataclass
class _Candidate:
    start_i: int  # absolute bin index where the rise left the floor
    floor: float


class StreamingDetector:
    """Feed raw sensor chunks; get reps as soon as the heel is back down."""

    def __init__(self, *, accelerometer: bool, gyroscope: bool) -> None:
        self.tracker = TiltTracker(accelerometer=accelerometer, gyroscope=gyroscope)
        self.reps: list[Rep] = []
        self.lifts: list[LegLift] = []
        self.rejected = 0  # candidates that were not heel raises
        self.max_linear = 0.0
        self.large_moves = 0
        # history of bins (absolute index offset, times, tilt, linear acceleration)
        self._h0 = 0
        self._ht = np.empty(0)
        self._hy = np.empty(0)
        self._hl = np.empty(0)
        self._hw = np.empty((0, 3))
        self._done_bins = 0  # bins already consumed by complete windows
        # state machine
        self._sign = 0.0  # 0: unknown (episode start), else ±1
        self._busy_end: float | None = None
        self._rising: _Candidate | None = None
        self._lows: list[tuple[float, float, int]] = []  # (time, y-or-θ low, bin)
        self._highs: list[tuple[float, float, int]] = []  # for the unknown sign
        self._run: list[Rep] = []
        self._run_confirmed = False
        self._run_axis = np.zeros(3)
        self._dropped: list[tuple[Rep, FloatArray]] = []  # the run before, for the look-back
        self._axes: list[FloatArray] = []  # axis of each rep of the current run

    # -- input ---------------------------------------------------------------------

    def feed(
        self,
        t_acc: FloatArray | None = None,
        acc: FloatArray | None = None,
        t_gyro: FloatArray | None = None,
        gyro: FloatArray | None = None,
        *,
        final: bool = False,
    ) -> list[Rep]:
        """Add samples (seconds from the recording start); return newly counted reps."""
        t, y, lin, w = self.tracker.feed(t_acc, acc, t_gyro, gyro, final=final)
        before = len(self.reps)
        if t.size:
            self._ht = np.concatenate((self._ht, t))
            self._hy = np.concatenate((self._hy, y))
            self._hl = np.concatenate((self._hl, np.abs(lin)))
            self._hw = np.concatenate((self._hw, w))
        total = self._h0 + self._ht.size
        stop = total if final else total - (total % WINDOW_BINS)
        if stop > self._done_bins:
            self._windows(self._done_bins, stop)
            self._done_bins = stop
        self._trim()
        return self.reps[before:]

    def finish(self) -> list[Rep]:
        return self.feed(final=True)

    def _trim(self) -> None:
        if not self._ht.size:
            return
        keep_from = self._ht[-1] - HISTORY_S
        cut = int(np.searchsorted(self._ht, keep_from))
        if self._rising is not None:
            cut = min(cut, self._rising.start_i - self._h0 - WINDOW_BINS)
        for lst in (self._lows, self._highs):
            if lst:
                cut = min(cut, lst[0][2] - self._h0)
        cut = max(cut, 0)
        cut = min(cut, self._done_bins - self._h0)
        if cut > 0:
            self._ht, self._hy, self._hl = self._ht[cut:], self._hy[cut:], self._hl[cut:]
            self._hw = self._hw[cut:]
            self._h0 += cut

    # -- windows -------------------------------------------------------------------

    def _windows(self, start: int, stop: int) -> None:
        """Process the windows from absolute bin ``start`` to ``stop``.

        Every window's extremes are found at once; still windows cost no Python step
        unless a rep is in progress.
        """
        a, b = start - self._h0, stop - self._h0
        n = b - a
        nw = -(-n // WINDOW_BINS)
        if not nw:
            return
        y, lin, t = self._hy[a:b], self._hl[a:b], self._ht[a:b]
        full = n // WINDOW_BINS
        lo_i = np.empty(nw, dtype=np.intp)
        hi_i = np.empty(nw, dtype=np.intp)
        top = np.empty(nw)
        if full:
            blocks = y[: full * WINDOW_BINS].reshape(full, WINDOW_BINS)
            lo_i[:full] = blocks.argmin(axis=1)
            hi_i[:full] = blocks.argmax(axis=1)
            top[:full] = lin[: full * WINDOW_BINS].reshape(full, WINDOW_BINS).max(axis=1)
        if nw > full:
            tail = y[full * WINDOW_BINS :]
            lo_i[full] = tail.argmin()
            hi_i[full] = tail.argmax()
            top[full] = lin[full * WINDOW_BINS :].max()
        base = np.arange(0, n, WINDOW_BINS)
        lo_i += base
        hi_i += base
        y_lo, y_hi = y[lo_i], y[hi_i]
        rng = y_hi - y_lo
        self.max_linear = max(self.max_linear, float(top.max()))
        busy = (rng >= QUIET_RANGE_DEG) | (top > MAX_LINEAR_MS2)
        busy_idx = np.flatnonzero(busy)
        if self._rising is None and not busy_idx.size:
            return
        last = np.minimum(base + WINDOW_BINS, n) - 1
        t_first, t_last = t[base].tolist(), t[last].tolist()
        t_lo, t_hi = t[lo_i].tolist(), t[hi_i].tolist()
        yl_lo, yl_hi = y_lo.tolist(), y_hi.tolist()
        il_lo, il_hi = (lo_i + start).tolist(), (hi_i + start).tolist()
        busy_l, top_l = busy.tolist(), top.tolist()
        k = 0
        while k < nw:
            if self._rising is None and not busy_l[k]:
                nxt = int(np.searchsorted(busy_idx, k))
                if nxt >= busy_idx.size:
                    break
                k = int(busy_idx[nxt])
            now = t_last[k]
            if now >= WARMUP_S:  # before: filters and the axis estimate are settling
                if busy_l[k]:
                    if top_l[k] > MAX_LINEAR_MS2:
                        self.large_moves += 1
                    # stillness at the floor ends the episode: the next move fixes the
                    # sign again
                    quiet = t_first[k] - self._busy_end if self._busy_end is not None else np.inf
                    if self._rising is not None and quiet >= HOLD_QUIET_S:
                        self._rising = None
                        self.rejected += 1
                    if self._rising is None and quiet >= QUIET_S:
                        self._sign = 0.0
                        self._lows.clear()
                        self._highs.clear()
                    self._busy_end = now
                lo = (t_lo[k], yl_lo[k], il_lo[k])
                hi = (t_hi[k], yl_hi[k], il_hi[k])
                if il_lo[k] <= il_hi[k]:
                    self._step(lo, now)
                    self._step(hi, now)
                else:
                    self._step(hi, now)
                    self._step(lo, now)
            k += 1

    def _recent(self, lst: list[tuple[float, float, int]], now: float) -> None:
        while lst and lst[0][0] < now - FLOOR_WINDOW_S:
            lst.pop(0)

    def _step(self, point: tuple[float, float, int], now: float) -> None:
        t, theta, i = point
        if self._sign == 0.0:
            # unknown sign: floor candidates both ways; the first move out of rest
            # as large as the smallest heel raise is the heel going up
            self._lows = [p for p in self._lows if p[1] < theta] + [point]
            self._highs = [p for p in self._highs if p[1] > theta] + [point]
            self._recent(self._lows, t)
            self._recent(self._highs, t)
            low = min(self._lows, key=lambda p: p[1])
            high = max(self._highs, key=lambda p: p[1])
            up, down = theta - low[1], high[1] - theta
            if max(up, down) >= MIN_TILT_DEG:
                first = min(self._lows[0][2], self._highs[0][2])
                self._sign = self._first_move_sign(first, i, 1.0 if up >= down else -1.0)
                base = low if self._sign > 0 else high
                self._lows = [(base[0], self._sign * base[1], base[2])]
                self._highs.clear()
                self._rising = _Candidate(base[2], self._sign * base[1])
            return
        y = self._sign * theta
        if self._rising is None:
            self._lows = [p for p in self._lows if p[1] < y] + [(t, y, i)]
            self._recent(self._lows, t)
            floor = min(self._lows, key=lambda p: p[1])
            if y - floor[1] >= HYSTERESIS_DEG:
                self._rising = _Candidate(floor[2], floor[1])
            return
        cand = self._rising
        a, b = cand.start_i - self._h0, i - self._h0 + 1
        seg = self._hy[a:b]
        peak = float(seg.max()) if self._sign > 0 else -float(seg.min())
        amp = peak - cand.floor
        if t - float(self._ht[a]) > MAX_REP_S:
            self._rising = None
            self._lows = [(t, y, i)]
            self.rejected += 1
            return
        if y <= cand.floor + RETURN_FRACTION * amp and amp >= HYSTERESIS_DEG:
            self._rising = None
            self._lows = [(t, y, i)]
            self._candidate(a, b, cand.floor, now)

    def _first_move_sign(self, first: int, now: int, guess: float) -> float:
        """Which way the tilt signal goes when the heel goes up, judged in hindsight.

        The running axis may still be settling during the first rise, so the tilt can
        show a fast release more than the slow rise before it. The integrated rotation
        since rest, projected on its own principal axis, does not have that problem:
        its first excursion from rest is the heel going up.
        """
        a, b = max(first - self._h0 - LOOKBACK_BINS, 0), now - self._h0 + 1
        theta = self._hy[a:b]
        if not self.tracker.has_gyro:
            return guess  # accelerometer tilt is a displacement: no settling problem
        path = np.cumsum(self._hw[a:b], axis=0)
        if path.shape[0] < 3:
            return guess
        path -= path[0]
        _, vecs = np.linalg.eigh(path.T @ path)
        z = np.degrees(path @ vecs[:, -1]) / RATE_HZ
        big = np.flatnonzero(np.abs(z) >= HYSTERESIS_DEG)
        if not big.size:
            return guess
        up = 1.0 if z[big[0]] > 0 else -1.0
        # which way the tilt signal moved meanwhile: from the rest before to now
        r = min(LOOKBACK_BINS, theta.size - 1)
        agree = (float(theta[-1]) - float(theta[:r].mean())) * (float(z[-1]) - float(z[:r].mean()))
        return up if agree >= 0 else -up

    # -- candidates ----------------------------------------------------------------

    def _candidate(self, a: int, b: int, floor: float, now: float) -> None:
        t = self._ht[a:b]
        y = self._sign * self._hy[a:b] - floor
        k = int(np.argmax(y))
        yl, tl = y.tolist(), t.tolist()
        amp = yl[k]
        edge = EDGE_FRACTION * amp
        top_lvl = TOP_FRACTION * amp
        # start: last crossing of the edge level before the peak
        below = np.flatnonzero(y[:k] <= edge)
        s = int(below[-1]) if below.size else 0
        start = _cross(tl, yl, s, edge)
        # top: middle of the contiguous part above 95% around the peak
        lo = k
        while lo > 0 and yl[lo - 1] >= top_lvl:
            lo -= 1
        hi = k
        last = len(yl) - 1
        while hi < last and yl[hi + 1] >= top_lvl:
            hi += 1
        t_in = _cross(tl, yl, lo - 1, top_lvl) if lo > 0 else tl[lo]
        t_out = _cross(tl, yl, hi, top_lvl) if hi < last else tl[hi]
        top = (t_in + t_out) / 2
        if t_out - t_in <= PEAK_S and 0 < k < last:
            # a sharp top: the vertex of the parabola through the three highest samples
            y0, y1, y2 = yl[k - 1], yl[k], yl[k + 1]
            curv = y0 - 2 * y1 + y2
            if curv < 0:
                top = tl[k] + 0.5 * (y0 - y2) / curv * (tl[k + 1] - tl[k])
        # end: first crossing of the edge level after the peak, else extrapolated
        after = np.flatnonzero(y[k:] <= edge)
        if after.size:
            end = _cross(tl, yl, k + int(after[0]) - 1, edge)
        else:
            j = last
            slope = (yl[j] - yl[j - 1]) / (tl[j] - tl[j - 1]) if j > 0 else 0.0
            end = tl[j] + ((yl[j] - edge) / -slope if slope < 0 else 0.0)
            end = min(end, tl[j] + 1.0)
        lin = float(self._hl[a:b].max())
        rise, dur = top - start, end - start
        if lin > MAX_LINEAR_MS2 or amp > MAX_LIFT_DEG:
            self.rejected += 1
            return
        if amp > MAX_TILT_DEG:
            if dur >= 2 * MIN_REP_S:
                self.lifts.append(LegLift(start, end, amp))
            return
        min_tilt = MIN_TILT_DEG
        if self._run_confirmed and self._run:
            median = _median([r.amplitude_deg for r in self._run])
            min_tilt = max(RUN_MIN_TILT_DEG, min(MIN_TILT_DEG, RUN_MIN_FRACTION * median))
        if (
            amp < min_tilt
            or not MIN_RISE_S <= rise <= MAX_RISE_S
            or end - top > MAX_RELEASE_S
            or dur < MIN_REP_S
        ):
            self.rejected += 1
            return
        if _reversals(yl, REVERSAL_FRACTION * amp) > 1:
            self.rejected += 1  # shaking (a bouncing knee), not one raise
            return
        # the rep's own axis: principal direction of its integrated rotation
        # (integration averages out the noise of accelerometer-derived rates)
        path = np.cumsum(self._hw[a:b], axis=0)
        path -= path.sum(axis=0) / path.shape[0]  # the mean, as np.mean computes it
        _, vecs = np.linalg.eigh(path.T @ path)
        self._join(Rep(start, top, end, amp, now, max(t_out - t_in, 0.0)), vecs[:, -1])

    def _join(self, rep: Rep, axis: FloatArray) -> None:
        run = self._run
        if run:
            last = run[-1]
            amps = _median([r.amplitude_deg for r in run])
            ok = rep.start_s - last.end_s <= RUN_GAP_S
            # one thigh, one pitch axis: fidgets turn the leg every which way
            ok = ok and abs(float(axis @ self._run_axis)) >= RUN_AXIS_COS
            ok = ok and 1 / RUN_AMPLITUDE_RATIO <= rep.amplitude_deg / amps <= RUN_AMPLITUDE_RATIO
            if ok and not self._run_confirmed:
                # before a run counts it must look like a set: similar reps, in rhythm
                ratio = rep.amplitude_deg / amps
                ok = 1 / START_AMPLITUDE_RATIO <= ratio <= START_AMPLITUDE_RATIO
                ok = ok and rep.top_s - last.top_s <= START_MAX_CYCLE_S
                if ok and len(run) >= 2:
                    prev = run[-1].top_s - run[-2].top_s
                    ratio = (rep.top_s - last.top_s) / max(prev, 1e-6)
                    ok = 1 / START_INTERVAL_RATIO <= ratio <= START_INTERVAL_RATIO
            if not ok:
                if not self._run_confirmed:
                    self.rejected += len(run)
                    self._dropped = list(zip(run, self._axes, strict=True))
                else:
                    self._dropped = []
                run.clear()
                self._axes.clear()
                self._run_confirmed = False
        run.append(rep)
        self._axes.append(axis)
        self._run_axis = axis
        if self._run_confirmed:
            self.reps.append(rep)
        elif len(run) >= MIN_RUN:
            self._run_confirmed = True
            first = self._look_back(run, axis)
            self.rejected -= len(first)
            self.reps.extend(replace(r, detected_at_s=rep.detected_at_s) for r in first + run)
            self._dropped = []
        if len(run) > MIN_RUN:
            del run[: len(run) - MIN_RUN]
            del self._axes[: len(self._axes) - MIN_RUN]

    def _look_back(self, run: list[Rep], axis: FloatArray) -> list[Rep]:
        """Reps just before a newly confirmed run that belong to it after all."""
        found: list[Rep] = []
        amps = _median([r.amplitude_deg for r in run])
        cycle = _median([b.top_s - a.top_s for a, b in itertools.pairwise(run)])
        nxt = run[0]
        for rep, ax in reversed(self._dropped[-LOOKBACK_REPS:]):
            if self.reps and rep.start_s <= self.reps[-1].end_s:
                break
            interval = nxt.top_s - rep.top_s
            if not (
                abs(float(ax @ axis)) >= RUN_AXIS_COS
                and 1 / START_INTERVAL_RATIO <= interval / cycle <= START_INTERVAL_RATIO
                and 1 / RUN_AMPLITUDE_RATIO <= rep.amplitude_deg / amps <= RUN_AMPLITUDE_RATIO
            ):
                break
            found.insert(0, rep)
            nxt = rep
        return found


def _median(xs: list[float]) -> float:
    """The median of a short list (as :func:`numpy.median`, without its overhead)."""
    s = sorted(xs)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def _reversals(y: list[float], h: float) -> int:
    """Number of peaks in ``y`` separated by dips deeper than ``h`` (a zigzag count)."""
    peaks, up = 0, True
    ext = y[0]
    for v in y:
        if up:
            if v > ext:
                ext = v
            elif ext - v >= h:
                peaks += 1
                up, ext = False, v
        elif v < ext:
            ext = v
        elif v - ext >= h:
            up, ext = True, v
    return peaks + (1 if up and ext - y[-1] < h and peaks == 0 else 0)


def _cross(t: list[float], y: list[float], i: int, level: float) -> float:
    """Time where y crosses ``level`` between samples i and i+1 (linear)."""
    i = max(min(i, len(y) - 2), 0)
    y0, y1 = y[i], y[i + 1]
    if y1 == y0:
        return t[i]
    f = min(max((level - y0) / (y1 - y0), 0.0), 1.0)
    return t[i] + f * (t[i + 1] - t[i])


@dataclass(frozen=True)
class Detection:
    reps: tuple[Rep, ...]
    lifts: tuple[LegLift, ...]
    rejected: int
    large_moves: int
    max_linear: float


def run(det: StreamingDetector, rec: Recording, chunk_s: float | None = None) -> Detection:
    """Feed a recording through ``det`` (at once, or in chunks of ``chunk_s`` seconds)."""
    if chunk_s is None:
        det.feed(rec.t_acc, rec.acc, rec.t_gyro, rec.gyro)
    else:
        edges = np.arange(0.0, rec.end + chunk_s, chunk_s)
        for lo, hi in itertools.pairwise(edges):
            parts: list[FloatArray | None] = []
            for t, v in ((rec.t_acc, rec.acc), (rec.t_gyro, rec.gyro)):
                if t is None or v is None:
                    parts += [None, None]
                    continue
                i, j = np.searchsorted(t, [lo, hi])
                parts += [t[i:j], v[i:j]]
            det.feed(*parts)
    det.finish()
    return Detection(
        tuple(det.reps), tuple(det.lifts), det.rejected, det.large_moves, det.max_linear
    )


def detect(rec: Recording, chunk_s: float | None = None) -> Detection:
    """Batch detection: the whole recording through a fresh streaming detector."""
    det = StreamingDetector(accelerometer=rec.acc is not None, gyroscope=rec.gyro is not None)
    return run(det, rec, chunk_s)


__all__ = ["RATE_HZ", "Detection", "LegLift", "Rep", "StreamingDetector", "detect"]
