"""The tracker's coefficients and its state between feeds: the arrays every stage reads."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from soleus.signal.recording import FloatArray

IntArray = NDArray[np.int64]


class Coefficients(NamedTuple):
    """The per-bin filters, derived from orientation.py's constants (see TiltTracker)."""

    rate_hz: float  # bins per second
    dt: float  # bin length, s
    gravity: float  # m/s², subtracted from |a| for the vertical acceleration
    axis_b: float  # covariance EMA: c = axis_b·x + axis_lam·c
    axis_lam: float
    leak_lam: float  # leaky integrator: θ = dt·ω + leak_lam·θ
    comp_alpha: float  # complementary filter (high-pass of gyro tilt − gravity tilt)
    bias_b: float  # gyroscope bias EMA after the warm-up mean
    bias_lam: float
    bias_zi: float  # scipy's lfilter_zi of that EMA (the steady state for input 1)
    bias_warm: int  # still bins averaged plainly before the EMA takes over
    still_part_bins: int
    still_parts: int
    still_range: float
    disp_b: float  # accelerometer only: slow average of gravity's direction
    disp_lam: float
    disp_zi: float
    posture_rad: float  # still this far from the resting tilt: a new posture, re-zeroed ...
    posture_bins: int  # ... after this many still bins (a held leg lift is let be) ...
    far_rad: float  # ... or right away (still_acc_bins) this far: no lift goes so far
    shift_bins: int  # ... or, still or not, after this many bins beyond posture_rad ...
    beyond_rad: float  # ... or this many bins beyond this, further than any rep goes
    beyond_bins: int
    still_acc_rate: float  # accelerometer only: gravity turning slower than this (rad/s) ...
    still_acc_bins: int  # ... for this many bins is still
    ref_lam: float  # the reference axis' EMA (kernels.pocket) ...
    ref_min: float  # ... known once this strong (squared rate about it) ...
    ref_cap: float  # ... a bin counting at most this much ...
    anchor_cos: float  # ... and the sign tied to it within this cosine
    turn_rate: float  # rate off the reference (rad/s) above which the phone turns ...
    turn_fraction: float  # ... if also this fraction of the whole rate; once turning, ...
    turning_rate: float  # ... it goes on while more than this is off the reference ...
    turning_fraction: float  # ... and this fraction of the whole
    jump_keep: float  # accelerometer only: the axis' energy off a re-zero's jump, of reps
    jump_axis_fraction: float  # ... this much of it about one axis
    seat_lam: float  # the seated posture's EMA (kernels.pocket.seated_posture) ...
    seat_cos: float  # ... learning from gravity within this cosine of it ...
    seat_adopt_bins: int  # ... and taking gravity as it is after this many bins further
    floor_rad: float  # a valley of the tilt this far off, ...
    rerise_rad: float  # ... left and come back to by this much: the floor moved there


# Scalars of State.f, by offset.
COV = 0  # 6: EMA of the products x0x0 x0x1 x0x2 x1x1 x1x2 x2x2 of the tracked vector
AXIS = 6  # 3: the last principal axis as computed, before its sign was fixed
SIGN = 9  # 1: the running sign that keeps the axis continuous
THETA = 10  # 1: integrator of the rate about the axis
THETA_ACC = 11  # 1: integrator of gravity's rate about the axis
COMP = 12  # 1: complementary filter
PREV_G = 13  # 3: gravity's direction in the last bin
G_SLOW = 16  # 3: accelerometer only: slow average of gravity's direction
BIAS = 19  # 3: gyroscope bias as of the last still bin
BIAS_SUM = 22  # 3: sum of the still bins during the warm-up
BIAS_Z = 25  # 3: the bias EMA's state after the warm-up
REF = 28  # 3: the reference pitch axis, energy-weighted (see kernels.pocket)
SEAT = 31  # 3: gravity's direction in the seated posture (see kernels.pocket)
TURNING = 34  # 1: 1.0 while the phone is turning in the pocket (see kernels.pocket)
SEAT_UNTURNED = 35  # 3: the same, never turned with what looked like the phone turning
SEAT_UNTURNED_FAR = 38  # 1: bins in a row with gravity far from that one, held ...
SEAT_HELD = 39  # 3: ... near this direction (where it went far)
# the tilt's size at its last peak and at the valley after it, while beyond
# Coefficients.floor_rad (kernels.filters._valley; accelerometer only, gravity's angle
# from its average)
PEAK = 42  # 1
VALLEY = 43  # 1
RAW_G = 44  # 3: the accelerometer's direction in the last bin, as measured (not held)
GAP_OWED = 47  # 1: gravity's rate less the gyroscope's held one in a gap's first bin
CALM_G = 48  # 3: gravity's direction in the last bin the thigh turned slowly (filters.integrate)
CALM_OWED = 51  # 1: the gyroscope's rotation about the axis since, in the tilt's slow part
OFF_SUM = 52  # 3: the rotation off the reference, summed with a decay (pocket.pitch_axes)
OFF_PATH = 55  # 1: its length, summed likewise
N_FLOAT = 56
# Counters and flags of State.n
BINS = 0  # bins seen
STILL = 1  # still bins seen
HAVE_LAST_ACC = 2  # 1 once State.last_acc holds a bin
HAVE_LAST_GYRO = 3
STILL_RUN = 4  # still bins in a row
SEAT_FAR = 5  # bins in a row with gravity far from the seated posture
SEAT_KNOWN = 6  # 1 once the seated posture is set
SHIFT_RUN = 7  # bins in a row with the tilt beyond Coefficients.posture_rad
BEYOND_RUN = 8  # bins in a row with the tilt beyond Coefficients.beyond_rad
GYRO_GAP = 9  # bins in a row without gyroscope samples (and with accelerometer ones)
LAST_GYRO_BIN = 10  # the absolute bin of State.last_gyro (a gap's start: kernels.binning)
CALM_RUN = 11  # bins in a row the thigh turned slowly (filters.MOVING_RATE)
N_COUNTERS = 12


class State(NamedTuple):
    f: FloatArray  # the scalars above
    n: IntArray  # the counters above
    # 3 × (still_part_bins · still_parts − 1): the raw gyroscope bins before the next one
    # (the stillness of a bin looks that far back)
    hist: FloatArray
    last_acc: FloatArray  # 6: the last accelerometer bin (raw, low-passed): empty bins hold it
    last_gyro: FloatArray  # 3: the same for the gyroscope
    lowpass: FloatArray  # 2×3: accelerometer only, the raw-rate low-pass's state


def new_state(coef: Coefficients) -> State:
    f = np.zeros(N_FLOAT)
    f[AXIS] = 1.0  # the first axis is compared with x
    f[SIGN] = 1.0
    span = coef.still_part_bins * coef.still_parts
    n = np.zeros(N_COUNTERS, np.int64)
    n[LAST_GYRO_BIN] = -(1 << 40)  # (no gyroscope bin yet: bins before the first are held)
    return State(
        f,
        n,
        np.zeros((3, span - 1)),
        np.zeros(6),
        np.zeros(3),
        np.zeros((2, 3)),
    )


# Bins are made and tracked in blocks: the steps whose bins are independent of each
# other (stillness, power steps) run as loops of their own over a block, the recursive
# filters bin by bin, and the block's scratch stays in the cache (hour-long temporaries
# cost more in page faults than in arithmetic).
BLOCK = 256
