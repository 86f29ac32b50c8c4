"""A bouncing knee: the heel jiggled up and down 3-7 times a second (nervous habit).

Each bounce is a small rise of the thigh, and the candidate scan (soleus.signal.
candidates) sees some of them as heel raises, every second or third where the phone's
samples are sparse (50 Hz): spaced out like that, three of them can fall into a set's
rhythm. :mod:`soleus.signal.detect` asks :func:`bouncing` of each rise before a run is
confirmed: a run starts with none of a bouncing knee's rises.
"""

from __future__ import annotations

# Three rises within this long (this one and the two before it, of any kind: what the
# scan took for a rep or not) are a knee bouncing at 3-7 Hz: heel raises are never so
# quick (a quick bout's three tops take 1.2 s at 100 a minute) ...
BOUNCING_S = 1.0
# ... if they are alike: heights within this ratio (a big rep's heel landing makes a
# small rise just after a tall one, which is no bouncing).
HEIGHT_RATIO = 3.0


def bouncing(rises: list[tuple[float, float]]) -> bool:
    """Are the last three rises, (top in s, height in °) oldest first, a bouncing knee's?"""
    if len(rises) < 3 or rises[-1][0] - rises[-3][0] >= BOUNCING_S:
        return False
    heights = [h for _, h in rises[-3:]]
    return max(heights) <= HEIGHT_RATIO * min(heights)
