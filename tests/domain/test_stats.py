"""Streaks, weeks, left/right balance and pain trend from plain rows."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from soleus.domain.stats import (
    NOT_ENOUGH,
    Balance,
    DayTotal,
    Volume,
    all_time,
    compute,
    pain_trend,
    streaks,
    week_start,
)

TODAY = date(2026, 3, 4)  # Wednesday


def d(n: int) -> date:
    return TODAY - timedelta(days=n)


def test_current_streak_counts_when_today_is_not_done_yet() -> None:
    assert streaks([d(1), d(2), d(3)], TODAY) == (3, 3)
    assert streaks([d(0), d(1), d(2), d(3)], TODAY) == (4, 4)


def test_a_gap_ends_the_current_streak() -> None:
    assert streaks([d(2), d(3)], TODAY) == (0, 2)
    assert streaks([d(0), d(2), d(3), d(4)], TODAY) == (1, 3)


def test_longest_streak_and_duplicates() -> None:
    days = [d(20), d(19), d(18), d(18), d(17), d(10), d(0)]
    assert streaks(days, TODAY) == (1, 4)
    assert streaks([], TODAY) == (0, 0)


def test_future_days_do_not_count_for_the_current_streak() -> None:
    assert streaks([TODAY + timedelta(days=1)], TODAY) == (0, 1)


@given(st.sets(st.integers(-5, 60)))
def test_streak_at_most_longest_at_most_active_days(offsets: set[int]) -> None:
    days = {d(n) for n in offsets}
    current, longest = streaks(days, TODAY)
    assert 0 <= current <= longest <= len(days)
    if d(0) in days or d(1) in days:
        assert current >= 1


def test_weeks_are_iso_weeks_from_monday() -> None:
    assert week_start(TODAY) == date(2026, 3, 2)
    assert week_start(date(2026, 3, 1)) == date(2026, 2, 23)  # Sunday
    rows = [
        DayTotal(date(2026, 3, 2), "soleus-pushup", "both", 1, 10, 0.0),  # this Monday
        DayTotal(date(2026, 3, 1), "soleus-pushup", "both", 2, 30, 0.0),  # last Sunday
        DayTotal(date(2026, 2, 23), "wall-calf-stretch", "left", 1, 0, 30.0),  # last Monday
        DayTotal(date(2026, 2, 22), "soleus-pushup", "both", 9, 99, 0.0),  # two weeks ago
    ]
    result = compute(rows, [], today=TODAY)
    assert (result.this_week.reps, result.this_week.days) == (10, 1)
    assert (result.last_week.reps, result.last_week.seconds, result.last_week.days) == (
        30,
        30.0,
        2,
    )
    assert result.active_days == 4


def test_asymmetry_sign_and_percentage() -> None:
    assert Balance("x", 10, 8, "reps").asymmetry_pct == 20.0  # left stronger: positive
    assert Balance("x", 8, 10, "reps").asymmetry_pct == -20.0
    assert Balance("x", 0, 0, "reps").asymmetry_pct == 0.0
    assert Balance("x", 0, 5, "seconds").asymmetry_pct == -100.0
    rows = [
        DayTotal(d(1), "wall-calf-stretch", "left", 2, 0, 60.0),
        DayTotal(d(1), "wall-calf-stretch", "right", 2, 0, 45.0),
        DayTotal(d(1), "soleus-pushup", "both", 2, 20, 0.0),  # no sides: no balance
        DayTotal(d(40), "downward-dog", "left", 1, 0, 30.0),  # outside the 28-day window
    ]
    [b] = compute(rows, [], today=TODAY).balance
    assert (b.exercise_id, b.left, b.right, b.unit) == ("wall-calf-stretch", 60.0, 45.0, "seconds")
    assert b.asymmetry_pct == 25.0


def test_pain_trend_compares_the_last_two_fortnights_by_worst_of_day() -> None:
    pain = [(d(20), 6), (d(20), 2), (d(16), 4), (d(3), 1), (d(3), 2), (d(0), 2)]
    result = compute([], pain, today=TODAY)
    assert result.pain_before == 5.0
    assert result.pain_recent == 2.0
    assert result.pain_trend == "better"
    assert compute([], [(d(20), 1), (d(1), 5)], today=TODAY).pain_trend == "worse"
    assert compute([], [(d(20), 3), (d(1), 3)], today=TODAY).pain_trend == "steady"
    assert compute([], [(d(1), 3)], today=TODAY).pain_trend == "not enough data"


def test_daily_reps_chart_has_28_days_ending_today() -> None:
    rows = [DayTotal(d(0), "soleus-pushup", "left", 1, 10, 0.0)]
    daily = compute(rows, [], today=TODAY).daily_reps
    assert len(daily) == 28
    assert daily[-1] == (TODAY, 10)
    assert daily[0][0] == d(27)


def test_pain_trend_within_a_fortnight_once_pain_is_reported_on_3_days() -> None:
    # The trial: pain 3, 6, 7 over four days and nothing before: the chart rises.
    rising = [(d(3), 3), (d(1), 6), (d(0), 7)]
    assert compute([], rising, today=TODAY).pain_trend == "worse"
    falling = [(d(9), 6), (d(5), 4), (d(5), 3), (d(2), 2)]
    assert compute([], falling, today=TODAY).pain_trend == "better"
    assert compute([], [(d(6), 3), (d(3), 4), (d(0), 3)], today=TODAY).pain_trend == "steady"
    two_days = [(d(1), 3), (d(1), 6), (d(0), 7)]  # three reports, two days: not enough
    assert compute([], two_days, today=TODAY).pain_trend == "not enough data"


def test_several_rows_a_day_add_up() -> None:
    rows = [
        DayTotal(d(0), "soleus-pushup", "left", 2, 20, 0.0),
        DayTotal(d(0), "soleus-pushup", "right", 2, 18, 0.0),
        DayTotal(d(0), "wall-calf-stretch", "left", 1, 0, 30.0),
        DayTotal(d(0), "wall-calf-stretch", "right", 1, 0, 25.0),
        DayTotal(d(1), "soleus-pushup", "both", 1, 50, 0.0),
        DayTotal(d(1), "soleus-pushup", "left", 1, 7, 0.0),
        DayTotal(d(8), "wall-calf-stretch", "left", 2, 0, 40.0),
        DayTotal(d(8), "wall-calf-stretch", "left", 1, 0, 15.0),
    ]
    result = compute(rows, [], today=TODAY)
    assert result.daily_reps[-1] == (TODAY, 38)
    assert result.daily_reps[-2] == (d(1), 57)
    assert result.daily_reps[-9] == (d(8), 0)
    week = result.this_week
    assert (week.sets, week.reps, week.seconds, week.days) == (8, 95, 55.0, 2)
    last = result.last_week
    assert (last.sets, last.seconds, last.days) == (3, 55.0, 1)
    assert result.per_exercise["soleus-pushup"].reps == 95
    assert result.per_exercise["wall-calf-stretch"].sets == 5
    assert result.per_exercise["wall-calf-stretch"].days == 2
    balance = {b.exercise_id: (b.left, b.right, b.unit) for b in result.balance}
    assert balance == {
        "soleus-pushup": (27.0, 18.0, "reps"),
        "wall-calf-stretch": (85.0, 25.0, "seconds"),
    }
    assert (result.active_days, result.current_streak) == (3, 2)


def test_the_worst_pain_of_a_day_counts_whatever_the_order() -> None:
    for pain in ([(d(2), 6), (d(2), 1)], [(d(2), 1), (d(2), 6)]):
        result = compute([], pain, today=TODAY)
        assert result.pain_series == [(d(2), 6)] and result.pain_recent == 6.0


def test_balance_words_say_which_leg_did_less() -> None:
    from soleus.domain.stats import Balance

    assert Balance("spu", 20, 10, "reps").words == "right 50% less than left"
    assert Balance("spu", 30, 40, "reps").words == "left 25% less than right"
    assert Balance("spu", 0, 30, "seconds").words == "right only"
    assert Balance("spu", 12, 12, "reps").words == "even"


def test_pain_trend_fortnights_start_and_end_on_the_right_day() -> None:
    # Day 13 back is the first recent day, day 14 the last "before" day, 27 the first.
    assert pain_trend([(d(14), 5), (d(0), 1)], TODAY) == "better"
    assert pain_trend([(d(13), 5), (d(0), 1)], TODAY) == NOT_ENOUGH  # both recent
    assert pain_trend([(d(27), 5), (d(0), 1)], TODAY) == "better"
    assert pain_trend([(d(28), 5), (d(0), 1)], TODAY) == NOT_ENOUGH  # too old to count
    # d(13) is recent only: counted in "before" too it would even the means out.
    assert pain_trend([(d(13), 2), (d(0), 0), (d(14), 0)], TODAY) == "worse"


def test_pain_trend_half_a_point_is_the_first_change_that_counts() -> None:
    before = [(d(20), 2)]
    assert pain_trend([*before, (d(1), 2), (d(0), 3)], TODAY) == "worse"  # +0.5
    assert pain_trend([*before, (d(1), 2), (d(0), 2)], TODAY) == "steady"
    assert pain_trend([*before, (d(0), 3)], TODAY) == "worse"  # +1
    assert pain_trend([(d(20), 3), (d(1), 3), (d(0), 2)], TODAY) == "better"  # -0.5


def test_pain_trend_line_uses_the_fitted_change_not_its_sign_alone() -> None:
    # A bump in the middle of four days: the fitted line barely moves, so steady.
    assert pain_trend([(d(3), 0), (d(2), 1), (d(1), 0), (d(0), 0)], TODAY) == "steady"


def test_balance_window_is_the_last_28_days_including_today() -> None:
    rows = [
        DayTotal(d(27), "wall-calf-stretch", "left", 1, 0, 30.0),
        DayTotal(d(28), "wall-calf-stretch", "left", 1, 0, 50.0),  # a day too old
        DayTotal(d(0), "wall-calf-stretch", "right", 1, 0, 20.0),
    ]
    [b] = compute(rows, [], today=TODAY).balance
    assert (b.left, b.right) == (30.0, 20.0)


def test_pain_averages_cover_two_fortnights_to_two_decimals() -> None:
    pain = [(d(0), 1), (d(13), 3), (d(14), 5), (d(27), 7), (d(28), 10)]
    result = compute([], pain, today=TODAY)
    assert (result.pain_recent, result.pain_before) == (2.0, 6.0)
    thirds = [(d(0), 1), (d(1), 1), (d(2), 2), (d(15), 2), (d(16), 2), (d(17), 1)]
    result = compute([], thirds, today=TODAY)
    assert (result.pain_recent, result.pain_before) == (1.33, 1.67)


def test_a_day_with_pain_zero_counts_as_zero() -> None:
    result = compute([], [(d(2), 0), (d(1), 0)], today=TODAY)
    assert result.pain_series == [(d(2), 0), (d(1), 0)]
    assert result.pain_recent == 0.0


def test_daily_reps_are_zero_on_days_without_rows_and_streaks_are_reported() -> None:
    rows = [DayTotal(d(n), "soleus-pushup", "both", 1, 5, 0.0) for n in (1, 2, 10, 11, 12)]
    result = compute(rows, [], today=TODAY)
    assert result.daily_reps[0] == (d(27), 0)
    assert result.daily_reps[-1] == (TODAY, 0)
    assert (result.current_streak, result.longest_streak) == (2, 3)


def test_volume_as_dict_names_each_figure_and_rounds_seconds() -> None:
    figures = Volume(sets=1, reps=2, seconds=3.14159, days=4).as_dict()
    assert figures == {"sets": 1, "reps": 2, "seconds": 3.1, "days": 4}


def test_all_time_sums_day_rows_per_exercise_and_counts_each_row_as_a_day() -> None:
    rows = [
        (d(3), "soleus-pushup", 2, 20, 0.0),
        (d(3), "wall-calf-stretch", 3, 0, 90.0),
        (d(1), "soleus-pushup", 1, 8, 0.0),
        (d(2), "wall-calf-stretch", 2, 0, 60.0),  # a hold's seconds add up over its days
    ]
    days, totals = all_time(rows)
    assert days == {d(3), d(2), d(1)}
    assert totals == {
        "soleus-pushup": Volume(sets=3, reps=28, seconds=0.0, days=2),
        "wall-calf-stretch": Volume(sets=5, reps=0, seconds=150.0, days=2),
    }
    assert all_time([]) == (set(), {})
