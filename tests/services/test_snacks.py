"""Nudge logging, day statistics, preview and the iCalendar export, on a temp SQLite."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from soleus.domain.clock import FakeClock
from soleus.domain.snacks.engine import Nudge
from soleus.domain.snacks.menu import Suggestion
from soleus.services import open_context
from soleus.services.context import Context
from soleus.services.snacks import records as snacks
from soleus.services.welcome import tour
from soleus.settings import Settings

MONDAY = date(2026, 1, 5)


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[Context]:
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "config.toml").write_text(
        'timezone = "Europe/Berlin"\n[remind]\ntarget = 3\nquiet = "12:00-13:00"\n',
        encoding="utf-8",
    )
    settings = Settings.load(
        env={"SOLEUS_DATA_DIR": str(tmp_path / "d"), "SOLEUS_CONFIG_DIR": str(tmp_path / "c")}
    )
    clock = FakeClock(datetime(2026, 1, 5, 8, 0, tzinfo=UTC))
    context = open_context(settings, clock)
    tour.skip(context)  # past the first-run welcome: nudges may come
    yield context
    context.store.close()


def nudge(at: datetime, number: int) -> Nudge:
    tip = Suggestion("desk", "Soleus pushup sets", "2 sets of 10")
    return Nudge(at.timestamp(), number, "sitting", 1800.0, 2, tip)


def test_day_statistics_count_every_outcome(ctx: Context) -> None:
    t = datetime(2026, 1, 5, 8, 30, tzinfo=UTC)
    a = snacks.record_nudge(ctx, nudge(t, 1))
    snacks.record_answer(ctx, a, "snoozed", t)
    snacks.record_answer(ctx, a, "taken", t + timedelta(minutes=5))
    b = snacks.record_nudge(ctx, nudge(t + timedelta(hours=1), 2))
    snacks.record_answer(ctx, b, "skipped", t + timedelta(hours=1), "meeting")
    c = snacks.record_nudge(ctx, nudge(t + timedelta(hours=2), 3))
    snacks.record_answer(ctx, c, "expired", t + timedelta(hours=2, minutes=10))
    snacks.record_nudge(ctx, nudge(t + timedelta(hours=3), 4))
    span = snacks.record_span(ctx, "sitting", t, t + timedelta(minutes=20))
    snacks.record_span(ctx, "sitting", t, t + timedelta(minutes=40), span)  # extended
    snacks.record_span(ctx, "break", t + timedelta(minutes=40), t + timedelta(minutes=47))
    day = snacks.day_stats(ctx, MONDAY)
    assert day.as_dict() == {
        "date": MONDAY,
        "prompted": 4,
        "taken": 1,
        "skipped": 1,
        "postponed": 1,
        "expired": 1,
        "open": 1,
        "natural_breaks": 1,
        "break_minutes": 7.0,
        "sitting_minutes": 40.0,
        "target": 3,
        "bouts": 0,
        "snacks_done": 1,
    }
    week = snacks.days_stats(ctx, MONDAY, MONDAY + timedelta(days=6))
    assert [d.target for d in week] == [3, 3, 3, 3, 3, 0, 0]
    assert week[1].prompted == 0
    history = snacks.day_history(ctx, MONDAY)
    assert (history.nudges, history.taken) == (4, 1)


def test_preview_and_snack_slots(ctx: Context) -> None:
    data = snacks.preview(ctx, MONDAY)
    # 7 h free (lunch is quiet): 140 min apart, half a gap from each end
    assert [f"{s['at']:%H:%M}" for s in data["snacks"]] == ["10:10", "13:30", "15:50"]
    times = [f"{n['at']:%H:%M}" for n in data["nudges_if_sitting"]]
    assert times[0] == "09:30" and "12:30" not in times and "13:00" in times
    assert snacks.preview(ctx, date(2026, 1, 10))["snacks"] == []


def unfold(text: str) -> list[str]:
    return re.sub(r"\r\n[ \t]", "", text).split("\r\n")


def test_calendar_export_parses_back(ctx: Context, tmp_path: Path) -> None:
    path = tmp_path / "snacks.ics"
    count = snacks.export_calendar(ctx, path, MONDAY, 7)
    assert count == 15  # five workdays, three snacks each
    lines = unfold(path.read_bytes().decode("utf-8"))
    assert lines[0] == "BEGIN:VCALENDAR" and "END:VCALENDAR" in lines
    events: list[dict[str, str]] = []
    for line in lines:
        if line == "BEGIN:VEVENT":
            events.append({})
        elif events and ":" in line and line != "END:VEVENT":
            key, _, value = line.partition(":")
            events[-1][key.split(";")[0]] = value
    assert len(events) == 15 and len({e["UID"] for e in events}) == 15
    first = events[0]
    start = datetime.strptime(first["DTSTART"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    end = datetime.strptime(first["DTEND"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    assert end - start == timedelta(minutes=5)
    assert first["SUMMARY"].startswith("Exercise snack")
    # every event is inside working hours, outside the lunch quiet time (Berlin time)
    for e in events:
        local = datetime.strptime(e["DTSTART"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        local = local.astimezone(ctx.tz)
        assert 9 <= local.hour < 17 and local.hour != 12


def quick_log(ctx: Context) -> None:
    from soleus.services.logs import logbook

    entry = logbook.sets_entry(
        exercise_id="soleus-pushup",
        amount=logbook.parse_amount("1x10"),
        side="both",
        at=ctx.now(),
        local_date=ctx.today(),
        person=ctx.settings.person,
    )
    logbook.record(ctx, entry)


def test_a_session_done_without_a_nudge_counts_as_a_snack(ctx: Context) -> None:
    quick_log(ctx)
    day = snacks.day_stats(ctx)
    assert (day.prompted, day.taken, day.bouts, day.snacks_done) == (0, 0, 1, 1)


def test_sitting_and_breaks_count_only_in_working_hours(ctx: Context) -> None:
    berlin = ZoneInfo("Europe/Berlin")

    def local(h: int, m: int = 0) -> datetime:
        return datetime(2026, 1, 5, h, m, tzinfo=berlin)

    snacks.record_span(ctx, "break", local(7), local(8, 30))  # before work: not a break
    snacks.record_span(ctx, "sitting", local(16, 30), local(19))  # 30 min of it at work
    snacks.record_span(ctx, "break", local(19), local(19, 20))
    snacks.record_span(ctx, "sitting", local(19, 20), local(23))  # a tab open all evening
    day = snacks.day_stats(ctx, MONDAY)
    assert (day.sitting_minutes, day.natural_breaks, day.break_minutes) == (30.0, 0, 0.0)


def test_the_target_counts_from_the_first_day_with_soleus(ctx: Context) -> None:
    month = snacks.days_stats(ctx, MONDAY - timedelta(days=29), MONDAY)
    # The person was created on MONDAY (the clock's day): only that day has a target.
    assert [d.target for d in month if d.target] == [3]
    assert sum(d.target for d in month) == 3
    # Sessions from before (imported from another install) move the first day back.
    from soleus.services.logs import logbook

    before = datetime(2026, 1, 2, 9, 0, tzinfo=UTC)  # the Friday before
    entry = logbook.sets_entry(
        exercise_id="soleus-pushup",
        amount=logbook.parse_amount("1x10"),
        side="both",
        at=before,
        local_date=before.date(),
        person=ctx.settings.person,
    )
    logbook.record(ctx, entry)
    month = snacks.days_stats(ctx, MONDAY - timedelta(days=29), MONDAY)
    assert [(d.date.isoformat(), d.target) for d in month if d.target] == [
        ("2026-01-02", 3),
        ("2026-01-05", 3),
    ]


def test_sessions_without_nudges_meet_the_engines_target(ctx: Context) -> None:
    assert isinstance(ctx.clock, FakeClock)
    for _ in range(4):
        ctx.clock.advance(20 * 60)
        quick_log(ctx)
    day = snacks.day_stats(ctx)
    history = snacks.day_history(ctx)
    assert history.taken == day.snacks_done == snacks.done_today(ctx) == 4
    assert history.last_taken == ctx.now().timestamp()
    eng = snacks.engine(ctx, snacks.policy(ctx))
    assert eng.next_slot() is None  # the target (3) is met: no "target" nudge is planned
    eng.sit_start = ctx.now().timestamp()
    due = eng.next_due()
    assert due is not None and due[1] == "sitting"


def sit_for(ctx: Context, minutes: int) -> list[dict[str, object]]:
    from soleus.services.snacks import live as snack_live

    assert isinstance(ctx.clock, FakeClock)
    states = []
    for _ in range(minutes):
        ctx.clock.advance(60)
        states.append(snack_live.activity(ctx, 0.0))
    return states


@pytest.mark.parametrize("stop", ["screen", "pain", "morning pain"])
def test_no_nudges_on_a_stop_day_and_exercise_logs_are_kept_marked(ctx: Context, stop: str) -> None:
    from soleus.domain.safety import RED_FLAGS
    from soleus.services.logs import quicklog
    from soleus.services.reports import history
    from soleus.services.safety import screen as safety
    from soleus.services.safety.advice import day_state

    if stop == "screen":
        safety.record_screen(ctx, {**{q.id: False for q in RED_FLAGS}, "heel_pop": True})
    else:
        quicklog.log_pain(ctx, score=7, context="morning" if "morning" in stop else "after")
    states = sit_for(ctx, 4 * 60)  # 09:00-13:00 in Berlin, sitting the whole time
    assert not any(s["nudge"] for s in states)
    state = day_state(ctx)
    assert all(s["stopped"] == state.words and s["next_due"] is None for s in states)
    logged = quicklog.log_sets(ctx, exercise_id="soleus-pushup", amount="2x10", side=None)
    assert logged.advice == state.words and logged.level == state.level
    [day] = history.history(ctx)
    [quick] = [s for s in day["sessions"] if s["source"] == "quick"]
    assert quick["note"] == f"Logged on a {state.level} day: {state.reason}"
    assert len(day["sets"]) == 4  # 2 sets per leg: kept


def test_the_same_sitting_nudges_on_an_ordinary_day(ctx: Context) -> None:
    states = sit_for(ctx, 4 * 60)
    assert any(s["nudge"] for s in states) and not any(s["stopped"] for s in states)


def calendar_descriptions(ctx: Context) -> list[str]:
    from icalendar import Calendar

    cal = Calendar.from_ical(snacks.calendar_ics(ctx, MONDAY, 1))
    return [str(event["description"]) for event in cal.walk("VEVENT")]


def test_snack_texts_follow_the_users_own_exercise(ctx: Context, tmp_path: Path) -> None:
    """The calendar and the preview say the dosage the routine they start plans: the
    user's own pushup file (2 × 12) changes the `desk` snack, which repeats no dosage."""
    from soleus.content import builtin_dir

    text = (builtin_dir("exercises") / "soleus-pushup.toml").read_text(encoding="utf-8")
    (tmp_path / "c" / "exercises").mkdir()
    mine = text.replace("sets = 3\nreps = 10", "sets = 2\nreps = 12")
    (tmp_path / "c" / "exercises" / "soleus-pushup.toml").write_text(mine, encoding="utf-8")
    descriptions = calendar_descriptions(ctx)
    desk = [d for d in descriptions if "soleus session desk" in d]
    assert desk and all("2 sets of 12 per leg" in d for d in desk)
    preview = snacks.preview(ctx, MONDAY)["snacks"]
    assert {s["text"] for s in preview if s["routine"] == "desk"} == {
        d.splitlines()[0] for d in desk
    }


