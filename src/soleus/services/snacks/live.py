"""In-page nudges for the web app, with no state in process memory.

Each call rebuilds the reminder engine from what the store already holds (today's
nudges and sitting/break spans), feeds it one activity sample from the browser, logs
what happened and forgets the engine again. So any number of app instances (or tabs)
can answer, and the rules stay in :mod:`soleus.domain.snacks.engine`: nothing here
decides *when* to nudge.

What the store cannot hold directly is rebuilt from it:

- the current sitting stretch is the latest ``sitting`` span of the day (its end is the
  last input the browser reported);
- no sample for ``break_s`` or more (tab closed, computer asleep) is a gap, which the
  engine counts as a natural break;
- the open nudge (``outcome = prompted``) is the engine's pending nudge; a snoozed one
  comes back ``snooze_s`` after the last snooze (kept in ``answered_at``).

When the desktop daemon runs it owns the nudges (its engine lives in its memory), and
the web app only reports its state, so the two never nudge twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from soleus.domain.snacks.engine import (
    Answer,
    Engine,
    Event,
    _Pending,
)
from soleus.domain.snacks.menu import suggest
from soleus.domain.snacks.policy import RemindPolicy, in_windows, next_available
from soleus.domain.snacks.records import NudgeExpired, SpanDone, to_records
from soleus.errors import SoleusError
from soleus.services.context import Context
from soleus.services.safety.advice import day_state
from soleus.services.snacks import heartbeat
from soleus.services.snacks import records as snacks
from soleus.store import people
from soleus.store.nudges import NudgeRow, SpanRow

Source = Literal["open-tab", "idle-detector"]
SOURCES: tuple[Source, ...] = ("open-tab", "idle-detector")
MAX_IDLE_S = 7 * 24 * 3600.0


@dataclass
class _Rebuilt:
    pol: RemindPolicy
    engine: Engine
    nudges: list[NudgeRow]
    sitting: SpanRow | None
    t: float


def _ts(moment: datetime) -> float:
    return moment.timestamp()


def _dt(t: float) -> datetime:
    return datetime.fromtimestamp(t, UTC)


def _rebuild(ctx: Context, pol: RemindPolicy) -> _Rebuilt:
    t = _ts(ctx.now())
    eng = snacks.engine(ctx, pol)
    rows, spans = snacks.day_log(ctx)
    sittings = [s for s in spans if s.kind == "sitting"]
    sitting = max(sittings, key=lambda s: s.end) if sittings else None
    if sitting is not None:
        eng.sit_start = _ts(sitting.start)
        eng.last_input = eng.last_sample = _ts(sitting.end)
    open_rows = [r for r in rows if r.outcome == "prompted"]
    if open_rows:
        row = max(open_rows, key=lambda r: r.number)
        pend = _Pending(row.number, "target" if row.reason == "target" else "sitting", 0.0)
        pend.snoozes = row.snoozes
        pend.prompted = _ts(row.prompted_at)
        if row.snoozes and row.answered_at is not None:
            again = _ts(row.answered_at) + pol.snooze_s
            back = next_available(eng.windows, again)
            if back is None or t < back:
                pend.again_at = again
            else:
                pend.prompted = back  # it came back then: expiry counts from there
        eng.pending = pend
    return _Rebuilt(pol, eng, rows, sitting, t)


def _gap(r: _Rebuilt) -> list[Event]:
    """No sample since the last input for a break or longer: the engine's gap rule."""
    if r.sitting is None:
        return []
    return r.engine.gap(_ts(r.sitting.end), r.t)


def _policy(ctx: Context) -> tuple[RemindPolicy | None, str | None]:
    try:
        return snacks.policy(ctx), None
    except SoleusError as error:
        return None, str(error)


def _daemon(ctx: Context) -> dict[str, Any] | None:
    info = heartbeat.status(ctx)
    return info if info.get("running") else None


# -- what the page asks ---------------------------------------------------------------


def peek(ctx: Context) -> dict[str, Any]:
    """The state without a sample: next nudge due, the nudge showing (nothing logged)."""
    pol, error = _policy(ctx)
    if pol is None:
        return _disabled(ctx, error)
    daemon = _daemon(ctx)
    if daemon is not None:
        return _from_daemon(ctx, pol, daemon)
    r = _rebuild(ctx, pol)
    _gap(r)
    return _state(ctx, r)


