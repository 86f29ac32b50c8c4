"""The day-state cache: the facts today's state is decided from, in a small JSON file.

``soleus log`` must not import the database layer (see :mod:`soleus.services.logs.inbox`),
yet it must answer with the same day's advice as ``soleus today``. So every command that
writes a pain report or a screen (and every one that decides the day) rewrites
``day.json`` in the data dir with the pain reports since yesterday and the screen answers
of today and of the latest earlier day with any (a "yes" stands until a later day's
screen clears it); ``soleus log`` reads it, adds the pain entries still waiting in the inbox, and
decides with :func:`soleus.domain.day.decide_day` like everyone else.

The file holds facts, not a verdict: it cannot say "normal" on a day it did not see. It
is complete as long as every writer of pain or screens goes through the services (an
import, the web, a session, a drained inbox all do). Without it (a new data dir, or one
written by another person's settings), the caller takes the slow path and opens the store.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from soleus.files import write_atomic

if TYPE_CHECKING:  # imported where used: `soleus stats` only asks where the file is
    from soleus.domain.day import PainReport
    from soleus.domain.safety import ScreenResult

FORMAT = 1
NAME = "day.json"


def path_in(data_dir: Path) -> Path:
    return data_dir / NAME


def write(
    path: Path,
    *,
    person: str,
    written_on: date,
    pain: Iterable[PainReport],
    screens: Iterable[tuple[date, Mapping[str, bool]]],
    ids: Iterable[str] = (),
) -> None:
    """Replace the cache; ``ids`` are the pain reports' ids (so the inbox's copies of the
    same reports are not counted twice)."""
    data = {
        "format": FORMAT,
        "person": person,
        "written_on": written_on.isoformat(),
        "pain": [[p.day.isoformat(), p.score, p.context] for p in pain],
        "pain_ids": sorted(ids),
        "screens": [[day.isoformat(), dict(answers)] for day, answers in screens],
    }
    text = json.dumps(data, separators=(",", ":")) + "\n"
    try:
        if path.read_text(encoding="utf-8") == text:
            return  # the reminder daemon decides every poll: no write when nothing changed
    except (OSError, ValueError):
        pass
    try:
        write_atomic(path, text)
    except OSError:
        path.unlink(missing_ok=True)  # a stale cache would be worse than none


class Facts:
    """What the cache holds: pain reports, their ids, and each screen's day and answers."""

    def __init__(
        self,
        pain: Sequence[PainReport],
        pain_ids: frozenset[str],
        screens: Sequence[tuple[date, dict[str, bool]]],
    ) -> None:
        self.pain = list(pain)
        self.pain_ids = pain_ids
        self.screens = list(screens)

    def screens_on(self, day: date) -> list[dict[str, bool]]:
        return [answers for d, answers in self.screens if d == day]

    def last_screened(self, before: date) -> tuple[date, ScreenResult] | None:
        """The latest earlier day's screens (written with today's; see advice._facts)."""
        from soleus.domain.safety import last_screened

        return last_screened(self.screens, before=before)

    def with_inbox(self, entries: Iterable[Mapping[str, Any]], *, person: str) -> Facts:
        """These facts plus the pain entries of ``person`` waiting in the inbox."""
        from soleus.domain.day import PainReport

        pain = list(self.pain)
        ids = set(self.pain_ids)
        for entry in entries:
            if entry.get("type") != "pain" or entry.get("person") != person:
                continue
            if entry.get("id") in ids:
                continue
            try:
                report = PainReport(
                    date.fromisoformat(entry["local_date"]),
                    int(entry["score"]),
                    str(entry["context"]),
                )
            except (KeyError, TypeError, ValueError):
                continue  # the drain moves it aside; it reports nothing
            pain.append(report)
            ids.add(str(entry.get("id")))
        return Facts(pain, frozenset(ids), self.screens)


def read(path: Path, *, person: str) -> Facts | None:
    """The cached facts of ``person``, or None (no cache, another person's, or damaged)."""
    from soleus.domain.day import PainReport

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data["format"] != FORMAT or data["person"] != person:
            return None
        pain = [PainReport(date.fromisoformat(d), int(s), str(c)) for d, s, c in data["pain"]]
        screens = [(date.fromisoformat(d), dict(a)) for d, a in data["screens"]]
        return Facts(pain, frozenset(data["pain_ids"]), screens)
    except (OSError, ValueError, KeyError, TypeError):
        return None
