"""Writing a recording the way the apps export it (the layouts soleus.signal.formats reads):
a generic CSV, phyphox (one CSV of export sets, or the zip with meta/), Sensor Logger
(zip or unpacked folder; Android's TotalAcceleration, or iOS's Accelerometer + Gravity
with iOS's opposite sign).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np
from bench.sim3.body import Arr
from bench.sim3.sensors import Stream

FORMATS_GYRO = ("generic", "phyphox_zip", "phyphox_csv", "sl_android", "sl_ios", "sl_folder")
FORMATS_ACC_ONLY = ("generic", "phyphox_zip", "phyphox_csv", "sl_android")
EPOCH_NS = 1_765_000_000_000_000_000  # a recording made in December 2025


def _rows(cols: list[Arr], fmt: str, sep: str = ",") -> str:
    data = np.column_stack(cols)
    line = sep.join([fmt] * data.shape[1])
    return "\n".join(line % tuple(r) for r in data.tolist()) + "\n"


def generic(acc: Stream, gyro: Stream | None) -> bytes:
    head = "t,ax,ay,az" + (",gx,gy,gz" if gyro is not None else "")
    cols = [acc.t, acc.v[:, 0], acc.v[:, 1], acc.v[:, 2]]
    if gyro is not None:
        cols += [gyro.v[:, 0], gyro.v[:, 1], gyro.v[:, 2]]
    return (head + "\n" + _rows(cols, "%.6f")).encode()


def _phyphox_set(s: Stream, names: tuple[str, str, str]) -> str:
    head = ",".join(f'"{h}"' for h in ("Time (s)", *names))
    return head + "\n" + _rows([s.t, s.v[:, 0], s.v[:, 1], s.v[:, 2]], "%.9E")


_ACC = ("Acceleration x (m/s^2)", "Acceleration y (m/s^2)", "Acceleration z (m/s^2)")
_GYR = ("Gyroscope x (rad/s)", "Gyroscope y (rad/s)", "Gyroscope z (rad/s)")


def phyphox_csv(acc: Stream, gyro: Stream | None) -> bytes:
    text = _phyphox_set(acc, _ACC)
    if gyro is not None:
        text += _phyphox_set(gyro, _GYR)
    return text.encode()


def _zip(members: dict[str, str]) -> bytes:
    """A zip of text members stamped with the recording's date (not today's: a seed
    gives the same bytes)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in members.items():
            info = zipfile.ZipInfo(name, date_time=(2025, 12, 6, 7, 33, 20))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text)
    return buf.getvalue()


def phyphox_zip(acc: Stream, gyro: Stream | None) -> bytes:
    members = {"Accelerometer.csv": _phyphox_set(acc, _ACC)}
    if gyro is not None:
        members["Gyroscope.csv"] = _phyphox_set(gyro, _GYR)
    members["meta/device.csv"] = (
        '"property","value"\n"deviceModel","Pixel 7"\n"deviceBrand","google"\n'
    )
    members["meta/time.csv"] = (
        '"event","experiment time","system time","system time text"\n'
        '"START",0.000000000E0,1.765000000000E9,"2025-12-06 07:33:20.000 UTC+00:00"\n'
    )
    return _zip(members)


def _sl_sensor(s: Stream, v: Arr) -> str:
    ns = EPOCH_NS + np.round(s.t * 1e9).astype(np.int64)
    head = "time,seconds_elapsed,z,y,x\n"
    body = "\n".join(
        f"{n},{e:.6f},{z:.6f},{y:.6f},{x:.6f}"
        for n, e, z, y, x in zip(
            ns.tolist(), s.t.tolist(), *(v[:, k].tolist() for k in (2, 1, 0)), strict=True
        )
    )
    return head + body + "\n"


def _sl_members(acc: Stream, gyro: Stream | None, ios: bool, gravity: Arr | None) -> dict[str, str]:
    platform = "ios" if ios else "android"
    meta = (
        "version,device name,recording epoch time,recording time,platform,appVersion,"
        "sampleRateMs,standardisation\n"
        f'3,"Phone, test",{EPOCH_NS // 1_000_000},2025-12-06_07-33-20,{platform},1.40.1,10,false\n'
    )
    out = {"Metadata.csv": meta}
    if ios:
        if gravity is None:
            raise ValueError("iOS's export needs gravity apart")
        # iOS reports the opposite sign on every axis; user acceleration without gravity
        out["Accelerometer.csv"] = _sl_sensor(acc, -(acc.v - gravity))
        out["Gravity.csv"] = _sl_sensor(acc, -gravity)
    else:
        out["TotalAcceleration.csv"] = _sl_sensor(acc, acc.v)
    if gyro is not None:
        out["Gyroscope.csv"] = _sl_sensor(gyro, gyro.v)
    return out


def write(
    path: Path, fmt: str, acc: Stream, gyro: Stream | None, gravity: Arr | None = None
) -> Path:
    """Write the recording under ``path`` (no suffix) in ``fmt``; the file or folder."""
    if fmt == "generic":
        out = path.with_suffix(".csv")
        out.write_bytes(generic(acc, gyro))
    elif fmt == "phyphox_csv":
        out = path.with_suffix(".csv")
        out.write_bytes(phyphox_csv(acc, gyro))
    elif fmt == "phyphox_zip":
        out = path.with_suffix(".zip")
        out.write_bytes(phyphox_zip(acc, gyro))
    elif fmt in ("sl_android", "sl_ios"):
        out = path.with_suffix(".zip")
        out.write_bytes(_zip(_sl_members(acc, gyro, fmt == "sl_ios", gravity)))
    elif fmt == "sl_folder":
        out = path
        out.mkdir(parents=True, exist_ok=True)
        for name, text in _sl_members(acc, gyro, False, None).items():
            (out / name).write_text(text)
    else:
        raise ValueError(f"unknown format {fmt}")
    return out
