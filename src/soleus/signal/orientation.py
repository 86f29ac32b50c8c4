"""From raw phone samples to one number per instant: the thigh's pitch, in degrees.

The phone can lie in the pocket in any orientation, so no phone axis is the thigh's
pitch axis. A heel raise rotates the thigh about its pitch axis and nothing else, so:

- with a gyroscope, the pitch axis is the principal axis of the recent rotation rate
  (an exponentially weighted covariance, eigenvector by a vectorised power step), and
  the tilt is the rate projected on it, integrated;
- with only an accelerometer, the gravity direction in the phone frame turns about the
  same axis: the rotation rate perpendicular to gravity is ``dĝ/dt × ĝ`` (the thigh's
  pitch axis is horizontal, so that is all of it), and the same steps follow.

Linear acceleration of the thigh during a heel raise points mostly along gravity (the
phone moves up and down on a near-horizontal thigh), so it changes the length of the
measured vector more than its direction: for small, unhurried reps the
accelerometer-only tilt is clean to first order. Not for big, quick ones: the pocket
rides several centimetres above the hip's axis, so its tangential acceleration (and the
soft tissue's ringing when a quick rise stops) has a part across gravity that turns
gravity's direction as measured by degrees; with a gyroscope, gravity is then no
reference (kernels.filters.LEVER_MS2).

Everything is causal and incremental: :class:`TiltTracker` takes chunks of any size and
returns the same samples as when it gets the whole recording at once (filters carry
their state; samples are binned on a fixed absolute time grid). The loops themselves,
raw samples to bins to tilt a block of bins at a time, are compiled:
:mod:`soleus.signal.kernels`.
"""

from __future__ import annotations

import functools

import numpy as np

from soleus.signal import iir, kernels
from soleus.signal.recording import STANDARD_GRAVITY, FloatArray

