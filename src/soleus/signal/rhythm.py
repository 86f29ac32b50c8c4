"""A counted rep, and the rhythm of a run of them: what :mod:`soleus.signal.detect` asks
of the reps before a new one (its cycle, a beat the phone hid, a quick bout's pace).

A set or a bout keeps a rhythm: the time from one rep's top to the next is about the
same all along (fidgets come at random). The run logic in :mod:`soleus.signal.detect`
judges each new candidate against the run's last reps with these helpers.
"""

from __future__ import annotations

import itertools
from typing import NamedTuple

import numpy as np

from soleus.signal.recording import FloatArray
from soleus.signal.span import Phases

Axis = tuple[float, float, float]  # a unit vector in the phone's frame

# A run's reps come top to top within this ratio of the one before (fidgets come at
# random; a set's rhythm drifts slowly).
START_INTERVAL_RATIO = 1.6
# A confirmed run's rep after a pause (rhythm.paused) two beats on is the set going on
# if it is as high as the run's reps within this ratio; a fidget in the rest after a set
# (shifting in the chair) is a fraction of a rep, a third of it on dev corpora.
PAUSED_HEIGHT_RATIO = 2.0
# The phone turning in the pocket hides a rep (the tracker holds the tilt while it
# turns): a confirmed run's rep two or three of its cycles (within HIDDEN_RHYTHM) after
# the one before, the phone having turned between them, brings the hidden beats with it.
HIDDEN_MAX_BEATS = 3
HIDDEN_RHYTHM = 0.25
# A short rep (thresholds.SHORT_REP_S: a quick bout's) comes at least this long after the
# run's last rep: a bouncing knee (3-7 Hz) is never so slow.
SHORT_CYCLE_S = 0.5
# ... in a quick bout (a beat of at most this, 50/min: thresholds.WEAK_CYCLE_S), or in a
# slower run only if it keeps a steady beat
SHORT_BOUT_CYCLE_S = 1.2
# A rise under the sway floor (thresholds.RUN_MIN_TILT_DEG) but by a hysteresis is a rep
# of a confirmed bout (thresholds.WEAK_CYCLE_S) only on its beat: one cycle after its
# last rep, within ON_BEAT (a bout fades by a third; sway does not keep its rhythm).
ON_BEAT = 0.25
# A quick bout's rep that faded under a hysteresis (no rise of its own for the window
# scan) still lifts the thigh on the beat: where the next rep comes two or three cycles
# after the last, a rise and a fall of FAINT_FRACTION of the bout's height, at least
# FAINT_MIN_DEG (over the tracker's noise), on each beat between (within ON_BEAT) are
# those reps (sway keeps no beat).
FAINT_FRACTION = 1 / 3
FAINT_MIN_DEG = 0.4
# One person's heel raises repeat one movement: within a set at least one phase, the
# push up or the lowering, keeps its pace (an edge misplaced by noise or a merged hold
# stretches one phase of a rep, not both). A filter ringing between random dips (typing
# on a 50 Hz phone) makes "reps" whose rise and fall both vary tenfold.
PACE_SPREAD = 6.0


class _RepFields(NamedTuple):
    start_s: float
    top_s: float
    end_s: float
    amplitude_deg: float
    detected_at_s: float  # when the streaming detector knew (latency = this − end_s)
    hold_s: float = 0.0  # time near the top (above 95% of the amplitude)


class Rep(_RepFields, Phases):
    """One counted heel raise (a named tuple: the detector makes thousands an hour)."""

    __slots__ = ()


def dot(a: Axis, b: Axis) -> float:
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


def median(xs: list[float]) -> float:
    """The median of a short list (as :func:`numpy.median`, without its overhead)."""
    s = sorted(xs)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def mean_axis(axes: list[Axis]) -> Axis:
    """The axis of a run: the mean of its reps' own axes (each turned to the last's
    sign). One small rep's axis is a noisy estimate (a 1° rep is not much rotation
    over the gyroscope's noise and the thigh's own sway); the thigh turns its reps
    about one axis, and the last few reps' mean follows a turn of the phone."""
    last = axes[-1]
    x = y = z = 0.0
    for a in axes:
        s = 1.0 if dot(a, last) >= 0 else -1.0
        x, y, z = x + s * a[0], y + s * a[1], z + s * a[2]
    n = (x * x + y * y + z * z) ** 0.5
    return (x / n, y / n, z / n) if n > 0 else last


