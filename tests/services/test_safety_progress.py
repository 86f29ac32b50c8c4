"""The red-flag screen and today's advice as use cases over a real store."""

from __future__ import annotations

import pytest

from soleus.domain.clock import FakeClock
from soleus.domain.progress import lighten
from soleus.domain.safety import RED_FLAGS
from soleus.services.context import Context
from soleus.services.logs import quicklog
from soleus.services.safety import advice as progress
from soleus.services.safety import screen as safety

NO = {q.id: False for q in RED_FLAGS}


def test_screen_is_due_once_a_day(ctx: Context, clock: FakeClock) -> None:
    assert safety.screen_due(ctx)
    assert safety.record_screen(ctx, NO).passed
    assert not safety.screen_due(ctx)
    assert not safety.failed_today(ctx)
    clock.advance(24 * 3600)
    assert safety.screen_due(ctx)


def test_a_failed_screen_means_rest_today(ctx: Context, clock: FakeClock) -> None:
    result = safety.record_screen(ctx, {**NO, "heel_pop": True})
    assert not result.passed
    assert safety.failed_today(ctx)
    advice = progress.day_state(ctx, "desk")
    assert advice.level == "stopped" and advice.plan is None
    clock.advance(24 * 3600)
    # The next day the yes still stands (the screen is due again) until it says no.
    assert safety.screen_due(ctx) and not safety.failed_today(ctx)
    assert progress.day_state(ctx, "desk").level == "stopped"
    assert safety.record_screen(ctx, NO).passed
    assert progress.day_state(ctx, "desk").level == "normal"


def test_a_yes_stands_for_the_rest_of_the_local_day(ctx: Context, clock: FakeClock) -> None:
    # The clock starts on Wednesday 09:00 UTC; the person lives in Berlin (UTC+1).
    first = safety.record_screen(ctx, {**NO, "one_calf_swollen": True})
    assert not first.passed
    clock.advance(13 * 3600)  # 22:00 UTC, 23:00 in Berlin: still Wednesday there
    later = safety.record_screen(ctx, NO)
    assert not later.passed, "all-no answers later the same day must not clear the stop"
    assert later.advice == first.advice  # the care advice is repeated
    assert safety.failed_today(ctx) and not safety.screen_due(ctx)
    assert progress.day_state(ctx, "desk").level == "stopped"
    again = safety.record_screen(ctx, {**NO, "breathless": True})
    assert again.urgency == "emergency" and len(again.advice) == 2  # both yeses count
    today = safety.today_result(ctx)
    assert today is not None and today.advice == again.advice
    clock.advance(3600)  # 23:00 UTC: midnight in Berlin, a new local day
    assert safety.screen_due(ctx) and not safety.failed_today(ctx)
    assert safety.today_result(ctx) is None
    assert safety.record_screen(ctx, NO).passed
    assert progress.day_state(ctx, "desk").level == "normal"


def test_incomplete_answers_record_nothing(ctx: Context) -> None:
    with pytest.raises(ValueError):
        safety.record_screen(ctx, {"breathless": False})
    assert safety.screen_due(ctx)


def test_high_pain_yesterday_makes_today_lighter(ctx: Context, clock: FakeClock) -> None:
    quicklog.log_pain(ctx, score=7, context="after")
    assert progress.day_state(ctx, "desk").level == "rest"  # the same day: stop for today
    clock.advance(24 * 3600)
    advice = progress.day_state(ctx, "desk")
    assert advice.level == "lighter"
    assert advice.plan == lighten(ctx.routines.get_routine("desk"), ctx.catalog)
    assert advice.plan.blocks[0].dosage is not None
    assert advice.plan.blocks[0].dosage.sets < 3
    clock.advance(2 * 24 * 3600)
    assert progress.day_state(ctx, "desk").level == "normal"


def test_morning_pain_worse_than_last_evening_makes_today_lighter(
    ctx: Context, clock: FakeClock
) -> None:
    clock.advance(9 * 3600)  # 18:00 UTC on Wednesday
    quicklog.log_pain(ctx, score=2, context="after")
    clock.advance(13 * 3600)  # Thursday 07:00 UTC
    quicklog.log_pain(ctx, score=4, context="morning")
    advice = progress.day_state(ctx, "desk")
    assert advice.level == "lighter" and "worse than after yesterday" in advice.reason
    assert advice.plan == lighten(ctx.routines.get_routine("desk"), ctx.catalog)


def test_morning_pain_that_settled_keeps_the_plan(ctx: Context, clock: FakeClock) -> None:
    quicklog.log_pain(ctx, score=4, context="after")
    clock.advance(22 * 3600)
    quicklog.log_pain(ctx, score=2, context="morning")
    advice = progress.day_state(ctx, "desk")
    assert advice.level == "normal"
    assert advice.plan == ctx.routines.get_routine("desk")


