"""The rep detector: one streaming algorithm, used live and on whole recordings.

A heel raise, seen from the thigh, is a tilt *away from a resting floor and back*:
knee up by 0.7×heel rise (3–8° of thigh pitch for a 45 cm thigh), then down again.
The detector follows the tilt from :mod:`soleus.signal.orientation` in windows of
:data:`WINDOW_BINS` bins, feeding each window's extremes to a small state machine:
floor → rising (tilt ≥ floor + :data:`HYSTERESIS_DEG`) → back down to within
:data:`RETURN_FRACTION` of the amplitude above the floor → a candidate rep. Which way is
"up" is unknown (the pitch axis' sign is arbitrary): the first movement out of rest is
the heel going up, so it fixes the sign for the episode.

A candidate counts when its shape is a heel raise (amplitude, rise and rep durations,
no violent acceleration) and it belongs to a run of at least :data:`MIN_RUN` similar
reps: a single tilt-and-back is as likely a fidget as an SPU. Larger tilts that return
are whole-leg lifts (reported, never counted). Windows where nothing moves are skipped
without a Python step, which is what makes the detector fast. Batch analysis
(:func:`detect`) feeds the whole recording through the same :class:`StreamingDetector`;
the result does not depend on how the input is chunked.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

from soleus.signal import across, bouncing, candidates, crossed, lifts, rhythm, rise, scan_state
from soleus.signal.calibration import Calibration
from soleus.signal.lifts import LegLift
from soleus.signal.orientation import RATE_HZ, SHIFT_HOLD_S, TiltTracker
from soleus.signal.recording import FloatArray, Recording
from soleus.signal.rhythm import START_INTERVAL_RATIO, Axis, Rep, dot, median
from soleus.signal.thresholds import (
    DEFAULTS,
    HISTORY_S,
    HYSTERESIS_DEG,
    LOOKBACK_TURNED_REPS,
    MAX_JUMP_DEG,
    MAX_TILT_DEG,
    MIN_RUN,
    PARAMS,
    RUN_AMPLITUDE_RATIO,
    RUN_AXIS_COS,
    RUN_GAP_S,
    RUN_MIN_FRACTION,
    RUN_MIN_TILT_DEG,
    START_AMPLITUDE_RATIO,
    START_MAX_CYCLE_S,
    TURNED_AXIS_COS,
    WEAK_CYCLE_S,
    WEAK_RUN,
    WINDOW_BINS,
)


class StreamingDetector:
    """Feed raw sensor chunks; get reps as soon as the heel is back down."""

    def __init__(
        self, *, accelerometer: bool, gyroscope: bool, calibration: Calibration | None = None
    ) -> None:
        self.tracker = TiltTracker(accelerometer=accelerometer, gyroscope=gyroscope)
        # (a person's own, if calibrated: soleus.signal.calibration)
        self._min_tilt, self._params = calibration.thresholds(PARAMS) if calibration else DEFAULTS
        self.reps: list[Rep] = []
        self.lifts: list[LegLift] = []
        self._rejected = 0  # candidates the run logic turned down
        # history of bins (absolute index offset, times, tilt, linear acceleration)
        self._h0 = 0
        self._ht = np.empty(0)
        self._hy = np.empty(0)
        self._hl = np.empty(0)
        self._hw = np.empty((0, 3))
        self._hp = np.empty((0, 2))  # cosines of gravity's angle from the seated posture
        self._done_bins = 0  # bins already consumed by complete windows
        # the window state machine's state (see soleus.signal.candidates)
        self._state, self._lows, self._highs = scan_state.new_state()
        self._run: list[Rep] = []
        self._run_confirmed = False
        self._run_axis: Axis = (0.0, 0.0, 0.0)
        self._dropped: list[tuple[Rep, Axis]] = []  # the run before, for the look-back
        self._axes: list[Axis] = []  # axis of each rep of the current run
        self._weak: list[bool] = []  # which reps of the current run are weak (see _join)
        self._missed_beat = False  # a candidate too small to join since the run's last rep
        self._gaps: list[float] = []  # tops of the run's reps it reached across a turn
        self._other_top = -np.inf  # the top of the last rise that was no rep
        self._last_top = -np.inf  # the top of the last rise of any kind
        self._rises: list[tuple[float, float]] = []  # (top, height) of the last three
        self._seat = crossed.Seat()  # when the thigh went far from its seat
        self._held: Rep | None = None  # a confirmed run's rep after a pause (see _go_on)

    @property
    def rejected(self) -> int:
        """Candidates that were not heel raises."""
        return self._rejected + int(self._state[scan_state.S_REJECTED])

    @property
    def large_moves(self) -> int:
        return int(self._state[scan_state.S_LARGE_MOVES])

    @property
    def max_linear(self) -> float:
        return float(self._state[scan_state.S_MAX_LINEAR])

    # -- input ---------------------------------------------------------------------

    def feed(
        self,
        t_acc: FloatArray | None = None,
        acc: FloatArray | None = None,
        t_gyro: FloatArray | None = None,
        gyro: FloatArray | None = None,
        *,
        final: bool = False,
    ) -> list[Rep]:
        """Add samples (seconds from the recording start); return newly counted reps."""
        t, y, lin, w, posture = self.tracker.feed(t_acc, acc, t_gyro, gyro, final=final)
        before = len(self.reps)
        if t.size:
            self._ht = _extend(self._ht, t)
            self._hy = _extend(self._hy, y)
            self._hl = _extend(self._hl, np.abs(lin))
            self._hw = _extend(self._hw, w)
            self._hp = _extend(self._hp, posture)
            self._seat.feed(t, posture)
        total = self._h0 + self._ht.size
        stop = total if final else total - (total % WINDOW_BINS)
        if stop > self._done_bins:
            rows = candidates.scan(
                self._ht,
                self._hy,
                self._hl,
                self._hw,
                self._h0,
                self._done_bins,
                stop,
                self._state,
                self._lows,
                self._highs,
                self.tracker.has_gyro,
                self._params,
            )
            self._done_bins = stop
            for row in rows.tolist():
                self._candidate(row)
        self._trim()
        return self.reps[before:]

    def finish(self) -> list[Rep]:
        return self.feed(final=True)

    def _trim(self) -> None:
        if not self._ht.size:
            return
        keep_from = self._ht[-1] - HISTORY_S
        cut = int(np.searchsorted(self._ht, keep_from))
        st = self._state
        if st[scan_state.S_RISING]:
            cut = min(cut, int(st[scan_state.S_RISE_START]) - self._h0 - WINDOW_BINS)
        for pts, n in (
            (self._lows, st[scan_state.S_NLOWS]),
            (self._highs, st[scan_state.S_NHIGHS]),
        ):
            if n:
                cut = min(cut, int(pts[0, 2]) - self._h0)
        cut = max(cut, 0)
        cut = min(cut, self._done_bins - self._h0)
        if cut > 0:
            self._ht, self._hy, self._hl = self._ht[cut:], self._hy[cut:], self._hl[cut:]
            self._hw, self._hp = self._hw[cut:], self._hp[cut:]
            self._h0 += cut

    # -- candidates ----------------------------------------------------------------

    def _candidate(self, row: list[float]) -> None:
        kind, start, top, end, amp, now, hold, ax, ay, az, *rise_axis = row
        since_last_rise = top - self._last_top
        self._last_top = top
        self._rises = [*self._rises[-2:], (top, amp)]
        if kind == rise.KIND_LIFT:
            self.lifts.append(LegLift(start, end, amp))
        if kind == rise.KIND_REJECTED or not (ax or ay or az):
            self._other_top = top
            # (a rise as high as the run's reps that the scan turned down - a shaking
            # top, an odd shape - came on a beat all the same: the rhythm held)
            if self._run and kind == rise.KIND_REJECTED and self._min_tilt <= amp <= MAX_TILT_DEG:
                self._missed_beat = True
            return  # rejected (counted by the scan), or larger than any heel raise
        run = self._run
        # (under the sway floor: a faded rep, by a hysteresis, on a bout's beat: a quick
        # steady rhythm, WEAK_CYCLE_S, that sway does not keep)
        beat = amp < RUN_MIN_TILT_DEG
        # (the run's cycle only looked up for such a rep: most are not)
        bout = beat and self._run_confirmed and len(run) >= 2 and rhythm.cycle(run) <= WEAK_CYCLE_S
        if beat and not (amp >= HYSTERESIS_DEG and bout and rhythm.on_beat(run, top)):
            self._rejected += 1
            self._other_top = top
            return
        short = kind == rise.KIND_SHORT
        if short and not rhythm.short_fits(run, self._run_confirmed, top, self._other_top):
            self._rejected += 1  # too quick a cycle for a rep on its own
            self._other_top = top
            return
        if not self._run_confirmed and crossed.swinging(
            self._ht, self._hp, start, amp, since_last_rise, self._seat, self.reps, self._run
        ):
            self._rejected += 1  # the legs crossed: the dangling foot swinging
            return
        if not self._run_confirmed and bouncing.bouncing(self._rises):
            self._rejected += 1  # a bouncing knee: its rises come 3-7 a second
            self._other_top = top
            return
        height = median([r.amplitude_deg for r in run]) if run else amp
        min_tilt = self._min_tilt
        if self._run_confirmed and run:
            sway = HYSTERESIS_DEG if beat else RUN_MIN_TILT_DEG
            min_tilt = max(sway, min(self._min_tilt, RUN_MIN_FRACTION * height))
        # (short reps start a run only as weak ones do: several, in a bout's rhythm)
        weak = amp < min_tilt or (short and not self._run_confirmed)
        if weak and (self._run_confirmed or amp < RUN_MIN_TILT_DEG):
            self._rejected += 1
            self._missed_beat = True
            return
        rx, ry, rz = rise_axis
        rise_only = (rx, ry, rz) if rx or ry or rz else None
        self._join(Rep(start, top, end, amp, now, hold), (ax, ay, az), weak, height, rise_only)

    def _join(
        self, rep: Rep, axis: Axis, weak: bool, amps: float, rise_axis: Axis | None = None
    ) -> None:
        """Add a rep to the current run, or start a new run with it.

        A ``weak`` rep (lower than a run may start with, as high as a run accepts) can
        join a run that is not confirmed yet but does not count towards confirming it:
        a set whose every other rep is a half rep still starts with its first rep.
        ``amps`` is the median height of the run so far. ``rise_axis``: the axis of
        the rep's rise alone, taken for the rep's when only it is the run's (the phone
        began turning in the pocket in the release).
        """
        run = self._run
        same = bool(run) and self._same_axis(rep, axis)
        if run and not same and rise_axis and self._same_axis(rep, rise_axis):
            axis, same = rise_axis, True
        crossing = False  # (a run in the making, across a turn of the phone: _across_turn)
        if run:
            last = run[-1]
            ok = rep.start_s - last.end_s <= RUN_GAP_S
            # one thigh, one pitch axis: fidgets turn the leg every which way
            ok = ok and (same or (crossing := self._across_turn(rep, axis)))
            ok = ok and 1 / RUN_AMPLITUDE_RATIO <= rep.amplitude_deg / amps <= RUN_AMPLITUDE_RATIO
            if ok and not self._run_confirmed:
                # before a run counts it must look like a set: similar reps, in rhythm
                ratio = rep.amplitude_deg / amps
                ok = 1 / START_AMPLITUDE_RATIO <= ratio <= START_AMPLITUDE_RATIO
                # (a rep too small to join in between may be a missed beat, two cycles,
                # or a twitch off the beat: then the rhythm held all the same; so may a
                # quick bout's rep too faint to be a rise of its own)
                # (top to top, or start to start: a held top's middle wanders within
                # the hold, while the heel leaving the floor is sharp)
                spans = [(rep.top_s - last.top_s, -1.0), (rep.start_s - last.start_s, -1.0)]
                if len(run) >= 2:
                    spans[0] = (spans[0][0], run[-1].top_s - run[-2].top_s)
                    spans[1] = (spans[1][0], run[-1].start_s - run[-2].start_s)

                def fits(beats: float, prev_beats: float) -> bool:
                    return any(
                        whole / beats <= START_MAX_CYCLE_S
                        and (
                            prev < 0
                            or 1 / START_INTERVAL_RATIO
                            <= whole / beats / prev * prev_beats
                            <= START_INTERVAL_RATIO
                        )
                        for whole, prev in spans
                    )

                prevs = (1.0, 2.0) if last.top_s in self._gaps else (1.0,)
                ok = ok and (
                    any(fits(1.0, p) for p in prevs)
                    or (
                        any(fits(2.0, p) for p in prevs)
                        and (
                            self._missed_beat
                            or crossing
                            or bool(rhythm.faint_beats(run, rep, self._ht, self._hy, WEAK_CYCLE_S))
                        )
                    )
                    # (two or three cycles on, the phone turned between, its axis seen
                    # from the phone all but the same: the beats the turn hid)
                    or (crossing := self._hid_beats(run, rep))
                )
            if not ok and weak and rep.start_s - last.end_s <= RUN_GAP_S:  # (else a new set)
                self._rejected += 1  # a small movement out of step: not this run's
                self._missed_beat = True
                return
            if not ok:
                self._drop_held()
                if not self._run_confirmed:
                    self._rejected += len(run)
                    dropped = [*self._dropped, *zip(run, self._axes, strict=True)]
                    self._dropped = dropped[-LOOKBACK_TURNED_REPS:]
                else:
                    self._dropped = []
                run.clear()
                self._axes.clear()
                self._weak.clear()
                self._gaps.clear()
                self._run_confirmed = False
        self._missed_beat = False
        hidden = rhythm.hidden_beats(run, rep) if self._run_confirmed or crossing else []
        if hidden:
            # (the phone turned while each hidden beat would have been done)
            half = (rep.top_s - run[-1].top_s) / (2 * (len(hidden) + 1))
            if not all(self._turned(h.top_s - half, h.top_s + half, rep.start_s) for h in hidden):
                hidden = []
        if crossing and not hidden:  # (one cycle, or two: a beat it hid; across.fill_gaps)
            self._gaps.append(rep.top_s)
        if self._run_confirmed and not hidden and len(run) >= 2 and not rhythm.next_beat(run, rep):
            # (or a quick bout's rep faded under a hysteresis: it still kept the beat)
            hidden = rhythm.faint_beats(run, rep, self._ht, self._hy, WEAK_CYCLE_S)
        pause = self._run_confirmed and not hidden and len(run) >= 2 and rhythm.paused(run, rep)
        for r in [*hidden, rep]:
            run.append(r)
            self._axes.append(axis)
            # (a beat the turn hid does not help confirm a run in the making)
            self._weak.append(weak or (r is not rep and not self._run_confirmed))
        self._run_axis = axis
        if self._run_confirmed:
            self._go_on([*hidden, rep], pause)
        elif (
            self._confirms(run)
            and not lifts.too_big(run, self._axes, self._weak)
            and rhythm.one_pace(run)
        ):
            self._run_confirmed = True
            run[:], self._axes[:], self._weak[:] = across.fill_gaps(
                run, self._axes, self._weak, self._gaps
            )
            self._gaps.clear()
            end = self.reps[-1].end_s if self.reps else -math.inf
            first = across.look_back(run, self._axes, self._dropped, end, self._turned)
            # the weak reps count now if they are high enough for this run
            pairs = zip(run, self._weak, strict=True)
            strong = median([r.amplitude_deg for r, w in pairs if not w] or [rep.amplitude_deg])
            low = max(RUN_MIN_TILT_DEG, min(self._min_tilt, RUN_MIN_FRACTION * strong))
            kept = [r for r in run if r.amplitude_deg >= low]
            self._rejected += len(run) - len(kept) - len(first)
            self._count([r._replace(detected_at_s=rep.detected_at_s) for r in first + kept])
            self._dropped = []
        if self._run_confirmed and len(run) > MIN_RUN:
            del run[: len(run) - MIN_RUN]
            del self._axes[: len(self._axes) - MIN_RUN]
            del self._weak[: len(self._weak) - MIN_RUN]

    def _go_on(self, reps: list[Rep], pause: bool) -> None:
        """Count a confirmed run's next reps, but one after a pause (rhythm.paused) only
        once the set goes on after it: a set does not end with one rep after a pause,
        while a fidget in the rest after it (shifting in the chair, the thigh rising
        about its own axis) comes alone. The rep held before counts when the next
        joins the run in its rhythm; after another pause, it was no rep."""
        if self._held is not None:
            held, self._held = self._held, None
            if pause:
                self._rejected += 1
            else:
                self._count([held._replace(detected_at_s=reps[-1].detected_at_s)])
        if pause:
            self._held = reps[-1]
            reps = reps[:-1]
        self._count(reps)

    def _drop_held(self) -> None:
        """The run ended: a rep held after a pause (_go_on) was no rep of it."""
        if self._held is not None:
            self._held = None
            self._rejected += 1

    def _turned(self, t0: float, t1: float, until: float) -> bool:
        """Did the phone turn in the pocket between t0 and t1? (The tracker gives a rate
        of exactly zero there; or, turned about the thigh's own axis, which no rate
        tells from pitch, it re-zeroed the tilt up to SHIFT_HOLD_S later, though not
        after ``until``; the rep it hid: rhythm.hidden_beats.)"""
        i, j = np.searchsorted(self._ht, [t0, t1])
        if j <= i:
            return False
        if self.tracker.has_gyro and not np.all(self._hw[i:j].any(axis=1)):
            return True
        j = int(np.searchsorted(self._ht, min(t1 + SHIFT_HOLD_S, until)))
        return bool(np.any(np.abs(np.diff(self._hy[max(i - 1, 0) : j])) > MAX_JUMP_DEG))

    def _hid_beats(self, run: list[Rep], rep: Rep) -> bool:
        """Does ``rep`` come two or three of a run in the making's cycles after its last
        (rhythm.hidden_beats), the phone turned in the pocket in between (the tracker
        held or re-zeroed the tilt, up to the rep's end)? Then it reaches across the
        turn as a rep about an axis the turn moved does (_across_turn)."""
        if len(run) < 2 or not rhythm.hidden_beats(run, rep):
            return False
        return self._turned(run[-1].top_s, rep.start_s, rep.end_s)

    def _same_axis(self, rep: Rep, axis: Axis) -> bool:
        """Does ``rep`` turn the thigh about the run's axis (its last rep's, or its last
        reps' mean: a small rep's axis is noisy)? Or, in a confirmed run, within
        TURNED_AXIS_COS of it in the run's rhythm (the phone turned in the pocket)?"""
        cos = abs(dot(axis, self._run_axis))
        if cos < RUN_AXIS_COS and len(self._axes) > 1:
            cos = max(cos, abs(dot(axis, rhythm.mean_axis(self._axes[-MIN_RUN:]))))
        if cos >= RUN_AXIS_COS:
            return True
        run = self._run
        if not (self._run_confirmed and cos >= TURNED_AXIS_COS and len(run) >= 2):
            return False
        # (a beat may be lost while the phone turns)
        return rhythm.in_step((rep.top_s - run[-1].top_s) / max(rhythm.cycle(run), 1e-6))

    def _across_turn(self, rep: Rep, axis: Axis) -> bool:
        """In a run not yet confirmed, does ``rep`` turn the thigh about the run's axis as
        the phone turned in the pocket since its last rep (TURNED_AXIS_COS; the tracker
        held or re-zeroed the tilt meanwhile, up to the rep's end: the rep it hid is one
        beat, see _join)? A set's first reps, the phone turning before there are three."""
        if self._run_confirmed or abs(dot(axis, self._run_axis)) < TURNED_AXIS_COS:
            return False
        return self._turned(self._run[-1].top_s, rep.end_s, rep.end_s)

    def _confirms(self, run: list[Rep]) -> bool:
        """Is the run a set now? MIN_RUN reps high enough to start one, or WEAK_RUN
        smaller ones in a bout's quick, steady rhythm (every rep of a run in the making
        keeps its rhythm, see _join): nothing else rocks the thigh so regularly."""
        if len(run) - sum(self._weak) >= MIN_RUN:
            return True
        if len(run) < WEAK_RUN:
            return False
        return rhythm.cycle(run) <= WEAK_CYCLE_S

    def _count(self, reps: list[Rep]) -> None:
        """Count reps; a big one was reported as a whole-leg lift: it is not one."""
        self.reps.extend(reps)
        starts = {r.start_s for r in reps if r.amplitude_deg > MAX_TILT_DEG}
        if starts:
            self.lifts = [lift for lift in self.lifts if lift.start_s not in starts]


