"""kernels.binning.bin_block without the low-pass: each bin's mean, summed sample by
sample in order (the same bits), empty bins holding the last, at any sample rate."""

from __future__ import annotations

import numpy as np
import pytest

from soleus.signal.kernels.binning import bin_block
from soleus.signal.recording import FloatArray

RATE_HZ = 25.0
NOTHING = np.empty(0)


def _reference(
    t: FloatArray, v: FloatArray, first: int, nb: int, last: list[float]
) -> tuple[FloatArray, FloatArray, list[float]]:
    """One sample at a time, in plain Python floats."""
    sums = [[0.0, 0.0, 0.0] for _ in range(nb)]
    counts = [0] * nb
    for ti, vi in zip(t.tolist(), v.tolist(), strict=True):
        j = int(ti * RATE_HZ) - first
        if 0 <= j < nb:
            counts[j] += 1
            for c in range(3):
                sums[j][c] += vi[c]
    out, empty, held = np.empty((3, nb)), np.empty(nb), list(last)
    for k in range(nb):
        if counts[k]:
            held = [s / counts[k] for s in sums[k]]
        empty[k] = 0.0 if counts[k] else 1.0
        out[:, k] = held
    return out, empty, held


@pytest.mark.parametrize("rate", [12.0, 50.0, 100.0, 200.0, 500.0])
def test_bin_means_are_sums_in_order_at_any_rate(rate: float) -> None:
    rng = np.random.default_rng(int(rate))
    n = int(rate * 30)
    # jittered, with a gap of two seconds, starting before the first bin asked for
    t = np.sort(np.arange(n) / rate + rng.uniform(0, 0.6 / rate, n))
    t = np.concatenate((t[t < 10.0], t[t > 12.0]))
    v = rng.standard_normal((t.size, 3))
    v[::7] = -0.0  # (signed zeros summed as they come)
    first, nb = 50, 400  # bins 2 s … 18 s
    pos = int(np.searchsorted((t * RATE_HZ).astype(int), first - 3))  # a few before
    out, empty, last = np.empty((3, nb)), np.empty(nb), np.array([1.0, 2.0, 3.0])
    end = bin_block(
        t, v, pos, t.size, RATE_HZ, first, nb, out, last, NOTHING, NOTHING, np.zeros((2, 3)), empty
    )
    want, want_empty, held = _reference(t[pos:end], v[pos:end], first, nb, [1.0, 2.0, 3.0])
    assert end == int(np.searchsorted((t * RATE_HZ).astype(int), first + nb))
    assert np.array_equal(out, want)
    assert np.array_equal(empty, want_empty)
    assert last.tolist() == held
    assert 0 < empty.sum() < nb  # (the gap: empty bins, held)
