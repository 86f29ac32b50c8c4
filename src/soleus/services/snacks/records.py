"""Exercise snacks: the reminder policy from the settings, nudge logging, day
statistics, the preview of a day and its iCalendar export."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from soleus.domain.snacks.bouts import snack_bouts
from soleus.domain.snacks.policy import Interval, RemindPolicy, snack_slots, within_windows
from soleus.errors import SoleusError
from soleus.files import write_atomic
from soleus.services.context import Context
from soleus.settings.remind import RemindConfig
from soleus.settings.remind import load as load_config
from soleus.store import nudges as repo
from soleus.store import people
from soleus.store import sessions as sessions_repo
from soleus.store.nudges import NudgeRow, SpanRow

if TYPE_CHECKING:  # the engine and the menu load only where they run (not for `stats`)
    from soleus.domain.snacks.bouts import DayHistory
    from soleus.domain.snacks.engine import Answer, Engine, Nudge
    from soleus.domain.snacks.menu import Menu, Suggestion
    from soleus.domain.snacks.records import Record

# -- settings -------------------------------------------------------------------------


def remind_config(ctx: Context, env: Mapping[str, str] | None = None) -> RemindConfig:
    """``[remind]`` of config.toml with ``SOLEUS_REMIND_*`` overrides (not yet checked)."""
    return load_config(ctx.settings.config_dir, os.environ if env is None else env)


def policy(ctx: Context, env: Mapping[str, str] | None = None) -> RemindPolicy:
    """The checked policy; a one-line SoleusError names a contradiction."""
    return remind_config(ctx, env).policy()


def menu(ctx: Context) -> Menu:
    """The snacks on offer, their texts rendered from the person's routines and catalog."""
    from soleus.domain.snacks.menu import snack_menu

    return snack_menu(ctx.routines, ctx.catalog)


def engine(ctx: Context, pol: RemindPolicy) -> Engine:
    """An engine that knows what already happened today (to resume after a restart),
    and whether today is a rest or stopped day (no nudges)."""
    from soleus.domain.snacks.engine import Engine
    from soleus.services.safety.advice import day_state

    eng = Engine(pol, ctx.tz, menu=menu(ctx), history=day_history(ctx), today=ctx.today())
    eng.sync_stopped(not day_state(ctx).allows_exercise)
    return eng


def day_history(ctx: Context, day: date | None = None) -> DayHistory:
    """What happened on ``day``: its nudges, and the snacks done.

    Snacks done is the one count the pages and ``soleus remind status`` show
    (``SnackDay.snacks_done``): sessions and quick logs, or the nudges answered Start
    if those are more. The engine's target is met by that count, not by nudges alone.
    """
    from soleus.domain.snacks.bouts import DayHistory

    day = day or ctx.today()
    with ctx.store.read() as conn:
        rows = repo.for_day(conn, person_id=ctx.person_id, local_date=day)
        spans = repo.spans_for_day(conn, person_id=ctx.person_id, local_date=day)
        sets = sessions_repo.list_sets(conn, person_id=ctx.person_id, since=day)
    done = [s for s in sets if s["local_date"] == day and not s["skipped"]]
    taken = [r for r in rows if r.outcome == "taken"]
    last = [
        *((r.answered_at or r.prompted_at).timestamp() for r in taken),
        *(s["completed_at"].timestamp() for s in done),
    ]
    times: dict[str, list[float]] = {}
    for s in done:
        times.setdefault(s["session_id"], []).append(s["completed_at"].timestamp())
    return DayHistory(
        nudges=max((r.number for r in rows), default=0),
        taken=snacks_done(len(taken), snack_bouts(times.values())),
        last_nudge=rows[-1].prompted_at.timestamp() if rows else None,
        last_taken=max(last, default=None),
        first_input=min((s.start.timestamp() for s in spans), default=None),
    )


def snacks_done(taken: int, bouts: int) -> int:
    """Snacks count what was done, whether a nudge asked for it or not: a nudge
    answered Start usually becomes one of the bouts, so the larger count wins."""
    return max(taken, bouts)


def done_today(ctx: Context) -> int:
    """The snacks done today (see ``day_history``)."""
    return day_history(ctx).taken


# -- logging --------------------------------------------------------------------------


def _at(t: float) -> datetime:
    return datetime.fromtimestamp(t, UTC)


def record_nudge(ctx: Context, nudge: Nudge) -> str:
    """Log a new nudge as prompted; returns its id."""
    at = _at(nudge.at)
    with ctx.store.begin() as conn:
        return repo.add_nudge(
            conn,
            person_id=ctx.person_id,
            local_date=ctx.local_date(at),
            at=at,
            number=nudge.number,
            reason=nudge.reason,
            routine=nudge.suggestion.routine,
            suggestion=nudge.suggestion.text,
            sitting_s=nudge.sitting_s,
        )


