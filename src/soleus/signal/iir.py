"""The tracker's small filter designs, written out: scipy.signal's ``butter`` (order 2,
low-pass), ``group_delay`` at one frequency and ``lfilter_zi``, equal to them to rounding
(tests/signal/test_iir.py compares). Importing scipy.signal costs 0.5–1 s, most of a
warm ``soleus analyze``; these few lines cost nothing.
"""

from __future__ import annotations

import math

import numpy as np

from soleus.signal.recording import FloatArray


def butter2_lowpass(cutoff_hz: float, fs: float) -> tuple[FloatArray, FloatArray]:
    """b, a of the 2nd-order Butterworth low-pass (bilinear, cut-off pre-warped), as
    ``scipy.signal.butter(2, cutoff_hz, fs=fs)``."""
    k = math.tan(math.pi * cutoff_hz / fs)
    norm = 1.0 + math.sqrt(2.0) * k + k * k
    b0 = k * k / norm
    a1 = 2.0 * (k * k - 1.0) / norm
    a2 = (1.0 - math.sqrt(2.0) * k + k * k) / norm
    return np.array([b0, 2.0 * b0, b0]), np.array([1.0, a1, a2])


def group_delay(b: FloatArray, a: FloatArray, freq_hz: float, fs: float) -> float:
    """The filter's group delay at freq_hz, in samples (``scipy.signal.group_delay``)."""
    z = np.exp(-2j * math.pi * freq_hz / fs * np.arange(max(b.size, a.size)))

    def delay(p: FloatArray) -> float:
        zp = z[: p.size]
        return float((np.sum(np.arange(p.size) * p * zp) / np.sum(p * zp)).real)

    return delay(b) - delay(a)


def lfilter_zi(b: FloatArray, a: FloatArray) -> FloatArray:
    """The steady state of ``lfilter`` (transposed direct form II, a[0] = 1) for a step
    of 1 (``scipy.signal.lfilter_zi``): z[i] = Σ_{k>i} (b_k − a_k·y), y = Σb / Σa."""
    n = max(b.size, a.size)
    bp, ap = np.zeros(n), np.zeros(n)
    bp[: b.size], ap[: a.size] = b, a
    y = bp.sum() / ap.sum()
    terms = bp - ap * y
    return np.array([terms[i + 1 :].sum() for i in range(n - 1)])
