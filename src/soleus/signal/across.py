"""A run of reps across a turn of the phone in the pocket: what the run logic of
:mod:`soleus.signal.detect` asks when the thigh's axis, seen from the phone, turned
between two reps.

A phone that turns in the pocket turns the thigh's pitch axis in the phone's frame with
it (by up to TURNED_AXIS_COS) and may hide a rep: the tracker holds or re-zeroes the
tilt meanwhile. The set goes on. A run in the making may reach across such a turn (the
detector's ``_across_turn``), one cycle or two; once it is confirmed, the beats hidden
there are filled in at its steady cycle (:func:`fill_gaps`), and a run confirmed after
a turn looks back across it (:func:`look_back`).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

from soleus.signal import rhythm
from soleus.signal.rhythm import START_INTERVAL_RATIO, Axis, Rep, dot, median
from soleus.signal.thresholds import (
    LOOKBACK_REPS,
    LOOKBACK_TURNED_REPS,
    RUN_AMPLITUDE_RATIO,
    RUN_AXIS_COS,
    TURNED_AXIS_COS,
)

# did the phone turn in the pocket between two times (the tracker's word, up to a time)?
Turned = Callable[[float, float, float], bool]


def _beats_between(last: Rep, rep: Rep, cycle: float) -> list[Rep]:
    """The beats a turn hid between ``last`` and ``rep`` at ``cycle`` (rhythm.hidden_beats)."""
    return rhythm.hidden_beats([last._replace(top_s=last.top_s - cycle), last], rep)


def fill_gaps(
    run: list[Rep], axes: list[Axis], weak: list[bool], gaps: list[float]
) -> tuple[list[Rep], list[Axis], list[bool]]:
    """A run just confirmed, with the beats hidden where it reached across a turn (the
    reps whose tops are in ``gaps``: it had no cycle then) put in at its cycle from the
    other intervals (all of them if none is left); the axes and weak flags to match
    (a hidden beat is weak: it did not help confirm the run)."""
    if not gaps or len(run) < 2:
        return run, axes, weak
    steady = [b.top_s - a.top_s for a, b in itertools.pairwise(run) if b.top_s not in gaps]
    cycle = median(steady) if steady else rhythm.cycle(run)
    reps, out_axes, out_weak = [run[0]], [axes[0]], [weak[0]]
    for k in range(1, len(run)):
        if run[k].top_s in gaps:
            hidden = _beats_between(run[k - 1], run[k], cycle)
            reps += hidden
            out_axes += [axes[k]] * len(hidden)
            out_weak += [True] * len(hidden)
        reps.append(run[k])
        out_axes.append(axes[k])
        out_weak.append(weak[k])
    return reps, out_axes, out_weak


def look_back(
    run: list[Rep],
    axes: list[Axis],
    dropped: list[tuple[Rep, Axis]],
    counted_end_s: float,
    turned: Turned,
) -> list[Rep]:
    """Reps just before a newly confirmed ``run`` (its reps' ``axes``) that belong to it
    after all: the ``dropped`` reps (with their axes) that failed only the run's start
    test (each about the next one's axis, in rhythm, a plausible height), ended after
    ``counted_end_s`` (the last counted rep's end).

    Across a turn of the phone (``turned`` between the rep and the run's last) the axis
    turned with it (up to TURNED_AXIS_COS), a beat may have been hidden (it counts too)
    and the reps before the turn may be a whole run in the making (LOOKBACK_TURNED_REPS)."""
    found: list[Rep] = []
    amps = median([r.amplitude_deg for r in run])
    cycle = rhythm.cycle(run)
    nxt, nxt_axis = run[0], axes[0]
    across = False
    for k, (rep, ax) in enumerate(reversed(dropped[-LOOKBACK_TURNED_REPS:])):
        if rep.start_s <= counted_end_s:
            break
        if not 1 / RUN_AMPLITUDE_RATIO <= rep.amplitude_deg / amps <= RUN_AMPLITUDE_RATIO:
            break
        ratio = (nxt.top_s - rep.top_s) / cycle
        in_step = 1 / START_INTERVAL_RATIO <= ratio <= START_INTERVAL_RATIO
        cos = abs(dot(ax, nxt_axis))
        hidden: list[Rep] = []
        if not (cos >= RUN_AXIS_COS and in_step):
            across = across or turned(rep.top_s, run[-1].end_s, run[-1].end_s)
            if not across or cos < TURNED_AXIS_COS:
                break
            hidden = _beats_between(rep, nxt, cycle)
            if not (hidden or in_step):
                break
        elif not across and k >= LOOKBACK_REPS:
            break
        found[:0] = [rep, *hidden]
        nxt, nxt_axis = rep, ax
    return found
