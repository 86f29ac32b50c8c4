"""Guided sessions: start one, save each set the moment it completes, finish or resume.

A session stores its plan fully resolved when it starts (every set with its dosage,
tempo, rest and side, and the exercises' texts): a resume, in the terminal or the
browser, plays exactly that plan whatever the catalog says since. A set is saved by its
index in that plan, so both players save the same way and cannot disagree about what
was planned. Sessions from before plans were stored are replanned from their routine
snapshot against the catalog of today.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict
from typing import Any

from soleus.content import validate
from soleus.domain.catalog import Catalog
from soleus.domain.done import shown_status
from soleus.domain.limits import MAX_LOGGED_REPS, MAX_LOGGED_SECONDS
from soleus.domain.routine import PLAN_FORMAT, Plan, Routine, StoredPlan
from soleus.errors import NotFound, SoleusError
from soleus.services.context import Context
from soleus.store import sessions as repo

# Plans read from the stored plan (catalog None) or rebuilt from (routine snapshot,
# catalog): pure and cheap, so this cache is only a speed-up, never state that a second
# app instance would need.
_PLANS: dict[str, tuple[Catalog | None, Plan]] = {}
# Enough for every session active at once on a busy instance (a plan is 7-22 KiB:
# at most ~45 MiB); past it the oldest goes.
_PLANS_MAX = 2048


def start(ctx: Context, routine: Routine, *, source: str = "player") -> str:
    """Record a new active session with its resolved plan; return its id.

    Refused on a rest or stopped day (:func:`soleus.domain.day.decide_day`):
    :class:`soleus.services.safety.advice.StopDay` (exit 3) says the day's words.
    """
    return started(ctx, routine, source=source)[0]


def started(ctx: Context, routine: Routine, *, source: str = "player") -> tuple[str, Plan]:
    """:func:`start`, also returning the plan stored with the session."""
    from soleus.services.safety.advice import check_exercise_allowed

    routine.check(ctx.catalog)
    check_exercise_allowed(ctx)
    plan = Plan.build(routine, ctx.catalog)
    session_id = str(uuid.uuid4())
    now = ctx.now()
    with ctx.store.begin() as conn:
        repo.create(
            conn,
            session_id=session_id,
            person_id=ctx.person_id,
            source=source,
            status="active",
            routine_id=routine.id,
            routine_name=routine.name,
            routine=asdict(routine),
            plan=asdict(StoredPlan.of(plan)),
            started_at=now,
            local_date=ctx.local_date(now),
        )
    _remember(session_id, None, plan)
    return session_id, plan


def plan_of(ctx: Context, session: dict[str, Any]) -> Plan:
    """The plan of a session: the one stored when it started, else (a session from
    before plans were stored, or one whose stored plan no longer reads) its routine
    snapshot planned against today's catalog."""
    hit = _PLANS.get(session["id"])
    if hit is not None and hit[0] is None:
        return hit[1]
    stored = _stored_plan(session)
    if stored is not None:
        _remember(session["id"], None, stored)
        return stored
    snapshot = session.get("routine")
    if not snapshot:
        raise SoleusError(f"session {session['id']} has no routine (it was a quick log)")
    if hit is not None and hit[0] is ctx.catalog:
        return hit[1]
    routine = validate(Routine, snapshot, text="", where=f"session {session['id']}")
    plan = Plan.build(routine, ctx.catalog)
    _remember(session["id"], ctx.catalog, plan)
    return plan


def _cached_plan(ctx: Context, session_id: str) -> Plan | None:
    """The plan of a session as :func:`plan_of` last found it, if still good; else None."""
    hit = _PLANS.get(session_id)
    if hit is None or (hit[0] is not None and hit[0] is not ctx.catalog):
        return None
    return hit[1]


def _stored_plan(session: dict[str, Any]) -> Plan | None:
    data = session.get("plan")
    if not isinstance(data, dict) or data.get("format") != PLAN_FORMAT:
        return None
    try:
        return validate(StoredPlan, data, text="", where=f"session {session['id']}").plan()
    except (SoleusError, ValueError):
        return None