def cycle(run: list[Rep]) -> float:
    """The run's cycle: the median time from one rep's top to the next (≥ 2 reps)."""
    return median([b.top_s - a.top_s for a, b in itertools.pairwise(run)])


def paused(run: list[Rep], rep: Rep) -> bool:
    """Does ``rep`` come after a pause: later than a run's rhythm allows
    (START_INTERVAL_RATIO of its cycle) after its last rep (≥ 2 reps)? Not if it comes
    on the second beat (within ON_BEAT) as high as the run's reps (within
    PAUSED_HEIGHT_RATIO): the set went on, the beat between lost to the detector (a
    rep merged into the next, or faded)."""
    beats = (rep.top_s - run[-1].top_s) / max(cycle(run), 1e-6)
    if beats <= START_INTERVAL_RATIO:
        return False
    height = median([r.amplitude_deg for r in run])
    alike = 1 / PAUSED_HEIGHT_RATIO <= rep.amplitude_deg / height <= PAUSED_HEIGHT_RATIO
    return not (abs(beats - 2) <= ON_BEAT and alike)


def in_step(ratio: float) -> bool:
    """Is an interval of ``ratio`` cycles one beat, or two (one missed)?"""
    low, high = 1 / START_INTERVAL_RATIO, START_INTERVAL_RATIO
    return any(low <= ratio / beats <= high for beats in (1, 2))


def hidden_beats(run: list[Rep], rep: Rep) -> list[Rep]:
    """The beats between a run's last rep and ``rep`` if it comes two or three of the
    run's cycles later (HIDDEN_*), in the run's rhythm and at its median height; the
    caller checks that the phone turned in the pocket in between (the tracker holds
    the tilt while it turns, so a rep then leaves little or no trace; the set went on)."""
    if len(run) < 2:
        return []
    last = run[-1]
    ratio = (rep.top_s - last.top_s) / max(cycle(run), 1e-6)
    beats = round(ratio)
    if not (2 <= beats <= HIDDEN_MAX_BEATS and abs(ratio / beats - 1) <= HIDDEN_RHYTHM):
        return []
    step = (rep.top_s - last.top_s) / beats
    amp = median([r.amplitude_deg for r in run])
    return [
        Rep(
            last.start_s + k * step,
            last.top_s + k * step,
            last.end_s + k * step,
            amp,
            rep.detected_at_s,
        )
        for k in range(1, beats)
    ]


def one_pace(reps: list[Rep]) -> bool:
    """Do ``reps`` (a run about to be confirmed) rise, or lower, at one pace: their
    longest rise (lowering) within PACE_SPREAD of their shortest? (The first rep's rise
    is left out: it leaves the rest before the set, its start edge maybe a slow drift.)"""
    if len(reps) < 2:
        return True
    rises = [r.top_s - r.start_s for r in reps[1:]]
    falls = [r.end_s - r.top_s for r in reps]
    return any(max(xs) <= PACE_SPREAD * max(min(xs), 1e-3) for xs in (rises, falls))


