"""kernels.pocket.pitch_axes: the power steps worked out ahead for a whole block
(_ahead) give the same bits as bin by bin, through turns of the phone and jumps."""

from __future__ import annotations

import numpy as np
import pytest

from soleus.signal.kernels.pocket import pitch_axes
from soleus.signal.kernels.state import new_state
from soleus.signal.orientation import RATE_HZ, _coefficients
from soleus.signal.recording import FloatArray


def _reps_then_turns(n: int, seed: int) -> FloatArray:
    """A rate (3×n, rad/s): reps about one axis, with bursts about another now and then
    (the phone turning in the pocket), and noise."""
    rng = np.random.default_rng(seed)
    t = np.arange(n) / RATE_HZ
    x = 0.01 * rng.standard_normal((3, n))
    x[2] += 0.4 * np.sin(2 * np.pi * 0.5 * t)  # reps: 0.5 Hz about z
    for start in rng.integers(200, n - 40, size=6):
        x[0, start : start + 15] += 1.5  # a turn: quick, about x
    return x


def _feed(
    x: FloatArray, jump: FloatArray, gyroscope: bool, sizes: list[int]
) -> tuple[FloatArray, FloatArray, FloatArray]:
    coef = _coefficients(gyroscope)
    f = new_state(coef).f
    n = x.shape[1]
    axes, turning = np.empty((3, n)), np.empty(n)
    start = 0
    for size in sizes:
        stop = min(start + size, n)
        ax, tu = np.empty((3, stop - start)), np.empty(stop - start)
        xs, js = np.ascontiguousarray(x[:, start:stop]), np.ascontiguousarray(jump[:, start:stop])
        pitch_axes(xs, stop - start, coef, f, ax, tu, gyroscope, js)
        axes[:, start:stop], turning[start:stop] = ax, tu
        start = stop
    return axes, turning, f


@pytest.mark.parametrize("gyroscope", [True, False])
def test_a_block_gives_the_bits_of_bin_by_bin(gyroscope: bool) -> None:
    n = 1500
    x = _reps_then_turns(n, seed=3)
    if not gyroscope:  # gravity's displacement (rad), not a rate
        x = 0.1 * x
    jump = np.zeros((3, n))
    for k in (400, 700, 1100):  # the way gravity moved to a new zero, a unit vector
        jump[0, k] = 1.0
    whole = _feed(x, jump, gyroscope, [256] * 6)
    one_by_one = _feed(x, jump, gyroscope, [1] * n)
    for a, b in zip(whole, one_by_one, strict=True):
        assert np.array_equal(a, b)
    if gyroscope:  # (the case is what it says: turns seen, judged in the blocks)
        assert 0 < whole[1].sum() < n / 2
    else:  # jumps taken out: the axes are not those of the same bins without them
        without = _feed(x, np.zeros((3, n)), gyroscope, [256] * 6)
        assert not np.array_equal(whole[0], without[0])
