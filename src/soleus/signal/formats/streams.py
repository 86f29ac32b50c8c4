"""Checks on the sensor streams a file family yields, and the sensor a file is named after."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from soleus.errors import SoleusError
from soleus.signal.recording import STANDARD_GRAVITY, FloatArray

NO_STREAMS = "no accelerometer or gyroscope columns"


def finite(v: FloatArray, most: int = 0) -> FloatArray:
    """The finite rows of ``v`` (every k-th row when ``most`` caps how many are needed)."""
    if most and v.shape[0] > most:
        v = v[:: -(-v.shape[0] // most)]
    return v[np.isfinite(v).all(axis=1)]


def check_acc(acc: FloatArray, where: str, unit: str = "m/s²") -> None:
    live = finite(acc, 50_000)
    if not live.size:
        return  # no numbers at all: the sample count check says so
    mag = float(np.median(np.linalg.norm(live, axis=1)))
    if not 0.5 * STANDARD_GRAVITY <= mag <= 1.6 * STANDARD_GRAVITY:
        hint = " (looks like g, not m/s²)" if 0.5 <= mag <= 1.6 else ""
        raise SoleusError(
            f"acceleration magnitude is {mag:.3g} {unit} at rest, expected about 9.81 m/s²"
            f"{hint}: wrong units, or acceleration without gravity",
            where=where,
        )


def check_gyro(gyro: FloatArray, where: str) -> None:
    live = finite(gyro, 50_000)
    if not live.size:
        return
    peak = float(np.percentile(np.abs(live), 99))
    if peak > 20.0:
        raise SoleusError(
            f"rotation rates up to {peak:.0f} rad/s: these look like degrees per second; "
            "the gyroscope must be in rad/s",
            where=where,
        )


def no_streams(where: str, found: list[str], hint: str = "") -> SoleusError:
    shown = ", ".join(found[:8]) or "none"
    return SoleusError(f"{NO_STREAMS} (found: {shown}){hint}", where=where)


def sensor_name(member: str) -> str:
    return Path(member).stem.lower().replace(" ", "").replace("_", "")
