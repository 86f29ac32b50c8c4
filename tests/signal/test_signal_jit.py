"""Every compiled function is cached by kernels/jit.py, keyed on the sources it is built from."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from numba.core.registry import CPUDispatcher

import soleus.signal.detect  # noqa: F401 (imports every compiled module)
from soleus.signal.kernels import jit


def test_every_compiled_function_is_cached_in_one_folder_keyed_on_its_sources() -> None:
    signal = Path(jit.__file__).resolve().parent.parent
    found = []
    for name, module in list(sys.modules.items()):
        if not name.startswith("soleus.signal") or module is None:
            continue
        for value in vars(module).values():
            if isinstance(value, CPUDispatcher) and value.__module__ == name:
                found.append(value)
                source = Path(value.py_func.__code__.co_filename).resolve()
                assert source.relative_to(signal).as_posix() in jit.SOURCES, name
                assert value.stats.cache_path == jit.FOLDER, name
    assert len(found) >= 20


def test_the_stamp_covers_the_content_of_every_source() -> None:
    assert {"rise.py", "candidates.py", "kernels/track.py", "kernels/jit.py"} <= set(jit.SOURCES)
    assert jit.source_stamp() == jit.source_stamp()


def test_a_read_only_install_uses_its_shipped_cache_or_the_users(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shipped = tmp_path / "_cache"
    monkeypatch.setattr(jit, "PACKAGED", shipped)
    monkeypatch.setattr(jit, "_writable", lambda folder: False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))
    user = jit._cache_folder()
    assert user.is_relative_to(tmp_path / "home-cache" / "soleus" / "kernels")
    shipped.mkdir()
    (shipped / "track.track_gyro-40.py311.nbi").write_bytes(b"")
    assert jit._cache_folder() == shipped  # filled when the wheel was built
