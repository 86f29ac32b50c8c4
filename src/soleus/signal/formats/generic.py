"""The generic CSV: ``t`` (s), ``ax ay az`` (m/s², gravity included), optional ``gx gy gz``."""

from __future__ import annotations

from soleus.signal.formats.streams import check_acc, check_gyro
from soleus.signal.formats.table import Csv
from soleus.signal.recording import Recording, make_recording


def read_generic(f: Csv, where: str) -> Recording:
    gyro_cols = [c for c in ("gx", "gy", "gz") if c in f.header]
    tb = f.read(["t", "ax", "ay", "az", *(gyro_cols if len(gyro_cols) == 3 else [])])
    t, acc = tb.col("t"), tb.xyz(("ax", "ay", "az"))
    check_acc(acc, where)
    gyro = None
    if len(gyro_cols) == 3:
        gyro = tb.xyz(("gx", "gy", "gz"))
        check_gyro(gyro, where)
    return make_recording("generic", t, acc, None if gyro is None else t, gyro, tuple(tb.notes))
