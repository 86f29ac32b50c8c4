"""Sensor Logger exports: one CSV per sensor (zip, folder or a single file), the JSON
export, or a saved HTTP push message.
"""

from __future__ import annotations

import io

import numpy as np

from soleus.errors import SoleusError
from soleus.signal.formats.recognise import unknown_format
from soleus.signal.formats.streams import check_acc, check_gyro, finite, no_streams
from soleus.signal.formats.table import Csv, decode
from soleus.signal.recording import STANDARD_GRAVITY, FloatArray, Recording, make_recording

_XYZ = ("x", "y", "z")
SL_SENSORS = (
    "totalacceleration",
    "accelerometer",
    "gravity",
    "gyroscope",
    "accelerometeruncalibrated",
    "gyroscopeuncalibrated",
)


def _sl_read(f: Csv) -> tuple[FloatArray, FloatArray]:
    missing = [c for c in _XYZ if c not in f.header]
    if missing:
        raise SoleusError(f"missing column {missing[0]!r}", where=f.name)
    tcol = "time" if "time" in f.header else "seconds_elapsed"
    tb = f.read([tcol, *_XYZ])
    t = tb.col(tcol) / 1e9 if tcol == "time" else tb.col(tcol)
    return t, tb.xyz(_XYZ)


def metadata(raw: bytes) -> tuple[str | None, bool]:
    """(platform, standardised) from Sensor Logger's Metadata.csv, by column name (a
    quoted device name may hold commas)."""
    import csv

    rows = [r for r in csv.reader(io.StringIO(decode(raw))) if any(c.strip() for c in r)]
    if len(rows) < 2:
        return None, False
    meta = {h.strip().lower(): v.strip().lower() for h, v in zip(rows[0], rows[1], strict=False)}
    platform = meta.get("platform")
    platform = platform if platform in ("ios", "android") else None
    return platform, meta.get("standardisation") == "true"


def read_sensorlogger(
    files: dict[str, Csv], platform: str | None, standardised: bool, where: str
) -> Recording:
    streams = {k: _sl_read(f) for k, f in files.items()}
    notes = [n for f in files.values() for n in f.notes]
    return _sl_recording(streams, notes, platform, standardised, where)


Stream = tuple[FloatArray, FloatArray]


def read_json(raw: bytes, name: str) -> Recording:
    """Sensor Logger's JSON export: one array of records ``{"sensor": "Gyroscope",
    "time": "<ns>", "seconds_elapsed": "...", "z": "...", "y": "...", "x": "..."}``
    (numbers as strings), grouped by sensor. A saved HTTP push message
    (``{"payload": [{"name": ..., "time": ..., "values": {...}}]}``) reads the same."""
    import json

    try:
        records = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise SoleusError("not valid JSON (cut off during download?)", where=name) from None
    if isinstance(records, dict):
        records = records.get("payload")
    if not isinstance(records, list):
        raise SoleusError(unknown_format(raw, name), where=name)
    rows: dict[str, list[tuple[float, ...]]] = {}
    platform: str | None = None
    standardised = False
    ref: int | None = None
    for k, r in enumerate(records):
        if not isinstance(r, dict):
            continue
        sensor = str(r.get("sensor") or r.get("name") or "").lower().replace(" ", "")
        if sensor == "metadata":
            platform = str(r.get("platform", "")).lower() or None
            standardised = str(r.get("standardisation", "")).lower() == "true"
        if sensor not in SL_SENSORS:
            continue
        values = r.get("values")
        v: dict[str, object] = values if isinstance(values, dict) else r
        try:
            if "time" in r:  # integer nanoseconds: exact relative to the first record
                ns = int(str(r["time"]))
                ref = ns if ref is None else ref
                t = (ns - ref) / 1e9
            else:
                t = float(str(r["seconds_elapsed"]))
            xyz = tuple(float(str(v[c])) for c in _XYZ)
            rows.setdefault(sensor, []).append((t, *xyz))
        except (KeyError, TypeError, ValueError):
            raise SoleusError(
                f"record {k + 1} ({sensor}) without a time and x, y, z numbers", where=name
            ) from None
    streams: dict[str, Stream] = {}
    for sensor, found in rows.items():
        a = np.array(found, dtype=np.float64)
        streams[sensor] = (a[:, 0], a[:, 1:])
    if not streams:
        names = sorted(
            {str(r.get("sensor") or r.get("name")) for r in records if isinstance(r, dict)}
        )
        raise no_streams(name, names)
    return _sl_recording(
        streams, [], platform if platform in ("ios", "android") else None, standardised, name
    )


def _sl_recording(
    streams: dict[str, Stream],
    notes: list[str],
    platform: str | None,
    standardised: bool,
    where: str,
) -> Recording:
    flip = -1.0 if platform == "ios" and not standardised else 1.0
    t_acc = acc = t_gyro = gyro = None
    if "totalacceleration" in streams:
        t_acc, acc = streams["totalacceleration"]
    elif "accelerometer" in streams and "gravity" in streams:
        (ta, a), (tg, g) = streams["accelerometer"], streams["gravity"]
        gv = np.stack([np.interp(ta, tg, g[:, i]) for i in range(3)], axis=1)
        t_acc, acc = ta, flip * (a + gv)  # iOS reports the opposite sign on every axis
    elif "accelerometeruncalibrated" in streams:
        t_acc, acc = streams["accelerometeruncalibrated"]
        live = finite(acc)
        if live.size and float(np.median(np.linalg.norm(live, axis=1))) < 2.0:
            acc = acc * STANDARD_GRAVITY  # iOS writes the uncalibrated accelerometer in g
            notes.append("acceleration from AccelerometerUncalibrated, in g")
        acc = flip * acc
    elif "gravity" in streams:
        t_acc, acc = streams["gravity"]
        acc = flip * acc
        notes.append("tilt from the Gravity sensor (no total acceleration)")
    if "gyroscope" in streams:
        t_gyro, gyro = streams["gyroscope"]
    elif "gyroscopeuncalibrated" in streams:
        t_gyro, gyro = streams["gyroscopeuncalibrated"]
    if acc is None and gyro is None:
        hint = (
            "; Accelerometer.csv alone has no gravity: add Gravity.csv, or use "
            "TotalAcceleration.csv or Gyroscope.csv"
            if "accelerometer" in streams
            else ""
        )
        raise no_streams(where, sorted(streams) or ["no sensor files"], hint)
    if acc is not None:
        check_acc(acc, where)
    if gyro is not None:
        check_gyro(gyro, where)
    return make_recording("sensorlogger", t_acc, acc, t_gyro, gyro, tuple(notes))