def _remember(session_id: str, catalog: Catalog | None, plan: Plan) -> None:
    if len(_PLANS) >= _PLANS_MAX:
        # The oldest entry goes (dicts keep insertion order): emptying the whole cache
        # made every save re-read and re-validate its plan once more sessions were
        # active than it held.
        del _PLANS[next(iter(_PLANS))]
    _PLANS[session_id] = (catalog, plan)


def record(
    ctx: Context,
    session_id: str,
    *,
    plan_index: int,
    actual_reps: int | None,
    actual_seconds: float | None,
    skipped: bool,
) -> str:
    """Save one set of an active session at once; a redo of a plan index replaces it."""
    if actual_reps is not None and not 0 <= actual_reps <= MAX_LOGGED_REPS:
        raise SoleusError(f"actual_reps must be from 0 to {MAX_LOGGED_REPS}, not {actual_reps}")
    if actual_seconds is not None and not 0 <= actual_seconds <= MAX_LOGGED_SECONDS:
        raise SoleusError(
            f"actual_seconds must be from 0 to {MAX_LOGGED_SECONDS:g}, not {actual_seconds}"
        )
    now = ctx.now()
    set_id = str(uuid.uuid4())
    with ctx.store.begin() as conn:
        # Locked: two saves of one session (two tabs, two instances) take turns, so a
        # redone plan index cannot collide and the last set always finishes the session.
        status = repo.status_locked(conn, session_id=session_id, person_id=ctx.person_id)
        if status is None:
            raise NotFound(f"no session {session_id!r}")
        if status != "active":
            raise SoleusError(f"session {session_id} is already {status}")
        plan = _cached_plan(ctx, session_id)
        if plan is None:
            session = repo.get(conn, session_id=session_id, person_id=ctx.person_id)
            assert session is not None  # locked above
            plan = plan_of(ctx, session)
        if not 0 <= plan_index < len(plan.sets):
            raise SoleusError(
                f"plan_index must be from 0 to {len(plan.sets) - 1} for this session,"
                f" not {plan_index}"
            )
        item = plan.sets[plan_index]
        # The save and the indices saved before it (a redo's old row left out).
        others = repo.save_planned_set(
            conn,
            repo.SetRow(
                set_id=set_id,
                session_id=session_id,
                person_id=ctx.person_id,
                plan_index=plan_index,
                exercise_id=item.exercise.id,
                kind=item.dosage.kind,
                side=item.side,
                set_number=item.set_number,
                target_reps=item.target_reps,
                actual_reps=actual_reps,
                target_seconds=item.target_seconds,
                actual_seconds=actual_seconds,
                skipped=skipped,
                completed_at=now,
                local_date=ctx.local_date(now),
            ),
        )
        done = frozenset(i for i, skip in others if i is not None and not skip)
        if not skipped:
            done |= {plan_index}
        if is_complete(plan, done):
            # Every planned set is saved: the session is over even if its summary (effort,
            # pain) is never answered; finish() can still add them.
            repo.finish(conn, session_id=session_id, status="finished", ended_at=now)
    return set_id


def _done(sets: list[dict[str, Any]]) -> frozenset[int]:
    return frozenset(
        s["plan_index"] for s in sets if s["plan_index"] is not None and not s["skipped"]
    )


def is_complete(plan: Plan, done: frozenset[int]) -> bool:
    """Every planned set is saved (and not skipped)."""
    return done >= set(range(len(plan.sets)))