def test_a_first_visit_in_the_afternoon_waits_one_interval(ctx: Context) -> None:
    # 14:00 Berlin, nothing done yet: behind the day's pace, but just arrived. The page
    # is rebuilt from the store on every sample, so the wait is counted from the store.
    assert isinstance(ctx.clock, FakeClock)
    ctx.clock.advance(5 * 3600 - 60)  # the first sample comes at 14:00
    states = sit_for(ctx, 29)
    assert not any(s["nudge"] for s in states)
    assert states[-1]["next_due"] == "2026-01-05T14:30:00+01:00"
    assert states[-1]["next_reason"] == "target"
    later = sit_for(ctx, 2)
    assert [s["nudge"]["reason"] for s in later if s["nudge"]][:1] == ["target"]  # type: ignore[index]


def test_the_reason_is_worded_once_for_the_banner_and_the_snacks_page() -> None:
    from soleus.domain.snacks.policy import RemindPolicy
    from soleus.services.snacks.live import next_words, rule_words, why_words

    assert (
        why_words("sitting", sitting_min=31, done=0, target=3) == "You have sat for about 31 min."
    )
    assert why_words("target", sitting_min=5, done=1, target=3).startswith("Snack 2 of 3 today")
    # never "Snack 14 of 3": a met target says so
    assert (
        why_words("target", sitting_min=5, done=13, target=3) == "Today's target is met (13 of 3)."
    )
    pol = RemindPolicy(interval_s=20 * 60, target=4)
    assert next_words("sitting", pol, done=0) == "after 20 min of sitting, if you keep sitting"
    assert next_words("target", pol, done=2) == "for snack 3 of 4, the next planned snack"
    assert "never in your first 20 min" in rule_words(pol)
    assert rule_words(RemindPolicy(target=0)) == "A nudge comes after 30 min of sitting."


