"""The README's own-routine example loads, and names every allowed value it uses."""

from __future__ import annotations

import re
from pathlib import Path
from typing import get_args

from soleus.content import builtin_catalog, check_routine, parse_toml, validate
from soleus.domain.catalog import RED_FLAG_TAGS, DoseKind, Position, Sides
from soleus.domain.limits import MAX_SETS
from soleus.domain.routine import Routine

README = Path(__file__).parents[2] / "README.md"


def _section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("## Your own routines and exercises")
    return text[start : text.index("\n## ", start + 1)]


def test_the_example_routine_is_valid() -> None:
    block = re.search(r"```toml\n(.*?)```", _section(), re.DOTALL)
    assert block, "no TOML example in the README's own-routines section"
    data = parse_toml(block[1], where="README.md")
    routine = validate(Routine, data, text=block[1], where="README.md")
    check_routine(routine, builtin_catalog(), where="README.md")


def _lists(line: str, values: tuple[str, ...]) -> bool:
    """``line`` gives ``values`` as alternatives: ``a | b | c``, quoted or not."""
    words = set(re.findall(r"[a-z]+", line))
    return set(values) <= words and line.count("|") >= len(values) - 1


def test_every_enumerated_value_is_listed() -> None:
    lines = _section().splitlines()
    text = [" ".join(lines[i : i + 2]) for i in range(len(lines))]  # a list may wrap once
    for values in (
        get_args(DoseKind),
        get_args(Sides),
        get_args(Position),
        tuple(sorted(RED_FLAG_TAGS)),
    ):
        assert any(_lists(line, values) for line in text), values
    assert f"1 to {MAX_SETS}" in _section()
