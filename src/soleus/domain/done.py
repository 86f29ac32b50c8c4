"""What was done against what was planned: per exercise and side, and a session's status
as every view shows it.

Pure: the caller gives the planned sets, the saved set rows and today's local date.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import NamedTuple


def shown_status(status: str, started_on: date, today: date) -> str:
    """A session's status in every view: one still marked active from an earlier day
    was left unfinished and is abandoned (its saved sets stay; it is not offered for a
    resume). The stored status is left as it was recorded."""
    if status == "active" and started_on < today:
        return "abandoned"
    return status


class Tally(NamedTuple):  # NamedTuples: start-up builds one in a quarter of a dataclass's time
    """Sets of one exercise on one side: ``done`` (not skipped) of ``planned``."""

    exercise_id: str
    side: str
    done: int
    planned: int

    @property
    def left(self) -> int:
        """Planned sets still to do (none when more than planned were done)."""
        return max(0, self.planned - self.done)

    def as_dict(self) -> dict[str, str | int]:
        return {
            "exercise_id": self.exercise_id,
            "side": self.side,
            "done": self.done,
            "planned": self.planned,
            "left": self.left,
        }


def tally(planned: Iterable[tuple[str, str]], done: Iterable[tuple[str, str]]) -> list[Tally]:
    """Done vs planned per (exercise, side): the planned pairs in plan order, then what
    was done beyond the plan in the order it was done (planned 0)."""
    wanted: dict[tuple[str, str], int] = {}
    for pair in planned:
        wanted[pair] = wanted.get(pair, 0) + 1
    got: dict[tuple[str, str], int] = {}
    for pair in done:
        got[pair] = got.get(pair, 0) + 1
    keys = list(wanted) + [k for k in got if k not in wanted]
    return [Tally(ex, side, got.get((ex, side), 0), wanted.get((ex, side), 0)) for ex, side in keys]


def sets_left(tallies: Iterable[Tally]) -> int:
    """Planned sets not done yet, over every exercise and side."""
    return sum(t.left for t in tallies)


class Amount(NamedTuple):
    """One exercise on one side in one session: sets, and the reps (a reps dosage) or the
    seconds (a hold or bout) done (not skipped) against the plan."""

    exercise_id: str
    side: str
    kind: str
    sets_done: int
    sets_planned: int
    done: float
    planned: float

    @property
    def unit(self) -> str:
        return "reps" if self.kind == "reps" else "seconds"

    def as_dict(self) -> dict[str, str | int | float]:
        return {
            "exercise_id": self.exercise_id,
            "side": self.side,
            "kind": self.kind,
            "unit": self.unit,
            "sets_done": self.sets_done,
            "sets_planned": self.sets_planned,
            "done": self.done,
            "planned": self.planned,
        }


class PlannedAmount(NamedTuple):
    """A planned set: what it asks for (reps for reps, seconds for a hold or bout)."""

    exercise_id: str
    side: str
    kind: str
    amount: float


class DoneAmount(NamedTuple):
    """A saved set: the reps or seconds done, or skipped."""

    exercise_id: str
    side: str
    kind: str
    amount: float
    skipped: bool


def amounts(planned: Iterable[PlannedAmount], done: Iterable[DoneAmount]) -> list[Amount]:
    """Reps and seconds done vs planned per (exercise, side, kind), in plan order, then
    what was done beyond the plan. A skipped set counts for nothing."""
    keys: list[tuple[str, str, str]] = []
    want: dict[tuple[str, str, str], list[float]] = {}
    got: dict[tuple[str, str, str], list[float]] = {}
    for p in planned:
        key = (p.exercise_id, p.side, p.kind)
        if key not in want:
            keys.append(key)
            want[key] = [0, 0.0]
        want[key][0] += 1
        want[key][1] += p.amount
    for d in done:
        if d.skipped:
            continue
        key = (d.exercise_id, d.side, d.kind)
        if key not in want and key not in got:
            keys.append(key)
        got.setdefault(key, [0, 0.0])
        got[key][0] += 1
        got[key][1] += d.amount
    return [
        Amount(
            *key,
            sets_done=int(got.get(key, [0, 0.0])[0]),
            sets_planned=int(want.get(key, [0, 0.0])[0]),
            done=got.get(key, [0, 0.0])[1],
            planned=want.get(key, [0, 0.0])[1],
        )
        for key in keys
    ]
