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

from soleus.signal.recording import STANDARD_GRAVITY, FloatArray

# Internal rate. Thigh pitch during a heel raise has no content above a few hertz.
RATE_HZ = 25.0
# Accelerometer-only low-pass (typing vibration, footsteps); its delay is compensated.
ACC_LOWPASS_HZ = 3.0
# Gyroscope bias: the rate's own slow average.
BIAS_TAU_S = 30.0
BIAS_WARMUP_S = 5.0  # a plain running mean first, so a bias is known within seconds
# The pitch axis is the principal axis of the last few seconds of rotation.
AXIS_TAU_S = 6.0
# Accelerometer only: gravity's displacement from its average over this time.
DISPLACEMENT_TAU_S = 10.0
# The integrated tilt slowly forgets (gyro drift, posture changes).
LEAK_TAU_S = 30.0


def _ema(tau_s: float) -> tuple[FloatArray, FloatArray]:
    lam = float(np.exp(-1.0 / (RATE_HZ * tau_s)))
    return np.array([1.0 - lam]), np.array([1.0, -lam])


class TiltTracker:
    """Incremental: raw samples in, (time, tilt °, linear-acceleration m/s²) per bin out."""

    def __init__(self, *, accelerometer: bool, gyroscope: bool) -> None:
        if not (accelerometer or gyroscope):
            raise ValueError("need an accelerometer or a gyroscope")
        self.has_acc = accelerometer
        self.has_gyro = gyroscope
        self.dt = 1.0 / RATE_HZ
        self.next_bin = 0
        self._pending: dict[str, tuple[FloatArray, FloatArray]] = {}
        self._last: dict[str, FloatArray] = {}
        self._zi: dict[str, FloatArray] = {}
        self._prev_g: FloatArray | None = None
        self._prev_axis = np.array([1.0, 0.0, 0.0])
        self._theta = 0.0
        self._bias_n = 0
        self._bias_sum = np.zeros(3)
        self._lp = sps.butter(2, ACC_LOWPASS_HZ / (RATE_HZ / 2))
        _w, gd = sps.group_delay(self._lp, w=[0.5], fs=RATE_HZ)
        # In accelerometer-only mode the tilt lags by the low-pass's group delay.
        self.delay_s = 0.0 if gyroscope else float(gd[0]) / RATE_HZ

    # -- binning -------------------------------------------------------------------

    def _append(self, key: str, t: FloatArray | None, v: FloatArray | None) -> None:
        if t is None or v is None or t.size == 0:
            return
        if key in self._pending:
            pt, pv = self._pending[key]
            t, v = np.concatenate((pt, t)), np.concatenate((pv, v))
        self._pending[key] = (t, v)

    def _streams(self) -> list[str]:
        return [k for k, on in (("acc", self.has_acc), ("gyro", self.has_gyro)) if on]

    def _bins(self, key: str, stop: int) -> FloatArray:
        n = stop - self.next_bin
        t, v = self._pending.get(key, (np.empty(0), np.empty((0, 3))))
        idx = np.floor(t * RATE_HZ).astype(np.int64)
        cut = int(np.searchsorted(idx, stop))
        rel = idx[:cut] - self.next_bin
        ok = rel >= 0
        rel, vals = rel[ok], v[:cut][ok]
        self._pending[key] = (t[cut:], v[cut:])
        counts = np.bincount(rel, minlength=n)
        out = np.empty((n, 3))
        for i in range(3):
            out[:, i] = np.bincount(rel, weights=vals[:, i], minlength=n)
        filled = counts > 0
        out[filled] /= counts[filled, None]
        # empty bins (dropped samples) hold the last value
        last = self._last.get(key)
        pos = np.where(filled, np.arange(n), -1)
        pos = np.maximum.accumulate(pos)
        held = pos >= 0
        out[held] = out[pos[held]]
        if not np.all(held):
            out[~held] = last if last is not None else (out[held][0] if held.any() else 0.0)
        self._last[key] = out[-1].copy()
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

        Per bin: time (s), tilt about the current pitch axis (°), linear acceleration
        (| |a| − g |, m/s²) and the de-biased rotation rate (n×3, rad/s).
        """
        self._append("acc", t_acc, acc)
        self._append("gyro", t_gyro, gyro)
        ends = []
        for key in self._streams():
            t = self._pending.get(key, (np.empty(0), None))[0]
            if not t.size:
                ends.append(self.next_bin)
            else:
                last_bin = int(np.floor(t[-1] * RATE_HZ))
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
        theta, linear, rate = self._tilt(a, g)
        return times, theta, linear, rate

    # -- tilt ----------------------------------------------------------------------

    def _principal(self, key: str, x: FloatArray) -> FloatArray:
        """Per bin, the principal axis of the exponentially weighted covariance of x."""
        prod = np.stack(
            [
                x[:, 0] * x[:, 0],
                x[:, 0] * x[:, 1],
                x[:, 0] * x[:, 2],
                x[:, 1] * x[:, 1],
                x[:, 1] * x[:, 2],
                x[:, 2] * x[:, 2],
            ],
            axis=0,
        )
        b, a = _ema(AXIS_TAU_S)
        c = self._filter(key, b, a, prod.T).T + 1e-12
        c00, c01, c02, c11, c12, c22 = c
        col = np.argmax(np.stack([c00, c11, c22]), axis=0)
        vx = np.choose(col, [c00, c01, c02])
        vy = np.choose(col, [c01, c11, c12])
        vz = np.choose(col, [c02, c12, c22])
        for _ in range(2):  # power steps from the largest column
            vx, vy, vz = (
                c00 * vx + c01 * vy + c02 * vz,
                c01 * vx + c11 * vy + c12 * vz,
                c02 * vx + c12 * vy + c22 * vz,
            )
            norm = np.maximum(np.sqrt(vx * vx + vy * vy + vz * vz), 1e-30)
            vx, vy, vz = vx / norm, vy / norm, vz / norm
        return np.stack([vx, vy, vz], axis=1)

    def _filter(
        self, key: str, b: FloatArray, a: FloatArray, x: FloatArray, steady: bool = False
    ) -> FloatArray:
        zi = self._zi.get(key)
        if zi is None:
            zi = sps.lfilter_zi(b, a)[:, None] * (x[:1] if steady else np.zeros_like(x[:1]))
        y, zf = sps.lfilter(b, a, x, axis=0, zi=zi)
        self._zi[key] = zf
        return np.asarray(y)

    def _tilt(
        self, acc: FloatArray | None, gyro: FloatArray | None
    ) -> tuple[FloatArray, FloatArray, FloatArray]:
        n = (acc if acc is not None else gyro).shape[0]  # type: ignore[union-attr]
        linear = np.zeros(n)
        if acc is not None:
            norm = np.linalg.norm(acc, axis=1)
            linear = np.abs(norm - STANDARD_GRAVITY)
        if gyro is not None:
            rate = gyro
        else:
            assert acc is not None
            smooth = self._filter("lp", self._lp[0], self._lp[1], acc, steady=True)
            g = smooth / np.maximum(np.linalg.norm(smooth, axis=1), 1e-9)[:, None]
            prev = np.concatenate(((g[:1] if self._prev_g is None else self._prev_g), g[:-1]))
            self._prev_g = g[-1:].copy()
            rate = np.cross((g - prev) * RATE_HZ, g)
        # bias: the slow average of the rate. A heel raise returns to where it started,
        # so its rate averages out; gating on stillness would not do: the slow start and
        # end of every rise would pass for stillness and bias the estimate.
        bias = self._bias(rate)
        w = rate - bias
        if gyro is not None:
            # principal axis of the recent rotation; tilt = the rate about it, integrated
            v = self._continuous(self._principal("cov", w))
            p = np.einsum("ni,ni->n", w, v)
            lam = float(np.exp(-1.0 / (RATE_HZ * LEAK_TAU_S)))
            theta = self._filter("theta", np.array([self.dt]), np.array([1.0, -lam]), p[:, None])
            return np.degrees(theta[:, 0]), linear, w
        # Accelerometer only. Integrating a rate differentiated from noisy gravity along
        # a wandering axis would random-walk; gravity's *displacement* from its slow
        # average does not: its principal direction u is where gravity swings when the
        # thigh pitches, and the tilt is the displacement along u.
        b, a = _ema(DISPLACEMENT_TAU_S)
        disp = g - self._filter("gslow", b, a, g, steady=True)
        u = self._continuous(self._principal("cov", disp))
        tilt = np.arcsin(np.clip(np.einsum("ni,ni->n", disp, u), -1.0, 1.0))
        return np.degrees(tilt), linear, w

    def _bias(self, rate: FloatArray) -> FloatArray:
        """Running mean of the rate for the first BIAS_WARMUP_S, then an EMA of it."""
        n = rate.shape[0]
        warm = int(BIAS_WARMUP_S * RATE_HZ)
        start = self._bias_n
        k = min(max(warm - start, 0), n)  # bins still in the warm-up
        out = np.empty_like(rate)
        if k:
            sums = self._bias_sum + np.cumsum(rate[:k], axis=0)
            out[:k] = sums / (start + np.arange(1, k + 1))[:, None]
            self._bias_sum = sums[-1]
        if k < n:
            if "bias" not in self._zi:
                b, a = _ema(BIAS_TAU_S)
                self._zi["bias"] = sps.lfilter_zi(b, a)[:, None] * (
                    out[k - 1 : k] if k else self._bias_sum[None, :] / max(start, 1)
                )
            b, a = _ema(BIAS_TAU_S)
            out[k:] = self._filter("bias", b, a, rate[k:])
        self._bias_n = start + n
        return out

    def _continuous(self, v: FloatArray) -> FloatArray:
        """Flip axes so the sign is continuous from one bin to the next (and chunk)."""
        prev_v = np.concatenate((self._prev_axis[None, :], v[:-1]))
        flips = np.where(np.einsum("ni,ni->n", v, prev_v) < 0, -1.0, 1.0)
        # v[i] is compared with the raw v[i-1]; the running sign is their product
        v = v * np.cumprod(flips)[:, None]
        self._prev_axis = v[-1].copy()  # the carried axis is the last *signed* one
        return v
