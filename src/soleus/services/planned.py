"""Sets saved by plan index: the client says which planned set it did, the server fills in
the exercise, side, set number and targets from the session's own routine snapshot."""

from __future__ import annotations

import json
import uuid
from typing import Any

from soleus.content import validate
from soleus.domain.catalog import Catalog
from soleus.domain.routine import Plan, Routine
from soleus.errors import NotFound, SoleusError
from soleus.services.context import Context
from soleus.store import sessions as repo

# Plans derived from (routine snapshot, catalog): pure and cheap to rebuild, so this cache
# is only a speed-up and never state another instance would need.
_PLANS: dict[str, tuple[Catalog, Plan]] = {}
_PLANS_MAX = 256


def plan_of(ctx: Context, session: dict[str, Any]) -> Plan:
    """The plan of a session, from the routine snapshot taken when it started."""
    snapshot = session.get("routine")
    if not snapshot:
        raise SoleusError(f"session {session['id']} has no routine (it was a quick log)")
    key = json.dumps(snapshot, sort_keys=True, default=str)
    catalog = ctx.catalog
    hit = _PLANS.get(key)
    if hit is not None and hit[0] is catalog:
        return hit[1]
    routine = validate(Routine, snapshot, text="", where=f"session {session['id']}")
    plan = Plan.build(routine, catalog)
    if len(_PLANS) >= _PLANS_MAX:
        _PLANS.clear()
    _PLANS[key] = (catalog, plan)
    return plan


def record(
    ctx: Context,
    session_id: str,
    *,
    plan_index: int,
    actual_reps: int | None,
    actual_seconds: float | None,
    skipped: bool,
) -> str:
    """Save one set of an active session by its plan index, in one transaction.

    A redo of the same plan index replaces the earlier set (the store does that).
    """
    if actual_reps is not None and not 0 <= actual_reps <= 10_000:
        raise SoleusError(f"actual_reps must be from 0 to 10000, not {actual_reps}")
    if actual_seconds is not None and not 0 <= actual_seconds <= 86_400:
        raise SoleusError(f"actual_seconds must be from 0 to 86400, not {actual_seconds}")
    now = ctx.now()
    set_id = str(uuid.uuid4())
    with ctx.store.begin() as conn:
        session = repo.get(conn, session_id=session_id, person_id=ctx.person_id)
        if session is None:
            raise NotFound(f"no session {session_id!r}")
        if session["status"] != "active":
            raise SoleusError(f"session {session_id} is already {session['status']}")
        plan = plan_of(ctx, session)
        if not 0 <= plan_index < len(plan.sets):
            raise SoleusError(
                f"plan_index must be from 0 to {len(plan.sets) - 1} for this session,"
                f" not {plan_index}"
            )
        item = plan.sets[plan_index]
        repo.add_set(
            conn,
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
        )
    return set_id


def view(ctx: Context, session_id: str) -> tuple[dict[str, Any], Plan, list[int]]:
    """A session with its sets, its plan and the plan indices done (not skipped)."""
    with ctx.store.begin() as conn:
        session = repo.get(conn, session_id=session_id, person_id=ctx.person_id)
        if session is None:
            raise NotFound(f"no session {session_id!r}")
        session["sets"] = repo.list_sets(conn, person_id=ctx.person_id, session_id=session_id)
    done = sorted(
        {
            s["plan_index"]
            for s in session["sets"]
            if s["plan_index"] is not None and not s["skipped"]
        }
    )
    return session, plan_of(ctx, session), done
