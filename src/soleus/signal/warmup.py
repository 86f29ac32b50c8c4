"""Compile the detector's numba kernels ahead of first use: ``python -m soleus.signal.warmup``.

numba compiles on the first call and caches the machine code on disk; the first
analysis on a new install would otherwise spend ~20 s compiling. ``make setup`` runs
this once, on a tiny simulated recording, in every sensor mode the tracker has.
"""

from __future__ import annotations

import sys
import time

from soleus.signal.detect import detect
from soleus.signal.recording import Recording
from soleus.signal.simulate import RepSet, Rest, Sensors, simulate


def main() -> None:
    start = time.perf_counter()
    print("soleus: compiling the rep detector (once)…", file=sys.stderr, flush=True)
    rec = simulate([Rest(3.0), RepSet(reps=4), Rest(3.0)], Sensors(), seed=0).recording
    for mode in (
        rec,
        Recording(rec.format, rec.t_acc, rec.acc, None, None),
        Recording(rec.format, None, None, rec.t_gyro, rec.gyro),
    ):
        detect(mode)
    print(f"soleus: done in {time.perf_counter() - start:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
