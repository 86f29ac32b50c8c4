"""The cadence check and its message name the same range, ends included."""

from __future__ import annotations

import pytest

from soleus.signal.form import CADENCE_RANGE, BoutSummary, timing_flags


def cadence_flags(per_min: float, style: str = "sets") -> list[str]:
    bout = BoutSummary(start_s=0.0, end_s=60.0, count=12, cadence_per_min=per_min, first_rep=0)
    flags = timing_flags([], [bout], style)  # type: ignore[arg-type]
    return [f.message for f in flags if f.rule == "cadence"]


@pytest.mark.parametrize("per_min", [19.5, 20.0, 30.0, 40.0, 40.49])
def test_a_cadence_shown_inside_the_range_is_not_flagged(per_min: float) -> None:
    assert cadence_flags(per_min) == []


def test_outside_the_range_the_message_shows_the_figure_the_check_used() -> None:
    assert cadence_flags(19.4) == ["set 1: 19 reps/min is too slow (aim for 20–40 reps/min)"]
    assert cadence_flags(40.6) == ["set 1: 41 reps/min is too fast (aim for 20–40 reps/min)"]
    assert cadence_flags(95.0, "bout") == [
        "bout 1: 95 reps/min is too fast (aim for 30–90 reps/min)"
    ]


def test_every_range_reads_as_it_checks() -> None:
    for aim in CADENCE_RANGE.values():
        assert str(aim) == f"{aim.low}–{aim.high} reps/min"
        assert aim.verdict(aim.low) is None and aim.verdict(aim.high) is None
        assert aim.verdict(aim.low - 1) == "slow" and aim.verdict(aim.high + 1) == "fast"
