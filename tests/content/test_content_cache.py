"""The validated-content cache: the same objects as validating, and never stale."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from soleus.content import builtin_catalog, load_catalog, load_file
from soleus.content.cache import ContentCache
from soleus.domain.catalog import Exercise
from soleus.errors import SoleusError

GOOD = """\
id = "mine"
name = "Mine"
summary = "Only for tests."
position = "seated"
steps = ["Do the thing."]

[dosage]
kind = "reps"
sets = 2
reps = {reps}
"""


def write(path: Path, text: str, *, mtime_ns: int | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    if mtime_ns is not None:
        os.utime(path, ns=(mtime_ns, mtime_ns))
    return path


def test_a_cached_catalog_equals_the_validated_one(tmp_path: Path) -> None:
    write(tmp_path / "cfg" / "exercises" / "mine.toml", GOOD.format(reps=12))
    fresh = load_catalog(tmp_path / "cfg")
    load_catalog(tmp_path / "cfg", cache=ContentCache(tmp_path / "data"))  # writes it
    assert (tmp_path / "data" / "cache" / "content.pickle").is_file()
    again = load_catalog(tmp_path / "cfg", cache=ContentCache(tmp_path / "data"))  # reads it
    assert list(again.values()) == list(fresh.values())
    assert again.get_exercise("mine").dosage.reps == 12


def test_a_run_with_the_cache_does_not_import_pydantic(tmp_path: Path) -> None:
    code = (
        "import sys\nfrom pathlib import Path\n"
        "from soleus.content import load_catalog, load_routines\n"
        "from soleus.content.cache import ContentCache\n"
        "c = ContentCache(Path(sys.argv[1]))\n"
        "load_routines(None, load_catalog(None, cache=c), cache=c)\n"
        "print('pydantic' in sys.modules)\n"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, check=True
        ).stdout.strip()
        for _ in range(2)
    ]
    assert runs == ["True", "False"]  # the first run validates, the second does not


def test_an_edited_file_is_validated_again(tmp_path: Path) -> None:
    path = write(tmp_path / "exercises" / "mine.toml", GOOD.format(reps=12), mtime_ns=10**18)
    load_file(Exercise, path, cache=(cache := ContentCache(tmp_path)))
    cache.save()
    # Same size, same time stamp would be a stale hit: a new one is not.
    write(path, GOOD.format(reps=15), mtime_ns=10**18 + 1)
    assert load_file(Exercise, path, cache=ContentCache(tmp_path)).dosage.reps == 15


def test_a_file_broken_after_it_was_cached_still_fails(tmp_path: Path) -> None:
    path = write(tmp_path / "exercises" / "mine.toml", GOOD.format(reps=12))
    load_file(Exercise, path, cache=(cache := ContentCache(tmp_path)))
    cache.save()
    write(path, GOOD.format(reps=-1), mtime_ns=path.stat().st_mtime_ns + 1)
    with pytest.raises(SoleusError, match=r"mine\.toml:10: dosage\.reps"):
        load_file(Exercise, path, cache=ContentCache(tmp_path))


def test_a_corrupt_cache_is_ignored(tmp_path: Path) -> None:
    write(tmp_path / "cache" / "content.pickle", "not a pickle")
    catalog = builtin_catalog(ContentCache(tmp_path))
    assert list(catalog.values()) == list(builtin_catalog().values())
