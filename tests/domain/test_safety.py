"""The red-flag screen and pain zones."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from soleus.content import builtin_catalog
from soleus.domain.safety import (
    RED_FLAGS,
    SCREEN_INTRO,
    evaluate,
    last_screened,
    pain_zone,
    retry_day,
    screened_today,
    stopped_until,
)

IDS = [q.id for q in RED_FLAGS]
NO = dict.fromkeys(IDS, False)


def test_the_screen_asks_the_four_red_flags() -> None:
    assert set(IDS) == {"one_calf_swollen", "breathless", "heel_pop", "no_tiptoe"}


def test_all_no_passes() -> None:
    result = evaluate(NO)
    assert result.passed and result.urgency is None and result.advice == ()


@pytest.mark.parametrize("missing", IDS)
def test_every_question_must_be_answered(missing: str) -> None:
    with pytest.raises(ValueError, match=missing):
        evaluate({k: v for k, v in NO.items() if k != missing})


def test_unknown_questions_are_refused() -> None:
    with pytest.raises(ValueError, match="sore_toe"):
        evaluate({**NO, "sore_toe": True})


@given(st.fixed_dictionaries({q: st.booleans() for q in IDS}))
def test_any_yes_fails_and_emergency_outranks_urgent(answers: dict[str, bool]) -> None:
    result = evaluate(answers)
    assert result.passed == (not any(answers.values()))
    if answers["breathless"]:
        assert result.urgency == "emergency"
        assert "emergency" in result.advice[0]  # the emergency advice comes first
    elif any(answers.values()):
        assert result.urgency == "urgent"
    assert len(result.advice) == sum(answers.values())


@given(
    st.fixed_dictionaries({q: st.booleans() for q in IDS}),
    st.lists(st.fixed_dictionaries({q: st.booleans() for q in IDS}), max_size=3),
)
def test_an_earlier_yes_the_same_day_still_stops(
    answers: dict[str, bool], earlier: list[dict[str, bool]]
) -> None:
    result = evaluate(answers, earlier=earlier)
    yes = {q for q in IDS if answers[q] or any(e[q] for e in earlier)}
    assert {q.id for q in result.flagged} == yes
    assert result.passed == (not yes)
    assert result.answers == answers


def test_the_screen_says_a_yes_stands_until_tomorrow() -> None:
    assert "rest of today" in SCREEN_INTRO
    wednesday = date(2026, 3, 4)
    assert retry_day(wednesday) == date(2026, 3, 5)
    assert "tomorrow (Thursday 5 March)" in stopped_until(wednesday)
    assert retry_day(date(2026, 12, 31)) == date(2027, 1, 1)


def test_foam_rolling_is_ruled_out_by_a_suspected_clot() -> None:
    result = evaluate({**NO, "one_calf_swollen": True})
    assert "clot" in result.avoid
    foam = builtin_catalog()["foam-roll-calf"]
    assert "clot" in foam.avoid_if
    allowed = [e.id for e in builtin_catalog().values() if not set(e.avoid_if) & result.avoid]
    assert "foam-roll-calf" not in allowed


@pytest.mark.parametrize(
    ("score", "zone"),
    [
        (0, "safe"),
        (3, "safe"),
        (4, "acceptable"),
        (5, "acceptable"),
        (6, "too much"),
        (10, "too much"),
    ],
)
def test_pain_zones(score: int, zone: str) -> None:
    assert pain_zone(score) == zone


@pytest.mark.parametrize("score", [-1, 11, 100])
def test_pain_out_of_range_is_refused(score: int) -> None:
    with pytest.raises(ValueError):
        pain_zone(score)


def test_a_days_screens_are_taken_together() -> None:
    assert screened_today([]) is None
    passed = screened_today([NO, NO])
    assert passed is not None and passed.passed
    both = screened_today([{**NO, "heel_pop": True}, NO, {**NO, "breathless": True}])
    assert both is not None and not both.passed
    assert {q.id for q in both.flagged} == {"heel_pop", "breathless"}
    assert both.urgency == "emergency"
    assert screened_today(iter([{**NO, "no_tiptoe": True}])).avoid == {"rupture"}  # type: ignore[union-attr]


def test_the_latest_earlier_day_with_screens_is_the_one_that_counts() -> None:
    monday, tuesday, today = date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 4)
    swollen = {**NO, "one_calf_swollen": True}
    # A yes and then a no on the same day: that day still said yes, whatever the order.
    for answers in ([swollen, NO], [NO, swollen]):
        found = last_screened([(monday, a) for a in answers], before=today)
        assert found is not None and found[0] == monday and not found[1].passed
        assert [q.id for q in found[1].flagged] == ["one_calf_swollen"]
    # A later day's screen with no throughout cleared it, in whatever order they come.
    for screens in ([(monday, swollen), (tuesday, NO)], [(tuesday, NO), (monday, swollen)]):
        assert last_screened(screens, before=today) == (tuesday, evaluate(NO))
    # A later day's yes stands over an earlier day's no.
    found = last_screened([(monday, NO), (tuesday, swollen)], before=today)
    assert found is not None and found[0] == tuesday and not found[1].passed
    # Only days before `before` count: the day itself and later days are not "earlier".
    assert last_screened([(today, swollen)], before=today) is None
    assert last_screened([(today + timedelta(days=1), swollen)], before=today) is None
    found = last_screened([(monday, swollen), (today, NO)], before=today)
    assert found is not None and found[0] == monday and not found[1].passed
    assert last_screened([], before=today) is None
