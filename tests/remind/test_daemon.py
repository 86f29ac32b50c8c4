"""The daemon loop with a fake clock, a scripted idle source and an in-memory
notifier: it logs every nudge and survives broken backends."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from soleus.domain.clock import FakeClock
from soleus.domain.snacks.policy import RemindPolicy
from soleus.remind.daemon import Daemon
from soleus.remind.idle import IdleError
from soleus.remind.notify import Fallback, MemoryNotifier, Message, TerminalNotifier
from soleus.services import open_context
from soleus.services.context import Context
from soleus.services.snacks import heartbeat
from soleus.services.snacks import records as snacks
from soleus.settings import Settings

MONDAY = date(2026, 1, 5)


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[Context]:
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "config.toml").write_text('timezone = "Europe/Berlin"\n', encoding="utf-8")
    settings = Settings.load(
        env={"SOLEUS_DATA_DIR": str(tmp_path / "d"), "SOLEUS_CONFIG_DIR": str(tmp_path / "c")}
    )
    context = open_context(settings, FakeClock(datetime(2026, 1, 5, 8, 0, tzinfo=UTC)))
    yield context
    context.store.close()


class ScriptedIdle:
    name = "scripted"

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.idle_from: datetime | None = None
        self.broken = False

    def idle_seconds(self) -> float:
        if self.broken:
            raise IdleError("the compositor went away")
        if self.idle_from is None:
            return 0.0
        return (self.clock.now() - self.idle_from).total_seconds()


def make(ctx: Context, notifier: object, **kw: object) -> tuple[Daemon, ScriptedIdle, list[str]]:
    assert isinstance(ctx.clock, FakeClock)
    idle = ScriptedIdle(ctx.clock)
    lines: list[str] = []
    launched: list[list[str]] = []
    d = Daemon(
        ctx,
        snacks.engine(ctx, RemindPolicy(**kw)),  # type: ignore[arg-type]
        idle,
        notifier,  # type: ignore[arg-type]
        poll_s=60,
        log=lines.append,
        max_block_s=0,
        start_command="soleus session {routine}",
        launch=launched.append,
    )
    return d, idle, lines


def run_to(d: Daemon, end: datetime) -> None:
    while d.ctx.clock.now() < end:
        d.wait(min(d.tick(), (end - d.ctx.clock.now()).total_seconds() or 1))


def berlin(ctx: Context, day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ctx.tz)


def run_until(d: Daemon, hour: int, minute: int = 0) -> None:
    run_to(d, berlin(d.ctx, MONDAY, hour, minute))


def test_a_working_morning_is_logged(ctx: Context) -> None:
    answers = iter(["snooze", "start", "skip", None, "start"])
    notifier = MemoryNotifier(answer=lambda _m: next(answers, "start"))
    d, idle, lines = make(ctx, notifier, target=3)
    run_until(d, 9, 45)  # Berlin: sitting since 09:00 -> nudge 09:30, snoozed, back 09:35
    assert [m.title.startswith("Exercise snack") for m in notifier.shown] == [True, True]
    assert [a for a, _ in notifier.shown[0].actions] == ["start", "snooze", "skip"]
    assert "snooze" in dict(notifier.shown[0].actions)
    idle.idle_from = ctx.clock.now()  # up and away for ten minutes
    run_until(d, 9, 55)
    idle.idle_from = None
    run_until(d, 12, 0)
    day = snacks.day_stats(ctx, MONDAY)
    assert day.prompted >= 3 and day.taken >= 1 and day.skipped == 1 and day.postponed == 1
    assert day.natural_breaks == 1 and day.sitting_minutes > 60
    status = heartbeat.status(ctx)
    assert status["next_due"] and status["taken_today"] == d.engine.taken
    assert any("natural break" in line for line in lines)


def test_strict_mode_offers_reasons(ctx: Context) -> None:
    notifier = MemoryNotifier(answer=lambda _m: "skip:meeting")
    d, _idle, _lines = make(ctx, notifier, strict=True, target=0)
    run_until(d, 9, 31)
    keys = [a for a, _ in notifier.shown[0].actions]
    assert "skip" not in keys and "skip:meeting" in keys
    with ctx.store.begin() as conn:
        from soleus.store import nudges

        rows = nudges.for_day(conn, person_id=ctx.person_id, local_date=MONDAY)
    assert rows[0].outcome == "skipped" and rows[0].skip_reason == "meeting"


def test_survives_a_broken_notifier_and_idle_source(ctx: Context) -> None:
    broken = MemoryNotifier(fail=True)
    out = io.StringIO()
    lines: list[str] = []
    notifier = Fallback(broken, TerminalNotifier(out=out, inp=io.StringIO()), lines.append)
    d, idle, log = make(ctx, notifier, target=0)
    idle.broken = True
    run_until(d, 9, 31)
    assert "Exercise snack" in out.getvalue()
    assert any("notification failed" in line for line in lines)
    assert any("idle time unknown" in line for line in log)
    assert snacks.day_stats(ctx, MONDAY).prompted == 1  # still logged


def test_status_without_a_daemon(ctx: Context) -> None:
    assert heartbeat.status(ctx)["running"] is False


def test_terminal_notifier_reads_answers() -> None:
    out = io.StringIO()
    term = TerminalNotifier(out=out, inp=io.StringIO())
    handle = term.show(Message("t", "b", (("start", "Start"), ("skip", "Skip"))))
    assert handle == 1 and "t: b" in out.getvalue()
    assert term.wait(0) == []


# -- snacks done elsewhere count at the next decision ----------------------------------


def guided_session(ctx: Context) -> None:
    """What the web player or ``soleus session`` writes: a session, a set, finished."""
    from soleus.services.sessions import guided as sessions

    session_id = sessions.start(ctx, ctx.get_routine("desk"))
    sessions.record(
        ctx, session_id, plan_index=0, actual_reps=15, actual_seconds=None, skipped=False
    )
    sessions.finish(ctx, session_id)


def quick_log(ctx: Context) -> None:
    """What the web's quick log writes (the CLI's goes through the inbox)."""
    from soleus.services.logs import quicklog

    quicklog.log_sets(ctx, exercise_id="soleus-pushup", amount="1x20", side="left")


def target_nudges(notifier: MemoryNotifier) -> list[str]:
    return [m.body for m in notifier.shown if "today." in m.body]


def agrees(d: Daemon) -> int:
    """The daemon's count, which must be the pages' and ``remind status``'s."""
    beat = heartbeat.status(d.ctx)
    done = snacks.day_stats(d.ctx).snacks_done
    assert beat["taken_today"] == d.engine.taken == done == snacks.done_today(d.ctx)
    return done


