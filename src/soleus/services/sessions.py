"""Guided sessions: start one, save each set the moment it completes, finish or resume."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from datetime import datetime
from typing import Any

from soleus.content import validate
from soleus.domain.catalog import Side
from soleus.domain.routine import Plan, Routine
from soleus.errors import NotFound, SoleusError
from soleus.services.context import Context
from soleus.store import sessions as repo


def start(ctx: Context, routine: Routine, *, source: str = "player") -> str:
    """Record a new active session with a snapshot of the routine; return its id."""
    routine.check(ctx.catalog)
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
            started_at=now,
            local_date=ctx.local_date(now),
        )
    return session_id


def record_set(
    ctx: Context,
    *,
    session_id: str,
    plan_index: int,
    exercise_id: str,
    kind: str,
    side: Side,
    set_number: int,
    target_reps: int | None,
    actual_reps: int | None,
    target_seconds: float | None,
    actual_seconds: float | None,
    skipped: bool,
    completed_at: datetime | None = None,
) -> str:
    """Save one completed (or skipped) set at once; a redone set replaces the earlier one."""
    if actual_reps is not None and actual_reps < 0:
        raise SoleusError(f"reps cannot be negative ({actual_reps})")
    if actual_seconds is not None and actual_seconds < 0:
        raise SoleusError(f"seconds cannot be negative ({actual_seconds})")
    moment = completed_at or ctx.now()
    set_id = str(uuid.uuid4())
    with ctx.store.begin() as conn:
        session = repo.get(conn, session_id=session_id, person_id=ctx.person_id)
        if session is None:
            raise NotFound(f"no session {session_id!r}")
        if session["status"] != "active":
            raise SoleusError(f"session {session_id} is already {session['status']}")
        repo.add_set(
            conn,
            set_id=set_id,
            session_id=session_id,
            person_id=ctx.person_id,
            plan_index=plan_index,
            exercise_id=exercise_id,
            kind=kind,
            side=side,
            set_number=set_number,
            target_reps=target_reps,
            actual_reps=actual_reps,
            target_seconds=target_seconds,
            actual_seconds=actual_seconds,
            skipped=skipped,
            completed_at=moment,
            local_date=ctx.local_date(moment),
        )
    return set_id


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
        if repo.get(conn, session_id=session_id, person_id=ctx.person_id) is None:
            raise NotFound(f"no session {session_id!r}")
        repo.finish(
            conn, session_id=session_id, status=status, ended_at=now, effort=effort, pain=pain
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


def resumable(ctx: Context) -> tuple[dict[str, Any], Plan, frozenset[int]] | None:
    """The latest unfinished session, its plan and the plan indices already done."""
    with ctx.store.begin() as conn:
        session = repo.latest_active(conn, person_id=ctx.person_id)
        if session is None:
            return None
        # Skipped (or cut-short) sets are offered again; redoing one replaces it.
        done = frozenset(
            s["plan_index"]
            for s in repo.list_sets(conn, person_id=ctx.person_id, session_id=session["id"])
            if s["plan_index"] is not None and not s["skipped"]
        )
    routine = validate(Routine, session["routine"], text="", where=f"session {session['id']}")
    plan = Plan.build(routine, ctx.catalog)
    return session, plan, done


def get(ctx: Context, session_id: str) -> dict[str, Any]:
    with ctx.store.begin() as conn:
        session = repo.get(conn, session_id=session_id, person_id=ctx.person_id)
        if session is None:
            raise NotFound(f"no session {session_id!r}")
        session["sets"] = repo.list_sets(conn, person_id=ctx.person_id, session_id=session_id)
    return session
