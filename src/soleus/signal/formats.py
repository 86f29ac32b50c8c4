"""Read the recordings that phone apps export; the only module in ``signal`` with I/O.

The format is recognised from the content (zip member names, CSV header), never from
the file name alone, and columns are found by their *name*, never their position. The
layouts below were checked against the apps' own export code and real exported files
(see ``tests/fixtures/recordings/README.md``):

- **phyphox** (``"Time (s)"``, then ``"Acceleration x (m/s^2)"`` … in the Android
  experiments, or ``"X (m/s^2)"`` / ``"X (rad/s)"`` in the iOS app's per-sensor files):
  one CSV (several export sets one after the other, each with its header), the
  exported zip (one CSV per export set, e.g. ``Accelerometer.csv``,
  ``Linear Accelerometer.csv``, ``Gyroscope.csv``, plus ``meta/device.csv`` and
  ``meta/time.csv``), or the Excel workbook (the app's default export; one sheet per
  set, read with the standard library). Comma, tab or semicolon separated, decimal
  point or decimal comma; quoted header; short columns padded with ``NaN``.
- **Sensor Logger** (one CSV per sensor: ``time`` ns since the epoch,
  ``seconds_elapsed``, ``z``, ``y``, ``x``): the zip, or a single sensor CSV named after
  its sensor. ``TotalAcceleration`` (Android) is used as is; otherwise
  ``Accelerometer`` + ``Gravity`` (iOS, or Android without the total), with iOS's
  opposite sign when ``Metadata.csv`` says ``platform`` is iOS and ``standardisation``
  is off. ``AccelerometerUncalibrated`` (g on iOS) and ``GyroscopeUncalibrated`` are
  fallbacks. Extra columns (human-readable times) are ignored. The JSON export (one
  array of records with a ``sensor`` name, numbers as strings) and a saved HTTP push
  message read the same way.
- **Physics Toolbox Sensor Suite** (``time``, ``gFx gFy gFz`` in g, ``wx wy wz`` in
  rad/s, ``ax ay az`` linear acceleration in m/s²; names may carry a unit, ``ax (m/s^2)``):
  ``#`` comment lines and blank lines before the header, wall-clock times
  (``HH:MM:SS:mmm``, across midnight; ``YYYY-MM-DD HH:MM:SS.ffff`` on iOS) or seconds,
  semicolons with decimal commas, Unicode minus signs, a trailing separator, multi-sensor
  files where each sensor's value is held between its updates, and zero rows before a
  sensor starts.
- **generic CSV**: ``t`` (s), ``ax ay az`` (m/s², gravity included), optional
  ``gx gy gz`` (rad/s).

An export unpacked into a folder is read like its zip (:func:`load`).
"""

from __future__ import annotations

import contextlib
import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from soleus.errors import SoleusError
from soleus.signal.recording import (
    MIN_SAMPLES,
    STANDARD_GRAVITY,
    FloatArray,
    Recording,
    make_recording,
)

FORMATS = ("phyphox", "sensorlogger", "physicstoolbox", "generic")
MAX_BYTES = 2_000_000_000
NO_STREAMS = "no accelerometer or gyroscope columns"


# -- CSV ------------------------------------------------------------------------------


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _check_text(raw: bytes, name: str) -> None:
    if b"\x00" in raw[:4096]:
        raise SoleusError("binary data, not a CSV or zip recording", where=name)


def _split_header(line: str) -> tuple[list[str], str]:
    counts = {d: line.count(d) for d in (",", ";", "\t")}
    delim = max(counts, key=lambda d: counts[d])
    if counts[delim] == 0:
        raise SoleusError("no columns in the first line")
    return [h.strip().strip('"').strip() for h in line.split(delim)], delim


def _header_line(raw: bytes) -> tuple[int, int, int]:
    """(line number, start, end) of the header: the first line that is neither blank
    nor a ``#`` comment (Physics Toolbox writes both before its header)."""
    pos, line = 0, 1
    if raw.startswith(b"\xef\xbb\xbf"):
        pos = 3
    while pos < len(raw):
        end = raw.find(b"\n", pos)
        end = len(raw) if end < 0 else end
        text = raw[pos:end].strip()
        if text and not text.startswith(b"#"):
            return line, pos, end
        pos, line = end + 1, line + 1
    return line, len(raw), len(raw)