def test_sessions_logged_elsewhere_meet_the_target(ctx: Context) -> None:
    # target 2 with sitting nudges out of the way: the first slot is due at 11:00
    notifier = MemoryNotifier(answer=lambda _m: None)
    d, idle, _lines = make(ctx, notifier, target=2, interval_s=6 * 3600.0)
    run_to(d, berlin(ctx, MONDAY, 10))
    assert agrees(d) == 0 and not notifier.shown
    guided_session(ctx)  # another process, while the daemon sleeps
    d.tick()
    assert agrees(d) == 1
    idle.idle_from = ctx.clock.now()  # away from the keyboard for the session
    run_to(d, berlin(ctx, MONDAY, 10, 10))
    idle.idle_from = None
    # one owed, spread from 10:00: due 14:40, but not within 6 h of the day's first input
    run_to(d, berlin(ctx, MONDAY, 14, 59))
    assert not notifier.shown
    run_to(d, berlin(ctx, MONDAY, 15, 1))
    assert target_nudges(notifier) and all("Snack 2 of 2" in b for b in target_nudges(notifier))
    shown = len(notifier.shown)
    quick_log(ctx)
    d.tick()
    assert agrees(d) == 2
    run_to(d, berlin(ctx, MONDAY, 17))
    assert len(notifier.shown) == shown  # target met: no more target nudges
    assert d.engine.next_slot() is None  # nothing owed: no slot planned
    assert heartbeat.status(ctx)["next_due"] is None


