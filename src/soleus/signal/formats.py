"""Read the recordings that phone apps export; the only module in ``signal`` with I/O.

The format is recognised from the content (zip member names, CSV header), never from
the file name alone, and columns are found by their *name*, never their position:

- **phyphox** (``Time (s)``, ``Acceleration x (m/s^2)``, ``Gyroscope x (rad/s)``, …):
  one CSV, or the exported zip (``Raw Data.csv`` or one CSV per sensor). Comma, tab or
  semicolon separated; decimal comma accepted with semicolons and tabs.
- **Sensor Logger** (one CSV per sensor: ``time`` ns since the epoch,
  ``seconds_elapsed``, ``z``, ``y``, ``x``): the zip, or a single sensor CSV named after
  its sensor. ``TotalAcceleration`` (Android) is used as is; otherwise
  ``Accelerometer`` + ``Gravity`` (iOS, or Android without the total), with iOS's
  opposite sign when ``Metadata.csv`` says the platform is iOS.
- **Physics Toolbox Sensor Suite** (``time``, ``gFx gFy gFz`` in g, optional
  ``wx wy wz`` in rad/s): wall-clock times (``HH:MM:SS:mmm``, across midnight) or seconds.
- **generic CSV**: ``t`` (s), ``ax ay az`` (m/s², gravity included), optional
  ``gx gy gz`` (rad/s).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
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


class Table:
    """A parsed CSV: named float columns, with the line each data row came from."""

    def __init__(self, name: str, header: list[str], data: FloatArray, first_line: int) -> None:
        self.name = name
        self.header = header
        self.data = data
        self.first_line = first_line
        self.notes: list[str] = []

    def has(self, col: str) -> bool:
        return col in self.header

    def col(self, col: str) -> FloatArray:
        if col not in self.header:
            raise SoleusError(f"missing column {col!r}", where=self.name)
        return np.asarray(self.data[:, self.header.index(col)], dtype=np.float64)

    def xyz(self, names: tuple[str, str, str]) -> FloatArray:
        return np.stack([self.col(c) for c in names], axis=1)


# -- text and CSV ---------------------------------------------------------------------


def _decode(raw: bytes, name: str) -> str:
    if b"\x00" in raw[:4096]:
        raise SoleusError("binary data, not a CSV or zip recording", where=name)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _split_header(line: str) -> tuple[list[str], str]:
    counts = {d: line.count(d) for d in (",", ";", "\t")}
    delim = max(counts, key=lambda d: counts[d])
    if counts[delim] == 0:
        raise SoleusError("no columns in the first line")
    return [h.strip().strip('"').strip() for h in line.split(delim)], delim


def read_csv(raw: bytes, name: str, *, time_parser: Callable[[str], float] | None = None) -> Table:
    """Parse a CSV with one header line into floats (fast path: numpy's C parser)."""
    text = _decode(raw, name)
    lines = text.splitlines()
    first = next((i for i, ln in enumerate(lines) if ln.strip()), None)
    if first is None:
        raise SoleusError("the file is empty", where=name)
    try:
        header, delim = _split_header(lines[first])
    except SoleusError as e:
        raise SoleusError(e.message, where=f"{name}:{first + 1}") from None
    body = lines[first + 1 :]
    while body and not body[-1].strip():
        body.pop()
    ncol = len(header)
    notes: list[str] = []
    if body and body[-1].count(delim) != ncol - 1:
        body.pop()
        notes.append("the last line was incomplete (file cut off?) and was skipped")
    if not body:
        raise SoleusError("a header but no data rows", where=name)
    if delim != ",":
        body = [ln.replace(",", ".") for ln in body]
    tcol = 0
    if time_parser is not None:
        tcol = header.index("time")
        fast = _clock_columns(body, delim, ncol, tcol)
        if fast is not None:
            table = Table(name, header, fast, first + 2)
            table.notes = notes
            return table
        times = np.empty(len(body))
        rows = []
        for n, ln in enumerate(body):
            parts = ln.split(delim)
            try:
                times[n] = time_parser(parts[tcol].strip().strip('"'))
            except (ValueError, IndexError):
                raise SoleusError(
                    f"cannot read the time {parts[tcol][:30]!r}",
                    where=f"{name}:{first + 2 + n}",
                ) from None
            parts[tcol] = "0"
            rows.append(delim.join(parts))
        body = rows
    try:
        data = np.loadtxt(
            io.StringIO("\n".join(body)),
            delimiter=delim,
            ndmin=2,
            dtype=np.float64,
            quotechar='"',
        )
    except ValueError:
        data = _slow_parse(body, delim, ncol, name, first + 2)
    if data.shape[1] != ncol:
        raise SoleusError(f"{data.shape[1]} values per row but {ncol} column names", where=name)
    if time_parser is not None:
        data[:, tcol] = times
    table = Table(name, header, data, first + 2)
    table.notes = notes
    return table


_CLOCK_MS = re.compile(r"^\d{2}:\d{2}:\d{2}:\d{3}$")


def _clock_columns(body: list[str], delim: str, ncol: int, tcol: int) -> FloatArray | None:
    """Wall-clock ``HH:MM:SS:mmm`` in the first column, parsed in C; None if not so.

    The colons become delimiters, numpy's parser reads h, m, s, ms as four numbers,
    and they are summed. Checked on a sample of rows (fixed widths, as the app
    writes them); any surprise falls back to the row-by-row parser.
    """
    if tcol != 0 or not body or any(":" in c for c in (delim,)):
        return None
    step = max(len(body) // 200, 1)
    for ln in [*body[::step], body[-1]]:
        field = ln.split(delim, 1)[0].strip().strip('"')
        if not _CLOCK_MS.match(field) or ln.count(":") != 3:
            return None
    try:
        data = np.loadtxt(
            io.StringIO("\n".join(body).replace(":", delim)),
            delimiter=delim,
            ndmin=2,
            dtype=np.float64,
            quotechar='"',
        )
    except ValueError:
        return None
    if data.shape[1] != ncol + 3:
        return None
    times = data[:, 0] * 3600.0 + data[:, 1] * 60.0 + data[:, 2] + data[:, 3] / 1000.0
    return np.column_stack((times, data[:, 4:]))


def _slow_parse(body: list[str], delim: str, ncol: int, name: str, line0: int) -> FloatArray:
    """Find the first bad line and say where it is (or parse blanks as NaN)."""
    out = np.full((len(body), ncol), np.nan)
    for n, ln in enumerate(body):
        parts = ln.split(delim)
        if len(parts) != ncol:
            raise SoleusError(f"{len(parts)} values, expected {ncol}", where=f"{name}:{line0 + n}")
        for j, p in enumerate(parts):
            p = p.strip().strip('"')
            if not p:
                continue
            try:
                out[n, j] = float(p)
            except ValueError:
                where = f"{name}:{line0 + n}"
                raise SoleusError(f"not a number: {p[:30]!r}", where=where) from None
    return out


# -- the four formats --------------------------------------------------------------

_PHYPHOX_ACC = tuple(f"Acceleration {a} (m/s^2)" for a in "xyz")
_PHYPHOX_LIN = tuple(f"Linear Acceleration {a} (m/s^2)" for a in "xyz")
_PHYPHOX_GYR = tuple(f"Gyroscope {a} (rad/s)" for a in "xyz")
_XYZ = ("x", "y", "z")


def _check_acc(acc: FloatArray, where: str, unit: str = "m/s²") -> None:
    mag = float(np.median(np.linalg.norm(acc, axis=1)))
    if not 0.5 * STANDARD_GRAVITY <= mag <= 1.6 * STANDARD_GRAVITY:
        hint = " (looks like g, not m/s²)" if 0.5 <= mag <= 1.6 else ""
        raise SoleusError(
            f"acceleration magnitude is {mag:.3g} {unit} at rest, expected about 9.81 m/s²"
            f"{hint}: wrong units, or acceleration without gravity",
            where=where,
        )


def _check_gyro(gyro: FloatArray, where: str) -> None:
    peak = float(np.percentile(np.abs(gyro), 99))
    if peak > 20.0:
        raise SoleusError(
            f"rotation rates up to {peak:.0f} rad/s: these look like degrees per second; "
            "the gyroscope must be in rad/s",
            where=where,
        )


def _phyphox(tables: list[Table], where: str) -> Recording:
    t_acc = acc = t_gyro = gyro = None
    linear_only = False
    notes: list[str] = []
    for tb in tables:
        notes += tb.notes
        if not tb.has("Time (s)"):
            continue
        if all(tb.has(c) for c in _PHYPHOX_ACC):
            t_acc, acc = tb.col("Time (s)"), tb.xyz(_PHYPHOX_ACC)  # type: ignore[arg-type]
        elif all(tb.has(c) for c in _PHYPHOX_LIN):
            linear_only = True
        if all(tb.has(c) for c in _PHYPHOX_GYR):
            t_gyro, gyro = tb.col("Time (s)"), tb.xyz(_PHYPHOX_GYR)  # type: ignore[arg-type]
    if acc is None and gyro is None:
        if linear_only:
            raise SoleusError(
                "phyphox 'Acceleration without g' cannot show the thigh's tilt: record with "
                "'Acceleration (with g)' or the gyroscope",
                where=where,
            )
        raise SoleusError("no phyphox acceleration or gyroscope columns", where=where)
    if acc is not None:
        _check_acc(acc, where)
    if gyro is not None:
        _check_gyro(gyro, where)
    return make_recording("phyphox", t_acc, acc, t_gyro, gyro, tuple(notes))


def _sl_time(tb: Table) -> FloatArray:
    if tb.has("time"):
        return tb.col("time") / 1e9
    return tb.col("seconds_elapsed")


def _sensorlogger(tables: dict[str, Table], platform: str | None, where: str) -> Recording:
    notes: list[str] = []
    for tb in tables.values():
        notes += tb.notes
    t_acc = acc = t_gyro = gyro = None
    if "totalacceleration" in tables:
        tb = tables["totalacceleration"]
        t_acc, acc = _sl_time(tb), tb.xyz(_XYZ)
    elif "accelerometer" in tables and "gravity" in tables:
        a, g = tables["accelerometer"], tables["gravity"]
        ta, tg = _sl_time(a), _sl_time(g)
        gv = np.stack([np.interp(ta, tg, g.col(c)) for c in _XYZ], axis=1)
        acc = a.xyz(_XYZ) + gv
        t_acc = ta
        if platform == "ios":  # iOS reports the opposite sign on every axis
            acc = -acc
    elif "gravity" in tables:
        tb = tables["gravity"]
        t_acc, acc = _sl_time(tb), tb.xyz(_XYZ)
        notes.append("tilt from the Gravity sensor (no total acceleration)")
    if "gyroscope" in tables:
        tb = tables["gyroscope"]
        t_gyro, gyro = _sl_time(tb), tb.xyz(_XYZ)
    if acc is None and gyro is None:
        found = ", ".join(sorted(tables)) or "none"
        raise SoleusError(
            "Sensor Logger export without TotalAcceleration, Accelerometer+Gravity, Gravity "
            f"or Gyroscope (found: {found})",
            where=where,
        )
    if acc is not None:
        _check_acc(acc, where)
    if gyro is not None:
        _check_gyro(gyro, where)
    return make_recording("sensorlogger", t_acc, acc, t_gyro, gyro, tuple(notes))


_CLOCK = re.compile(r"^(\d{1,2}):(\d{2}):(\d{2})(?:[:.](\d+))?$")


def _clock_seconds(text: str) -> float:
    m = _CLOCK.match(text)
    if m is None:
        return float(text)
    h, mi, s, frac = m.groups()
    sub = float(f"0.{frac}") if frac else 0.0
    return int(h) * 3600 + int(mi) * 60 + int(s) + sub


def _physicstoolbox(tb: Table, where: str) -> Recording:
    t = tb.col("time")
    # wall-clock times wrap at midnight
    wraps = np.cumsum(np.concatenate(([0.0], np.diff(t) < -43200.0))) * 86400.0
    t = t + wraps
    t_acc = acc = t_gyro = gyro = None
    if all(tb.has(c) for c in ("gFx", "gFy", "gFz")):
        acc = tb.xyz(("gFx", "gFy", "gFz"))
        live = np.any(acc != 0.0, axis=1)  # rows before the sensor started are zeros
        _check_acc(acc[live] * STANDARD_GRAVITY, where, unit="m/s² (from g)")
        t_acc, acc = t[live], acc[live] * STANDARD_GRAVITY
    if all(tb.has(c) for c in ("wx", "wy", "wz")):
        gyro = tb.xyz(("wx", "wy", "wz"))
        live = np.any(gyro != 0.0, axis=1)
        if int(live.sum()) >= MIN_SAMPLES:
            first = int(np.argmax(live))
            t_gyro, gyro = t[first:], gyro[first:]
            _check_gyro(gyro, where)
        else:
            gyro = None
    if acc is None and gyro is None:
        raise SoleusError("Physics Toolbox file without gFx/gFy/gFz or wx/wy/wz", where=where)
    return make_recording("physicstoolbox", t_acc, acc, t_gyro, gyro, tuple(tb.notes))


def _generic(tb: Table, where: str) -> Recording:
    t, acc = tb.col("t"), tb.xyz(("ax", "ay", "az"))
    _check_acc(acc, where)
    gyro = None
    if all(tb.has(c) for c in ("gx", "gy", "gz")):
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
    if "time" in h and ({"gFx", "gFy", "gFz"} <= h or {"wx", "wy", "wz"} <= h):
        return "physicstoolbox"
    if {"t", "ax", "ay", "az"} <= h:
        return "generic"
    return None


def _header_of(raw: bytes, name: str) -> list[str]:
    text = _decode(raw[:4096], name)
    for ln in text.splitlines():
        if ln.strip():
            try:
                return _split_header(ln)[0]
            except SoleusError:
                return []
    return []


_SL_SENSORS = ("totalacceleration", "accelerometer", "gravity", "gyroscope")


def _sensor_name(member: str) -> str:
    return Path(member).stem.lower().replace(" ", "")


def _from_zip(raw: bytes, name: str) -> Recording:
    try:
        zf = zipfile.ZipFile(io.BytesIO(raw))
        members = [m for m in zf.namelist() if m.lower().endswith(".csv")]
        files = {m: zf.read(m) for m in members}
    except (zipfile.BadZipFile, EOFError, zipfile.LargeZipFile, OSError):
        raise SoleusError(
            "not a complete zip archive (cut off during download?)", where=name
        ) from None
    kinds = {m: _kind(_header_of(b, f"{name}/{m}")) for m, b in files.items()}
    if any(k == "phyphox" for k in kinds.values()):
        tables = [read_csv(b, f"{name}/{m}") for m, b in files.items() if kinds[m] == "phyphox"]
        return _phyphox(tables, name)
    if any(k == "sensorlogger" for k in kinds.values()):
        sl = {
            _sensor_name(m): read_csv(b, f"{name}/{m}")
            for m, b in files.items()
            if kinds[m] == "sensorlogger" and _sensor_name(m) in _SL_SENSORS
        }
        platform = None
        for m, b in files.items():
            if _sensor_name(m) == "metadata":
                meta = _decode(b, m).lower()
                platform = "ios" if "ios" in meta else "android" if "android" in meta else None
        return _sensorlogger(sl, platform, name)
    for m, k in kinds.items():
        if k is not None:
            return _single(files[m], f"{name}/{m}", k)
    raise SoleusError(
        "no phyphox, Sensor Logger, Physics Toolbox or generic CSV inside the zip", where=name
    )


def _single(raw: bytes, name: str, kind: str) -> Recording:
    if kind == "phyphox":
        return _phyphox([read_csv(raw, name)], name)
    if kind == "sensorlogger":
        sensor = _sensor_name(name)
        if sensor not in _SL_SENSORS:
            raise SoleusError(
                "a Sensor Logger CSV must keep its sensor's file name (TotalAcceleration.csv, "
                "Gravity.csv or Gyroscope.csv), or import the whole zip",
                where=name,
            )
        if sensor == "accelerometer":
            raise SoleusError(
                "Sensor Logger's Accelerometer.csv has no gravity: use TotalAcceleration.csv, "
                "Gyroscope.csv or the whole zip",
                where=name,
            )
        return _sensorlogger({sensor: read_csv(raw, name)}, None, name)
    if kind == "physicstoolbox":
        return _physicstoolbox(read_csv(raw, name, time_parser=_clock_seconds), name)
    return _generic(read_csv(raw, name), name)


def detect_format(raw: bytes, name: str = "recording") -> str:
    """The format's name, from the content (``zip`` members or the CSV header)."""
    if raw[:2] == b"PK":
        return "zip"
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
        return _single(raw, name, kind)
    except SoleusError as e:
        if e.where is None:
            raise SoleusError(e.message, where=name) from None
        raise


def load(path: str | Path) -> Recording:
    """Read a recording file; any problem is a one-line :class:`SoleusError`."""
    return parse(read_bytes(path), str(path))


def read_bytes(path: str | Path) -> bytes:
    """The bytes of a recording file; any problem is a one-line :class:`SoleusError`."""
    p = Path(path)
    try:
        if p.stat().st_size > MAX_BYTES:
            raise SoleusError("file too large (over 2 GB)", where=str(p))
        raw = p.read_bytes()
    except FileNotFoundError:
        raise SoleusError("no such file", where=str(p)) from None
    except IsADirectoryError:
        raise SoleusError("is a directory; give the exported CSV or zip", where=str(p)) from None
    except PermissionError:
        raise SoleusError("permission denied", where=str(p)) from None
    return raw
