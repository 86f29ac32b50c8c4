"""The detector's thresholds: the physics of a heel raise seen from a thigh pocket.

Each number says what it stands for; :data:`PARAMS` is the same numbers as the compiled
window scan takes them (:mod:`soleus.signal.candidates` indexes it), and a person's
calibration scales a copy of it (:mod:`soleus.signal.calibration`).
"""

from __future__ import annotations

import numpy as np

from soleus.signal.orientation import RATE_HZ

# --- thresholds (physics, not fitted to the simulator) -------------------------------
WINDOW_BINS = 8  # 0.32 s at 25 Hz: a rep cannot rise and fall inside one window
QUIET_RANGE_DEG = 0.2  # a window moving less than this is stillness
QUIET_S = 2.5  # stillness this long at the floor ends an episode
# ... and this long away from the floor without a clear move (small shifts and tremor
# aside) too: the SPU's top lasts a fraction of a second (a "held top" style a second
# or two); a thigh that stays up longer has changed posture (a foot drawn back, a
# shift in the chair): a new episode starts, and what it returns to is a new floor.
HOLD_QUIET_S = 3.0
HYSTERESIS_DEG = 0.75  # half the smallest heel raise worth counting
RETURN_FRACTION = 0.3  # heel down: back within 30% of the amplitude above the floor
FLOOR_WINDOW_S = 3.0  # the floor is the lowest tilt of the last few seconds
MIN_TILT_DEG = 1.5  # ~1.5 cm of heel rise
MAX_TILT_DEG = 12.0  # ~12 cm heel rise: the end of the ankle's range ...
# ... for most people and pockets; a tall heel raise on a chair that lets the knee rise
# with it (knee/heel ~0.9), measured through a pocket that adds some roll, reaches more.
# A rise up to BIG_TILT_DEG shaped like a heel raise is a whole-leg lift on its own but
# a rep inside a run of heel raises, and a run counts only if its typical rep is within
# the ankle's range (RUN_MAX_MEDIAN_DEG: the ball of the foot on the floor, ~11 cm of
# heel at most, the knee rising 0.9 of it on a short thigh of 38 cm: ~16-17°, a little
# more as measured through a pocket that rolls); seated knee raises go 15–40° at the
# hip: beyond that no run is heel raises, and under it one whose reps turn the thigh
# about wandering axes is not either (KNEE_AXIS_WANDER_DEG).
BIG_TILT_DEG = 20.0
RUN_MAX_MEDIAN_DEG = 18.0
# A run of reps beyond MAX_TILT_DEG whose consecutive reps turn the thigh about axes
# this far apart (median) is knee raises: with the foot off the floor the thigh's lift
# is not guided (big heel raises on dev corpora: at most 1.6°; knee raises 3.7-10°).
KNEE_AXIS_WANDER_DEG = 3.0
MAX_LIFT_DEG = 40.0  # more than this is a posture change, not a lift
MIN_RISE_S = 0.15  # a quick heel rise takes ~0.2 s (edge to top); knee jiggling (3-7 Hz) is
# rejected by its whole cycle (MIN_REP_S) and its reversals, not by the rise alone
MAX_RISE_S = 5.0
# Even a deliberately slow lowering is done in a few seconds: a tempo lifter's "five-second
# negative", or a set at 10 a minute whose heel is let down over most of each 6 s cycle
# (top to the floor's 5 % edge, where the heel settles slowly: up to ~6 s)
MAX_RELEASE_S = 6.0
MIN_REP_S = 0.4  # 90/min leaves 0.67 s per cycle; knee jiggling is 3–7 Hz
# ... but a quick bout (85-95/min) with a quick release makes reps of 0.35-0.4 s edge to
# edge: a rep down to SHORT_REP_S counts in a run's rhythm (rhythm.short_fits)
SHORT_REP_S = 0.25
MAX_REP_S = 20.0  # up at the top longer than this: a posture change, not a rep
# A passive release drops the knee 0.7·h in ~0.15 s: for a 10 cm heel raise the pocket
# (~0.45 of the way to the knee) drops ~3 cm, a raised-cosine peak of d·π²/(2T²) ≈ 7 m/s².
# Anything more violent (a bouncing knee at 5–7 Hz, footsteps, a bump) is not a rep.
MAX_LINEAR_MS2 = 8.0
# ... but a spike of up to THUMP_BINS bins (0.12 s) after a quick fall (LANDING_FALL_S),
# the thigh then holding or turning back over LANDING_REST_S, is a heel landing (or a big
# rep's stop at its top), not violence (rise.thump, jolt.judge): a quick set's next rise
# after a landing turns the thigh back, so the 0.1 s the heel rests there is enough
THUMP_BINS, LANDING_FALL_S, LANDING_REST_S = 3, 0.5, 0.2
# Without a gyroscope the tilt is gravity's direction as the accelerometer sees it; the
# phone rides above the hip's axis, so the thigh's angular acceleration into a quick rise
# (its first ~0.1-0.2 s) pushes the pocket back and swings gravity the other way first,
# 1-2.5° for a big rep. Which way is up is judged from the larger move out of rest within
# this long of the first one of a heel raise's worth.
COUNTER_SWING_S = 0.3
MIN_RUN = 3  # reps in a row before any of them counts
RUN_GAP_S = 10.0  # longer than this between reps starts a new run
RUN_AMPLITUDE_RATIO = 3.0
START_AMPLITUDE_RATIO = 3.0  # the first MIN_RUN reps: heights within 3× (half reps) ...
# ... and a rhythm (fidgets come at random: rhythm.START_INTERVAL_RATIO) of a set: top
# to top at most this (the slowest sets, 15/min with a held top, take ~5 s a rep;
# fidgets a few times a minute can fall into step by chance)
START_MAX_CYCLE_S = 7.0
EDGE_FRACTION = 0.05  # start/end: within 5% of the amplitude of the floor
TOP_FRACTION = 0.95  # top: middle of the part above 95% of the amplitude
PEAK_S = 0.4  # ... unless that part is shorter (no hold): then the vertex of the peak
HISTORY_S = 60.0
WARMUP_S = 1.5
LOOKBACK_BINS = 12  # 0.5 s of rest before the first move, to judge its direction
REVERSAL_FRACTION = 0.3  # a rep with a dip deeper than 30% of its height is shaking ...
# ... but a fall by half the height or more, followed by a clear new rise, is the end
# of one rep and the start of the next: the heel went down and up again, though the
# tilt did not come all the way back (a hurried release, or tilt lost in a gap)
SPLIT_FRACTION = 0.5
# A change of tilt from one bin (40 ms) to the next larger than this is no thigh motion
# (250°/s): the tracker re-zeroed the tilt for a new posture (orientation.POSTURE_DEG).
MAX_JUMP_DEG = 10.0
# No rep starts within this long after more acceleration than a heel raise makes
# (MAX_LINEAR_MS2): footsteps, a bump, standing up; a set is done sitting still.
CALM_S = 2.0
RUN_AXIS_COS = 0.9  # reps of a run turn the thigh about the same axis (within ~25°) ...
TURNED_AXIS_COS = 0.7  # ... or, in rhythm, ~45° (the phone turned in the pocket)
# Inside a confirmed run the smallest rep is judged against the run itself: a rep a
# third of the run's median height is still a rep (flagged "incomplete range" by the
# form checks), down to 0.8° (~0.6 cm of heel) — below that it is sway.
RUN_MIN_FRACTION = 1 / 3
RUN_MIN_TILT_DEG = 0.8
# A sustained bout on a chair that supports the thigh can stay under MIN_TILT_DEG
# (knee/heel ~0.45, a 3 cm heel raise: ~1.2°): WEAK_RUN such reps in a row at a bout's
# pace (top to top at most WEAK_CYCLE_S, 50/min or more) confirm a run too. The other
# leg's sets reach this thigh weaker still, and at a set's pace.
WEAK_RUN = 6
WEAK_CYCLE_S = 1.2
# When a run is confirmed, the reps just before it that failed only the run's start
# test (same axis, in rhythm, a plausible height) are its first reps after all.
LOOKBACK_REPS = 2
# ... and across a turn of the phone in the pocket (a set's first reps, then the turn,
# before the run confirmed) up to MIN_RUN of them, the rep the turn hid counted too
LOOKBACK_TURNED_REPS = 3

