"""The rhythm of a run of reps: a beat the phone's turn hid, a quick bout's short reps."""

from __future__ import annotations

import pytest

from soleus.signal.rhythm import (
    Rep,
    dot,
    hidden_beats,
    mean_axis,
    on_beat,
    one_pace,
    short_fits,
)


def _run(*tops: float) -> list[Rep]:
    return [Rep(t - 0.2, t, t + 0.2, 4.0 + 0.1 * i, t + 0.3) for i, t in enumerate(tops)]


def test_hidden_beats_fill_two_or_three_cycles_in_rhythm() -> None:
    run = _run(10.0, 12.0, 14.0)
    (one,) = hidden_beats(run, _run(18.1)[0])
    # half way, shaped as the run's last rep, at the run's median height
    assert (one.start_s, one.top_s, one.end_s) == pytest.approx((15.85, 16.05, 16.25))
    assert one.amplitude_deg == pytest.approx(4.1)
    assert len(hidden_beats(run, _run(20.0)[0])) == 2
    assert hidden_beats(run, _run(16.0)[0]) == []  # the next beat: nothing hidden
    assert hidden_beats(run, _run(16.8)[0]) == []  # 1.4 cycles: out of rhythm
    assert hidden_beats(run, _run(22.0)[0]) == []  # four cycles: a pause, not a turn
    assert hidden_beats(run[:1], _run(14.0)[0]) == []  # no rhythm yet


def test_a_short_rep_fits_a_quick_run_only_in_its_rhythm() -> None:
    run = _run(10.0, 10.65, 11.3)
    assert short_fits(run, True, 11.95, other_top_s=0.0)
    assert short_fits(run, True, 12.6, other_top_s=0.0)  # a beat missed
    assert not short_fits(run, True, 11.7, other_top_s=0.0)  # too quick for a heel raise
    assert not short_fits(run, True, 13.5, other_top_s=0.0)  # out of rhythm
    # a bouncing knee: another rise between the run's last rep and this one
    assert not short_fits(run, True, 11.95, other_top_s=11.6)
    # a run in the making takes it at a bout's pace (it confirms as weak reps do)
    assert short_fits(run[:1], False, 10.6, other_top_s=0.0)
    assert not short_fits(run[:1], False, 10.4, other_top_s=0.0)
    assert short_fits([], False, 3.0, other_top_s=0.0)


def test_a_short_rep_needs_a_run_that_keeps_a_steady_beat() -> None:
    # a beat missed before: the run's beat is still its quickest interval's
    assert short_fits(_run(10.0, 10.75, 12.25), True, 13.0, other_top_s=0.0)
    assert not short_fits(_run(10.0, 10.75, 12.25), True, 15.0, other_top_s=0.0)
    # a run that keeps no steady beat (a turn of the phone, a split rep) judges none ...
    assert not short_fits(_run(10.0, 12.5, 14.1), True, 15.4, other_top_s=0.0)
    # ... but a quick bout's tops jitter by a fair share of its beat
    assert short_fits(_run(10.0, 10.53, 11.2), True, 11.86, other_top_s=0.0)
    assert short_fits(_run(10.0, 11.5, 13.0), True, 14.3, other_top_s=0.0)


def test_a_runs_axis_is_the_mean_of_its_reps_axes() -> None:
    # two small reps' axes 30° either side of the thigh's (and one with its sign
    # flipped: an axis has no sign): their mean is the thigh's axis
    c, s = 0.9659258, 0.2588190  # cos, sin of 15°
    axes = [(c, s, 0.0), (-c, s, 0.0), (c, -s, 0.0)]
    axis = mean_axis(axes)
    assert abs(dot(axis, (1.0, 0.0, 0.0))) == pytest.approx(1.0, abs=0.02)
    assert dot(axis, axes[-1]) > 0  # the newest rep's sign
    assert mean_axis([(0.0, 0.0, 1.0)]) == (0.0, 0.0, 1.0)


def test_a_rep_is_on_the_beat_one_cycle_after_the_last() -> None:
    run = _run(10.0, 10.7, 11.4)
    assert on_beat(run, 12.1)
    assert on_beat(run, 11.95) and on_beat(run, 12.25)  # within a quarter of a cycle
    assert not on_beat(run, 11.8)  # early: off the beat
    assert not on_beat(run, 12.8)  # two cycles: a beat of its own missed
    assert not on_beat(run[:1], 10.7)  # no rhythm yet


def _rep(start: float, rise: float, fall: float) -> Rep:
    return Rep(start, start + rise, start + rise + fall, 3.0, start + rise + fall)


def test_a_run_rises_or_lowers_at_one_pace() -> None:
    # a set: rises alike, lowerings alike
    assert one_pace([_rep(0, 0.5, 0.6), _rep(3, 0.6, 0.5), _rep(6, 0.4, 0.7)])
    # one phase stretched (an edge misplaced, a hold merged into the lowering) is still one
    assert one_pace([_rep(0, 0.25, 0.6), _rep(3, 2.4, 0.4), _rep(6, 0.4, 0.6)])
    assert one_pace([_rep(0, 0.5, 0.3), _rep(3, 0.5, 2.8), _rep(6, 0.6, 0.3)])
    # ringing between random dips: rise and lowering both tenfold apart
    assert not one_pace([_rep(0, 1.8, 0.12), _rep(4, 0.16, 0.35), _rep(6, 2.1, 1.7)])
    assert one_pace([_rep(0, 1.8, 0.12)])
    # a bout's first rep may rise slowly out of the rest before it: its rise is left out
    assert one_pace([_rep(0, 2.75, 1.34), _rep(3.2, 0.41, 0.27), _rep(4.1, 0.41, 0.22)])
