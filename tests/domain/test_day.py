"""A day's state: normal, lighter, rest or stopped, decided in one place."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from soleus.content import builtin_catalog, builtin_routines
from soleus.domain.day import ADVICE, LEVELS, DayState, PainReport, decide_day
from soleus.domain.safety import RED_FLAGS, ScreenResult, evaluate

TODAY = date(2026, 3, 4)
YESTERDAY = TODAY - timedelta(days=1)
CATALOG = builtin_catalog()
ROUTINES = builtin_routines()
CONTEXTS = ("during", "after", "morning", "other")
NO = {q.id: False for q in RED_FLAGS}


def decide(pain: list[PainReport], screen: ScreenResult | None = None, **kw: Any) -> DayState:
    return decide_day(
        today=TODAY, pain=pain, screen=screen, routine=ROUTINES["desk"], catalog=CATALOG, **kw
    )


def level(pain: list[PainReport], **kw: Any) -> str:
    return decide(pain, None, **kw).level


def yes(question: str) -> ScreenResult:
    return evaluate({**NO, question: True})


def test_no_pain_is_the_usual_plan() -> None:
    state = decide([])
    assert state.level == "normal" and state.plan == ROUTINES["desk"]
    assert state.allows_exercise and "Not medical advice." in state.advice


@pytest.mark.parametrize("context", CONTEXTS)
@pytest.mark.parametrize("score", [6, 7, 9])
def test_pain_above_stop_today_in_any_context_is_rest(context: str, score: int) -> None:
    state = decide([PainReport(TODAY, score, context)])
    assert state.level == "rest" and state.plan is None and not state.allows_exercise
    assert f"Pain was {score}/10" in state.reason and "above 5" in state.reason
    assert "no exercise until tomorrow" in state.advice
    assert "medical advice" in state.advice and "Not medical advice." in state.advice


@pytest.mark.parametrize("context", CONTEXTS)
@pytest.mark.parametrize("score", [4, 5])
def test_pain_from_warn_to_stop_today_is_lighter(context: str, score: int) -> None:
    state = decide([PainReport(TODAY, score, context)])
    assert state.level == "lighter" and state.plan is not None
    assert state.plan.name == "Desk break (lighter)"
    assert state.advice == ADVICE["lighter"]


def test_pain_below_warn_is_normal_and_the_thresholds_are_settings() -> None:
    assert level([PainReport(TODAY, 3, "after")]) == "normal"
    assert level([PainReport(TODAY, 3, "after")], warn=3) == "lighter"
    assert level([PainReport(TODAY, 4, "after")], stop=3) == "rest"


@pytest.mark.parametrize("context", CONTEXTS)
def test_the_day_after_a_rest_day_is_lighter(context: str) -> None:
    state = decide([PainReport(YESTERDAY, 7, context)])
    assert state.level == "lighter" and "Yesterday was a rest day" in state.reason
    assert level([PainReport(YESTERDAY, 5, context)]) == "normal"
    assert level([PainReport(TODAY - timedelta(days=2), 9, context)]) == "normal"


def test_morning_pain_worse_than_after_yesterdays_exercise_is_lighter() -> None:
    worse = [PainReport(YESTERDAY, 1, "after"), PainReport(TODAY, 2, "morning")]
    settled = [PainReport(YESTERDAY, 3, "after"), PainReport(TODAY, 2, "morning")]
    same = [PainReport(YESTERDAY, 2, "after"), PainReport(TODAY, 2, "morning")]
    state = decide(worse)
    assert state.level == "lighter" and "worse than after yesterday" in state.reason
    assert level(settled) == "normal" and level(same) == "normal"


def test_a_yes_on_the_screen_stops_the_day_with_care_advice() -> None:
    state = decide([], yes("one_calf_swollen"))
    assert state.level == "stopped" and state.plan is None and not state.allows_exercise
    assert "Stop: no exercise today." in state.advice
    assert "blood clot" in state.advice and "NHS 111" in state.advice
    assert "emergency number" in state.advice and "again tomorrow" in state.advice
    assert "Not medical advice." in state.advice
    assert decide([], evaluate(NO)).level == "normal"  # a passed screen changes nothing


def test_every_level_has_its_own_words() -> None:
    states = [
        decide([]),
        decide([PainReport(TODAY, 4, "after")]),
        decide([PainReport(TODAY, 8, "after")]),
        decide([], yes("heel_pop")),
    ]
    assert [s.level for s in states] == list(LEVELS)
    assert len({s.advice for s in states}) == 4
    assert all(s.words == f"{s.reason} {s.advice}" for s in states)


def test_without_a_routine_there_is_no_plan_and_the_words_are_the_same() -> None:
    pain = [PainReport(TODAY, 4, "morning")]
    bare = decide_day(today=TODAY, pain=pain)
    assert bare.plan is None and bare.words == decide(pain).words


reports = st.lists(
    st.builds(
        PainReport,
        st.integers(0, 3).map(lambda n: TODAY - timedelta(days=n)),
        st.integers(0, 10),
        st.sampled_from(CONTEXTS),
    ),
    max_size=8,
)
screens = st.one_of(st.none(), st.sampled_from([q.id for q in RED_FLAGS]).map(yes))


def rank(state: DayState) -> int:
    return LEVELS.index(state.level)


@given(reports, screens)
def test_the_plan_matches_the_level(pain: list[PainReport], screen: ScreenResult | None) -> None:
    state = decide(pain, screen)
    if state.level == "normal":
        assert state.plan == ROUTINES["desk"]
    elif state.level == "lighter":
        assert state.plan is not None and state.plan.name.endswith("(lighter)")
    else:
        assert state.plan is None
    assert "Not medical advice." in state.advice


@given(reports, screens, st.integers(0, 10), st.sampled_from(CONTEXTS))
def test_a_higher_pain_today_never_makes_the_day_milder(
    pain: list[PainReport], screen: ScreenResult | None, score: int, context: str
) -> None:
    today = [p.score for p in pain if p.day == TODAY]
    higher = max([score, *today])
    before = decide(pain, screen)
    after = decide([*pain, PainReport(TODAY, higher, context)], screen)
    assert rank(after) >= rank(before)


@given(reports, screens)
def test_stopped_beats_everything(pain: list[PainReport], screen: ScreenResult | None) -> None:
    state = decide(pain, screen)
    assert (state.level == "stopped") == (screen is not None)


@given(reports)
def test_rest_exactly_when_pain_today_is_above_stop(pain: list[PainReport]) -> None:
    state = decide(pain)
    assert (state.level == "rest") == any(p.day == TODAY and p.score > 5 for p in pain)


@given(reports)
def test_order_of_reports_does_not_matter(pain: list[PainReport]) -> None:
    assert decide(pain) == decide(list(reversed(pain)))


@given(reports)
def test_normal_only_without_any_warning(pain: list[PainReport]) -> None:
    today = [p for p in pain if p.day == TODAY]
    yesterday = [p for p in pain if p.day == YESTERDAY]
    morning = max((p.score for p in today if p.context == "morning"), default=None)
    evening = max((p.score for p in yesterday if p.context != "morning"), default=None)
    warned = (
        any(p.score >= 4 for p in today)
        or any(p.score > 5 for p in yesterday)
        or (morning is not None and evening is not None and morning > evening)
    )
    assert (decide(pain).level == "normal") == (not warned)


@pytest.mark.parametrize("stop", [3, 7])
def test_a_custom_stop_decides_today_and_yesterday(stop: int) -> None:
    """Pain 6: a rest day above stop 3, a warning under stop 7; the next day likewise."""
    state = decide([PainReport(TODAY, 6, "after")], stop=stop)
    assert state.level == ("rest" if stop == 3 else "lighter")
    if stop == 3:
        assert state.reason == "Pain was 6/10 after exercise today, above 3."
    after = decide([PainReport(YESTERDAY, 6, "during")], stop=stop)
    if stop == 3:
        assert after.level == "lighter"
        assert after.reason == "Yesterday was a rest day (pain 6/10, above 3)."
    else:
        assert after.level == "normal"


def test_a_custom_warn_at_the_edges() -> None:
    assert level([PainReport(TODAY, 2, "morning")], warn=2) == "lighter"
    assert level([PainReport(TODAY, 1, "morning")], warn=2) == "normal"
    assert level([PainReport(TODAY, 6, "after")], warn=6, stop=7) == "lighter"


def test_pain_at_the_ends_of_the_scale() -> None:
    assert level([PainReport(TODAY, 0, "after")]) == "normal"
    assert level([PainReport(TODAY, 10, "morning")]) == "rest"
    state = decide([PainReport(TODAY, 10, "during")])
    assert state.reason == "Pain was 10/10 during exercise today, above 5."


def test_worse_this_morning_says_the_lighter_words_with_or_without_a_routine() -> None:
    pain = [PainReport(YESTERDAY, 1, "after"), PainReport(TODAY, 2, "morning")]
    for state in (decide(pain), decide_day(today=TODAY, pain=pain)):
        assert state.level == "lighter" and state.advice == ADVICE["lighter"]
        assert state.reason == (
            "Pain this morning (2/10) is worse than after yesterday's exercise (1/10)."
        )
    assert decide_day(today=TODAY, pain=pain).plan is None
    assert decide(pain).plan is not None


def test_of_equal_scores_the_one_closest_to_exercise_gives_the_reason() -> None:
    for order in (1, -1):
        pain = [
            PainReport(TODAY, 7, "other"),
            PainReport(TODAY, 7, "during"),
            PainReport(TODAY, 7, "morning"),
        ][::order]
        assert decide(pain).reason == "Pain was 7/10 during exercise today, above 5."
    higher = [PainReport(TODAY, 6, "during"), PainReport(TODAY, 8, "other")]
    assert decide(higher).reason == "Pain was 8/10 today, above 5."


@pytest.mark.parametrize("score", [4, 7])
def test_a_context_of_its_own_reads_as_today(score: int) -> None:
    for pain in (
        [PainReport(TODAY, score, "at the desk")],
        [PainReport(TODAY, score, "at the desk"), PainReport(TODAY, score, "other")],
    ):
        assert decide(pain).reason.startswith(f"Pain was {score}/10 today")


def test_a_yes_on_an_earlier_day_stands_until_a_later_screen_says_no_throughout() -> None:
    days_ago = TODAY - timedelta(days=3)
    earlier = (days_ago, yes("one_calf_swollen"))
    state = decide([], None, earlier=earlier)
    assert state.level == "stopped" and state.plan is None and not state.allows_exercise
    assert state.reason == "You answered yes to a safety question on Sunday 1 March."
    assert state.advice.startswith("Stop: no exercise until you take the safety check again")
    assert RED_FLAGS[0].advice in state.advice  # pointed to care again
    assert "Not medical advice." in state.advice
    # The stop is cleared by today's screen with no throughout, and only by that: then
    # the pain rule decides as on any day.
    assert decide([], evaluate(NO), earlier=earlier).level == "normal"
    assert decide([PainReport(TODAY, 4, "morning")], evaluate(NO), earlier=earlier).level == (
        "lighter"
    )
    assert decide([], yes("heel_pop"), earlier=earlier).reason == (
        "You answered yes to a safety question today."
    )
    # An earlier day whose screens said no throughout changes nothing.
    assert decide([], None, earlier=(days_ago, evaluate(NO))).level == "normal"


def test_a_warning_names_when_the_pain_came() -> None:
    state = decide([PainReport(TODAY, 4, "during")])
    assert state.level == "lighter"
    assert state.reason.startswith("Pain was 4/10 during exercise today: acceptable")


def test_a_context_of_its_own_ranks_below_the_known_ones() -> None:
    # equal scores: the known context (this morning) gives the reason, whatever the order
    for order in (1, -1):
        pain = [PainReport(TODAY, 7, "at the desk"), PainReport(TODAY, 7, "morning")][::order]
        assert decide(pain).reason == "Pain was 7/10 this morning, above 5."