def test_quicklog_refuses_unknown_exercise_and_bad_amounts(ctx: Context) -> None:
    from soleus.errors import NotFound, SoleusError
    from soleus.services.reports import history

    with pytest.raises(NotFound):
        quicklog.log_sets(ctx, exercise_id="moonwalk", amount="2x10", side=None)
    for amount in ("banana", "10000", "-3"):
        with pytest.raises(SoleusError):
            quicklog.log_sets(ctx, exercise_id="soleus-pushup", amount=amount, side=None)
    with pytest.raises(SoleusError):
        quicklog.log_pain(ctx, score=11, context="other")
    assert history.history(ctx, days=30) == []
    logged = quicklog.log_sets(ctx, exercise_id="soleus-pushup", amount="2x10", side=None)
    assert "per leg" in logged.message
    assert {s["side"] for s in history.history(ctx)[0]["sets"]} == {"left", "right"}


def test_quicklog_amounts_must_match_the_exercise_kind(ctx: Context) -> None:
    """A time is not reps, and a bare number is not a hold's seconds: both are refused."""
    from soleus.errors import SoleusError
    from soleus.services.reports import history

    with pytest.raises(SoleusError, match="counted in reps"):
        quicklog.log_sets(ctx, exercise_id="soleus-pushup", amount="3x30s", side=None)
    with pytest.raises(SoleusError, match="did you mean 10s"):
        quicklog.log_sets(ctx, exercise_id="wall-calf-stretch", amount="10", side=None)
    assert history.history(ctx, days=30) == []


def test_high_pain_after_a_session_means_rest_for_the_day(ctx: Context, clock: FakeClock) -> None:
    from soleus.errors import SafetyRefusal
    from soleus.services.sessions import guided as sessions

    safety.record_screen(ctx, NO)
    session_id = sessions.start(ctx, ctx.get_routine("desk"))
    sessions.finish(ctx, session_id, pain=7)
    advice = progress.day_state(ctx, "desk")
    assert advice.level == "rest" and advice.plan is None
    with pytest.raises(SafetyRefusal) as refused:
        sessions.start(ctx, ctx.get_routine("desk"))
    assert str(refused.value) == advice.words and refused.value.exit_code == 3
    assert "Pain was 7/10 after exercise today" in advice.words
    clock.advance(24 * 3600)
    assert progress.day_state(ctx, "desk").level == "lighter"
    sessions.start(ctx, ctx.get_routine("desk"))


def test_no_session_after_a_failed_screen(ctx: Context) -> None:
    from soleus.errors import SoleusError
    from soleus.services.sessions import guided as sessions

    safety.record_screen(ctx, {**NO, "heel_pop": True})
    with pytest.raises(SoleusError, match="You answered yes to a safety question") as refused:
        sessions.start(ctx, ctx.get_routine("desk"))
    assert refused.value.exit_code == 3 and "Achilles" in str(refused.value)


@pytest.mark.parametrize(
    ("exercise", "side", "problem"),
    [
        ("downward-dog", "left", "works both legs at once: its side is both"),
        ("downward-dog", "each", "works both legs at once: its side is both"),
        ("soleus-pushup", "both", "is done one leg at a time: its side is left, right or each"),
        ("soleus-pushup", "middle", "side must be one of"),
    ],
)
def test_quicklog_refuses_a_side_the_exercise_is_not_done_on(
    ctx: Context, exercise: str, side: str, problem: str
) -> None:
    from soleus.errors import SoleusError
    from soleus.services.reports import history

    amount = "1x45s" if exercise == "downward-dog" else "2x10"
    with pytest.raises(SoleusError, match=problem) as refused:
        quicklog.log_sets(ctx, exercise_id=exercise, amount=amount, side=side)
    assert refused.value.exit_code == 2  # bad input, not a refusal on safety grounds
    assert history.history(ctx, days=30) == []


@pytest.mark.parametrize(
    ("exercise", "side", "rows"),
    [
        ("downward-dog", None, ["both"]),
        ("downward-dog", "both", ["both"]),
        ("soleus-pushup", None, ["left", "right"]),
        ("soleus-pushup", "each", ["left", "right"]),
        ("soleus-pushup", "right", ["right"]),
    ],
)
def test_quicklog_logs_the_sides_the_exercise_is_done_on(
    ctx: Context, exercise: str, side: str | None, rows: list[str]
) -> None:
    from soleus.services.reports import history

    amount = "1x45s" if exercise == "downward-dog" else "1x10"
    quicklog.log_sets(ctx, exercise_id=exercise, amount=amount, side=side)
    [day] = history.history(ctx)
    assert sorted(s["side"] for s in day["sets"]) == sorted(rows)