def record_answer(
    ctx: Context, nudge_id: str, answer: Answer | str, at: datetime, reason: str = ""
) -> None:
    """Log taken / skipped / snoozed (a postponement) / expired for a nudge."""
    with ctx.store.begin() as conn:
        if answer == "snoozed":
            ok = repo.add_snooze(conn, person_id=ctx.person_id, nudge_id=nudge_id, at=at)
        else:
            ok = repo.set_outcome(
                conn,
                person_id=ctx.person_id,
                nudge_id=nudge_id,
                outcome=answer,
                at=at,
                skip_reason=reason,
            )
    if not ok:
        raise SoleusError(f"no nudge {nudge_id!r}")


def record_span(
    ctx: Context, kind: str, start: datetime, end: datetime, span_id: str | None = None
) -> str:
    """Log (or extend) a sitting or natural-break span; returns its id."""
    with ctx.store.begin() as conn:
        return repo.save_span(
            conn,
            person_id=ctx.person_id,
            span_id=span_id,
            local_date=ctx.local_date(start),
            kind=kind,
            start=start,
            end=end,
        )


def store(
    ctx: Context, record: Record, *, nudge_id: str | None = None, span_id: str | None = None
) -> str | None:
    """Store one record of :func:`soleus.domain.snacks.records.to_records`: a new
    nudge (returns its id), an expiry of ``nudge_id``, or a span (returns its id;
    ``span_id`` is the row a continuing sitting stretch extends)."""
    from soleus.domain.snacks.records import NewNudge, NudgeExpired

    if isinstance(record, NewNudge):
        return record_nudge(ctx, record.nudge)
    if isinstance(record, NudgeExpired):
        if nudge_id is None:
            raise SoleusError(f"no stored nudge {record.number} to expire")
        record_answer(ctx, nudge_id, "expired", _at(record.at))
        return nudge_id
    extends = span_id if record.continues else None
    return record_span(ctx, record.kind, _at(record.start), _at(record.end), extends)


def day_log(ctx: Context, day: date | None = None) -> tuple[list[NudgeRow], list[SpanRow]]:
    """The nudges and the sitting/break spans of one local day (for a timeline)."""
    day = day or ctx.today()
    with ctx.store.read() as conn:
        rows = repo.for_day(conn, person_id=ctx.person_id, local_date=day)
        spans = repo.spans_for_day(conn, person_id=ctx.person_id, local_date=day)
    return rows, spans


# -- statistics -----------------------------------------------------------------------


@dataclass(frozen=True)
class SnackDay:
    """One day of reminders, like Workrave's daily statistics."""

    date: date
    prompted: int
    taken: int
    skipped: int
    postponed: int
    expired: int
    open: int
    natural_breaks: int
    break_minutes: float
    sitting_minutes: float
    target: int
    # Bouts of exercise done, prompted or not (domain/snacks/bouts.py: sessions and
    # quick logs, those close together as one).
    bouts: int = 0

    @property
    def snacks_done(self) -> int:
        """Snacks count what was done, whether a nudge asked for it or not."""
        return snacks_done(self.taken, self.bouts)

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "snacks_done": self.snacks_done}


def day_stats(ctx: Context, day: date | None = None) -> SnackDay:
    """Statistics of one local day (today by default)."""
    day = day or ctx.today()
    return days_stats(ctx, day, day)[0]


def first_day(ctx: Context) -> date | None:
    """The first local day soleus has a record of the person: when it first opened the
    store, or an earlier day with sessions (imported from another install)."""
    with ctx.store.read() as conn:
        created = people.created_at(conn, person_id=ctx.person_id)
        first = sessions_repo.first_active_day(conn, person_id=ctx.person_id)
    found = [*([first] if first else []), *([ctx.local_date(created)] if created else [])]
    return min(found, default=None)


def days_stats(
    ctx: Context, start: date, end: date, pol: RemindPolicy | None = None
) -> list[SnackDay]:
    """Statistics for every day in ``start..end`` (oldest first, empty days included).

    Sitting and breaks count only inside working hours; days before the person's first
    day with soleus have no target (nobody was there to be nudged).
    """
    if end < start:
        raise SoleusError("the end date is before the start date")
    if pol is None:
        try:
            pol = policy(ctx)
        except SoleusError:
            pol = RemindPolicy()
    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    with ctx.store.read() as conn:
        counts = repo.nudge_totals(conn, person_id=ctx.person_id, start=start, end=end)
        spans = {d: repo.spans_for_day(conn, person_id=ctx.person_id, local_date=d) for d in days}
        done = sessions_repo.done_between(conn, person_id=ctx.person_id, start=start, end=end)
    recorded = [d for d in days if d in counts or d in done or spans[d]]
    since = min((d for d in (first_day(ctx), *recorded[:1]) if d is not None), default=start)
    out = []
    for day in days:
        c = counts.get(day, {})
        work = pol.working_windows(day, ctx.tz)
        breaks = _inside(spans[day], "break", work)
        sitting = _inside(spans[day], "sitting", work)
        out.append(
            SnackDay(
                date=day,
                prompted=c.get("prompted", 0),
                taken=c.get("taken", 0),
                skipped=c.get("skipped", 0),
                postponed=c.get("postponed", 0),
                expired=c.get("expired", 0),
                open=c.get("open", 0),
                natural_breaks=breaks[0],
                break_minutes=round(breaks[1] / 60, 1),
                sitting_minutes=round(sitting[1] / 60, 1),
                target=pol.target if pol.available(day.weekday()) and day >= since else 0,
                bouts=snack_bouts(
                    [t.timestamp() for t in times] for times in done.get(day, {}).values()
                ),
            )
        )
    return out


