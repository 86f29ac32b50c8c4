"""Adherence rows: done vs prescribed over the window, pain trend, inactivity, sorting."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from soleus.domain.adherence import Facts, planned, row, sort, trend
from soleus.domain.catalog import Dosage
from soleus.domain.prescription import PrescribedExercise, Prescription, Step

MONDAY = date(2026, 3, 2)
RX = Prescription(
    patient_id="p",
    exercises=(
        PrescribedExercise(
            "soleus-pushup",
            (
                Step(1, 1, Dosage(kind="reps", sets=2, reps=10)),
                Step(2, None, Dosage(kind="reps", sets=3, reps=10)),
            ),
        ),
    ),
    days=frozenset({0, 2, 4}),  # Monday, Wednesday, Friday
    per_day=2,
    start=MONDAY,
)


def test_planned_counts_prescribed_days_times_per_day_at_each_days_step() -> None:
    assert planned(RX, MONDAY, MONDAY + timedelta(days=6)) == (6, 3 * 2 * 2 * 10)
    assert planned(RX, MONDAY + timedelta(days=7), MONDAY + timedelta(days=13)) == (
        6,
        3 * 2 * 3 * 10,
    )
    assert planned(None, MONDAY, MONDAY) == (0, 0)
    assert planned(RX, MONDAY - timedelta(days=7), MONDAY - timedelta(days=1)) == (0, 0)


def test_a_row_takes_pain_in_the_window_only_and_marks_inactivity() -> None:
    today = MONDAY + timedelta(days=6)
    facts = Facts(
        "p",
        "pat",
        sessions_done=3,
        pain_by_day={MONDAY - timedelta(days=1): 9, MONDAY: 2, today: 5},
        effort_total=11,
        effort_count=2,
        last_active=MONDAY + timedelta(days=2),
    )
    r = row(facts, RX, today=today)
    assert (r.sessions_done, r.sessions_planned, r.adherence) == (3, 6, 0.5)
    assert r.pain_worst == 5 and r.pain_trend == 3.0 and r.effort_mean == 5.5
    assert r.inactive_days == 4 and r.is_inactive(3) and not r.is_inactive(5)
    assert row(Facts("q", "new"), None, today=today).is_inactive(3)  # never active


def test_trend_needs_both_halves() -> None:
    assert trend({MONDAY: 4}, MONDAY, MONDAY + timedelta(days=6)) is None


def test_sort_puts_empty_values_last_either_way_and_refuses_unknown_columns() -> None:
    today = MONDAY + timedelta(days=6)
    rows = [
        row(Facts("a", "ann", pain_by_day={MONDAY: 3}), RX, today=today),
        row(Facts("b", "bob"), RX, today=today),
        row(Facts("c", "cyd", pain_by_day={MONDAY: 7}), RX, today=today),
    ]
    assert [r.patient for r in sort(rows, "pain_worst")] == ["ann", "cyd", "bob"]
    assert [r.patient for r in sort(rows, "pain_worst", descending=True)] == ["cyd", "ann", "bob"]
    assert [r.patient for r in sort(rows, "patient", descending=True)] == ["cyd", "bob", "ann"]
    with pytest.raises(ValueError, match="sort by one of"):
        sort(rows, "nonsense")