# Internal rate. Thigh pitch during a heel raise has no content above a few hertz.
RATE_HZ = 25.0
# Accelerometer-only low-pass (typing vibration, footsteps); its delay is compensated.
# It runs on the raw samples, before they are averaged into bins: a bin mean is a poor
# anti-alias filter, and vibration near the phone's Nyquist rate (a 50 Hz phone sees
# 20–25 Hz keyboard and desk vibration) would fold down to the 1–5 Hz of a heel raise.
ACC_LOWPASS_HZ = 3.0
# The raw sample rate, for that filter, is judged from the first samples' spacing.
RATE_ESTIMATE_SAMPLES = 16
# Gyroscope bias is measured where the phone is still: a rate that stays constant
# (range under STILL_RANGE_RAD_S over STILL_S) is bias, not movement — a human movement
# speeds up and slows down. The bias is the average of still bins over BIAS_TAU_S of
# stillness (frozen while moving, so a bout of reps cannot drag it).
STILL_PARTS = 4  # ... the means of four consecutive quarter seconds ...
STILL_PART_BINS = 6  # (averages, so sensor noise hardly matters) ...
STILL_RANGE_RAD_S = 0.012  # ... differ by less than 0.7°/s: no part of a heel raise does
BIAS_TAU_S = 8.0
# The pitch axis is the principal axis of the last couple of seconds of rotation:
# short, so a fidget about another axis is forgotten before the next set's first rise.
AXIS_TAU_S = 1.0
# Accelerometer only, the axis comes from gravity's displacement, which is noisier
# (vibration leaks through the low-pass): it needs a longer memory not to wander.
ACC_AXIS_TAU_S = 6.0
# Accelerometer only: gravity's displacement from its average over this time.
DISPLACEMENT_TAU_S = 10.0
# The integrated rotation slowly forgets (drift, posture changes).
LEAK_TAU_S = 30.0
# With both sensors, the tilt is the gyroscope's for anything faster than this and the
# accelerometer's (gravity's direction) for anything slower: a complementary filter.
# Gravity is the absolute reference the integrated rate lacks, so rotation lost in a
# gap of gyroscope samples (phones drop and batch them) heals within a second or two,
# while vibration in the accelerometer is smoothed away.
COMPLEMENTARY_TAU_S = 1.0
# A thigh still at a tilt (°) from its resting one that no heel raise reaches (~12° at
# most) has changed posture (sat down, crossed or uncrossed the legs): its tilt starts
# again from zero there, instead of creeping back over the next half minute under the
# first reps. Below FAR_DEG it might be a held whole-leg lift, so only after
# POSTURE_HOLD_S of stillness; beyond it (sitting down from standing) at once.
POSTURE_DEG = 12.0
POSTURE_HOLD_S = 1.0
FAR_DEG = 40.0
# ... and so is a tilt that stays beyond POSTURE_DEG for SHIFT_HOLD_S, still or not: a
# heel raise comes back down within a second or two of its top, and reps cannot be done
# with the thigh held up (the foot must reach the floor). It is the phone turned in the
# pocket about (nearly) the thigh's own axis, which the rate cannot tell from pitch, or
# a new posture with the reps going on from it.
SHIFT_HOLD_S = 2.5
# Beyond BEYOND_DEG (more than the biggest heel raise, thresholds.BIG_TILT_DEG) that takes
# only BEYOND_HOLD_S (a whole-leg lift held still is let be as long, POSTURE_HOLD_S).
BEYOND_DEG = 20.0
BEYOND_HOLD_S = 1.0
# A heel raise starts from the floor (the heel down) and comes back to it. When the tilt
# comes down from a peak to a valley still FLOOR_DEG or more off and leaves it again by
# more than a heel raise's worth (RERISE_DEG), reps go on from there: the floor itself
# moved (the phone turned in the pocket partly about the thigh's own axis, and the
# tilt, relaxing, came back under POSTURE_DEG before SHIFT_HOLD_S): it is re-zeroed as
# a tilt that stays off is. (FLOOR_DEG is thresholds.MAX_JUMP_DEG: the window scan
# takes a jump so large for a re-zero, and keeps which way is up if it moved before.)
FLOOR_DEG = 10.0
RERISE_DEG = 2.0
# The phone turning in the pocket (soleus.signal.kernels.pocket): the reference pitch
# axis is the energy-weighted average of the axis over REF_TAU_S, known once the mean
# squared rate about it reaches REF_MIN ((rad/s)², or gravity's displacement squared
# without a gyroscope), each bin counting at most REF_CAP: it takes a few reps' worth
# of rotation about one axis (a vigorous fidget, ~0.5 s, gives a third of REF_MIN_GYRO,
# and fidgets turn every which way); the axis' sign is tied to it within ANCHOR_COS (~45°:
# a turn of the phone moves the thigh's axis in the phone's frame by up to ~40°). A
# rate off the reference of more than TURN_RATE_DEG_S and TURN_FRACTION of the whole
# is no thigh movement (a heel raise rolls and swings the thigh by a quarter of its
# pitch at most): the phone turning, held out of the tilt; the reference turns with the
# phone meanwhile (the thigh's axis is fixed in the thigh), so the reps after a turn are
# judged against their own axis at once, not the one before the turn.
# A turn speeds up and slows down: once seen, it goes on while the rate off the
# reference is more than TURNING_RATE_DEG_S and TURNING_FRACTION of the whole, so that
# its slower parts are held out of the tilt too.
TURNING_RATE_DEG_S = 4.0
TURNING_FRACTION = 0.5
REF_TAU_S = 20.0
REF_MIN_GYRO = 4e-4
REF_MIN_ACC = 1e-5
REF_CAP_GYRO = 0.005  # (0.07 rad/s)²
# Accelerometer only: gravity's displacement along the way it moved to a new zero
# (the tilt re-zeroed while moving) is no heel raise and is taken out of the axis'
# memory, if what is left of that memory (its trace, an average squared displacement)
# holds JUMP_KEEP_RMS_DEG² or more: a set of heel raises going on, down to the smallest
# (a rep of amplitude A, up half the time, gives ~A/2.5 rms; 2° reps with a slow
# release, most of the cycle near the floor, ~0.8°), so the phone turned in the
# pocket amid reps, ... and JUMP_AXIS_FRACTION of it about one axis (a heel raise
# moves gravity along one arc and back; walking, fidgets and a leg lifted and put down
# spread it). Sitting quietly (a leg crossed) or moving about it does not: the axis is
# not re-formed from a dangling foot's swing or a fidget. (A re-zero further than
# FAR_DEG is the thigh itself moving, not the phone turning in the pocket: never.)
JUMP_KEEP_RMS_DEG = 0.6
JUMP_AXIS_FRACTION = 0.85
# Accelerometer only, a bin counts in the reference at most as a displacement of
# REF_CAP_ACC_DEG (beyond any heel raise): a turn's own swing of gravity does not
# outweigh the reps that taught it, so the axis' sign comes back right after the turn.
REF_CAP_ACC_DEG = POSTURE_DEG
ANCHOR_COS = 0.7
TURN_RATE_DEG_S = 8.0
TURN_FRACTION = 0.6
# The seated posture (soleus.signal.kernels.pocket.seated_posture): gravity's direction
# in the phone's frame while the thigh rests as it does with both feet on the floor (an
# SPU is done so), averaged over SEAT_TAU_S of the bins within SEAT_NEAR_DEG of it; the
# legs crossed put the thigh 20–40° off it (lifted, turned in), and reps there are the
# dangling foot swinging, not heel raises. A posture held further off for SEAT_ADOPT_S
# becomes the seated one (another chair, the phone put back in the pocket). It is kept
# twice: turned with the phone turning in the pocket, and never turned (crossing the
# legs, a large rotation mostly off the thigh's axis, can be taken for such a turn).
SEAT_TAU_S = 30.0
SEAT_NEAR_DEG = 15.0
SEAT_ADOPT_S = 120.0
# Accelerometer only, "still": gravity turning slower than this (°/s) for this long (s).
STILL_ACC_DEG_S = 3.0
STILL_ACC_S = 0.5


