"""Done vs planned per exercise and side, and the status every view shows."""

from __future__ import annotations

from datetime import date

from soleus.domain.done import Tally, sets_left, shown_status, tally

TODAY = date(2026, 3, 4)


def test_an_active_session_of_an_earlier_day_is_shown_as_abandoned() -> None:
    assert shown_status("active", date(2026, 3, 3), TODAY) == "abandoned"
    assert shown_status("active", TODAY, TODAY) == "active"
    assert shown_status("finished", date(2026, 3, 1), TODAY) == "finished"
    assert shown_status("abandoned", TODAY, TODAY) == "abandoned"


def test_tally_keeps_plan_order_then_what_was_done_beyond_it() -> None:
    planned = [("pushup", "left"), ("pushup", "right")] * 3
    done = [("stretch", "right"), ("pushup", "left"), ("pushup", "left"), ("pushup", "right")]
    assert tally(planned, done) == [
        Tally("pushup", "left", 2, 3),
        Tally("pushup", "right", 1, 3),
        Tally("stretch", "right", 1, 0),
    ]
    assert sets_left(tally(planned, done)) == 3


def test_more_than_planned_leaves_nothing_left_not_less_than_nothing() -> None:
    [one] = tally([("pushup", "both")], [("pushup", "both")] * 4)
    assert (one.done, one.planned, one.left) == (4, 1, 0)
    assert one.as_dict() == {
        "exercise_id": "pushup", "side": "both", "done": 4, "planned": 1, "left": 0
    }  # fmt: skip
    assert tally([], []) == []
