"""Every compiled function is cached by kernels/jit.py, keyed on the sources it is built from."""

from __future__ import annotations

import sys
from pathlib import Path

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
