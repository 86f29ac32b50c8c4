"""The lighter plan: what it does to a routine (which days are lighter: test_day.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from soleus.content import builtin_catalog, builtin_routines
from soleus.domain.catalog import Dosage
from soleus.domain.progress import lighten, lighter_dosage

CATALOG = builtin_catalog()
ROUTINES = builtin_routines()


def dosages(routine_id: str, advice_routine: object | None = None) -> list[Dosage]:
    routine = advice_routine or ROUTINES[routine_id]
    return [b.dosage or CATALOG[b.exercise].dosage for b in routine.blocks]  # type: ignore[attr-defined]


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
