"""Wording helpers shared by the CLI and the templates (a Jinja filter in web/app.py)."""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from soleus.domain.catalog import Dosage


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


def time_words(moment: datetime, tz: tzinfo, *, today: date | None = None) -> str:
    """A moment in the person's time zone: ``09:12`` on ``today``, else
    ``Tuesday 3 March at 21:40`` (the day as :func:`day_words` says it)."""
    local = moment.astimezone(tz)
    clock = f"{local:%H:%M}"
    if today is not None and local.date() == today:
        return clock
    return f"{day_words(local.date())} at {clock}"


def duration_words(seconds: float) -> str:
    """``20 s`` under two minutes (where "0.3 min" says little), else ``2.5 min``."""
    if round(seconds) < 120:
        return f"{round(seconds)} s"
    return f"{round(seconds / 60, 1):g} min"


def span_words(seconds: float) -> str:
    """A hold or bout length in prose: ``30 s``, ``1 minute``, ``5 minutes``, ``2.5 minutes``."""
    if seconds >= 120 or (seconds >= 60 and seconds % 60 == 0):
        return plural(seconds / 60, "minute")
    return f"{seconds:g} s"


def dosage_words(dosage: Dosage) -> str:
    """A dosage in prose, for texts that tell a person what to do:
    ``3 sets of 10 per leg``, ``2 holds of 30 s per side``,
    ``5 minutes non-stop at about 50 a minute, legs taking turns``."""
    if dosage.kind == "reps":
        side = {"each": " per leg", "both": " with both legs", "alternate": ", legs taking turns"}
        return f"{plural(dosage.sets, 'set')} of {dosage.reps}{side[dosage.sides]}"
    amount = span_words(dosage.seconds or 0)
    if dosage.kind == "hold":
        side = {"each": " per side", "both": " with both legs", "alternate": ""}
        return f"{plural(dosage.sets, 'hold')} of {amount}{side[dosage.sides]}"
    side = {"each": " per leg", "both": " with both legs", "alternate": ", legs taking turns"}
    pace = f"at about {dosage.pace.per_minute:.0f} a minute"
    if dosage.sets == 1:
        return f"{amount} non-stop {pace}{side[dosage.sides]}"
    return f"{plural(dosage.sets, 'bout')} of {amount} {pace}{side[dosage.sides]}"


_PHASES = (("up", "heel up"), ("top", "at the top"), ("down", "release"), ("floor", "on the floor"))


def tempo_words(dosage: Dosage) -> str:
    """A dosage's tempo in prose (a handout, a FHIR instruction): ``heel up 1 s, at the
    top 0.3 s, release 1 s, on the floor 0.5 s: one repetition every 2.8 s (about 21 a
    minute).``; a hold has none to keep."""
    if dosage.kind == "hold":
        return "Hold steadily; no bouncing."
    pace = dosage.pace
    phases = ", ".join(f"{words} {getattr(pace, name):g} s" for name, words in _PHASES)
    return (
        f"{phases}: one repetition every {pace.cycle:g} s (about {pace.per_minute:.0f} a minute)."
    )