def test_cli_quick_logs_count_through_the_inbox(ctx: Context) -> None:
    from soleus.services.logs import inbox, logbook

    notifier = MemoryNotifier(answer=lambda _m: None)
    d, _idle, _lines = make(ctx, notifier, target=1, interval_s=6 * 3600.0)
    run_to(d, berlin(ctx, MONDAY, 9, 30))
    now = ctx.now()
    entry = logbook.sets_entry(
        exercise_id="soleus-pushup",
        amount=logbook.parse_amount("1x20"),
        side="left",
        at=now,
        local_date=ctx.local_date(now),
        person=ctx.settings.person,
    )
    inbox.append(ctx.settings.inbox_path, entry)  # `soleus log` in a terminal
    d.tick()
    assert agrees(d) == 1 and ctx.settings.inbox_path.stat().st_size == 0
    run_to(d, berlin(ctx, MONDAY, 17))
    assert not target_nudges(notifier)


def test_the_count_is_the_new_days_across_midnight(ctx: Context) -> None:
    assert isinstance(ctx.clock, FakeClock)
    notifier = MemoryNotifier(answer=lambda _m: None)
    d, _idle, _lines = make(ctx, notifier, target=1, interval_s=6 * 3600.0)
    run_to(d, berlin(ctx, MONDAY, 9, 30))
    guided_session(ctx)
    run_to(d, berlin(ctx, MONDAY, 23, 59))
    assert agrees(d) == 1 and not target_nudges(notifier)
    # suspended overnight; a session on the phone's web page before the first sample
    tuesday = date(2026, 1, 6)
    ctx.clock.advance((berlin(ctx, tuesday, 8, 0) - ctx.clock.now()).total_seconds())
    quick_log(ctx)
    d.tick()
    assert d.engine.day == tuesday and agrees(d) == 1
    run_to(d, berlin(ctx, tuesday, 17))
    assert not target_nudges(notifier)
    # and a day with nothing done yet starts from nothing, and nudges
    wednesday = date(2026, 1, 7)
    ctx.clock.advance((berlin(ctx, wednesday, 8, 0) - ctx.clock.now()).total_seconds())
    d.tick()
    assert agrees(d) == 0
    run_to(d, berlin(ctx, wednesday, 17))
    assert any("Snack 1 of 1" in b for b in target_nudges(notifier))


def test_a_dry_run_keeps_its_own_starts(ctx: Context) -> None:
    notifier = MemoryNotifier(answer=lambda _m: "start")
    d, _idle, _lines = make(ctx, notifier, target=3)
    d.dry_run = True
    run_to(d, berlin(ctx, MONDAY, 10, 30))
    assert d.engine.taken >= 1 and snacks.done_today(ctx) == 0


@pytest.mark.parametrize("why", ["screen", "other pain"])
def test_no_nudges_on_a_rest_or_stop_day(ctx: Context, why: str) -> None:
    from soleus.domain.safety import RED_FLAGS
    from soleus.services.logs import quicklog
    from soleus.services.safety import screen as safety

    notifier = MemoryNotifier(answer=lambda _m: None)
    d, _idle, _lines = make(ctx, notifier, target=3)
    run_until(d, 8, 30)
    if why == "screen":
        safety.record_screen(ctx, {**{q.id: False for q in RED_FLAGS}, "breathless": True})
    else:  # pain above pain_stop in any context makes a rest day
        quicklog.log_pain(ctx, score=6, context=why.split()[0])
    run_until(d, 17, 0)  # a failed screen or high pain in another process: no exercise today
    assert not notifier.shown and d.engine.next_due() is None
    if why == "screen":  # a yes stands on the next day until a screen says no throughout
        run_to(d, berlin(ctx, MONDAY + timedelta(days=1), 10))
        assert not notifier.shown and d.engine.next_due() is None
        safety.record_screen(ctx, {q.id: False for q in RED_FLAGS})
        run_to(d, berlin(ctx, MONDAY + timedelta(days=1), 13))
    else:
        run_to(d, berlin(ctx, MONDAY + timedelta(days=1), 10))  # a new day: nudges again
    assert notifier.shown
