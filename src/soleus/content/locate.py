"""Find the line of a TOML file that a validation error points at."""

from __future__ import annotations

import re
from collections.abc import Sequence

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-\"'.]+)\s*=")


def line_of(text: str, loc: Sequence[str | int]) -> int | None:
    """The 1-based line that defines ``loc`` (or its nearest parent), if any.

    Tracks ``[table]`` and ``[[array]]`` headers, so ``("blocks", 1, "dosage", "reps")``
    finds the ``reps =`` line under the second ``[[blocks]]``'s ``[blocks.dosage]``.
    """
    wanted = tuple(loc)
    table: tuple[str | int, ...] = ()
    counters: dict[tuple[str, ...], int] = {}
    best: tuple[int, int] | None = None  # (matched length, line)

    def consider(path: tuple[str | int, ...], lineno: int) -> None:
        nonlocal best
        n = 0
        while n < min(len(path), len(wanted)) and path[n] == wanted[n]:
            n += 1
        if n == len(path) and n > 0 and (best is None or n > best[0]):
            best = (n, lineno)

    for lineno, raw in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(raw)
        if header:
            names = tuple(p.strip().strip("\"'") for p in header.group(2).split("."))
            if header.group(1) == "[[":
                counters[names] = counters.get(names, -1) + 1
                # Reset counters of nested arrays under a new element.
                for key in [
                    k for k in counters if len(k) > len(names) and k[: len(names)] == names
                ]:
                    del counters[key]
            path: list[str | int] = []
            for i in range(len(names)):
                path.append(names[i])
                prefix = names[: i + 1]
                if prefix in counters:
                    path.append(counters[prefix])
            table = tuple(path)
            consider(table, lineno)
            continue
        assignment = _KEY.match(raw)
        if assignment:
            consider((*table, *assignment.group(1).strip("\"'").split(".")), lineno)
    return best[1] if best else None
