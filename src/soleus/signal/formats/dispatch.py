"""Read a recording file: zip, workbook, folder or single file to its family's reader."""

from __future__ import annotations

import contextlib
import io
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from soleus.errors import SoleusError
from soleus.signal.formats.generic import read_generic
from soleus.signal.formats.phyphox import read_phyphox, split_sets, xlsx_sheets
from soleus.signal.formats.physicstoolbox import read_physicstoolbox
from soleus.signal.formats.recognise import detect_format, header_of, kind_of
from soleus.signal.formats.sensorlogger import SL_SENSORS, metadata, read_json, read_sensorlogger
from soleus.signal.formats.streams import no_streams, sensor_name
from soleus.signal.formats.table import Csv
from soleus.signal.recording import Recording

FORMATS = ("phyphox", "sensorlogger", "physicstoolbox", "generic")
MAX_BYTES = 2_000_000_000


def _skipped(member: str) -> bool:
    """macOS resource forks and folders added when a zip is re-packed on a Mac."""
    parts = Path(member).parts
    return "__MACOSX" in parts or Path(member).name.startswith("._")


def _from_zip(raw: bytes, name: str) -> Recording:
    try:
        zf = zipfile.ZipFile(io.BytesIO(raw))
        names = [m for m in zf.namelist() if not m.endswith("/") and not _skipped(m)]
        if "xl/workbook.xml" in names:
            return _from_members(xlsx_sheets(zf, name), name, "workbook")
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
            kinds[m] = kind_of(header_of(b, f"{name}/{m}")) if b.strip() else None
        except SoleusError:
            kinds[m] = None  # a binary member is not one of the sensor tables
    if any(k == "phyphox" for k in kinds.values()):
        csvs = [
            c
            for m, b in files.items()
            if kinds[m] == "phyphox"
            for c in split_sets(b, f"{name}/{m}")
        ]
        return read_phyphox(csvs, name)
    if any(k == "sensorlogger" for k in kinds.values()):
        sl = {
            sensor_name(m): Csv(b, f"{name}/{m}")
            for m, b in files.items()
            if kinds[m] == "sensorlogger" and sensor_name(m) in SL_SENSORS
        }
        platform, standardised = None, False
        for m, b in files.items():
            if sensor_name(m) == "metadata":
                platform, standardised = metadata(b)
        if not sl:
            found = sorted(Path(m).stem for m, k in kinds.items() if k == "sensorlogger")
            raise no_streams(name, found)
        return read_sensorlogger(sl, platform, standardised, name)
    for m, k in kinds.items():
        if k is not None:
            return _single(files[m], f"{name}/{m}", k)
    raise SoleusError(
        f"no phyphox, Sensor Logger, Physics Toolbox or generic CSV in this {what}", where=name
    )


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
        return read_phyphox(split_sets(raw, name), name)
    f = Csv(raw, name)
    if kind == "sensorlogger":
        sensor = sensor_name(name)
        if sensor == "accelerometer":
            raise SoleusError(
                "Sensor Logger's Accelerometer.csv has no gravity: use TotalAcceleration.csv, "
                "Gyroscope.csv or the whole zip",
                where=name,
            )
        if sensor not in SL_SENSORS:
            raise SoleusError(
                "a Sensor Logger CSV must keep its sensor's file name (TotalAcceleration.csv, "
                "Gravity.csv or Gyroscope.csv), or import the whole zip",
                where=name,
            )
        return read_sensorlogger({sensor: f}, None, False, name)
    if kind == "physicstoolbox":
        return read_physicstoolbox(f, name)
    return read_generic(f, name)


def parse(raw: bytes, name: str = "recording") -> Recording:
    """Read a recording from bytes (``name`` is for messages and Sensor Logger CSVs)."""
    if not raw.strip():
        raise SoleusError("the file is empty", where=name)
    try:
        kind = detect_format(raw, name)
        if kind == "zip":
            return _from_zip(raw, name)
        if kind == "sensorlogger-json":
            return read_json(raw, name)
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
