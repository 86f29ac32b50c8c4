"""Writing files so that a crash never leaves half of one: the one atomic-write helper.

The data goes to a temporary file in the same folder, is flushed and fsynced, and is
renamed over the target; the folder is then fsynced so the rename itself survives a
power cut. Errors are :class:`OSError`; callers say in their own words what was lost.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

DEFAULT_MODE = 0o644


def write_atomic(path: Path, data: str | bytes, *, mode: int | None = None) -> None:
    """Replace ``path`` with ``data`` (text is UTF-8 with ``\\n`` line ends), all or nothing.

    The file keeps its permissions if it exists; a new one gets ``mode`` (default 0644).
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    _replace(path, mode, lambda out: out.write(raw))


def copy_atomic(src: Path, path: Path, *, mode: int | None = None) -> None:
    """Replace ``path`` with a copy of ``src``, all or nothing."""
    import shutil  # not on the read commands' start-up (it brings bz2, lzma, zlib)

    with src.open("rb") as source:
        _replace(path, mode, lambda out: shutil.copyfileobj(source, out, 1 << 20))


def fsync_dir(folder: Path) -> None:
    """Make a rename or a new file in ``folder`` durable (a no-op where folders can't be)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):  # some filesystems refuse fsync on a folder
            os.fsync(fd)
    finally:
        os.close(fd)


def _replace(path: Path, mode: int | None, fill: Callable[[BinaryIO], object]) -> None:
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    if mode is None:
        try:
            mode = path.stat().st_mode & 0o777
        except FileNotFoundError:
            mode = DEFAULT_MODE
    import tempfile  # only when a file is written (random, its import, is not cheap)

    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            fill(out)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fsync_dir(folder)
