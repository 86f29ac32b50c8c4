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


def _taught_then(move: FloatArray, seed: int) -> FloatArray:
    """20 s of rocking about x (taught the reference that axis), 2 s still, then
    ``move`` (3×m rad/s), with noise."""
    rng = np.random.default_rng(seed)
    n0 = int(22 * RATE_HZ)
    t = np.arange(n0) / RATE_HZ
    x = np.zeros((3, n0 + move.shape[1]))
    x[0, : int(20 * RATE_HZ)] = 0.3 * np.sin(2 * np.pi * 0.5 * t[: int(20 * RATE_HZ)])
    x[:, n0:] = move
    return x + 0.01 * rng.standard_normal(x.shape)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_knee_bouncing_about_another_axis_is_no_turn_of_the_phone(seed: int) -> None:
    t = np.arange(int(10 * RATE_HZ)) / RATE_HZ
    bounce = np.zeros((3, t.size))
    bounce[2] = 0.6 * np.sin(2 * np.pi * 4.5 * t)  # 4.5 a second, ±1.2°, about z
    x = _taught_then(bounce, seed)
    _, turning, _ = _feed(x, np.zeros_like(x), True, [256] * (x.shape[1] // 256 + 1))
    assert turning[int(22.5 * RATE_HZ) :].mean() < 0.1


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_phone_turning_one_way_about_another_axis_is_a_turn(seed: int) -> None:
    turn = np.zeros((3, int(3 * RATE_HZ)))
    turn[2, : int(0.6 * RATE_HZ)] = 1.5  # 50° in 0.6 s, one way, about z
    x = _taught_then(turn, seed)
    _, turning, _ = _feed(x, np.zeros_like(x), True, [256] * (x.shape[1] // 256 + 1))
    n0 = int(22 * RATE_HZ)
    assert turning[n0 : n0 + int(0.6 * RATE_HZ)].mean() > 0.8
