"""A CSV export split into its header and rows, parsed into float columns by name.

Every file family is CSV underneath (phyphox, Sensor Logger, Physics Toolbox, generic):
the delimiter, decimal commas, units in column names, wall-clock time columns and cut-off
last lines are handled here once.
"""

from __future__ import annotations

import io
import re

import numpy as np

from soleus.errors import SoleusError
from soleus.signal.recording import FloatArray


def decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def check_text(raw: bytes, name: str) -> None:
    if b"\x00" in raw[:4096]:
        raise SoleusError("binary data, not a CSV or zip recording", where=name)


def split_header(line: str) -> tuple[list[str], str]:
    counts = {d: line.count(d) for d in (",", ";", "\t")}
    delim = max(counts, key=lambda d: counts[d])
    if counts[delim] == 0:
        raise SoleusError("no columns in the first line")
    return [h.strip().strip('"').strip() for h in line.split(delim)], delim


def header_line(raw: bytes) -> tuple[int, int, int]:
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


def base_name(col: str) -> str:
    return _UNIT.sub("", col)


class Csv:
    """A CSV split into its header and the bytes of its data rows (not yet parsed)."""

    def __init__(self, raw: bytes, name: str) -> None:
        check_text(raw, name)
        self.name = name
        self.notes: list[str] = []
        line, start, end = header_line(raw)
        if start >= len(raw):
            raise SoleusError("the file is empty", where=name)
        try:
            header, delim = split_header(decode(raw[start:end]).rstrip("\r"))
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
        return base_name(col)

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