_UNIT = re.compile(r"\s*[(\[].*[)\]]\s*$")


def _base(col: str) -> str:
    return _UNIT.sub("", col)


class Csv:
    """A CSV split into its header and the bytes of its data rows (not yet parsed)."""

    def __init__(self, raw: bytes, name: str) -> None:
        _check_text(raw, name)
        self.name = name
        self.notes: list[str] = []
        line, start, end = _header_line(raw)
        if start >= len(raw):
            raise SoleusError("the file is empty", where=name)
        try:
            header, delim = _split_header(_decode(raw[start:end]).rstrip("\r"))
        except SoleusError as e:
            raise SoleusError(e.message, where=f"{name}:{line}") from None
        while header and not header[-1]:  # a trailing separator names no column
            header.pop()
        self.header = header
        self.delim = delim
        self.first_line = line + 1
        body = raw[end + 1 :]
        if b"\r" in body:
            body = body.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        body = body.rstrip()
        d = delim.encode()
        last = body[body.rfind(b"\n") + 1 :]
        if last and last.count(d) < len(header) - 1:
            body = body[: max(body.rfind(b"\n"), 0)].rstrip()
            self.notes.append("the last line was incomplete (file cut off?) and was skipped")
        if not body:
            raise SoleusError("a header but no data rows", where=name)
        self.body = body

    def base(self, col: str) -> str:
        """A column name without its unit: ``ax (m/s^2)`` -> ``ax``."""
        return _base(col)

    def read(self, columns: list[str], *, clock: str | None = None) -> Table:
        """Parse the named columns into floats (numpy's C parser; others are skipped).

        ``clock`` names a time column that may hold wall-clock times rather than seconds.
        """
        idx = [self.header.index(c) for c in columns]
        body = self._normalised()
        times: FloatArray | None = None
        if clock is not None:
            times = self._clock_times(body, self.header.index(clock))
            if times is not None:
                idx = [i for i in idx if i != self.header.index(clock)]
        data = self._floats(body, idx)
        cols = {self.header[i]: np.ascontiguousarray(data[:, k]) for k, i in enumerate(idx)}
        if times is not None and clock is not None:
            if times.size != data.shape[0]:
                raise SoleusError("the time column and the values have different row counts")
            cols[clock] = times
        return Table(self.name, cols, self.notes)

    def _normalised(self) -> bytes:
        body = self.body
        if b"\xe2" in body and b"\xe2\x88\x92" in body:  # Unicode minus sign (Physics Toolbox)
            body = body.replace(b"\xe2\x88\x92", b"-")
        if b"\xe2" in body and b"\xe2\x88\x9e" in body:  # infinity sign
            body = body.replace(b"\xe2\x88\x9e", b"inf")
        d = self.delim.encode()
        if self.delim != "," and b"," in body:  # decimal comma
            body = body.replace(b",", b".")
        if body.endswith(d) and body[: body.find(b"\n") if b"\n" in body else None].endswith(d):
            body = body.replace(d + b"\n", b"\n")[: -len(d)]  # trailing separators
        return body

    def _floats(self, body: bytes, idx: list[int]) -> FloatArray:
        try:
            data = np.loadtxt(
                io.BytesIO(body),
                delimiter=self.delim,
                usecols=idx,
                ndmin=2,
                dtype=np.float64,
                quotechar='"',
                encoding="latin-1",
            )
        except ValueError:
            data = self._slow(body, idx)
        return np.asarray(data, dtype=np.float64).reshape(-1, len(idx))

    def _slow(self, body: bytes, idx: list[int]) -> FloatArray:
        """Find the first bad line and say where it is (or read blanks as NaN)."""
        lines = body.decode("latin-1").split("\n")
        out = np.full((len(lines), len(idx)), np.nan)
        ncol = len(self.header)
        row = 0
        for n, ln in enumerate(lines):
            if not ln.strip():
                continue
            parts = ln.split(self.delim)
            where = f"{self.name}:{self.first_line + n}"
            if len(parts) <= max(idx):  # short rows are fine while the needed values are there
                raise SoleusError(f"{len(parts)} values, expected {ncol}", where=where)
            for k, j in enumerate(idx):
                p = parts[j].strip().strip('"')
                if not p:
                    continue
                try:
                    out[row, k] = float(p)
                except ValueError:
                    raise SoleusError(f"not a number: {p[:30]!r}", where=where) from None
            row += 1
        return out[:row]

    def _clock_times(self, body: bytes, col: int) -> FloatArray | None:
        """Seconds from a wall-clock time column, or None when it holds plain seconds."""
        first = body[: body.find(b"\n")] if b"\n" in body else body
        field = first.decode("latin-1").split(self.delim)[col].strip().strip('"')
        if _CLOCK.match(field) is None:
            return None
        if col == 0 and _FIXED_CLOCK.match(field):
            fast = _fixed_clock(body, self.delim.encode())
            if fast is not None:
                return fast
        times = []
        for n, ln in enumerate(body.decode("latin-1").split("\n")):
            if not ln.strip():
                continue
            text = ln.split(self.delim)[col].strip().strip('"')
            try:
                times.append(_clock_seconds(text))
            except ValueError:
                raise SoleusError(
                    f"cannot read the time {text[:30]!r}",
                    where=f"{self.name}:{self.first_line + n}",
                ) from None
        return np.array(times, dtype=np.float64)


