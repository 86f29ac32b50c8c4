"""The quick-log inbox: an append-only, fsynced JSON-lines journal in the data dir.

``soleus log`` must answer within a start-up budget that importing SQLAlchemy alone
exceeds, so it appends one line here (durable the moment it returns) and the next
command that opens the store replays the inbox into the database. Replay is
idempotent: every entry carries its own record ids.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from soleus.errors import SoleusError
from soleus.files import fsync_dir

if TYPE_CHECKING:
    from soleus.services.context import Context

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; appends stay atomic per line.
    fcntl = None  # type: ignore[assignment]


@contextmanager
def _locked(path: Path, flags: int) -> Iterator[int]:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, flags, 0o600)
    except OSError as error:
        raise SoleusError(
            f"cannot write to the data dir {path.parent} ({error.strerror})"
        ) from None
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield fd
    finally:
        os.close(fd)  # closing releases the lock


def append(path: Path, entry: dict[str, Any]) -> None:
    """Write one entry durably: one write of one line, then fsync.

    If a killed writer left a torn last line, the new entry starts on a line of its own.
    """
    line = (json.dumps(entry, separators=(",", ":"), sort_keys=True) + "\n").encode()
    with _locked(path, os.O_RDWR | os.O_APPEND | os.O_CREAT) as fd:
        size = os.fstat(fd).st_size
        if size and os.pread(fd, 1, size - 1) != b"\n":
            line = b"\n" + line
        os.write(fd, line)
        os.fsync(fd)
    if not size:
        fsync_dir(path.parent)  # a new inbox: its name must survive a crash too


def read(path: Path) -> list[dict[str, Any]]:
    """Entries in the inbox; a torn last line (killed mid-write) is ignored."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return []
    except OSError as error:
        raise SoleusError(f"cannot read the data dir {path.parent} ({error.strerror})") from None
    entries = []
    for line in raw.splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict):
            entries.append(entry)
    return entries


def drain(ctx: Context) -> int:
    """Replay the inbox into the database in one transaction, then empty it.

    An entry this version cannot read (from a newer soleus, or damaged) is not dropped:
    it is moved to ``inbox.rejected.jsonl`` beside the inbox, and the rest goes on.
    """
    path = ctx.settings.inbox_path
    if not path.exists() or path.stat().st_size == 0:
        return 0
    from soleus.services.logs.logbook import BadEntry, apply_entry

    rejected: list[dict[str, Any]] = []
    with _locked(path, os.O_RDWR) as fd:
        entries = read(path)
        with ctx.store.write() as conn:  # sqlite3 alone on a SQLite file: no SQLAlchemy
            for entry in entries:
                try:
                    with conn.begin_nested():
                        apply_entry(ctx, conn, entry)
                except BadEntry:
                    rejected.append(entry)
        for entry in rejected:
            append(rejected_path(path), entry)
        if any(e.get("type") == "pain" for e in entries):
            from soleus.services.safety.advice import refresh

            # Before the inbox is emptied: `soleus log` reads the inbox, then the cache,
            # so a report is always in one of them.
            refresh(ctx)
        os.ftruncate(fd, 0)
        os.fsync(fd)
    return len(entries) - len(rejected)


def rejected_path(path: Path) -> Path:
    return path.with_name(path.stem + ".rejected.jsonl")
