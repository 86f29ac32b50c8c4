"""Which file family a CSV is, from its header (never from the file name alone)."""

from __future__ import annotations

from soleus.errors import SoleusError
from soleus.signal.formats.table import base_name, check_text, decode, header_line, split_header


def kind_of(header: list[str]) -> str | None:
    h = set(header)
    if "Time (s)" in h:
        return "phyphox"
    if "seconds_elapsed" in h:
        return "sensorlogger"
    base = {base_name(c) for c in header}
    ptb = ({"gFx", "gFy", "gFz"}, {"wx", "wy", "wz"}, {"ax", "ay", "az"}, {"Bx", "By", "Bz"})
    if "time" in base and any(s <= base for s in ptb):
        return "physicstoolbox"
    if {"t", "ax", "ay", "az"} <= h:
        return "generic"
    return None


def header_of(raw: bytes, name: str) -> list[str]:
    check_text(raw, name)
    _, start, end = header_line(raw[:65536])
    try:
        return split_header(decode(raw[start:end]).rstrip("\r"))[0]
    except SoleusError:
        return []


def detect_format(raw: bytes, name: str = "recording") -> str:
    """The format's name, from the content (``zip`` members or the CSV header)."""
    if raw[:2] == b"PK":
        return "zip"
    if raw.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"[", b"{"):
        return "sensorlogger-json"
    kind = kind_of(header_of(raw, name))
    if kind is None:
        raise SoleusError(unknown_format(raw, name), where=name)
    return kind


def unknown_format(raw: bytes, name: str) -> str:
    header = header_of(raw, name)
    shown = ", ".join(header[:6]) if header else "nothing readable"
    return (
        f"unknown format (first line: {shown}); supported: phyphox, Sensor Logger, "
        "Physics Toolbox, or a CSV with columns t,ax,ay,az[,gx,gy,gz]"
    )
