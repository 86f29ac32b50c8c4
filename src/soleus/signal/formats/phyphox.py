"""phyphox exports: one CSV (export sets one after the other), the zip's CSVs, or the
Excel workbook (the app's default export, read with the standard library).
"""

from __future__ import annotations

import re
import zipfile

from soleus.errors import SoleusError
from soleus.signal.formats.streams import check_acc, check_gyro, no_streams, sensor_name
from soleus.signal.formats.table import Csv
from soleus.signal.recording import Recording, make_recording

_PHYPHOX_ACC = tuple(f"Acceleration {a} (m/s^2)" for a in "xyz")
_PHYPHOX_LIN = tuple(f"Linear Acceleration {a} (m/s^2)" for a in "xyz")
_PHYPHOX_GYR = tuple(f"Gyroscope {a} (rad/s)" for a in "xyz")
_PHYPHOX_XYZ_MS2 = tuple(f"{a} (m/s^2)" for a in "XYZ")  # the iOS app's per-sensor files
_PHYPHOX_XYZ_RADS = tuple(f"{a} (rad/s)" for a in "XYZ")
_LINEAR_NAMES = ("linearaccelerometer", "linearacceleration", "accelerationwithoutg")


def read_phyphox(files: list[Csv], where: str) -> Recording:
    t_acc = acc = t_gyro = gyro = None
    linear_only = False
    notes: list[str] = []
    found: list[str] = []
    for f in files:
        h = set(f.header)
        found += [c for c in f.header if c != "Time (s)"]
        sensor = sensor_name(f.name)
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
        raise no_streams(where, found)
    if acc is not None:
        check_acc(acc, where)
    if gyro is not None:
        check_gyro(gyro, where)
    return make_recording("phyphox", t_acc, acc, t_gyro, gyro, tuple(notes))


_PHYPHOX_SET = re.compile(rb'\n(?="?Time \(s\)"?[,;\t])')


def split_sets(raw: bytes, name: str) -> list[Csv]:
    """phyphox's single-file export writes each export set after the last one, each
    with its own header line: one :class:`Csv` per set."""
    parts = _PHYPHOX_SET.split(raw)
    if len(parts) == 1:
        return [Csv(raw, name)]
    return [Csv(part, f"{name}#{k + 1}") for k, part in enumerate(parts)]


_XL = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_XL_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"


def xlsx_sheets(zf: zipfile.ZipFile, name: str) -> dict[str, bytes]:
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