def _inside(spans: list[SpanRow], kind: str, work: list[Interval]) -> tuple[int, float]:
    times = [(s.start.timestamp(), s.end.timestamp()) for s in spans if s.kind == kind]
    return within_windows(times, work)


# -- preview and calendar -------------------------------------------------------------


class Planned(NamedTuple):
    at: datetime
    kind: str  # snack (a planned slot) | nudge (if you sit throughout)
    reason: str
    suggestion: Suggestion


def preview(ctx: Context, day: date, pol: RemindPolicy | None = None) -> dict[str, Any]:
    """When snacks are planned on ``day`` and when nudges would come if you sat
    at the computer all through your working hours and took every snack."""
    from soleus.domain.snacks.engine import Engine, Nudge, simulate
    from soleus.domain.snacks.menu import suggest

    pol = pol or policy(ctx)
    windows = pol.day_windows(day, ctx.tz)
    offers = menu(ctx)
    slots = [
        Planned(_local(ctx, t), "snack", "target", suggest(pol, i + 1, offers))
        for i, t in enumerate(snack_slots(windows, pol.target))
    ]
    nudges: list[Planned] = []
    if windows:
        eng = Engine(pol, ctx.tz, menu=offers)
        runs = [(windows[0][0], windows[-1][1], True)]
        for event in simulate(eng, runs, lambda _n: ("taken", ""), step=30.0):
            if isinstance(event, Nudge):
                nudges.append(
                    Planned(_local(ctx, event.at), "nudge", event.reason, event.suggestion)
                )
    return {
        "date": day,
        "working": [(_local(ctx, a), _local(ctx, b)) for a, b in windows],
        "target": pol.target if windows else 0,
        "interval_min": pol.interval_s / 60,
        "snacks": [_planned_dict(p) for p in slots],
        "nudges_if_sitting": [_planned_dict(p) for p in nudges],
    }


def _local(ctx: Context, t: float) -> datetime:
    return datetime.fromtimestamp(t, UTC).astimezone(ctx.tz)


def _planned_dict(p: Planned) -> dict[str, Any]:
    return {
        "at": p.at,
        "kind": p.kind,
        "reason": p.reason,
        "routine": p.suggestion.routine,
        "title": p.suggestion.title,
        "text": p.suggestion.text,
    }


SNACK_MINUTES = 5


def calendar_ics(ctx: Context, start: date, days: int, pol: RemindPolicy | None = None) -> bytes:
    """An iCalendar file with the planned snack times of ``days`` days from ``start``,
    from now on: a slot already past is not a plan any more."""
    from icalendar import Calendar, Event

    from soleus.domain.snacks.menu import suggest

    if not 1 <= days <= 366:
        raise SoleusError("days must be between 1 and 366")
    pol = pol or policy(ctx)
    offers = menu(ctx)
    cal = Calendar()
    cal.add("prodid", "-//soleus//exercise snacks//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "soleus exercise snacks")
    now = ctx.now().astimezone(UTC)
    stamp = now.replace(microsecond=0)
    for offset in range(days):
        day = start + timedelta(days=offset)
        for i, t in enumerate(snack_slots(pol.day_windows(day, ctx.tz), pol.target)):
            tip = suggest(pol, i + 1, offers)
            begin = datetime.fromtimestamp(round(t), UTC)
            if begin < now:
                continue
            event = Event()
            event.add("uid", f"{day.isoformat()}-{i + 1}@soleus")
            event.add("dtstamp", stamp)
            event.add("dtstart", begin)
            event.add("dtend", begin + timedelta(minutes=SNACK_MINUTES))
            event.add("summary", f"Exercise snack: {tip.title}")
            event.add("description", f"{tip.text}\nStart it with: soleus session {tip.routine}")
            event.add("categories", ["soleus"])
            cal.add_component(event)
    data: bytes = cal.to_ical()
    return data


def export_calendar(ctx: Context, path: Path, start: date, days: int) -> int:
    """Write :func:`calendar_ics` to ``path``; returns the number of events."""
    data = calendar_ics(ctx, start, days)
    try:
        write_atomic(path, data)
    except OSError as error:
        raise SoleusError(f"cannot write {path} ({error.strerror})") from None
    return data.count(b"BEGIN:VEVENT")
