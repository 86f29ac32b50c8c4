"""The content is in our own words: no run of 8 words copied from the seed or the notes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from soleus.content import builtin_dir

RUN = 8
SHARED = Path(__file__).parents[2].parent / "shared"


def words(text: str) -> list[str]:
    """Lower-case words with punctuation dropped (``don't`` -> ``don``, ``t``)."""
    return re.findall(r"[a-z0-9]+", text.lower())


def runs(text: str, n: int = RUN) -> set[tuple[str, ...]]:
    w = words(text)
    return {tuple(w[i : i + n]) for i in range(len(w) - n + 1)}


def content_files() -> list[Path]:
    root = builtin_dir(".")
    files = [root / "about.md"]
    for kind in ("exercises", "routines", "illustrations"):
        files += sorted(p for p in (root / kind).iterdir() if p.suffix in {".toml", ".txt", ".svg"})
    return files


def sources() -> dict[str, str]:
    if not SHARED.is_dir():
        # Not a part `make test` can install: a clone outside the team's folder has no
        # ../shared, so this stays a skip even in CI.
        pytest.skip(f"the shared folder with the seed and science notes is absent: {SHARED}")
    found = {"science.md": (SHARED / "science.md").read_text(encoding="utf-8")}
    for seed in sorted((SHARED / "seed").glob("*.txt")):
        found[f"seed/{seed.name}"] = seed.read_text(encoding="utf-8")
    return found


def test_runs_helper_ignores_case_and_punctuation() -> None:
    a = runs("Keep your HEEL on the ground, and lean forward -- gently!")
    b = runs("keep your heel on the ground and lean forward gently")
    assert a == b and len(a) == 3


def test_no_content_file_copies_eight_words_in_a_row() -> None:
    copied: list[str] = []
    taken = {name: runs(text) for name, text in sources().items()}
    files = content_files()
    assert len(files) >= 1 + 6 + 1 + 3 + 1 + 6
    for path in files:
        mine = runs(path.read_text(encoding="utf-8"))
        for name, theirs in taken.items():
            for run in sorted(mine & theirs):
                copied.append(f"{path.name} <- {name}: {' '.join(run)}")
    assert not copied, "copied wording:\n" + "\n".join(copied)
