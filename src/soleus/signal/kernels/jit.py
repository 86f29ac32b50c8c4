"""How the kernels are compiled: numba, cached on disk, a float division never raises.

The machine code is cached in one folder, ``kernels/_cache`` inside the installed
package, keyed on the content of every source file that holds compiled code (SOURCES)
rather than numba's per-file stamp: a stage inlined into a kernel of another file is
then never stale after an edit, and a cache made when the package was built (setup.py
runs :mod:`soleus.signal.warmup` into the build tree) is valid wherever the same sources
are installed, whatever their mtimes. Where the package's folder cannot be written (a
system-wide install), the cache goes to the user's cache folder; a cache that cannot be
written is no error (the kernel runs compiled in memory).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

import numba
from numba.core.caching import (
    CompileResultCacheImpl,
    FunctionCache,
    _CacheLocator,
)

_F = TypeVar("_F", bound=Callable[..., Any])

_SIGNAL = Path(__file__).resolve().parent.parent
# Every module with compiled functions, and the modules whose constants they freeze in.
SOURCES = (
    *sorted(p.relative_to(_SIGNAL).as_posix() for p in (_SIGNAL / "kernels").glob("*.py")),
    "candidates.py",
    "jolt.py",
    "lookback.py",
    "recording.py",
    "rise.py",
    "scan_state.py",
)
PACKAGED = _SIGNAL / "kernels" / "_cache"


def source_stamp() -> str:
    """The content hash of SOURCES (and numba's version): what the cache is valid for."""
    digest = hashlib.sha256(numba.__version__.encode())
    for name in SOURCES:
        digest.update(name.encode() + b"\0" + (_SIGNAL / name).read_bytes() + b"\0")
    return digest.hexdigest()


def _writable(folder: Path) -> bool:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tempfile.TemporaryFile(dir=folder).close()
    except OSError:
        return False
    return True


def _cache_folder() -> Path:
    """The package's own folder if it can be written or was shipped filled, else the
    user's cache folder (one per installed copy)."""
    if _writable(PACKAGED) or any(PACKAGED.glob("*.nbi")):
        return PACKAGED
    import platformdirs

    where = hashlib.sha256(str(_SIGNAL).encode()).hexdigest()[:16]
    return Path(platformdirs.user_cache_dir("soleus", appauthor=False)) / "kernels" / where


_STAMP = source_stamp()
FOLDER = str(_cache_folder())


class _Locator(_CacheLocator):
    def __init__(self, py_func: Callable[..., Any]) -> None:
        self._lineno = py_func.__code__.co_firstlineno

    def ensure_cache_path(self) -> None:
        os.makedirs(FOLDER, exist_ok=True)

    def get_cache_path(self) -> str:
        return FOLDER

    def get_source_stamp(self) -> str:
        return _STAMP

    def get_disambiguator(self) -> str:
        return str(self._lineno)

    @classmethod
    def from_function(cls, py_func: Callable[..., Any], py_file: str) -> _Locator:
        return cls(py_func)


class _Impl(CompileResultCacheImpl):
    _locator_classes: list[type[object]] = [_Locator]  # noqa: RUF012 (numba's own shape)


class _Cache(FunctionCache):
    _impl_class = _Impl

    def save_overload(self, sig: Any, data: Any) -> None:
        with contextlib.suppress(OSError):  # read-only: the kernel runs compiled in memory
            super().save_overload(sig, data)  # type: ignore[no-untyped-call]


def _cached(dispatcher: Any) -> Any:
    dispatcher._cache = _Cache(dispatcher.py_func)  # type: ignore[no-untyped-call]
    return dispatcher


def inline(fn: _F) -> _F:
    # a helper, inlined where it is called
    return cast(_F, _cached(numba.njit(error_model="numpy", inline="always")(fn)))


def kernel(fn: _F) -> _F:
    # error_model="numpy": a float division never raises (every divisor is clamped)
    return cast(_F, _cached(numba.njit(error_model="numpy")(fn)))


def compiled(fn: _F) -> _F:
    # numba's default error model (a division by zero raises)
    return cast(_F, _cached(numba.njit(fn)))
