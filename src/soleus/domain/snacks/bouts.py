"""What a day already holds for the snack engine (:class:`DayHistory`), and how many
snacks its sets make: a snack is a bout of exercise, not a log entry.

A guided session is one bout from its first set to its last, however long it paused; a
quick log is a bout of its own; bouts that start within :data:`SNACK_GAP_S` of the end of
the one before are one snack (three quick logs typed in a row are one snack, not three).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

SNACK_GAP_S = 15 * 60


def snack_bouts(sessions: Iterable[Sequence[float]], gap_s: float = SNACK_GAP_S) -> int:
    """The snacks in the sets of one day, given each session's set times (POSIX seconds)."""
    spans = sorted((min(times), max(times)) for times in sessions if times)
    count, end = 0, float("-inf")
    for start, stop in spans:
        if start > end + gap_s:
            count += 1
        end = max(end, stop)
    return count


class DayHistory(NamedTuple):  # a NamedTuple: cheaper to build at start-up
    """What already happened today, to resume after a restart.

    ``taken`` is the snacks done today: sessions and quick logs as well as nudges
    answered Start (the caller's one count), so a target met without nudges is met.
    ``last_taken`` is when the latest of them happened, ``first_input`` the day's
    first sign of the person at the desk (the start of its first sitting stretch).
    """

    nudges: int = 0
    taken: int = 0
    last_nudge: float | None = None
    last_taken: float | None = None
    first_input: float | None = None
