"""The pain-monitoring rule: when today's plan gets lighter, or becomes rest."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from soleus.content import builtin_catalog, builtin_routines
from soleus.domain.catalog import Dosage
from soleus.domain.progress import PainReport, advise, lighten, lighter_dosage

TODAY = date(2026, 3, 4)
YESTERDAY = TODAY - timedelta(days=1)
CATALOG = builtin_catalog()
ROUTINES = builtin_routines()


def dosages(routine_id: str, advice_routine: object | None = None) -> list[Dosage]:
    routine = advice_routine or ROUTINES[routine_id]
    return [b.dosage or CATALOG[b.exercise].dosage for b in routine.blocks]  # type: ignore[attr-defined]


def run(pain: list[PainReport], **kw: object) -> str:
    return advise(ROUTINES["desk"], CATALOG, today=TODAY, pain=pain, **kw).level  # type: ignore[arg-type]


def test_no_pain_keeps_the_plan() -> None:
    advice = advise(ROUTINES["desk"], CATALOG, today=TODAY, pain=[])
    assert advice.level == "normal" and advice.routine == ROUTINES["desk"]


@pytest.mark.parametrize("context", ["during", "after", "other"])
def test_pain_above_5_yesterday_makes_today_lighter(context: str) -> None:
    assert run([PainReport(YESTERDAY, 6, context)]) == "lighter"
    assert run([PainReport(YESTERDAY, 5, context)]) == "normal"


def test_old_high_pain_is_forgotten() -> None:
    assert run([PainReport(TODAY - timedelta(days=2), 9, "after")]) == "normal"


def test_morning_pain_worse_than_the_evening_before_makes_it_lighter() -> None:
    worse = [PainReport(YESTERDAY, 2, "after"), PainReport(TODAY, 3, "morning")]
    settled = [PainReport(YESTERDAY, 4, "after"), PainReport(TODAY, 3, "morning")]
    same = [PainReport(YESTERDAY, 3, "after"), PainReport(TODAY, 3, "morning")]
    assert run(worse) == "lighter"
    assert run(settled) == "normal"
    assert run(same) == "normal"


def test_a_failed_screen_means_rest_whatever_the_pain() -> None:
    advice = advise(ROUTINES["full"], CATALOG, today=TODAY, pain=[], screen_failed=True)
    assert advice.level == "rest" and advice.routine is None


def test_the_stop_threshold_is_a_setting() -> None:
    assert run([PainReport(YESTERDAY, 4, "after")], stop=3) == "lighter"


@pytest.mark.parametrize("routine_id", sorted(ROUTINES))
def test_lighter_never_exceeds_the_original_and_keeps_a_set(routine_id: str) -> None:
    lighter = lighten(ROUTINES[routine_id], CATALOG)
    assert [b.exercise for b in lighter.blocks] == [b.exercise for b in ROUTINES[routine_id].blocks]
    for old, new in zip(dosages(routine_id), dosages(routine_id, lighter), strict=True):
        assert 1 <= new.sets <= old.sets
        assert new.kind == old.kind
        if old.reps is not None:
            assert new.reps is not None and 1 <= new.reps <= old.reps
        if old.seconds is not None:
            assert new.seconds is not None and 0 < new.seconds <= old.seconds
    total_old = sum(d.sets * (d.reps or d.seconds or 0) for d in dosages(routine_id))
    total_new = sum(d.sets * (d.reps or d.seconds or 0) for d in dosages(routine_id, lighter))
    assert total_new < total_old or total_old == len(ROUTINES[routine_id].blocks)


dosage_strategy = st.one_of(
    st.builds(
        lambda sets, reps: Dosage(kind="reps", sets=sets, reps=reps),
        st.integers(1, 20),
        st.integers(1, 500),
    ),
    st.builds(
        lambda kind, sets, secs: Dosage(kind=kind, sets=sets, seconds=secs),
        st.sampled_from(["hold", "bout"]),
        st.integers(1, 20),
        st.floats(1, 3600),
    ),
)


@given(dosage_strategy, st.floats(0.1, 1.0))
def test_lighter_dosage_bounds(dosage: Dosage, factor: float) -> None:
    new = lighter_dosage(dosage, factor)
    assert 1 <= new.sets <= dosage.sets
    if dosage.kind == "reps":
        assert new.reps is not None and dosage.reps is not None
        assert 1 <= new.reps <= dosage.reps
    else:
        assert new.seconds is not None and dosage.seconds is not None
        assert 1 <= new.seconds <= dosage.seconds


reports = st.lists(
    st.builds(
        PainReport,
        st.integers(0, 4).map(lambda n: TODAY - timedelta(days=n)),
        st.integers(0, 10),
        st.sampled_from(["during", "after", "morning", "other"]),
    ),
    max_size=8,
).map(lambda ps: sorted(ps, key=lambda p: p.day))


@given(reports, st.booleans())
def test_advice_over_random_pain_sequences(pain: list[PainReport], failed: bool) -> None:
    advice = advise(ROUTINES["desk"], CATALOG, today=TODAY, pain=pain, screen_failed=failed)
    recent_high = any(
        p.score > 5 and p.context != "morning" and p.day in (TODAY, YESTERDAY) for p in pain
    )
    morning = [p for p in pain if p.day == TODAY and p.context == "morning"]
    evening = [p for p in pain if p.day == YESTERDAY and p.context != "morning"]
    worse = bool(morning and evening) and morning[-1].score > max(p.score for p in evening)
    stop_today = any(
        p.score > 5 and p.day == TODAY and p.context in ("during", "after") for p in pain
    )
    if failed or stop_today:
        assert advice.level == "rest" and advice.routine is None
    elif recent_high or worse or (morning and morning[-1].score > 5):
        assert advice.level == "lighter"
        assert advice.routine is not None
        for old, new in zip(dosages("desk"), dosages("desk", advice.routine), strict=True):
            assert 1 <= new.sets <= old.sets
    else:
        assert advice.level == "normal" and advice.routine == ROUTINES["desk"]
    if all(p.score <= 5 for p in pain) and not failed and not worse:
        assert advice.level == "normal"


@pytest.mark.parametrize("score", [6, 7, 9])
@pytest.mark.parametrize("context", ["during", "after"])
def test_pain_above_5_during_or_after_exercise_today_means_rest(score: int, context: str) -> None:
    # The model has one threshold: 7/10 and 9/10 are the same stop.
    advice = advise(
        ROUTINES["desk"], CATALOG, today=TODAY, pain=[PainReport(TODAY, score, context)]
    )
    assert advice.level == "rest" and advice.routine is None
    assert "no more exercise today" in advice.reason and "Tomorrow" in advice.reason
    assert run([PainReport(TODAY, 5, context)]) == "normal"


def test_other_pain_above_5_today_makes_it_lighter_not_rest() -> None:
    assert run([PainReport(TODAY, 7, "other")]) == "lighter"
