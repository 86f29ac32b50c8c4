"""From raw phone samples to one number per instant: the thigh's pitch, in degrees.

The phone can lie in the pocket in any orientation, so no phone axis is the thigh's
pitch axis. A heel raise rotates the thigh about its pitch axis and nothing else, so:

- with a gyroscope, the pitch axis is the principal axis of the recent rotation rate
  (an exponentially weighted covariance, eigenvector by a vectorised power step), and
  the tilt is the rate projected on it, integrated;
- with only an accelerometer, the gravity direction in the phone frame turns about the
  same axis: the rotation rate perpendicular to gravity is ``dĝ/dt × ĝ`` (the thigh's
  pitch axis is horizontal, so that is all of it), and the same steps follow.

Linear acceleration of the thigh during a heel raise points along gravity (the phone
moves up and down on a near-horizontal thigh), so it changes the length of the measured
vector, not its direction: the accelerometer-only tilt is clean to first order.

Everything is causal and incremental: :class:`TiltTracker` takes chunks of any size and
returns the same samples as when it gets the whole recording at once (filters carry
their state; samples are binned on a fixed absolute time grid).
"""

from __future__ import annotations

import numpy as np
from scipy import signal as sps
from scipy import sparse

from soleus.signal.recording import STANDARD_GRAVITY, FloatArray

# Internal rate. Thigh pitch during a heel raise has no content above a few hertz.
RATE_HZ = 25.0
# Accelerometer-only low-pass (typing vibration, footsteps); its delay is compensated.
# It runs on the raw samples, before they are averaged into bins: a bin mean is a poor
# anti-alias filter, and vibration near the phone's Nyquist rate (a 50 Hz phone sees
# 20–25 Hz keyboard and desk vibration) would fold down to the 1–5 Hz of a heel raise.
ACC_LOWPASS_HZ = 3.0
# The raw sample rate, for that filter, is judged from the first samples' spacing.
RATE_ESTIMATE_SAMPLES = 16
# Gyroscope bias is measured where the phone is still: a rate that stays constant
# (range under STILL_RANGE_RAD_S over STILL_S) is bias, not movement — a human movement
# speeds up and slows down. The bias is the average of still bins over BIAS_TAU_S of
# stillness (frozen while moving, so a bout of reps cannot drag it).
STILL_PARTS = 4  # ... the means of four consecutive quarter seconds ...
STILL_PART_BINS = 6  # (averages, so sensor noise hardly matters) ...
STILL_RANGE_RAD_S = 0.012  # ... differ by less than 0.7°/s: no part of a heel raise does
BIAS_TAU_S = 8.0
# The pitch axis is the principal axis of the last couple of seconds of rotation:
# short, so a fidget about another axis is forgotten before the next set's first rise.
AXIS_TAU_S = 1.0
# Accelerometer only, the axis comes from gravity's displacement, which is noisier
# (vibration leaks through the low-pass): it needs a longer memory not to wander.
ACC_AXIS_TAU_S = 6.0
# Accelerometer only: gravity's displacement from its average over this time.
DISPLACEMENT_TAU_S = 10.0
# The integrated rotation slowly forgets (drift, posture changes).
LEAK_TAU_S = 30.0
# With both sensors, the tilt is the gyroscope's for anything faster than this and the
# accelerometer's (gravity's direction) for anything slower: a complementary filter.
# Gravity is the absolute reference the integrated rate lacks, so rotation lost in a
# gap of gyroscope samples (phones drop and batch them) heals within a second or two,
# while vibration in the accelerometer is smoothed away.
COMPLEMENTARY_TAU_S = 1.0


def _ema(tau_s: float) -> tuple[FloatArray, FloatArray]:
    lam = float(np.exp(-1.0 / (RATE_HZ * tau_s)))
    return np.array([1.0 - lam]), np.array([1.0, -lam])