def _ema(tau_s: float) -> tuple[float, float, float]:
    """An exponential moving average over tau_s at RATE_HZ: b, λ and scipy's steady zi."""
    lam = float(np.exp(-1.0 / (RATE_HZ * tau_s)))
    b, a = np.array([1.0 - lam]), np.array([1.0, -lam])
    return float(b[0]), lam, float(iir.lfilter_zi(b, a)[0])


@functools.cache  # constants: computed once per process (scipy's helpers are slow)
def _coefficients(gyroscope: bool) -> kernels.Coefficients:
    dt = 1.0 / RATE_HZ
    axis_b, axis_lam, _ = _ema(AXIS_TAU_S if gyroscope else ACC_AXIS_TAU_S)
    bias_b, bias_lam, bias_zi = _ema(BIAS_TAU_S)
    disp_b, disp_lam, disp_zi = _ema(DISPLACEMENT_TAU_S)
    return kernels.Coefficients(
        rate_hz=RATE_HZ,
        dt=dt,
        gravity=STANDARD_GRAVITY,
        axis_b=axis_b,
        axis_lam=axis_lam,
        # the integrated rotation forgets over LEAK_TAU_S
        leak_lam=float(np.exp(-1.0 / (RATE_HZ * LEAK_TAU_S))),
        comp_alpha=COMPLEMENTARY_TAU_S / (COMPLEMENTARY_TAU_S + dt),
        bias_b=bias_b,
        bias_lam=bias_lam,
        bias_zi=bias_zi,
        bias_warm=int(BIAS_TAU_S * RATE_HZ),
        still_part_bins=STILL_PART_BINS,
        still_parts=STILL_PARTS,
        still_range=STILL_RANGE_RAD_S,
        disp_b=disp_b,
        disp_lam=disp_lam,
        disp_zi=disp_zi,
        posture_rad=float(np.radians(POSTURE_DEG)),
        posture_bins=round(POSTURE_HOLD_S * RATE_HZ),
        far_rad=float(np.radians(FAR_DEG)),
        shift_bins=round(SHIFT_HOLD_S * RATE_HZ),
        beyond_rad=float(np.radians(BEYOND_DEG)),
        beyond_bins=round(BEYOND_HOLD_S * RATE_HZ),
        still_acc_rate=float(np.radians(STILL_ACC_DEG_S)),
        still_acc_bins=round(STILL_ACC_S * RATE_HZ),
        ref_lam=float(np.exp(-1.0 / (RATE_HZ * REF_TAU_S))),
        ref_min=REF_MIN_GYRO if gyroscope else REF_MIN_ACC,
        ref_cap=REF_CAP_GYRO if gyroscope else float(np.radians(REF_CAP_ACC_DEG)) ** 2,
        anchor_cos=ANCHOR_COS,
        turn_rate=float(np.radians(TURN_RATE_DEG_S)),
        turn_fraction=TURN_FRACTION,
        turning_rate=float(np.radians(TURNING_RATE_DEG_S)),
        turning_fraction=TURNING_FRACTION,
        jump_keep=float(np.radians(JUMP_KEEP_RMS_DEG)) ** 2 if not gyroscope else np.inf,
        jump_axis_fraction=JUMP_AXIS_FRACTION,
        seat_lam=float(np.exp(-1.0 / (RATE_HZ * SEAT_TAU_S))),
        seat_cos=float(np.cos(np.radians(SEAT_NEAR_DEG))),
        seat_adopt_bins=round(SEAT_ADOPT_S * RATE_HZ),
        floor_rad=float(np.radians(FLOOR_DEG)),
        rerise_rad=float(np.radians(RERISE_DEG)),
    )