_FIXED_CLOCK = re.compile(r"^\d\d:\d\d:\d\d:\d\d\d$")
_CLOCK = re.compile(r"^(?:\d{4}-\d\d-\d\d[ T])?(\d{1,2}):(\d\d):(\d\d)(?:[:.,](\d+))?$")


_CLOCK_LO = np.frombuffer(b"00:00:00:000", dtype=np.uint8)
_CLOCK_HI = np.frombuffer(b"99:59:59:999", dtype=np.uint8)


def _fixed_clock(body: bytes, delim: bytes) -> FloatArray | None:
    """``HH:MM:SS:mmm`` at the start of every line, read from the raw bytes at once.

    Physics Toolbox writes this fixed-width clock; every line is checked (digits and
    colons where they belong, the separator right after), and anything else returns
    None for the row-by-row parser.
    """
    a = np.frombuffer(body, dtype=np.uint8)
    starts = np.flatnonzero(a == 10)
    starts += 1
    starts = np.concatenate(([0], starts))
    if starts[-1] + 13 > a.size:
        return None
    f = a[starts[:, None] + np.arange(12)]
    if not (
        np.all(a[starts + 12] == delim[0]) and np.all(f >= _CLOCK_LO) and np.all(f <= _CLOCK_HI)
    ):
        return None
    d = f.astype(np.int32)  # digit by digit, no matrix product: BLAS threads cost more
    d -= 48
    ms = (d[:, 0] * 10 + d[:, 1]) * 3_600_000
    ms += (d[:, 3] * 10 + d[:, 4]) * 60_000
    ms += (d[:, 6] * 10 + d[:, 7]) * 1000
    ms += d[:, 9] * 100 + d[:, 10] * 10 + d[:, 11]
    return np.asarray(ms / 1000.0, dtype=np.float64)


def _clock_seconds(text: str) -> float:
    m = _CLOCK.match(text)
    if m is None:
        return float(text.replace(",", "."))
    h, mi, s, frac = m.groups()
    sub = float(f"0.{frac}") if frac else 0.0
    return int(h) * 3600 + int(mi) * 60 + int(s) + sub


class Table:
    """Parsed float columns of one CSV, by name."""

    def __init__(self, name: str, cols: dict[str, FloatArray], notes: list[str]) -> None:
        self.name = name
        self.cols = cols
        self.notes = list(notes)

    def has(self, col: str) -> bool:
        return col in self.cols

    def col(self, col: str) -> FloatArray:
        if col not in self.cols:
            raise SoleusError(f"missing column {col!r}", where=self.name)
        return self.cols[col]

    def xyz(self, names: tuple[str, ...]) -> FloatArray:
        return np.stack([self.col(c) for c in names], axis=1)


# -- checks -----------------------------------------------------------------------------