class TiltTracker:
    """Incremental: raw samples in, (time, tilt °, vertical acceleration, rate) per bin out."""

    def __init__(self, *, accelerometer: bool, gyroscope: bool) -> None:
        if not (accelerometer or gyroscope):
            raise ValueError("need an accelerometer or a gyroscope")
        self.has_acc = accelerometer
        self.has_gyro = gyroscope
        self.dt = 1.0 / RATE_HZ
        self.next_bin = 0
        # pending raw samples per stream: times and a 3×n (contiguous per axis) block
        self._pending: dict[str, tuple[FloatArray, FloatArray]] = {}
        self._last: dict[str, FloatArray] = {}
        self._zi: dict[str, FloatArray] = {}
        self._prev_g: FloatArray | None = None
        self._prev_axis = np.array([1.0, 0.0, 0.0])
        self._still_tail = np.empty((3, 0))  # the last bins of raw rate (stillness)
        self._bias = np.zeros(3)
        self._bias_n = 0  # still bins seen
        self._bias_sum = np.zeros(3)
        # accelerometer only: raw samples wait here until the raw rate is known
        self._prefilter = not gyroscope
        self._raw_wait: tuple[FloatArray, FloatArray] = (np.empty(0), np.empty((0, 3)))
        self._raw_lp: tuple[FloatArray, FloatArray] | None = None
        # In accelerometer-only mode the tilt lags by the low-pass's group delay.
        self.delay_s = 0.0

    # -- binning -------------------------------------------------------------------

    def _append(self, key: str, t: FloatArray | None, v: FloatArray | None) -> None:
        if t is None or v is None or t.size == 0:
            return
        vt = np.ascontiguousarray(v, dtype=np.float64)
        t = np.asarray(t, dtype=np.float64)
        if key in self._pending:
            pt, pv = self._pending[key]
            t, vt = np.concatenate((pt, t)), np.concatenate((pv, vt))
        self._pending[key] = (t, vt)

    def _lowpass(
        self, t: FloatArray | None, v: FloatArray | None, final: bool
    ) -> tuple[FloatArray | None, FloatArray | None]:
        """Accelerometer only: raw samples low-passed, side by side with the raw ones (n×6).

        The filter is designed for the raw rate, judged from the first
        RATE_ESTIMATE_SAMPLES samples (so any chunking gives the same filter); until
        they have come, samples wait.
        """
        if t is not None and v is not None and t.size:
            wt, wv = self._raw_wait
            t = np.concatenate((wt, np.asarray(t, dtype=np.float64)))
            v = np.concatenate((wv, np.asarray(v, dtype=np.float64)))
        else:
            t, v = self._raw_wait
        if self._raw_lp is None:
            if t.size < RATE_ESTIMATE_SAMPLES and not (final and t.size >= 2):
                self._raw_wait = (t, v)
                return None, None
            step = float(np.median(np.diff(t[:RATE_ESTIMATE_SAMPLES])))
            fs = 1.0 / step if step > 0 else 100.0
            b, a = sps.butter(2, min(ACC_LOWPASS_HZ, 0.4 * fs), fs=fs)
            self._raw_lp = (b, a)
            _w, gd = sps.group_delay((b, a), w=[0.5], fs=fs)
            self.delay_s = float(gd[0]) / fs
            self._zi["lp"] = sps.lfilter_zi(b, a)[:, None] * v[:1]  # start at rest
        self._raw_wait = (np.empty(0), np.empty((0, 3)))
        if not t.size:
            return None, None
        b, a = self._raw_lp
        smooth, self._zi["lp"] = sps.lfilter(b, a, v, axis=0, zi=self._zi["lp"])
        return t, np.concatenate((v, smooth), axis=1)

    def _streams(self) -> list[str]:
        return [k for k, on in (("acc", self.has_acc), ("gyro", self.has_gyro)) if on]

    def _bins(self, key: str, stop: int) -> FloatArray:
        """Mean of the samples in each bin (columns×n); empty bins hold the last value."""
        n = stop - self.next_bin
        width = 6 if key == "acc" and self._prefilter else 3
        t, v = self._pending.get(key, (np.empty(0), np.empty((0, width))))
        idx = (t * RATE_HZ).astype(np.int64)  # t ≥ 0: truncation is floor
        cut = int(np.searchsorted(idx, stop))
        rel = idx[:cut] - self.next_bin
        vals = v[:cut]
        self._pending[key] = (t[cut:], v[cut:])
        if rel.size and rel[0] < 0:  # samples older than bins already emitted
            ok = rel >= 0
            rel, vals = rel[ok], vals[ok]
        counts = np.bincount(rel, minlength=n)
        if rel.size < 2**31 - 1 and not np.any(rel[1:] < rel[:-1]):
            # samples in time order: each bin is a run of consecutive rows, summed in
            # one sparse pass over the n×3 block (the same sums, in the same order, as
            # a bincount per axis — without transposing the samples)
            indptr = np.zeros(n + 1, dtype=np.int32)
            np.cumsum(counts, out=indptr[1:])
            rows = sparse.csr_array(
                (np.ones(rel.size), np.arange(rel.size, dtype=np.int32), indptr),
                shape=(n, rel.size),
            )
            out = np.ascontiguousarray((rows @ vals).T)
        else:
            out = np.empty((width, n))
            for i in range(width):
                out[i] = np.bincount(rel, weights=vals[:, i], minlength=n)
        out /= np.maximum(counts, 1)
        empty = np.flatnonzero(counts == 0)
        if empty.size:
            # a bin without samples (dropped) holds the last value before it
            pos = np.maximum.accumulate(np.where(counts > 0, np.arange(n), -1))[empty]
            held = pos >= 0
            out[:, empty[held]] = out[:, pos[held]]
            if not held.all():
                last = self._last.get(key)
                if last is None:
                    first = np.flatnonzero(counts)
                    last = out[:, first[0]] if first.size else np.zeros(width)
                out[:, empty[~held]] = last[:, None]
        self._last[key] = out[:, -1].copy()
        return out

    def feed(
        self,
        t_acc: FloatArray | None = None,
        acc: FloatArray | None = None,
        t_gyro: FloatArray | None = None,
        gyro: FloatArray | None = None,
        *,
        final: bool = False,
    ) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
        """Add samples; return the bins that are now complete (all of them if ``final``).

        Per bin: time (s), tilt about the current pitch axis (°), vertical acceleration
        of the phone (|a| − g, m/s², zero without an accelerometer; timed like the
        tilt) and the de-biased rotation rate (n×3, rad/s).
        """
        if self._prefilter:
            t_acc, acc = self._lowpass(t_acc, acc, final)
        self._append("acc", t_acc, acc)
        self._append("gyro", t_gyro, gyro)
        ends = []
        for key in self._streams():
            t = self._pending.get(key, (np.empty(0), None))[0]
            if not t.size:
                ends.append(self.next_bin)
            else:
                last_bin = int(t[-1] * RATE_HZ)
                ends.append(last_bin + 1 if final else last_bin)
        stop = max(ends) if final else min(ends)
        if stop <= self.next_bin:
            return np.empty(0), np.empty(0), np.empty(0), np.empty((0, 3))
        a = self._bins("acc", stop) if self.has_acc else None
        g = self._bins("gyro", stop) if self.has_gyro else None
        times = np.asarray(
            (np.arange(self.next_bin, stop) + 1.0) * self.dt - self.delay_s, dtype=np.float64
        )
        self.next_bin = stop
        theta, vertical, rate = self._tilt(a, g)
        return times, theta, vertical, rate

    # -- tilt ----------------------------------------------------------------------

    def _principal(self, key: str, x: FloatArray, tau_s: float = AXIS_TAU_S) -> FloatArray:
        """Per bin, the principal axis of the exponentially weighted covariance of x (3×n)."""
        # (in place, on preallocated rows: at 25 Hz over an hour every temporary is
        # a large allocation; the arithmetic and its order are those of the formulas)
        x0, x1, x2 = x
        n = x.shape[1]
        prod = np.empty((6, n))
        for row, (p, q) in enumerate(((x0, x0), (x0, x1), (x0, x2), (x1, x1), (x1, x2), (x2, x2))):
            np.multiply(p, q, out=prod[row])
        b, a = _ema(tau_s)
        c = self._filter(key, b, a, prod, axis=1)
        c00, c01, c02, c11, c12, c22 = c
        c00 += 1e-12
        c11 += 1e-12
        c22 += 1e-12
        # start the power steps from the largest diagonal's column
        use0 = c00 >= c11
        use0 &= c00 >= c22
        use1 = c11 >= c22
        use1 &= ~use0
        v = np.empty((3, n))
        w = np.empty((3, n))
        for row, col in enumerate(((c00, c01, c02), (c01, c11, c12), (c02, c12, c22))):
            np.copyto(v[row], col[2])
            np.copyto(v[row], col[1], where=use1)
            np.copyto(v[row], col[0], where=use0)
        tmp = np.empty(n)
        norm = np.empty(n)
        for _ in range(2):
            vx, vy, vz = v
            for row, (cx, cy, cz) in enumerate(((c00, c01, c02), (c01, c11, c12), (c02, c12, c22))):
                out = w[row]
                np.multiply(cx, vx, out=out)
                np.multiply(cy, vy, out=tmp)
                out += tmp
                np.multiply(cz, vz, out=tmp)
                out += tmp
            wx, wy, wz = w
            np.multiply(wx, wx, out=norm)
            np.multiply(wy, wy, out=tmp)
            norm += tmp
            np.multiply(wz, wz, out=tmp)
            norm += tmp
            np.sqrt(norm, out=norm)
            np.maximum(norm, 1e-30, out=norm)
            np.divide(1.0, norm, out=norm)
            np.multiply(w, norm, out=v)
        return v

    def _filter(
        self,
        key: str,
        b: FloatArray,
        a: FloatArray,
        x: FloatArray,
        steady: bool = False,
        axis: int = 0,
    ) -> FloatArray:
        zi = self._zi.get(key)
        if zi is None:
            first = np.take(x, [0], axis=axis)
            base = sps.lfilter_zi(b, a)
            shape = [1] * x.ndim
            shape[axis] = base.size
            zi = base.reshape(shape) * (first if steady else np.zeros_like(first))
        y, zf = sps.lfilter(b, a, x, axis=axis, zi=zi)
        self._zi[key] = zf
        return np.asarray(y)

    def _tilt(
        self, acc: FloatArray | None, gyro: FloatArray | None
    ) -> tuple[FloatArray, FloatArray, FloatArray]:
        n = (acc if acc is not None else gyro).shape[1]  # type: ignore[union-attr]
        vertical = np.zeros(n)
        if gyro is not None:
            if acc is not None:
                vertical = np.sqrt(acc[0] ** 2 + acc[1] ** 2 + acc[2] ** 2) - STANDARD_GRAVITY
            w = gyro - self._gyro_bias(gyro)
            # principal axis of the recent rotation; tilt = the rate about it, integrated
            v = self._continuous(self._principal("cov", w))
            p = w[0] * v[0] + w[1] * v[1] + w[2] * v[2]
            theta = self._integrate("theta", p)
            if acc is not None:
                # the same axis, as gravity sees it; the gyroscope keeps the fast part
                pa = self._gravity_rate(acc)
                pa = pa[0] * v[0] + pa[1] * v[1] + pa[2] * v[2]
                slow = self._integrate("theta_acc", pa)
                alpha = COMPLEMENTARY_TAU_S / (COMPLEMENTARY_TAU_S + self.dt)
                fast = self._filter(
                    "comp", np.array([alpha, -alpha]), np.array([1.0, -alpha]), theta - slow
                )
                theta = slow + fast
            return np.degrees(theta), vertical, np.ascontiguousarray(w.T)
        # Accelerometer only. Integrating a rate differentiated from noisy gravity along
        # a wandering axis would random-walk; gravity's *displacement* from its slow
        # average does not: the direction u where gravity moves when the thigh pitches
        # is the principal axis of its recent motion, and the tilt is the displacement
        # along u.
        assert acc is not None
        acc, smooth = acc[:3], acc[3:]  # raw and low-passed (see _lowpass)
        norm = np.sqrt(smooth[0] ** 2 + smooth[1] ** 2 + smooth[2] ** 2)
        # unfiltered: a bouncing knee (3–7 Hz) shows as violent acceleration only here
        vertical = np.sqrt(acc[0] ** 2 + acc[1] ** 2 + acc[2] ** 2) - STANDARD_GRAVITY
        g = smooth / np.maximum(norm, 1e-9)
        w = self._gravity_rate(smooth)
        b, a = _ema(DISPLACEMENT_TAU_S)
        disp = g - self._filter("gslow", b, a, g, steady=True, axis=1)
        u = self._continuous(self._principal("cov", disp, ACC_AXIS_TAU_S))
        along = disp[0] * u[0] + disp[1] * u[1] + disp[2] * u[2]
        tilt = np.arcsin(np.clip(along, -1.0, 1.0))
        return np.degrees(tilt), vertical, np.ascontiguousarray(w.T)

    def _integrate(self, key: str, rate: FloatArray) -> FloatArray:
        """Rate (rad/s) integrated to an angle that slowly forgets (LEAK_TAU_S)."""
        lam = float(np.exp(-1.0 / (RATE_HZ * LEAK_TAU_S)))
        return self._filter(key, np.array([self.dt]), np.array([1.0, -lam]), rate)

    def _gravity_rate(self, acc: FloatArray) -> FloatArray:
        """Rotation rate perpendicular to gravity (3×n), from how its direction turns.

        A still world vector seen from a turning phone moves as dĝ/dt = ĝ × ω, so the
        part of ω perpendicular to gravity is dĝ/dt × ĝ (all of it for the thigh's
        horizontal pitch axis).
        """
        g = acc / np.maximum(np.sqrt(acc[0] ** 2 + acc[1] ** 2 + acc[2] ** 2), 1e-9)
        prev = np.concatenate(
            ((g[:, :1] if self._prev_g is None else self._prev_g), g[:, :-1]), axis=1
        )
        self._prev_g = g[:, -1:].copy()
        dg = (g - prev) * RATE_HZ
        return np.stack(
            [dg[1] * g[2] - dg[2] * g[1], dg[2] * g[0] - dg[0] * g[2], dg[0] * g[1] - dg[1] * g[0]]
        )

    def _gyro_bias(self, rate: FloatArray) -> FloatArray:
        """Per bin (3×n), the bias: the average rate of the still bins so far.

        A bin is still when the rate has stayed within STILL_RANGE_RAD_S on every axis
        for STILL_S: constant rotation is not something a thigh does. The average runs
        over still bins only, so movement (a whole bout of reps) leaves it alone.
        """
        n = rate.shape[1]
        m = STILL_PART_BINS
        span = m * STILL_PARTS  # bins of history each decision needs
        k = self._still_tail.shape[1]
        hist = np.concatenate((self._still_tail, rate), axis=1)  # 3 × (tail + n)
        self._still_tail = hist[:, -(span - 1) :]
        # means[:, j] = sum of hist[:, j : j + m]; the parts ending at new bin i (hist
        # index k + i) are means[:, e - q·m] with e = k + i - (m - 1), q < STILL_PARTS.
        # Only bins with all parts inside the history can be still: the first such bin
        # is i0, and for bins i0.. every part index is a plain slice (no gathers).
        i0 = max(span - 1 - k, 0)
        still = np.zeros(n, dtype=bool)
        if i0 < n:
            cs = np.cumsum(hist[:, i0 + k - span + 1 :], axis=1)  # from i0's first part
            # sums of m bins starting at relative 0, 1, 2, ...
            sums = np.empty((3, cs.shape[1] - m + 1))
            sums[:, 0] = cs[:, m - 1]
            np.subtract(cs[:, m:], cs[:, :-m], out=sums[:, 1:])
            cnt = n - i0
            hi = sums[:, 0:cnt].copy()
            lo = hi.copy()
            for q in range(1, STILL_PARTS):
                part = sums[:, q * m : q * m + cnt]
                np.maximum(hi, part, out=hi)
                np.minimum(lo, part, out=lo)
            hi -= lo
            hi /= m
            ok = hi[0] < STILL_RANGE_RAD_S
            ok &= hi[1] < STILL_RANGE_RAD_S
            ok &= hi[2] < STILL_RANGE_RAD_S
            still[i0:] = ok
        idx = np.flatnonzero(still)
        out = np.empty_like(rate)
        if not idx.size:
            out[:] = self._bias[:, None]
            return out
        x = rate[:, idx]
        ema = np.empty_like(x)
        # a plain mean of the first BIAS_TAU_S of still bins, then an exponential one
        warm = int(BIAS_TAU_S * RATE_HZ)
        k = min(max(warm - self._bias_n, 0), x.shape[1])
        if k:
            sums = self._bias_sum[:, None] + np.cumsum(x[:, :k], axis=1)
            ema[:, :k] = sums / (self._bias_n + np.arange(1, k + 1))
            self._bias_sum = sums[:, -1]
        if k < x.shape[1]:
            b, a = _ema(BIAS_TAU_S)
            if "bias" not in self._zi:
                start = ema[:, k - 1 : k] if k else (self._bias_sum / max(self._bias_n, 1))[:, None]
                self._zi["bias"] = sps.lfilter_zi(b, a)[None, :] * start
            ema[:, k:], self._zi["bias"] = sps.lfilter(b, a, x[:, k:], axis=1, zi=self._zi["bias"])
        self._bias_n += x.shape[1]
        # each bin takes the estimate of the last still bin at or before it: bins
        # before the first still one keep the old bias
        first = int(idx[0])
        out[:, :first] = self._bias[:, None]
        which = np.cumsum(still[first:]) - 1
        np.take(ema, which, axis=1, out=out[:, first:])
        self._bias = ema[:, -1].copy()
        return out

    def _continuous(self, v: FloatArray) -> FloatArray:
        """Flip axes (3×n) so the sign is continuous from one bin to the next (and chunk)."""
        prev_v = np.concatenate((self._prev_axis[:, None], v[:, :-1]), axis=1)
        dots = v[0] * prev_v[0] + v[1] * prev_v[1] + v[2] * prev_v[2]
        flips = np.where(dots < 0, -1.0, 1.0)
        # v[i] is compared with the raw v[i-1]; the running sign is their product
        v = v * np.cumprod(flips)
        self._prev_axis = v[:, -1].copy()  # the carried axis is the last *signed* one
        return v
