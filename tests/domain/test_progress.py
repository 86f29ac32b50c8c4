"""The lighter plan: what it does to a routine (which days are lighter: test_day.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from soleus.content import builtin_catalog, builtin_routines
from soleus.domain.catalog import Dosage
from soleus.domain.progress import LIGHTER_FACTOR, lighten, lighter_dosage

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


@pytest.mark.parametrize(
    ("dosage", "sets", "amount"),
    [
        (Dosage(kind="reps", sets=3, reps=15), 2, 9),
        (Dosage(kind="reps", sets=2, reps=4), 1, 3),  # reps never below 3
        (Dosage(kind="reps", sets=1, reps=2), 1, 2),  # nor above the original
        (Dosage(kind="hold", sets=3, seconds=30), 2, 18),
        (Dosage(kind="hold", sets=2, seconds=12), 1, 10),  # holds never below 10 s
        (Dosage(kind="hold", sets=1, seconds=8), 1, 8),
        (Dosage(kind="bout", sets=1, seconds=300), 1, 180),
    ],
)
def test_lighter_dosage_is_sixty_percent_within_its_floors(
    dosage: Dosage, sets: int, amount: float
) -> None:
    new = lighter_dosage(dosage, LIGHTER_FACTOR)
    assert new.sets == sets and new.kind == dosage.kind
    assert (new.reps if dosage.kind == "reps" else new.seconds) == amount
    assert new.tempo == dosage.tempo and new.sides == dosage.sides


@given(dosage_strategy)
def test_the_lighter_plan_is_lighter_wherever_it_can_be(dosage: Dosage) -> None:
    new = lighter_dosage(dosage, LIGHTER_FACTOR)
    if dosage.sets > 1:
        assert new.sets < dosage.sets
    if dosage.kind == "reps":
        assert dosage.reps is not None and new.reps is not None
        assert new.reps < dosage.reps or dosage.reps <= 3
    else:
        assert dosage.seconds is not None and new.seconds is not None
        assert new.seconds < dosage.seconds or dosage.seconds <= 10


def test_lighten_keeps_the_exercises_and_notes_and_names_the_plan() -> None:
    full = ROUTINES["full"]
    lighter = lighten(full, CATALOG)
    assert lighter.name == f"{full.name} (lighter)" and lighter.id == full.id
    assert [(b.exercise, b.note) for b in lighter.blocks] == [
        (b.exercise, b.note) for b in full.blocks
    ]
    assert [b.dosage for b in lighter.blocks] == [
        lighter_dosage(b.dosage_in(CATALOG), LIGHTER_FACTOR) for b in full.blocks
    ]
    assert lighter.blocks != full.blocks


def test_a_milder_factor_keeps_more_sets() -> None:
    two = Dosage("reps", sets=2, reps=10)
    assert lighter_dosage(two, 0.8).sets == 2  # round(1.6)
    assert lighter_dosage(two, LIGHTER_FACTOR).sets == 1  # round(1.2)
    assert lighter_dosage(Dosage("reps", sets=1, reps=10), 0.8).sets == 1
