"""Hypothesis: random policies and activity traces never break the reminder rules."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import date, datetime
from zoneinfo import ZoneInfo

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from soleus.domain.snacks.engine import Answer, Engine, Nudge, simulate
from soleus.domain.snacks.policy import RemindPolicy, Window, in_windows, merge
from soleus.errors import SoleusError

TZ = ZoneInfo("Europe/Berlin")
DAY = date(2026, 3, 2)  # a Monday
START = datetime(2026, 3, 2, 6, 0, tzinfo=TZ).timestamp()


@st.composite
def windows(draw: st.DrawFn, lo: int, hi: int, most: int) -> tuple[Window, ...]:
    out = []
    for _ in range(draw(st.integers(0, most))):
        a = draw(st.integers(lo, hi - 15))
        b = draw(st.integers(a + 15, min(hi, a + 300)))
        out.append(Window(a, b))
    return merge(out)


@st.composite
def policies(draw: st.DrawFn) -> RemindPolicy:
    work = draw(windows(7 * 60, 19 * 60, 3))
    assume(work)
    interval = draw(st.sampled_from([20, 25, 30, 45, 60]))
    policy = RemindPolicy(
        week=(work,) * 7,
        quiet=draw(windows(0, 24 * 60, 2)),
        interval_s=interval * 60,
        break_s=draw(st.integers(2, min(10, interval - 1))) * 60,
        target=draw(st.integers(0, 6)),
        snooze_s=draw(st.integers(1, interval - 1)) * 60,
        snooze_limit=draw(st.integers(0, 3)),
        answer_timeout_s=draw(st.integers(1, 20)) * 60,
        strict=draw(st.booleans()),
        stop_at_target=draw(st.booleans()),
    )
    try:
        policy.check()
    except SoleusError:
        assume(False)
    return policy


traces = st.lists(st.tuples(st.integers(1, 90), st.booleans()), min_size=1, max_size=40)


def runs_of(trace: list[tuple[int, bool]]) -> list[tuple[float, float, bool]]:
    out, t = [], START
    for minutes, active in trace:
        out.append((t, t + minutes * 60, active))
        t += minutes * 60
    return out


@settings(max_examples=150, deadline=None)
@given(
    policy=policies(),
    trace=traces,
    answers=st.lists(st.sampled_from(["taken", "skipped", "snoozed", None]), min_size=1),
)
def test_nudges_respect_hours_quiet_gap_and_snooze_limit(
    policy: RemindPolicy, trace: list[tuple[int, bool]], answers: list[Answer | None]
) -> None:
    engine = Engine(policy, TZ)
    available = policy.day_windows(DAY, TZ)
    replies = iter(answers * 50)

    def respond(nudge: Nudge) -> tuple[Answer, str] | None:
        choice = next(replies)
        if choice is None:
            return None
        if choice == "snoozed" and nudge.snoozes_left == 0:
            choice = "taken"
        return (choice, "busy")

    got = [e for e in simulate(engine, runs_of(trace), respond, step=60) if isinstance(e, Nudge)]
    for nudge in got:
        # never outside working hours, never in quiet time
        assert in_windows(available, nudge.at)
        assert 0 <= nudge.snoozes_left <= policy.snooze_limit
    fresh = [n.at for n in got if not n.repeat]
    assert all(b - a >= policy.interval_s for a, b in itertools.pairwise(fresh))
    repeats = Counter(n.number for n in got if n.repeat)
    assert all(count <= policy.snooze_limit for count in repeats.values())
    if policy.stop_at_target:
        assert engine.taken <= policy.target


@settings(max_examples=150, deadline=None)
@given(policy=policies())
def test_target_is_reached_when_the_day_allows(policy: RemindPolicy) -> None:
    """Sitting all day and taking every snack meets the target whenever the day's
    free working time holds ``target`` intervals."""
    minutes = sum(w.minutes for w in policy.available(DAY.weekday()))
    assume(policy.target * policy.interval_s / 60 <= minutes)
    engine = Engine(policy, TZ)
    end = datetime(2026, 3, 2, 23, 0, tzinfo=TZ).timestamp()
    list(simulate(engine, [(START, end, True)], lambda _n: ("taken", ""), step=60))
    assert engine.taken >= policy.target
