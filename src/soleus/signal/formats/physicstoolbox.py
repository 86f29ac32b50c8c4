"""Physics Toolbox Sensor Suite exports: comment lines, wall-clock times, held values."""

from __future__ import annotations

import numpy as np

from soleus.errors import SoleusError
from soleus.signal.formats.streams import check_acc, check_gyro, no_streams
from soleus.signal.formats.table import Csv
from soleus.signal.recording import (
    MIN_SAMPLES,
    STANDARD_GRAVITY,
    FloatArray,
    Recording,
    make_recording,
)

_PTB_G = ("gFx", "gFy", "gFz")
_PTB_W = ("wx", "wy", "wz")
_PTB_LIN = ("ax", "ay", "az")


def _any3(b: np.ndarray) -> np.ndarray:
    """Row-wise any of an n×3 boolean array (faster than ``any(axis=1)`` on 3 columns)."""
    out: np.ndarray = b[:, 0] | b[:, 1]
    out |= b[:, 2]
    return out


def _held(t: FloatArray, v: FloatArray) -> tuple[FloatArray, FloatArray]:
    """A multi-sensor file repeats each sensor's last value until its next update:
    keep only the rows where it changed (when most rows are repeats)."""
    if v.shape[0] < 3:
        return t, v
    changed = np.concatenate(([True], _any3(v[1:] != v[:-1])))
    if changed.mean() > 0.7 or changed.sum() < max(MIN_SAMPLES, 0.02 * v.shape[0]):
        return t, v  # a live stream, or a constant one (nothing to tell updates by)
    return t[changed], v[changed]


def read_physicstoolbox(f: Csv, where: str) -> Recording:
    names = {f.base(c): c for c in f.header}
    has = {k: all(c in names for c in cols) for k, cols in (("g", _PTB_G), ("w", _PTB_W))}
    want = [names[c] for k, cols in (("g", _PTB_G), ("w", _PTB_W)) if has[k] for c in cols]
    if not has["g"] and not has["w"]:
        if all(c in names for c in _PTB_LIN):
            raise SoleusError(
                "Physics Toolbox 'Linear Accelerometer' (ax, ay, az) has no gravity, so it "
                "cannot show the thigh's tilt: record with the g-Force Meter (gFx, gFy, gFz) "
                "or the Gyroscope (wx, wy, wz)",
                where=where,
            )
        raise no_streams(where, [c for c in f.header if c != names.get("time")])
    tb = f.read([names["time"], *want], clock=names["time"])
    t = tb.col(names["time"])
    # wall-clock times wrap at midnight
    wraps = np.cumsum(np.concatenate(([0.0], np.diff(t) < -43200.0))) * 86400.0
    t = t + wraps
    t_acc = acc = t_gyro = gyro = None
    notes = list(tb.notes)
    if not has["g"] and all(c in names for c in _PTB_LIN):
        notes.append(
            "linear acceleration (ax, ay, az) has no gravity: the gyroscope alone was used"
        )
    if has["g"]:
        g = tb.xyz(tuple(names[c] for c in _PTB_G))
        live = _any3(g != 0.0)  # rows before the sensor started are zeros
        t_acc, acc = _held(t[live], g[live] * STANDARD_GRAVITY)
        check_acc(acc, where, unit="m/s² (from g)")
    if has["w"]:
        w = tb.xyz(tuple(names[c] for c in _PTB_W))
        live = _any3(w != 0.0)
        if int(live.sum()) >= MIN_SAMPLES:
            first = int(np.argmax(live))
            t_gyro, gyro = _held(t[first:], w[first:])
            check_gyro(gyro, where)
        elif acc is None:
            t_gyro, gyro = t, w
    return make_recording("physicstoolbox", t_acc, acc, t_gyro, gyro, tuple(notes))
