"""Rises with the legs crossed: the dangling foot's swing, not heel raises.

An SPU is done seated with both feet on the floor. With the legs crossed the upper
thigh is lifted and turned in (20–40° from the seated posture: gravity's direction in
the phone's frame with both feet down, :data:`soleus.signal.orientation.SEAT_NEAR_DEG`),
its foot cannot push on the floor, and what rocks it is the lower leg swinging from the
knee. :mod:`soleus.signal.detect` asks :func:`swinging` of each rise before a run is
confirmed (a confirmed run goes on wherever the seat is believed to be: the phone may
have turned in the pocket, which the seated posture does not always follow).

The tracker gives two seated postures (kernels.pocket.seated_posture): one turned
with what looked like the phone turning in the pocket, one never turned. Crossing the
legs is a large rotation mostly off the thigh's axis, as a turn of the phone is: the
first may follow it (and not quite follow it back when the legs are uncrossed), the
second does not; gravity back at the never-turned posture is the thigh back on the
seat, the phone as it was. The swing is judged on the never-turned one.
"""

from __future__ import annotations

import bisect

import numpy as np

from soleus.signal.orientation import SEAT_NEAR_DEG
from soleus.signal.recording import FloatArray
from soleus.signal.rhythm import Rep, cycle

# Far off the seat (turned with the phone) a run starts only with rises of at least
# this much: the dangling foot's swing rocks the thigh by a degree or two. (Real reps
# that far off are the phone turned in the pocket about the thigh's axis, which a
# gyroscope cannot tell from pitch: far off the never-turned seat too since the middle
# of a set, or with reps counted since, the thigh is seated, as below.)
OFF_SEAT_MIN_TILT_DEG = 2.0
# ... and not at a swinging foot's pace, whatever their height, far off the never-turned
# seat: a lower leg hanging from the knee is a pendulum (~0.45 m: a period of about a
# second, 0.7–1.3 s free or driven), and a foot swung hard rocks the thigh more than a
# couple of degrees (more still as an accelerometer alone sees it: the pocket is shaken
# sideways). A rise within SWING_CYCLE_S of the one before (any rise: the swing's other
# half may not be one) starts no run there. Sets are slower (15–40 a minute: 1.5 s or
# more). Far from the seat since the middle of a set, or with reps counted since, the
# thigh is seated after all (the phone turned in the pocket: a quick bout after a set
# with a turn in it counts). A quick bout begun right after a turn of the phone between
# sets is the price.
SWING_CYCLE_S = 1.3
# A change of posture within this many of a set's cycles after its last counted rep is
# one in the middle of the set (the next rep was due, and may have been lost in the turn).
IN_SET_CYCLES = 1.5
_SEAT_COS = float(np.cos(np.radians(SEAT_NEAR_DEG)))


class Seat:
    """When the thigh last went far from the never-turned seat, kept as the tracker's
    bins come (the detector's history is cut to a minute; this is not, so a file gives
    the same whole or in pieces)."""

    def __init__(self) -> None:
        self._far = False  # the last bin's
        self._went: list[float] = []  # times of the first far bin after a near one

    def feed(self, times: FloatArray, posture: FloatArray) -> None:
        """Take new bins: their times and cosines from the two seated postures (n×2)."""
        if not times.size:
            return
        far = posture[:, 1] < _SEAT_COS
        went = np.flatnonzero(far[1:] & ~far[:-1]) + 1
        if far[0] and not self._far:
            went = np.append(0, went)
        self._went.extend(times[went].tolist())
        self._far = bool(far[-1])

    def went_far(self, at_s: float) -> float | None:
        """When the thigh last went far before ``at_s`` (None: far since the start)."""
        k = bisect.bisect_right(self._went, at_s)
        return self._went[k - 1] if k else None


def swinging(
    times: FloatArray,
    posture: FloatArray,
    start_s: float,
    amplitude_deg: float,
    since_s: float,
    seat: Seat,
    reps: list[Rep],
    making: list[Rep] | None = None,
) -> bool:
    """Is a rise starting at ``start_s`` one a dangling foot makes: far from the seated
    posture, and small (turned seat), or at a pendulum's pace (``since_s`` after the last
    rise; never-turned seat)? (``posture``: per bin at ``times``, the cosines of
    gravity's angle from the two seated postures, n×2: turned with the phone, never
    turned; ``seat``: when it went far; ``reps``: those counted; ``making``: the run in
    the making, not counted yet.)"""
    small, quick = amplitude_deg < OFF_SEAT_MIN_TILT_DEG, since_s < SWING_CYCLE_S
    if not (small or quick):
        return False  # (most rises: the posture is not looked up)
    i = int(np.searchsorted(times, start_s))
    if i >= posture.shape[0]:
        return False
    if small and posture[i, 0] < _SEAT_COS:
        # (unless gravity left the never-turned seat too, in the middle of a set: the
        # phone turned in the pocket, mostly about the thigh's axis, which no rate tells
        # from pitch, so the turned seat did not follow)
        if posture[i, 1] >= _SEAT_COS:
            return True
        went = seat.went_far(start_s)
        return went is None or not _moved_in_a_set(went, reps, making or [])
    if not (quick and posture[i, 1] < _SEAT_COS):
        return False
    went = seat.went_far(start_s)
    return went is None or not _moved_in_a_set(went, reps, making or [])


def _moved_in_a_set(went: float, reps: list[Rep], making: list[Rep]) -> bool:
    """Did the thigh get far from its seat (at ``went``) in the middle of a set, or were
    reps counted since? Reps are done seated: then it was the phone that turned in the
    pocket, and the new posture is the seat. The middle of a set may be that of a run in
    the making (``making``): heel raises alike in height, axis and rhythm, not counted
    yet (its first rep under the height a run starts with, a slow set's second cycle
    still to come); a rep of it after ``went`` is no proof (a swing as high as a rep may
    have started it), its reps before are."""
    if reps and reps[-1].start_s > went:
        return True
    before = [r for r in [*reps[-8:], *making] if r.end_s <= went]
    if len(before) < 2:
        return False
    return went - before[-1].end_s <= IN_SET_CYCLES * cycle(before[-3:])