def activity(ctx: Context, idle_s: float, source: Source = "open-tab") -> dict[str, Any]:
    """One activity sample from the browser: log what it causes, return the new state.

    ``idle_s`` is how long the user has been idle: 0 with ``open-tab`` (an open tab
    counts as sitting, the fixed-interval fallback), the system's idle time with the
    browser's Idle Detection API.
    """
    if source not in SOURCES:
        raise SoleusError(f"source must be one of {', '.join(SOURCES)}")
    if not 0 <= idle_s <= MAX_IDLE_S:
        raise SoleusError(f"idle_s must be from 0 to {MAX_IDLE_S:g} seconds")
    pol, error = _policy(ctx)
    if pol is None:
        return _disabled(ctx, error)
    daemon = _daemon(ctx)
    if daemon is not None:
        return _from_daemon(ctx, pol, daemon)
    if _welcome_due(ctx):
        # The first visit before the welcome is done or skipped: no sample is taken,
        # so the day's first input (and the engine's first interval) starts after it.
        out = _base(ctx, pol)
        out["welcome"] = True
        return out
    r = _rebuild(ctx, pol)
    events = _gap(r)
    events += r.engine.observe(r.t, idle_s)
    _log(ctx, r, events)
    return _state(ctx, _rebuild(ctx, pol), source=source)


def _welcome_due(ctx: Context) -> bool:
    """The person has neither done nor skipped the first-run welcome
    (:mod:`soleus.services.welcome.tour`)."""
    with ctx.store.begin() as conn:
        return people.welcome(conn, person_id=ctx.person_id) is None


def answer(ctx: Context, nudge_id: str, what: Answer, reason: str = "") -> dict[str, Any]:
    """Start (``taken``), ``snoozed`` or ``skipped`` for the nudge showing now.

    The engine refuses what the policy forbids (no snoozes left, strict mode without a
    reason); the refusal is a one-line SoleusError and nothing is logged.
    """
    pol = snacks.policy(ctx)
    if _daemon(ctx) is not None:
        raise SoleusError("the desktop reminder daemon owns the nudges; answer it there")
    r = _rebuild(ctx, pol)
    row = next((n for n in r.nudges if n.id == nudge_id), None)
    if row is None:
        raise SoleusError(f"no reminder {nudge_id!r} today")
    pend = r.engine.pending
    if row.outcome != "prompted" or pend is None or pend.number != row.number:
        raise SoleusError(f"reminder {row.number} was already answered ({row.outcome})")
    if pend.again_at is not None:
        raise SoleusError(f"reminder {row.number} is snoozed; it comes back by itself")
    events = _gap(r)
    events += r.engine.answer(r.t, what, reason.strip())
    snacks.record_answer(ctx, nudge_id, what, _dt(r.t), reason.strip())
    _log(ctx, r, events)
    return _state(ctx, _rebuild(ctx, pol))


# -- logging --------------------------------------------------------------------------


def _log(ctx: Context, r: _Rebuilt, events: list[Event]) -> None:
    eng = r.engine
    sitting_id = r.sitting.id if r.sitting is not None else None
    sitting_start = _ts(r.sitting.start) if r.sitting is not None else None
    rows = {n.number: n for n in r.nudges}
    closed: set[int] = set()
    for rec in to_records(events, logged=rows, sitting_start=sitting_start):
        if isinstance(rec, NudgeExpired):
            row = rows.get(rec.number)
            if row is not None and row.outcome == "prompted":
                snacks.store(ctx, rec, nudge_id=row.id)
                closed.add(row.number)
        elif isinstance(rec, SpanDone):
            snacks.store(ctx, rec, span_id=sitting_id)
            if rec.continues:
                sitting_id = sitting_start = None
        else:
            snacks.store(ctx, rec)  # a new nudge (not one another tab stored first)
    # Older prompts nobody will answer any more (a tab closed while one showed).
    pending = eng.pending.number if eng.pending is not None else None
    for row in r.nudges:
        stale = row.number != pending and row.number < eng.nudges and row.number not in closed
        if row.outcome == "prompted" and stale:
            at = row.prompted_at.timestamp() + eng.policy.answer_timeout_s
            snacks.record_answer(ctx, row.id, "expired", _dt(min(at, r.t)))
    # The sitting stretch in progress, kept in the store as it grows.
    if eng.sit_start is not None and eng.last_input is not None:
        span_id = sitting_id if eng.sit_start == sitting_start else None
        end = max(eng.last_input, eng.sit_start)
        snacks.record_span(ctx, "sitting", _dt(eng.sit_start), _dt(end), span_id)


# -- why a nudge comes: one wording for the banner and the Snacks page ----------------


