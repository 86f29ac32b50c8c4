"""How many snacks a day's sets make: a snack is a bout of exercise, not a log entry.

A guided session is one bout from its first set to its last, however long it paused; a
quick log is a bout of its own; bouts that start within :data:`SNACK_GAP_S` of the end of
the one before are one snack (three quick logs typed in a row are one snack, not three).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

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