def test_calendar_export_starts_from_now(ctx: Context) -> None:
    from icalendar import Calendar

    whole_day = len(Calendar.from_ical(snacks.calendar_ics(ctx, MONDAY, 1)).walk("VEVENT"))
    assert isinstance(ctx.clock, FakeClock)
    ctx.clock.advance(5 * 3600)  # 13:00 local: the morning's snacks are past
    now = ctx.now()
    events = Calendar.from_ical(snacks.calendar_ics(ctx, MONDAY, 1)).walk("VEVENT")
    assert 0 < len(events) < whole_day
    assert all(e.decoded("dtstart") >= now for e in events)


def test_snacks_done_counts_bouts_of_exercise_not_log_entries(ctx: Context) -> None:
    from soleus.services.logs import quicklog

    clock = ctx.clock
    assert isinstance(clock, FakeClock)
    for exercise, amount in (("soleus-pushup", "1x10"), ("wall-calf-stretch", "1x30s")):
        quicklog.log_sets(ctx, exercise_id=exercise, amount=amount, side=None)  # in a row
        clock.advance(60)
    assert snacks.day_stats(ctx).snacks_done == 1
    assert snacks.done_today(ctx) == 1
    clock.advance(2 * 3600)  # later in the day: a snack of its own
    quicklog.log_sets(ctx, exercise_id="soleus-pushup", amount="1x10", side=None)
    assert snacks.day_stats(ctx).bouts == 2
    assert snacks.done_today(ctx) == 2
