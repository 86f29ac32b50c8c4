"""The one atomic-write helper: all or nothing, permissions kept, no temp files left."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from soleus.files import copy_atomic, write_atomic


def test_write_creates_folders_and_file(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "config.toml"
    write_atomic(target, "x = 1\n")
    assert target.read_text(encoding="utf-8") == "x = 1\n"
    assert target.stat().st_mode & 0o777 == 0o644
    assert os.listdir(target.parent) == ["config.toml"]


def test_write_keeps_the_mode_of_the_file_it_replaces(tmp_path: Path) -> None:
    target = tmp_path / "secret.toml"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o600)
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert target.stat().st_mode & 0o777 == 0o600


def test_a_failed_write_leaves_the_old_file_and_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "data.json"
    target.write_text("old", encoding="utf-8")

    class Boom(Exception):
        pass

    def explode(out: object) -> None:
        raise Boom

    from soleus import files

    with pytest.raises(Boom):
        files._replace(target, None, explode)
    assert target.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path) == ["data.json"]


def test_text_is_utf8(tmp_path: Path) -> None:
    target = tmp_path / "t.txt"
    write_atomic(target, "Größe ✓")
    assert target.read_bytes() == "Größe ✓".encode()


def test_copy(tmp_path: Path) -> None:
    src = tmp_path / "src.bin"
    src.write_bytes(bytes(range(256)) * 5000)
    dest = tmp_path / "keep" / "dest.bin"
    copy_atomic(src, dest)
    assert dest.read_bytes() == src.read_bytes()
    assert sorted(os.listdir(dest.parent)) == ["dest.bin"]
