"""Wording helpers shared by the CLI and the templates (a Jinja filter in web/app.py)."""

from __future__ import annotations

from datetime import date


def plural(n: float, one: str, many: str | None = None, *, number: bool = True) -> str:
    """``1 set``, ``2 sets``, ``0 sets``; ``many`` for irregular words (entry, entries).

    With ``number=False`` only the word, for a label under a big figure.
    """
    word = one if n == 1 else (many if many is not None else one + "s")
    if not number:
        return word
    shown = int(n) if float(n).is_integer() else n
    return f"{shown} {word}"


def day_words(day: date, *, weekday: bool = True) -> str:
    """A day as prose says it: ``Monday 30 November``, ``Tuesday 1 December`` (no zero
    padding, no ISO digits); ``weekday=False`` gives ``1 December``."""
    words = f"{day.day} {day:%B}"
    return f"{day:%A} {words}" if weekday else words


def duration_words(seconds: float) -> str:
    """``20 s`` under two minutes (where "0.3 min" says little), else ``2.5 min``."""
    if round(seconds) < 120:
        return f"{round(seconds)} s"
    return f"{round(seconds / 60, 1):g} min"