def _finite(v: FloatArray, most: int = 0) -> FloatArray:
    """The finite rows of ``v`` (every k-th row when ``most`` caps how many are needed)."""
    if most and v.shape[0] > most:
        v = v[:: -(-v.shape[0] // most)]
    return v[np.isfinite(v).all(axis=1)]


def _check_acc(acc: FloatArray, where: str, unit: str = "m/s²") -> None:
    live = _finite(acc, 50_000)
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


def _check_gyro(gyro: FloatArray, where: str) -> None:
    live = _finite(gyro, 50_000)
    if not live.size:
        return
    peak = float(np.percentile(np.abs(live), 99))
    if peak > 20.0:
        raise SoleusError(
            f"rotation rates up to {peak:.0f} rad/s: these look like degrees per second; "
            "the gyroscope must be in rad/s",
            where=where,
        )


def _no_streams(where: str, found: list[str], hint: str = "") -> SoleusError:
    shown = ", ".join(found[:8]) or "none"
    return SoleusError(f"{NO_STREAMS} (found: {shown}){hint}", where=where)


# -- phyphox ----------------------------------------------------------------------------

_PHYPHOX_ACC = tuple(f"Acceleration {a} (m/s^2)" for a in "xyz")
_PHYPHOX_LIN = tuple(f"Linear Acceleration {a} (m/s^2)" for a in "xyz")
_PHYPHOX_GYR = tuple(f"Gyroscope {a} (rad/s)" for a in "xyz")
_PHYPHOX_XYZ_MS2 = tuple(f"{a} (m/s^2)" for a in "XYZ")  # the iOS app's per-sensor files
_PHYPHOX_XYZ_RADS = tuple(f"{a} (rad/s)" for a in "XYZ")
_LINEAR_NAMES = ("linearaccelerometer", "linearacceleration", "accelerationwithoutg")


def _phyphox(files: list[Csv], where: str) -> Recording:
    t_acc = acc = t_gyro = gyro = None
    linear_only = False
    notes: list[str] = []
    found: list[str] = []
    for f in files:
        h = set(f.header)
        found += [c for c in f.header if c != "Time (s)"]
        sensor = _sensor_name(f.name)
        linear = any(n in sensor for n in _LINEAR_NAMES)
        acc_cols: tuple[str, ...] | None = None
        if set(_PHYPHOX_ACC) <= h:
            acc_cols = _PHYPHOX_ACC
        elif set(_PHYPHOX_XYZ_MS2) <= h and not linear:
            acc_cols = _PHYPHOX_XYZ_MS2
        elif set(_PHYPHOX_LIN) <= h or set(_PHYPHOX_XYZ_MS2) <= h:
            linear_only = True
        gyr_cols = next((c for c in (_PHYPHOX_GYR, _PHYPHOX_XYZ_RADS) if set(c) <= h), None)
        if acc_cols is None and gyr_cols is None:
            continue
        tb = f.read(["Time (s)", *(acc_cols or ()), *(gyr_cols or ())])
        notes += tb.notes
        if acc_cols is not None and acc is None:
            t_acc, acc = tb.col("Time (s)"), tb.xyz(acc_cols)
        if gyr_cols is not None and gyro is None:
            t_gyro, gyro = tb.col("Time (s)"), tb.xyz(gyr_cols)
    if acc is None and gyro is None:
        if linear_only:
            raise SoleusError(
                "phyphox 'Acceleration without g' (linear acceleration) cannot show the "
                "thigh's tilt: record with 'Acceleration (with g)' or the gyroscope",
                where=where,
            )
        raise _no_streams(where, found)
    if acc is not None:
        _check_acc(acc, where)
    if gyro is not None:
        _check_gyro(gyro, where)
    return make_recording("phyphox", t_acc, acc, t_gyro, gyro, tuple(notes))


# -- Sensor Logger ----------------------------------------------------------------------

_XYZ = ("x", "y", "z")
_SL_SENSORS = (
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


def _metadata(raw: bytes) -> tuple[str | None, bool]:
    """(platform, standardised) from Sensor Logger's Metadata.csv, by column name (a
    quoted device name may hold commas)."""
    import csv

    rows = [r for r in csv.reader(io.StringIO(_decode(raw))) if any(c.strip() for c in r)]
    if len(rows) < 2:
        return None, False
    meta = {h.strip().lower(): v.strip().lower() for h, v in zip(rows[0], rows[1], strict=False)}
    platform = meta.get("platform")
    platform = platform if platform in ("ios", "android") else None
    return platform, meta.get("standardisation") == "true"


def _sensorlogger(
    files: dict[str, Csv], platform: str | None, standardised: bool, where: str
) -> Recording:
    streams = {k: _sl_read(f) for k, f in files.items()}
    notes = [n for f in files.values() for n in f.notes]
    return _sl_recording(streams, notes, platform, standardised, where)


Stream = tuple[FloatArray, FloatArray]


def _sl_json(raw: bytes, name: str) -> Recording:
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
        raise SoleusError(_unknown(raw, name), where=name)
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
        if sensor not in _SL_SENSORS:
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
        raise _no_streams(name, names)
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
        live = _finite(acc)
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
        raise _no_streams(where, sorted(streams) or ["no sensor files"], hint)
    if acc is not None:
        _check_acc(acc, where)
    if gyro is not None:
        _check_gyro(gyro, where)
    return make_recording("sensorlogger", t_acc, acc, t_gyro, gyro, tuple(notes))


# -- Physics Toolbox --------------------------------------------------------------------

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


def _physicstoolbox(f: Csv, where: str) -> Recording:
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
        raise _no_streams(where, [c for c in f.header if c != names.get("time")])
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
        _check_acc(acc, where, unit="m/s² (from g)")
    if has["w"]:
        w = tb.xyz(tuple(names[c] for c in _PTB_W))
        live = _any3(w != 0.0)
        if int(live.sum()) >= MIN_SAMPLES:
            first = int(np.argmax(live))
            t_gyro, gyro = _held(t[first:], w[first:])
            _check_gyro(gyro, where)
        elif acc is None:
            t_gyro, gyro = t, w
    return make_recording("physicstoolbox", t_acc, acc, t_gyro, gyro, tuple(notes))


# -- generic ----------------------------------------------------------------------------


def _generic(f: Csv, where: str) -> Recording:
    gyro_cols = [c for c in ("gx", "gy", "gz") if c in f.header]
    tb = f.read(["t", "ax", "ay", "az", *(gyro_cols if len(gyro_cols) == 3 else [])])
    t, acc = tb.col("t"), tb.xyz(("ax", "ay", "az"))
    _check_acc(acc, where)
    gyro = None
    if len(gyro_cols) == 3:
        gyro = tb.xyz(("gx", "gy", "gz"))
        _check_gyro(gyro, where)
    return make_recording("generic", t, acc, None if gyro is None else t, gyro, tuple(tb.notes))


# -- detection -----------------------------------------------------------------------


def _kind(header: list[str]) -> str | None:
    h = set(header)
    if "Time (s)" in h:
        return "phyphox"
    if "seconds_elapsed" in h:
        return "sensorlogger"
    base = {_base(c) for c in header}
    ptb = ({"gFx", "gFy", "gFz"}, {"wx", "wy", "wz"}, {"ax", "ay", "az"}, {"Bx", "By", "Bz"})
    if "time" in base and any(s <= base for s in ptb):
        return "physicstoolbox"
    if {"t", "ax", "ay", "az"} <= h:
        return "generic"
    return None


def _header_of(raw: bytes, name: str) -> list[str]:
    _check_text(raw, name)
    _, start, end = _header_line(raw[:65536])
    try:
        return _split_header(_decode(raw[start:end]).rstrip("\r"))[0]
    except SoleusError:
        return []


def _sensor_name(member: str) -> str:
    return Path(member).stem.lower().replace(" ", "").replace("_", "")


def _skipped(member: str) -> bool:
    """macOS resource forks and folders added when a zip is re-packed on a Mac."""
    parts = Path(member).parts
    return "__MACOSX" in parts or Path(member).name.startswith("._")


def _from_zip(raw: bytes, name: str) -> Recording:
    try:
        zf = zipfile.ZipFile(io.BytesIO(raw))
        names = [m for m in zf.namelist() if not m.endswith("/") and not _skipped(m)]
        if "xl/workbook.xml" in names:
            return _from_members(_xlsx_sheets(zf, name), name, "workbook")
        files = {m: zf.read(m) for m in names if m.lower().endswith(".csv")}
    except (zipfile.BadZipFile, EOFError, zipfile.LargeZipFile, OSError, ValueError):
        # (ValueError: zipfile's "negative seek value" when bytes are missing mid-archive)
        raise SoleusError(
            "not a complete zip archive (cut off during download?)", where=name
        ) from None
    except (RuntimeError, NotImplementedError):  # encrypted, or an unknown compression
        raise SoleusError("cannot open this zip (encrypted or unusual)", where=name) from None
    except zlib.error:
        raise SoleusError(
            "a damaged zip archive (a file in it does not unpack)", where=name
        ) from None
    return _from_members(files, name, "zip")


def _from_members(files: dict[str, bytes], name: str, what: str) -> Recording:
    """A recording from several CSVs: a zip's members, a workbook's sheets, a folder."""
    kinds: dict[str, str | None] = {}
    for m, b in files.items():
        try:
            kinds[m] = _kind(_header_of(b, f"{name}/{m}")) if b.strip() else None
        except SoleusError:
            kinds[m] = None  # a binary member is not one of the sensor tables
    if any(k == "phyphox" for k in kinds.values()):
        csvs = [
            c for m, b in files.items() if kinds[m] == "phyphox" for c in _sets(b, f"{name}/{m}")
        ]
        return _phyphox(csvs, name)
    if any(k == "sensorlogger" for k in kinds.values()):
        sl = {
            _sensor_name(m): Csv(b, f"{name}/{m}")
            for m, b in files.items()
            if kinds[m] == "sensorlogger" and _sensor_name(m) in _SL_SENSORS
        }
        platform, standardised = None, False
        for m, b in files.items():
            if _sensor_name(m) == "metadata":
                platform, standardised = _metadata(b)
        if not sl:
            found = sorted(Path(m).stem for m, k in kinds.items() if k == "sensorlogger")
            raise _no_streams(name, found)
        return _sensorlogger(sl, platform, standardised, name)
    for m, k in kinds.items():
        if k is not None:
            return _single(files[m], f"{name}/{m}", k)
    raise SoleusError(
        f"no phyphox, Sensor Logger, Physics Toolbox or generic CSV in this {what}", where=name
    )


_PHYPHOX_SET = re.compile(rb'\n(?="?Time \(s\)"?[,;\t])')


def _sets(raw: bytes, name: str) -> list[Csv]:
    """phyphox's single-file export writes each export set after the last one, each
    with its own header line: one :class:`Csv` per set."""
    parts = _PHYPHOX_SET.split(raw)
    if len(parts) == 1:
        return [Csv(raw, name)]
    return [Csv(part, f"{name}#{k + 1}") for k, part in enumerate(parts)]


_XL = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_XL_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"


def _xlsx_sheets(zf: zipfile.ZipFile, name: str) -> dict[str, bytes]:
    """The sheets of an Excel workbook (phyphox's default export) as tab-separated text,
    named after their sheets ("Raw Data", "Accelerometer", ...). Standard library only:
    inline or shared strings, numbers, cell references with gaps."""
    from xml.etree import ElementTree as ET

    try:
        book = ET.fromstring(zf.read("xl/workbook.xml"))
        rels = ET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(_PKG_REL)}
        shared: list[str] = []
        if "xl/sharedStrings.xml" in zf.namelist():
            for si in ET.fromstring(zf.read("xl/sharedStrings.xml")).iter(f"{_XL}si"):
                shared.append("".join(t.text or "" for t in si.iter(f"{_XL}t")))
        sheets: dict[str, bytes] = {}
        for sheet in book.iter(f"{_XL}sheet"):
            target = targets.get(sheet.get(_XL_REL), "").lstrip("/")
            path = target if target.startswith("xl/") else f"xl/{target}"
            sheets[f"{sheet.get('name', 'Sheet')}.csv"] = _sheet_text(zf.read(path), shared)
    except (KeyError, ET.ParseError, ValueError):
        raise SoleusError(
            "an Excel workbook this reader cannot follow: export CSV", where=name
        ) from None
    return sheets


def _sheet_text(xml: bytes, shared: list[str]) -> bytes:
    from xml.etree import ElementTree as ET

    lines: list[str] = []
    for row in ET.fromstring(xml).iter(f"{_XL}row"):
        cells: list[str] = []
        for c in row.iter(f"{_XL}c"):
            ref = c.get("r")
            if ref:  # a reference such as "C7": empty cells before it are not written
                col = 0
                for ch in ref:
                    if ch.isalpha():
                        col = col * 26 + ord(ch.upper()) - 64
                cells += [""] * (col - 1 - len(cells))
            kind, v = c.get("t"), c.find(f"{_XL}v")
            if kind == "inlineStr":
                text = "".join(t.text or "" for t in c.iter(f"{_XL}t"))
            elif kind == "s" and v is not None and v.text is not None:
                text = shared[int(v.text)]
            else:
                text = "" if v is None or v.text is None else v.text
            cells.append(text.replace("\t", " "))
        lines.append("\t".join(cells))
    return "\n".join(lines).encode()


def _folder(path: Path) -> Recording:
    """An export unpacked into a folder (Sensor Logger, phyphox): its CSVs, as in the zip."""
    files: dict[str, bytes] = {}
    for p in sorted([*path.glob("*.csv"), *path.glob("*/*.csv")])[:200]:  # export + subfolder
        if p.is_file() and not _skipped(str(p.relative_to(path))):
            files[str(p.relative_to(path))] = read_bytes(p)
    if not files:
        raise SoleusError(
            "a folder without CSV files; give the exported CSV or zip", where=str(path)
        )
    return _from_members(files, str(path), "folder")


def _single(raw: bytes, name: str, kind: str) -> Recording:
    if kind == "phyphox":
        return _phyphox(_sets(raw, name), name)
    f = Csv(raw, name)
    if kind == "sensorlogger":
        sensor = _sensor_name(name)
        if sensor == "accelerometer":
            raise SoleusError(
                "Sensor Logger's Accelerometer.csv has no gravity: use TotalAcceleration.csv, "
                "Gyroscope.csv or the whole zip",
                where=name,
            )
        if sensor not in _SL_SENSORS:
            raise SoleusError(
                "a Sensor Logger CSV must keep its sensor's file name (TotalAcceleration.csv, "
                "Gravity.csv or Gyroscope.csv), or import the whole zip",
                where=name,
            )
        return _sensorlogger({sensor: f}, None, False, name)
    if kind == "physicstoolbox":
        return _physicstoolbox(f, name)
    return _generic(f, name)


def detect_format(raw: bytes, name: str = "recording") -> str:
    """The format's name, from the content (``zip`` members or the CSV header)."""
    if raw[:2] == b"PK":
        return "zip"
    if raw.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"[", b"{"):
        return "sensorlogger-json"
    kind = _kind(_header_of(raw, name))
    if kind is None:
        raise SoleusError(_unknown(raw, name), where=name)
    return kind


def _unknown(raw: bytes, name: str) -> str:
    header = _header_of(raw, name)
    shown = ", ".join(header[:6]) if header else "nothing readable"
    return (
        f"unknown format (first line: {shown}); supported: phyphox, Sensor Logger, "
        "Physics Toolbox, or a CSV with columns t,ax,ay,az[,gx,gy,gz]"
    )


def parse(raw: bytes, name: str = "recording") -> Recording:
    """Read a recording from bytes (``name`` is for messages and Sensor Logger CSVs)."""
    if not raw.strip():
        raise SoleusError("the file is empty", where=name)
    try:
        kind = detect_format(raw, name)
        if kind == "zip":
            return _from_zip(raw, name)
        if kind == "sensorlogger-json":
            return _sl_json(raw, name)
        return _single(raw, name, kind)
    except SoleusError as e:
        if e.where is None:
            raise SoleusError(e.message, where=name) from None
        raise


def load(path: str | Path) -> Recording:
    """Read a recording file (or an export unpacked into a folder); any problem is a
    one-line :class:`SoleusError`."""
    p = Path(path)
    if p.is_dir():
        try:
            return _folder(p)
        except SoleusError as e:
            raise SoleusError(e.message, where=e.where or str(p)) from None
    return parse(read_bytes(p), str(p))


def read_bytes(path: str | Path) -> bytes:
    """The bytes of a recording file; any problem is a one-line :class:`SoleusError`."""
    p = Path(path)
    with file_errors(p):
        return p.read_bytes()


@contextlib.contextmanager
def file_errors(p: Path, directory: str = "give the exported CSV or zip") -> Iterator[None]:
    """Reading ``p`` inside this block: a missing, huge or unreadable file is one line."""
    try:
        if p.stat().st_size > MAX_BYTES:
            raise SoleusError("file too large (over 2 GB)", where=str(p))
        yield
    except FileNotFoundError:
        raise SoleusError("no such file", where=str(p)) from None
    except IsADirectoryError:
        raise SoleusError(f"is a directory; {directory}", where=str(p)) from None
    except PermissionError:
        raise SoleusError("permission denied", where=str(p)) from None
