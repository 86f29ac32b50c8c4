"""A snack is a bout of exercise: sessions and quick logs close together are one."""

from __future__ import annotations

from soleus.domain.snacks.bouts import SNACK_GAP_S, snack_bouts

MIN = 60.0


def test_quick_logs_typed_in_a_row_are_one_snack() -> None:
    assert snack_bouts([[0.0], [30.0], [90.0]]) == 1


def test_a_long_paused_session_is_one_snack() -> None:
    assert snack_bouts([[0.0, 40 * MIN, 80 * MIN]]) == 1


def test_bouts_further_apart_than_the_gap_are_separate_snacks() -> None:
    sessions = [[0.0, 5 * MIN], [5 * MIN + SNACK_GAP_S + 1], [3 * 3600.0]]
    assert snack_bouts(sessions) == 3
    assert snack_bouts([[0.0, 5 * MIN], [5 * MIN + SNACK_GAP_S]]) == 1  # at the gap: one


def test_a_quick_log_during_a_session_joins_it_and_nothing_is_no_snack() -> None:
    assert snack_bouts([[10 * MIN], [0.0, 30 * MIN], []]) == 1
    assert snack_bouts([]) == 0