# stand-ins for a stream or a filter that is not there (typed as the real ones)
_NO_TIMES = np.empty(0)
_NO_SAMPLES = np.empty((0, 3))
_NO_LOWPASS = (np.empty(0), np.empty(0))


class TiltTracker:
    """Incremental: raw samples in, (time, tilt °, vertical acceleration, rate) per bin out.

    Per bin (RATE_HZ), with a gyroscope:

    - the gyroscope bias: a bin is still when the rate has stayed within
      STILL_RANGE_RAD_S on every axis for STILL_PARTS × STILL_PART_BINS bins (constant
      rotation is not something a thigh does); the bias is the plain mean of the first
      BIAS_TAU_S of still bins, then their exponential average over BIAS_TAU_S, frozen
      while moving (a whole bout of reps leaves it alone);
    - the pitch axis: the principal axis of the exponentially weighted covariance of
      the de-biased rate over AXIS_TAU_S (two power steps from the column of the
      largest diagonal), its sign kept continuous from one bin to the next and tied
      to the reps' reference axis (REF_TAU_S), bins where the phone turns in the
      pocket left out (see soleus.signal.kernels.pocket);
    - the tilt: the rate about that axis, integrated with a leak (LEAK_TAU_S), held
      while the phone turns in the pocket;
    - with an accelerometer too, the rotation rate perpendicular to gravity (a still
      world vector seen from a turning phone moves as dĝ/dt = ĝ × ω, so that part of
      ω is dĝ/dt × ĝ — all of it for the thigh's horizontal pitch axis) is integrated
      about the same axis, and a complementary filter (COMPLEMENTARY_TAU_S) takes the
      gyroscope's tilt for the fast part and gravity's for the slow part.

    Accelerometer only, integrating a rate differentiated from noisy gravity along a
    wandering axis would random-walk; gravity's *displacement* from its slow average
    (DISPLACEMENT_TAU_S) does not: the direction u where gravity moves when the thigh
    pitches is the principal axis of its recent motion (ACC_AXIS_TAU_S), and the tilt
    is the displacement along u. The raw samples are low-passed first (see
    ``_design_lowpass``); the vertical acceleration is unfiltered, as a bouncing knee
    (3–7 Hz) shows as violent acceleration only there.
    """

    def __init__(self, *, accelerometer: bool, gyroscope: bool) -> None:
        if not (accelerometer or gyroscope):
            raise ValueError("need an accelerometer or a gyroscope")
        self.has_acc = accelerometer
        self.has_gyro = gyroscope
        self.dt = 1.0 / RATE_HZ
        self.next_bin = 0
        self._coef = _coefficients(gyroscope)
        self._state = kernels.new_state(self._coef)
        # pending raw samples per stream: times and an n×3 block
        self._pending: dict[str, tuple[FloatArray, FloatArray]] = {}
        # accelerometer only: raw samples wait here until the raw rate is known
        self._prefilter = not gyroscope
        self._raw_wait: tuple[FloatArray, FloatArray] = (np.empty(0), np.empty((0, 3)))
        # the low-pass (b, a) once designed (its state is in self._state)
        self._lowpass: tuple[FloatArray, FloatArray] | None = None
        # In accelerometer-only mode the tilt lags by the low-pass's group delay.
        self.delay_s = 0.0

    # -- binning -------------------------------------------------------------------

    def _append(self, key: str, t: FloatArray | None, v: FloatArray | None) -> None:
        if t is None or v is None or t.size == 0:
            return
        t = np.ascontiguousarray(t, dtype=np.float64)
        v = np.ascontiguousarray(v, dtype=np.float64)
        if key in self._pending:
            pt, pv = self._pending[key]
            t, v = np.concatenate((pt, t)), np.concatenate((pv, v))
        self._pending[key] = (t, v)

    def _design_lowpass(
        self, t: FloatArray | None, v: FloatArray | None, final: bool
    ) -> tuple[FloatArray | None, FloatArray | None]:
        """Accelerometer only: the raw-rate low-pass; returns the samples ready to bin.

        The filter (ACC_LOWPASS_HZ, its delay compensated in the times) is designed for
        the raw rate, judged from the first RATE_ESTIMATE_SAMPLES samples (so any
        chunking gives the same filter); until they have come, samples wait. It runs
        sample by sample as the samples are binned (:mod:`soleus.signal.kernels`).
        """
        if self._lowpass is not None:
            return t, v
        if t is not None and v is not None and t.size:
            wt, wv = self._raw_wait
            t = np.concatenate((wt, np.asarray(t, dtype=np.float64)))
            v = np.concatenate((wv, np.asarray(v, dtype=np.float64)))
        else:
            t, v = self._raw_wait
        if t.size < RATE_ESTIMATE_SAMPLES and not (final and t.size >= 2):
            self._raw_wait = (t, v)
            return None, None
        step = float(np.median(np.diff(t[:RATE_ESTIMATE_SAMPLES])))
        fs = 1.0 / step if step > 0 else 100.0
        b, a = iir.butter2_lowpass(min(ACC_LOWPASS_HZ, 0.4 * fs), fs)
        self.delay_s = iir.group_delay(b, a, 0.5, fs) / fs
        self._state.lowpass[:] = iir.lfilter_zi(b, a)[:, None] * v[:1]  # start at rest
        self._lowpass = (np.asarray(b, dtype=np.float64), np.asarray(a, dtype=np.float64))
        self._raw_wait = (np.empty(0), np.empty((0, 3)))
        return t, v

    def _streams(self) -> list[str]:
        return [k for k, on in (("acc", self.has_acc), ("gyro", self.has_gyro)) if on]

    def _take(self, key: str) -> tuple[FloatArray, FloatArray]:
        return self._pending.get(key, (_NO_TIMES, _NO_SAMPLES))

    def _keep(self, key: str, cut: int) -> None:
        """Samples from ``cut`` on wait for the next feed."""
        if key in self._pending:
            t, v = self._pending[key]
            self._pending[key] = (t[cut:], v[cut:])

    def _sort(self) -> None:
        """Put each pending stream in the order of its bins (stable: within a bin the
        samples keep their order, so a bin's sum is the same)."""
        for key, (t, v) in self._pending.items():
            order = np.argsort((t * RATE_HZ).astype(np.int64), kind="stable")
            self._pending[key] = (t[order], np.ascontiguousarray(v[order]))

    def feed(
        self,
        t_acc: FloatArray | None = None,
        acc: FloatArray | None = None,
        t_gyro: FloatArray | None = None,
        gyro: FloatArray | None = None,
        *,
        final: bool = False,
    ) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray]:
        """Add samples; return the bins that are now complete (all of them if ``final``).

        Per bin: time (s), tilt about the current pitch axis (°), vertical acceleration
        of the phone (|a| − g, m/s², zero without an accelerometer; timed like the
        tilt), the de-biased rotation rate (n×3, rad/s) and the cosine of gravity's angle
        from the seated posture (n×2: turned with the phone's turns, and never turned;
        SEAT_*; one without an accelerometer).
        """
        if self._prefilter:
            t_acc, acc = self._design_lowpass(t_acc, acc, final)
        self._append("acc", t_acc, acc)
        self._append("gyro", t_gyro, gyro)
        ends = []
        for key in self._streams():
            t = self._pending.get(key, (np.empty(0), None))[0]
            if not t.size:
                ends.append(self.next_bin)
            else:
                last_bin = int(t[-1] * RATE_HZ)
                ends.append(last_bin + 1 if final else last_bin)
        stop = max(ends) if final else min(ends)
        if stop <= self.next_bin:
            return np.empty(0), np.empty(0), np.empty(0), np.empty((0, 3)), np.empty((0, 2))
        t_acc, acc = self._take("acc")
        if self.has_gyro:
            t_gyro, gyro = self._take("gyro")
            *out, cut_acc, cut_gyro = kernels.track_gyro(
                t_acc, acc, t_gyro, gyro, self.next_bin, stop, self._coef, self._state
            )
        else:
            b, a = self._lowpass or _NO_LOWPASS
            *out, cut_acc = kernels.track_acc(
                t_acc, acc, self.next_bin, stop, self._coef, self._state, b, a, self.delay_s
            )
            cut_gyro = 0
        if cut_acc < 0 or cut_gyro < 0:  # samples out of order (rare): sort, once
            self._sort()
            return self.feed(final=final)
        self._keep("acc", cut_acc)
        self._keep("gyro", cut_gyro)
        self.next_bin = stop
        times, theta, vertical, rate, posture = out
        return times, theta, vertical, rate, posture
