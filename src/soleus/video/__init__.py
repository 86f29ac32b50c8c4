"""Soleus pushups from a side-view video of the feet (optional extra ``soleus[video]``).

- ``landmarks``: frames in, heel / foot-index / ankle / knee tracks out (OpenCV decodes,
  MediaPipe pose finds the landmarks; the model is loaded from the installed package,
  nothing is ever downloaded). The only module here that needs the extra.
- ``reps``: tracks in, reps out (numpy/scipy only): heel height above its resting floor
  in shin lengths, reps with hysteresis on the clip's own range, and per rep how far
  the forefoot rose with the heel.
- ``analysis``: the form rules of a video, and its result: the phone analysis' type
  (:mod:`soleus.signal.result`) with ``"source": "video"``, per-rep ``toe_ratio`` and
  the heel and toe to plot. The CLI (``soleus analyze``) and the web page render both
  sources alike.

This module imports nothing heavy, so the CLI can ask :func:`is_video` cheaply.
"""

from __future__ import annotations

from pathlib import Path

VIDEO_SUFFIXES = frozenset({".mp4", ".m4v", ".mov", ".webm", ".avi", ".mkv"})


def is_video(path: Path) -> bool:
    """A video container, by extension or by its first bytes (MP4/MOV, Matroska/WebM, AVI)."""
    if path.suffix.lower() in VIDEO_SUFFIXES:
        return True
    try:
        with path.open("rb") as f:
            head = f.read(12)
    except OSError:
        return False
    return (
        head[4:8] == b"ftyp"  # ISO base media: mp4, m4v, mov (recent QuickTime)
        or head[4:8] in (b"moov", b"mdat", b"wide")  # older QuickTime
        or head[:4] == b"\x1a\x45\xdf\xa3"  # EBML: mkv, webm
        or (head[:4] == b"RIFF" and head[8:12] == b"AVI ")
    )
