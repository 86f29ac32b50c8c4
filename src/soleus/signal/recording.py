"""A motion recording as arrays: what every importer returns and every detector reads.

Units are fixed here so nothing downstream has to guess: time in seconds from the
first sample, specific force (acceleration *including* gravity, Android sign: a phone
lying face up reads +9.81 on z) in m/s², rotation rate in rad/s. Accelerometer and
gyroscope keep their own timestamps because phones sample them separately.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from soleus.errors import SoleusError

FloatArray = NDArray[np.float64]

STANDARD_GRAVITY = 9.80665

# Fewer samples than this cannot hold even one heel raise at the lowest sample rate.
MIN_SAMPLES = 10
# Longer than this is a damaged time column (one wrong digit in a nanosecond stamp),
# not a recording: the detector's time grid would not fit in memory.
MAX_DURATION_S = 24 * 3600.0


@dataclass(frozen=True)
class Recording:
    """Accelerometer and/or gyroscope samples of one phone, in SI units."""

    format: str
    t_acc: FloatArray | None = None
    acc: FloatArray | None = None
    t_gyro: FloatArray | None = None
    gyro: FloatArray | None = None
    notes: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if self.acc is None and self.gyro is None:
            raise SoleusError("the recording has neither accelerometer nor gyroscope data")
        for name, t, v in (
            ("accelerometer", self.t_acc, self.acc),
            ("gyroscope", self.t_gyro, self.gyro),
        ):
            if (t is None) != (v is None):
                raise SoleusError(f"{name}: times and values must come together")
            if t is None or v is None:
                continue
            if v.ndim != 2 or v.shape[1] != 3 or t.shape != (v.shape[0],):
                raise SoleusError(f"{name}: expected n×3 values and n times")
            if t.size < MIN_SAMPLES:
                raise SoleusError(
                    f"{name}: only {t.size} sample(s); a recording needs at least "
                    f"{MIN_SAMPLES} (a few seconds of data)"
                )
        times = self._times()
        span = max(float(t.max()) for t in times) - min(float(t.min()) for t in times)
        if span > MAX_DURATION_S:
            raise SoleusError(
                f"the times span {span / 3600:.3g} hours; a recording is at most "
                f"{MAX_DURATION_S / 3600:.0f} (a damaged time column?)"
            )

    @property
    def start(self) -> float:
        return min(float(t[0]) for t in self._times())

    @property
    def end(self) -> float:
        return max(float(t[-1]) for t in self._times())

    @property
    def duration_s(self) -> float:
        return self.end - self.start

    @property
    def sample_rate_hz(self) -> float:
        """Median rate of the densest stream (robust to jitter and gaps)."""
        rates = []
        for t in self._times():
            dt = np.diff(t)
            dt = dt[dt > 0]
            if dt.size:
                rates.append(1.0 / float(np.median(dt)))
        return max(rates) if rates else 0.0

    def _times(self) -> list[FloatArray]:
        return [t for t in (self.t_acc, self.t_gyro) if t is not None]


def clean_stream(t: FloatArray, v: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Sort by time, drop non-finite rows and repeated timestamps (no copies if clean)."""
    ok = np.isfinite(v).all(axis=1)
    ok &= np.isfinite(t)
    if not ok.all():
        t, v = t[ok], v[ok]
    if t.size > 1:
        dt = np.diff(t)
        if (dt < 0).any():
            order = np.argsort(t, kind="stable")
            t, v = t[order], v[order]
            dt = np.diff(t)
        keep = dt > 0
        if not keep.all():
            keep = np.concatenate(([True], keep))
            t, v = t[keep], v[keep]
    return t, v


def make_recording(
    fmt: str,
    t_acc: FloatArray | None,
    acc: FloatArray | None,
    t_gyro: FloatArray | None = None,
    gyro: FloatArray | None = None,
    notes: tuple[str, ...] = (),
) -> Recording:
    """Clean the streams and shift time so the first sample is at 0 s."""
    streams: list[tuple[FloatArray, FloatArray] | None] = []
    for t, v in ((t_acc, acc), (t_gyro, gyro)):
        streams.append(None if t is None or v is None else clean_stream(t, v))
    starts = [s[0][0] for s in streams if s is not None and s[0].size]
    t0 = float(min(starts)) if starts else 0.0
    a, g = streams
    return Recording(
        format=fmt,
        t_acc=None if a is None else a[0] - t0,
        acc=None if a is None else a[1],
        t_gyro=None if g is None else g[0] - t0,
        gyro=None if g is None else g[1],
        notes=notes,
    )