def rule_words(pol: RemindPolicy) -> str:
    """When nudges come, in one sentence (the engine's rule, as the Snacks page says it)."""
    interval = f"{pol.interval_s / 60:g} min"
    if pol.target <= 0:
        return f"A nudge comes after {interval} of sitting."
    return (
        f"A nudge comes after {interval} of sitting, or at the next planned snack while "
        f"today's target of {pol.target} is not met; never in your first {interval} at "
        "the desk today."
    )


def why_words(reason: str, *, sitting_min: int, done: int, target: int) -> str:
    """Why the nudge showing now came (never "Snack 14 of 3": a met target says so)."""
    if reason != "target":
        return f"You have sat for about {sitting_min} min."
    if done < target:
        return f"Snack {done + 1} of {target} today: the next planned snack is due."
    return f"Today's target is met ({done} of {target})."


def next_words(reason: str, pol: RemindPolicy, *, done: int) -> str:
    """Why the next nudge is due when it is (the Snacks page's status line)."""
    if reason == "target":
        return f"for snack {done + 1} of {pol.target}, the next planned snack"
    return f"after {pol.interval_s / 60:g} min of sitting, if you keep sitting"


# -- the answer's shape ---------------------------------------------------------------


def _iso(ctx: Context, t: float | None) -> str | None:
    return None if t is None else _dt(t).astimezone(ctx.tz).isoformat(timespec="seconds")


def _base(ctx: Context, pol: RemindPolicy | None) -> dict[str, Any]:
    day = snacks.day_stats(ctx)
    state = day_state(ctx)
    return {
        "now": ctx.now().astimezone(ctx.tz).isoformat(timespec="seconds"),
        "enabled": pol is not None,
        "error": None,
        "daemon": False,
        "working": False,
        "sitting_since": None,
        "next_due": None,
        "next_reason": None,
        "next_why": None,
        "rule": None if pol is None else rule_words(pol),
        "nudge": None,
        "snacks_done": day.snacks_done,
        "target": day.target,
        "poll_s": 30 if pol is None else max(5, min(30, round(pol.break_s / 4))),
        "strict": bool(pol and pol.strict),
        # Today's words on a rest or stopped day (no nudges, no exercise), else None.
        "stopped": None if state.allows_exercise else state.words,
    }


def _disabled(ctx: Context, error: str | None) -> dict[str, Any]:
    out = _base(ctx, None)
    out["error"] = error
    return out


def _from_daemon(ctx: Context, pol: RemindPolicy, info: dict[str, Any]) -> dict[str, Any]:
    out = _base(ctx, pol)
    out.update(
        daemon=True,
        working=in_windows(pol.day_windows(ctx.today(), ctx.tz), _ts(ctx.now())),
        next_due=info.get("next_due"),
        next_reason=info.get("next_reason"),
        next_why=(
            next_words(info["next_reason"], pol, done=out["snacks_done"])
            if info.get("next_reason")
            else None
        ),
        sitting_since=info.get("sitting_since"),
    )
    return out


def _state(ctx: Context, r: _Rebuilt, source: Source | None = None) -> dict[str, Any]:
    eng, pol = r.engine, r.pol
    out = _base(ctx, pol)
    due = eng.next_due()
    out.update(
        working=in_windows(eng.windows, r.t),
        sitting_since=_iso(ctx, eng.sit_start if eng.break_start is None else None),
        next_due=_iso(ctx, due[0]) if due else None,
        next_reason=due[1] if due else None,
        next_why=next_words(due[1], pol, done=out["snacks_done"]) if due else None,
    )
    if source is not None:
        out["source"] = source
    pend = eng.pending
    if pend is not None and pend.again_at is None:
        row = next((n for n in r.nudges if n.number == pend.number), None)
        if row is not None:
            tip = suggest(pol, pend.number, eng.menu)
            out["nudge"] = {
                "id": row.id,
                "number": row.number,
                "reason": row.reason,
                "title": tip.title,
                "text": tip.text,
                "routine": tip.routine,
                "start_url": f"/player?routine={tip.routine}",
                "prompted_at": _iso(ctx, pend.prompted),
                "sitting_min": round(row.sitting_s / 60),
                "why": why_words(
                    row.reason,
                    sitting_min=round(row.sitting_s / 60),
                    done=out["snacks_done"],
                    target=out["target"],
                ),
                "snoozes_left": max(0, pol.snooze_limit - pend.snoozes),
                "snooze_min": round(pol.snooze_s / 60, 1),
                "strict": pol.strict,
                "expires_at": _iso(ctx, pend.prompted + pol.answer_timeout_s),
            }
    return out