def short_fits(run: list[Rep], confirmed: bool, top_s: float, other_top_s: float) -> bool:
    """May a short rep topping at ``top_s`` join the run? At a bout's pace at most
    (SHORT_CYCLE_S after the run's last rep) with no other rise in between (its top
    ``other_top_s``: a bouncing knee's other swings come between its "reps"), and in a
    confirmed run's rhythm, if it keeps a steady beat."""
    if not run:
        return True
    interval = top_s - run[-1].top_s
    if interval < SHORT_CYCLE_S or other_top_s > run[-1].top_s:
        return False
    if not confirmed or len(run) < 2:
        return True
    # (in the run's rhythm, a beat maybe missed here, and before: each of the run's
    # intervals taken as the beats of its quickest it holds. Slower than a quick bout,
    # a run that keeps no steady beat, a turn of the phone or a split having cut one
    # short, has none to judge by; a quick bout's tops jitter by a fair share of its
    # beat, and its short reps are its own)
    gaps = [b.top_s - a.top_s for a, b in itertools.pairwise(run)]
    beat = [g / max(1, round(g / max(min(gaps), 1e-6))) for g in gaps]
    steady = max(beat) <= (1 + ON_BEAT) * min(beat)
    if not steady and median(beat) > SHORT_BOUT_CYCLE_S:
        return False
    return in_step(interval / median(beat))


def on_beat(run: list[Rep], top_s: float) -> bool:
    """Does a rep topping at ``top_s`` come one of the run's cycles after its last rep
    (within ON_BEAT)?"""
    if len(run) < 2:
        return False
    return abs((top_s - run[-1].top_s) / max(cycle(run), 1e-6) - 1) <= ON_BEAT


def faint_beats(
    run: list[Rep], rep: Rep, t: FloatArray, y: FloatArray, bout_cycle_s: float
) -> list[Rep]:
    """The reps of a quick bout (a cycle of ``bout_cycle_s`` or less) between its last rep
    and ``rep``, two or three cycles later, too faint to be rises of their own: in the
    tilt ``y`` (at times ``t``), on each beat a top (within ON_BEAT of it) that the tilt
    rose to and fell from by FAINT_FRACTION of the run's height (FAINT_MIN_DEG at least).
    Empty unless every beat in between has one."""
    if len(run) < 2:
        return []
    if next_beat(run, rep):
        return []
    last, c = run[-1], cycle(run)
    beats = round((rep.top_s - last.top_s) / max(c, 1e-6))
    step = (rep.top_s - last.top_s) / max(beats, 1)
    if c > bout_cycle_s or not 2 <= beats <= HIDDEN_MAX_BEATS or abs(step / c - 1) > ON_BEAT:
        return []
    i0, i1, js, jt = np.searchsorted(t, [last.top_s, rep.top_s, last.start_s, last.top_s])
    if i1 - i0 < 3 or jt >= t.size:
        return []
    up = 1.0 if y[jt] >= y[js] else -1.0  # (which way the last rep went)
    seg_t, v = t[i0:i1], up * y[i0:i1]
    least = max(FAINT_MIN_DEG, FAINT_FRACTION * median([r.amplitude_deg for r in run]))
    found: list[Rep] = []
    for j in range(1, beats):
        beat = last.top_s + j * step
        lo, hi = np.searchsorted(seg_t, [beat - step, beat + step])
        near = lo + np.flatnonzero(np.abs(seg_t[lo:hi] - beat) <= ON_BEAT * c)
        if not near.size:
            return []
        k = int(near[np.argmax(v[near])])
        before = lo + int(np.argmin(v[lo : k + 1]))
        after = k + int(np.argmin(v[k:hi]))
        rise, fall = v[k] - v[before], v[k] - v[after]
        if min(rise, fall) < least:
            return []
        found.append(
            Rep(
                float(seg_t[before]),
                float(seg_t[k]),
                float(seg_t[after]),
                float(rise),
                rep.detected_at_s,
            )
        )
    return found


def next_beat(run: list[Rep], rep: Rep) -> bool:
    """Is ``rep`` (after a run of 2-3 reps: a confirmed run keeps its last three) less
    than 1.5 of the run's quickest interval after its last, so on the next beat, not
    two or more later (the common case, asked of every rep: kept cheap)?"""
    whole = rep.top_s - run[-1].top_s
    if whole >= 2 * (1 - ON_BEAT) * (run[-1].top_s - run[-2].top_s):
        return False
    return len(run) < 3 or whole < 2 * (1 - ON_BEAT) * (run[-2].top_s - run[-3].top_s)