# the thresholds as the compiled window scan takes them (soleus.signal.candidates)
PARAMS = np.array(
    [
        WINDOW_BINS,
        QUIET_RANGE_DEG,
        QUIET_S,
        HOLD_QUIET_S,
        HYSTERESIS_DEG,
        RETURN_FRACTION,
        FLOOR_WINDOW_S,
        MIN_TILT_DEG,
        MAX_TILT_DEG,
        MAX_LIFT_DEG,
        MIN_RISE_S,
        MAX_RISE_S,
        MAX_RELEASE_S,
        MIN_REP_S,
        MAX_REP_S,
        MAX_LINEAR_MS2,
        EDGE_FRACTION,
        TOP_FRACTION,
        PEAK_S,
        WARMUP_S,
        LOOKBACK_BINS,
        REVERSAL_FRACTION,
        RATE_HZ,
        RUN_MIN_TILT_DEG,
        SPLIT_FRACTION,
        MAX_JUMP_DEG,
        CALM_S,
        BIG_TILT_DEG,
        SHORT_REP_S,
        THUMP_BINS,
        LANDING_REST_S,
        LANDING_FALL_S,
        COUNTER_SWING_S,
    ],
    dtype=np.float64,
)
DEFAULTS = (MIN_TILT_DEG, PARAMS)
