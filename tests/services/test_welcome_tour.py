"""The first-run welcome: due once, checked before anything is written, and no snack
nudge before it is done or skipped (nor within one interval after)."""

from __future__ import annotations

import tomllib
from datetime import timedelta

import pytest

from soleus.domain.clock import FakeClock
from soleus.domain.safety import RED_FLAGS
from soleus.services.context import Context
from soleus.services.safety import screen
from soleus.services.snacks import live
from soleus.services.snacks import records as snack_records
from soleus.services.snacks import settings as snack_settings
from soleus.services.welcome import tour
from soleus.settings.load import CONFIG_NAME

NO = {q.id: "no" for q in RED_FLAGS}


def test_a_newcomer_gets_the_welcome_once_and_a_skip_ends_it(fresh_ctx: Context) -> None:
    assert tour.pending(fresh_ctx)
    tour.skip(fresh_ctx)
    assert not tour.pending(fresh_ctx)
    assert tour.outcome(fresh_ctx) == "skipped"


def test_the_goals_are_the_three_built_in_routines_with_their_size(fresh_ctx: Context) -> None:
    goals = tour.goals(fresh_ctx)
    assert [g.routine_id for g in goals] == ["desk", "spu-bout", "full"]
    bout = goals[1]
    assert bout.sets == 1 and bout.minutes == 5  # five minutes, one bout


def test_finishing_records_the_screen_writes_the_hours_and_keeps_other_settings(
    fresh_ctx: Context,
) -> None:
    path = fresh_ctx.settings.config_dir / CONFIG_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('# mine\npain_warn = 3\n\n[remind]\ntarget = 5\nquiet = "12:00-12:30"\n')
    done = tour.finish(fresh_ctx, {**NO, "goal": "spu-bout", "hours": "08:30-16:30"})
    assert done.routine_id == "spu-bout" and done.screen.passed
    assert not screen.screen_due(fresh_ctx)  # the first session needs no second screen
    text = path.read_text()
    assert text.startswith("# mine\npain_warn = 3\n")
    remind = tomllib.loads(text)["remind"]
    assert remind == {"target": 5, "quiet": "12:00-12:30", "hours": "08:30-16:30"}
    assert snack_settings.current(fresh_ctx.settings.config_dir)[0].hours == "08:30-16:30"
    assert tour.outcome(fresh_ctx) == "done"


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"heel_pop": ""}, "heel_pop", "Please answer yes or no"),
        ({"goal": "nope"}, "goal", "Please choose a goal"),
        ({"hours": ""}, "hours", "HH:MM-HH:MM"),
        ({"hours": "9 to 5"}, "hours", "9 to 5"),
        ({"hours": "17:00-09:00"}, "hours", "17:00-09:00"),
    ],
)
def test_a_bad_answer_names_its_field_and_nothing_is_written(
    fresh_ctx: Context, change: dict[str, str], field: str, words: str
) -> None:
    form = {**NO, "goal": "desk", "hours": "09:00-17:00", **change}
    with pytest.raises(tour.Problems) as caught:
        tour.finish(fresh_ctx, form)
    [problem] = caught.value.problems
    assert problem.field == field
    assert words in problem.message
    assert "\n" not in str(caught.value)
    assert tour.pending(fresh_ctx)
    assert screen.screen_due(fresh_ctx)
    assert not (fresh_ctx.settings.config_dir / CONFIG_NAME).exists()


def test_every_bad_answer_is_named_at_once(fresh_ctx: Context) -> None:
    with pytest.raises(tour.Problems) as caught:
        tour.finish(fresh_ctx, {"breathless": "no", "goal": "", "hours": "soon"})
    fields = [p.field for p in caught.value.problems]
    assert fields == ["one_calf_swollen", "heel_pop", "no_tiptoe", "goal", "hours"]
    assert tour.pending(fresh_ctx)


def test_a_yes_stops_the_day_and_still_ends_the_welcome(fresh_ctx: Context) -> None:
    done = tour.finish(
        fresh_ctx, {**NO, "breathless": "yes", "goal": "desk", "hours": "9:00-17:00"}
    )
    assert not done.screen.passed
    assert screen.failed_today(fresh_ctx)
    assert not tour.pending(fresh_ctx)


def test_no_nudge_before_the_welcome_nor_in_the_first_interval_after(fresh_ctx: Context) -> None:
    clock = fresh_ctx.clock
    assert isinstance(clock, FakeClock)  # 10:00 in Berlin on a Wednesday: working hours
    interval = snack_records.policy(fresh_ctx).interval_s
    # Two hours on the welcome page: no nudge, and no sitting counted.
    for _ in range(120):
        clock.advance(60)
        state = live.activity(fresh_ctx, 0.0)
        assert state["nudge"] is None and state["welcome"] is True
    tour.skip(fresh_ctx)
    first_use = clock.now()
    states = []
    for _ in range(int(interval / 60) + 30):
        clock.advance(60)
        states.append((clock.now() - first_use, live.activity(fresh_ctx, 0.0)))
    nudged = [after for after, s in states if s["nudge"] is not None]
    assert nudged, "a nudge comes once the person has sat for the interval"
    assert nudged[0] >= timedelta(seconds=interval)
