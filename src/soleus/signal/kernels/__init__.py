"""The loops of :mod:`soleus.signal.orientation`, compiled with numba.

The physics, the constants and the reasons are orientation.py's; here are its steps
written out sample by sample and bin by bin, so that no step allocates an hour-long
temporary. Raw samples are binned and the bins tracked a block (BLOCK bins) at a time:
the block's samples are low-passed (accelerometer only) and averaged per bin, then
the bins pass through the gyroscope bias, the principal axis, its sign, the integrators
and the complementary filter. Every filter's state lives in :class:`State`, carried
from one ``feed`` to the next, so any chunking gives the same bins, bit for bit.

The arithmetic keeps the order of the numpy formulas it replaced (scipy's ``lfilter``
is the transposed direct form II: ``y = z + b₀x``, then ``z = b₁x − a₁y``), so results
agree with them to rounding. Kernels compile on their first call and are cached on
disk (``cache=True``), so later processes only load them.

One module per stage: ``binning`` (raw samples into bins), ``filters`` (the per-bin
steps), ``pocket`` (the pitch axis, kept through the phone turning in the pocket),
``track`` (the two drivers over blocks), on ``state`` (coefficients and the state
carried between feeds) and ``jit`` (how they are compiled and cached: one folder keyed
on the content of every compiled source, so an edit anywhere recompiles what it touches).
"""

from __future__ import annotations

from soleus.signal.kernels.state import Coefficients, State, new_state
from soleus.signal.kernels.track import track_acc, track_gyro

__all__ = ["Coefficients", "State", "new_state", "track_acc", "track_gyro"]