def finish(
    ctx: Context,
    session_id: str,
    *,
    effort: int | None = None,
    pain: int | None = None,
    status: str = "finished",
) -> None:
    """Close a session; effort and pain (0-10) are optional. Pain is also a pain report."""
    for name, value in (("effort", effort), ("pain", pain)):
        if value is not None and not 0 <= value <= 10:
            raise SoleusError(f"{name} must be from 0 to 10, not {value}")
    from soleus.store import checks

    now = ctx.now()
    with ctx.store.begin() as conn:
        session = repo.get(conn, session_id=session_id, person_id=ctx.person_id, for_update=True)
        if session is None:
            raise NotFound(f"no session {session_id!r}")
        ended = now
        if session["status"] == "finished":
            # Finished when its last set was saved: this adds the summary's answers.
            status, ended = "finished", session["ended_at"] or now
        repo.finish(
            conn,
            session_id=session_id,
            status=status,
            ended_at=ended,
            effort=session["effort"] if effort is None else effort,
            pain=session["pain"] if pain is None else pain,
        )
        if pain is not None:
            checks.add_pain(
                conn,
                report_id=str(uuid.uuid4()),
                person_id=ctx.person_id,
                at=now,
                local_date=ctx.local_date(now),
                score=pain,
                context="after",
                session_id=session_id,
            )
    if pain is not None:
        from soleus.services.safety.advice import refresh

        refresh(ctx)  # the day-state cache of `soleus log` sees the new report


def view(ctx: Context, session_id: str) -> tuple[dict[str, Any], Plan, frozenset[int]]:
    """A session with its sets, its plan and the plan indices done.

    Skipped (or cut-short) sets are not done: a resume offers them again, and redoing
    one replaces it.
    """
    with ctx.store.read() as conn:
        session = repo.get(conn, session_id=session_id, person_id=ctx.person_id)
        if session is None:
            raise NotFound(f"no session {session_id!r}")
        session["sets"] = repo.list_sets(conn, person_id=ctx.person_id, session_id=session_id)
    plan = plan_of(ctx, session)
    session.pop("plan", None)  # the Plan says it; the caller gets the same shape as a listing
    session["status"] = shown_status(session["status"], session["local_date"], ctx.today())
    return session, plan, _done(session["sets"])


def unfinished_today(ctx: Context) -> list[tuple[dict[str, Any], Plan, frozenset[int]]]:
    """Today's unfinished sessions (at most one per routine when started through
    :func:`start_over` or a resume), newest first, each with its plan and the plan
    indices done. Sessions left unfinished on earlier days are not among them: every
    view shows those as abandoned (:func:`soleus.domain.done.shown_status`).

    A session still marked active whose planned sets are all saved (one from before the
    last set finished it) is finished here instead of offered again.
    """
    with ctx.store.read() as conn:
        active = repo.active_on(conn, person_id=ctx.person_id, day=ctx.today())
    found = []
    for session in active:
        one = view(ctx, session["id"])
        if not is_complete(one[1], one[2]):
            found.append(one)
            continue
        last = max((s["completed_at"] for s in one[0]["sets"]), default=ctx.now())
        with ctx.store.begin() as conn:
            repo.finish(conn, session_id=session["id"], status="finished", ended_at=last)
    return found


def resumable(
    ctx: Context, routine_id: str | None = None
) -> tuple[dict[str, Any], Plan, frozenset[int]] | None:
    """The latest unfinished session of today (of ``routine_id`` if given), its plan and
    the plan indices already done; see :func:`unfinished_today`."""
    for found in unfinished_today(ctx):
        if routine_id is None or found[0]["routine_id"] == routine_id:
            return found
    return None


def start_over(ctx: Context, routine: Routine, *, source: str = "player") -> tuple[str, Plan]:
    """:func:`started`, ending today's unfinished session of the same routine (if any)
    as abandoned first: its saved sets are kept, it is no longer offered for a resume."""
    old = resumable(ctx, routine.id)
    started_now = started(ctx, routine, source=source)  # refused on a stop day: old stays
    if old is not None:
        finish(ctx, old[0]["id"], status="abandoned")
    return started_now


def get(ctx: Context, session_id: str) -> dict[str, Any]:
    """A session with its sets."""
    return view(ctx, session_id)[0]
