"""From the phone's true readings to what an app writes: each sensor's own clock (a rate a
little off nominal, jittered sampling, timestamps with their own jitter, gaps), its
anti-aliasing filter, and its errors (bias, scale, cross-axis, noise, drift, quantisation).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from bench.sim3.body import FINE_HZ, Arr
from bench.sim3.phone import Truth
from scipy.signal import butter, sosfilt, sosfilt_zi


@dataclass(frozen=True)
class Clock:
    """How one sensor is sampled and stamped."""

    rate_hz: float  # nominal
    drift: float  # the true rate is rate_hz * (1 + drift)
    sample_jitter: float  # of the sampling instants, fraction of a period (sd)
    stamp_jitter: float  # of the written timestamps, fraction of a period (sd)
    gaps_per_min: float
    gap_s: tuple[float, float]
    phase: float  # first sample's delay, fraction of a period


@dataclass(frozen=True)
class Stream:
    """What one sensor wrote: its timestamps (s) and values (n, 3)."""

    t: Arr
    v: Arr


def clock_for(rate_hz: float, jittery: bool, rng: np.random.Generator) -> Clock:
    if jittery:
        return Clock(
            rate_hz=rate_hz,
            drift=rng.uniform(-0.03, 0.03),
            sample_jitter=rng.uniform(0.05, 0.15),
            stamp_jitter=rng.uniform(0.15, 0.3),
            gaps_per_min=rng.uniform(1.5, 4.0),
            gap_s=(0.05, 0.4),
            phase=rng.random(),
        )
    return Clock(
        rate_hz=rate_hz,
        drift=rng.uniform(-0.01, 0.01),
        sample_jitter=rng.uniform(0.0, 0.03),
        stamp_jitter=rng.uniform(0.0, 0.05),
        gaps_per_min=rng.uniform(0.0, 0.6),
        gap_s=(0.05, 0.4),
        phase=rng.random(),
    )


def instants(clock: Clock, duration: float, rng: np.random.Generator) -> tuple[Arr, Arr]:
    """(true sampling instants, written stamps) within [0, duration]."""
    period = 1.0 / (clock.rate_hz * (1.0 + clock.drift))
    n = int(duration / period) + 1
    k = np.arange(n, dtype=np.float64)
    true = (k + clock.phase * 0.999) * period + rng.normal(0.0, clock.sample_jitter * period, n)
    stamp = true + np.abs(rng.normal(0.0, clock.stamp_jitter * period, n))  # written late
    keep = (true >= 0.0) & (true <= duration - 0.01)
    n_gaps = rng.poisson(clock.gaps_per_min * duration / 60.0)
    for _ in range(n_gaps):
        g0 = rng.uniform(2.0, max(duration - 2.0, 2.5))
        keep &= ~((true >= g0) & (true < g0 + rng.uniform(*clock.gap_s)))
    true, stamp = true[keep], stamp[keep]
    order = np.argsort(stamp, kind="stable")
    true, stamp = true[order], stamp[order]
    fresh = np.concatenate(([True], np.diff(stamp) > 1e-6))
    return true[fresh], stamp[fresh]


def _at(t_fine: Arr, v: Arr, when: Arr) -> Arr:
    return np.stack([np.interp(when, t_fine, v[:, i]) for i in range(3)], axis=1)


def _mixing(scale: float, skew_deg: float, rng: np.random.Generator) -> Arr:
    """Scale error per axis and a small cross-axis misalignment."""
    m = np.diag(1.0 + rng.uniform(-scale, scale, 3))
    m += rng.normal(0.0, skew_deg * math.pi / 180.0, (3, 3)) * (1.0 - np.eye(3))
    return m


Instants = tuple[Arr, Arr]


def accelerometer(
    truth: Truth, clock: Clock, rng: np.random.Generator, at: Instants | None = None
) -> Stream:
    true, stamp = at if at is not None else instants(clock, float(truth.t[-1]), rng)
    v = _at(truth.t, _settled(truth.acc, clock.rate_hz, rng), true)
    v = v @ _mixing(0.02, 0.4, rng).T
    v += rng.uniform(-0.2, 0.2, 3)
    sd = rng.uniform(0.01, 0.05) * math.sqrt(clock.rate_hz / 100.0)
    v += rng.normal(0.0, sd, v.shape)
    lsb = float(rng.choice([0.0012, 0.0024, 0.0048]))
    return Stream(stamp, np.round(v / lsb) * lsb)


def gyroscope(
    truth: Truth, clock: Clock, rng: np.random.Generator, at: Instants | None = None
) -> Stream:
    """``at``: the accelerometer's instants (an app writing both on one clock)."""
    true, stamp = at if at is not None else instants(clock, float(truth.t[-1]), rng)
    v = _at(truth.t, _settled(truth.gyro, clock.rate_hz, rng), true)
    v = v @ _mixing(0.01, 0.3, rng).T
    # bias: a constant plus a slow random walk (temperature)
    walk = np.cumsum(rng.normal(0.0, 1.0, (true.size, 3)), axis=0)
    walk *= rng.uniform(0.0, 2e-4) * math.sqrt(100.0 / clock.rate_hz)
    v += rng.uniform(-0.02, 0.02, 3) + walk
    sd = rng.uniform(0.002, 0.012) * math.sqrt(clock.rate_hz / 100.0)
    v += rng.normal(0.0, sd, v.shape)
    lsb = 0.00107
    return Stream(stamp, np.round(v / lsb) * lsb)


def _settled(v: Arr, rate_hz: float, rng: np.random.Generator) -> Arr:
    """The low-pass started from the first value at rest (no start-up transient)."""
    cut = rate_hz * rng.uniform(0.22, 0.42)
    sos = butter(2, cut / (FINE_HZ / 2.0), output="sos")
    zi = sosfilt_zi(sos)[:, :, None] * v[0][None, None, :]
    out, _ = sosfilt(sos, v, axis=0, zi=zi)
    return np.asarray(out, dtype=np.float64)
