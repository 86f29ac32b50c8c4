"""Validated content kept between runs, so that a command need not import pydantic.

Validating the TOML files builds pydantic schemas (about 0.1 s per process). The
validated objects are plain dataclasses: they are pickled into ``<data dir>/cache``
and used again while the file they came from is unchanged (same path, size and
modification time) and so is the code that validated them (soleus's version and the
modules defining the classes). A file that fails validation is never kept: it is
validated, and its error raised, every time.

The cache file is the person's own, in their data folder, like their database; a cache
that cannot be read is ignored and one that cannot be written is not written.
"""

from __future__ import annotations

import os
import pickle
import sys
from pathlib import Path
from typing import Any, ClassVar

from soleus import __version__

Key = tuple[str, str, int, int]  # class, path, size, mtime_ns

_CODE = ("soleus.domain.catalog", "soleus.domain.routine")


class ContentCache:
    """Validated objects by file, read once per process and written when it grew."""

    _open: ClassVar[dict[Path, ContentCache]] = {}

    def __init__(self, folder: Path) -> None:
        self.path = folder / "cache" / "content.pickle"
        self._items: dict[Key, Any] | None = None
        self._dirty = False

    @classmethod
    def at(cls, folder: Path) -> ContentCache:
        """The one cache of ``folder`` in this process."""
        return cls._open.setdefault(folder, cls(folder))

    def _stamp(self) -> tuple[Any, ...]:
        code = []
        for name in _CODE:
            module = sys.modules.get(name)
            file = getattr(module, "__file__", None) if module else None
            if file is None:  # the classes are not imported yet: stamp their source files
                file = str(Path(__file__).parent.parent / "domain" / f"{name.rsplit('.', 1)[1]}.py")
            st = os.stat(file)
            code.append((file, st.st_size, st.st_mtime_ns))
        return (__version__, sys.version_info[:2], tuple(code))

    def _load(self) -> dict[Key, Any]:
        if self._items is None:
            self._items = {}
            try:
                with self.path.open("rb") as f:
                    stamp, items = pickle.load(f)
                if stamp == self._stamp():
                    self._items = items
            except Exception:  # missing, truncated, or from another version: start afresh
                pass
        return self._items

    @staticmethod
    def key(cls_: type, path: Path) -> Key | None:
        try:
            st = path.stat()
        except OSError:
            return None
        return (f"{cls_.__module__}.{cls_.__qualname__}", str(path), st.st_size, st.st_mtime_ns)

    def get(self, key: Key) -> Any | None:
        return self._load().get(key)

    def put(self, key: Key, item: Any) -> None:
        items = self._load()
        # One entry per file: an older version of the same file is replaced.
        for old in [k for k in items if k[:2] == key[:2]]:
            del items[old]
        items[key] = item
        self._dirty = True

    def save(self) -> None:
        if not self._dirty or self._items is None:
            return
        from soleus.files import write_atomic

        data = pickle.dumps((self._stamp(), self._items), protocol=pickle.HIGHEST_PROTOCOL)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(self.path, data, mode=0o600)
            self._dirty = False
        except OSError:
            pass  # a read-only data folder: validate again next time