def _extend(history: FloatArray, new: FloatArray) -> FloatArray:
    """The history with the tracker's new bins after it (the new array itself when
    there is none yet: a whole recording at once is not copied)."""
    return np.concatenate((history, new)) if history.size else new


@dataclass(frozen=True)
class Detection:
    reps: tuple[Rep, ...]
    lifts: tuple[LegLift, ...]
    rejected: int
    large_moves: int
    max_linear: float


def run(det: StreamingDetector, rec: Recording, chunk_s: float | None = None) -> Detection:
    """Feed a recording through ``det`` (at once, or in chunks of ``chunk_s`` seconds)."""
    if chunk_s is None:
        det.feed(rec.t_acc, rec.acc, rec.t_gyro, rec.gyro)
    else:
        edges = np.arange(0.0, rec.end + chunk_s, chunk_s)
        for lo, hi in itertools.pairwise(edges):
            parts: list[FloatArray | None] = []
            for t, v in ((rec.t_acc, rec.acc), (rec.t_gyro, rec.gyro)):
                if t is None or v is None:
                    parts += [None, None]
                    continue
                i, j = np.searchsorted(t, [lo, hi])
                parts += [t[i:j], v[i:j]]
            det.feed(*parts)
    det.finish()
    return Detection(
        tuple(det.reps), tuple(det.lifts), det.rejected, det.large_moves, det.max_linear
    )


def detect(
    rec: Recording, chunk_s: float | None = None, *, calibration: Calibration | None = None
) -> Detection:
    """Batch detection: the whole recording through a fresh streaming detector."""
    det = StreamingDetector(
        accelerometer=rec.acc is not None,
        gyroscope=rec.gyro is not None,
        calibration=calibration,
    )
    return run(det, rec, chunk_s)


__all__ = ["RATE_HZ", "Detection", "LegLift", "Rep", "StreamingDetector", "detect"]
