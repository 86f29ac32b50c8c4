"""The audit log: who signed in, who invited whom, who read or changed whose data."""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING, Any

from soleus.services.accounts.actor import Actor
from soleus.services.context import Context
from soleus.store.accounts import audit as repo

if TYPE_CHECKING:
    from soleus.store.db import Connection

Entry = repo.Entry


def record(
    conn: Connection,
    ctx: Context,
    *,
    actor_id: str | None,
    action: str,
    target_id: str | None = None,
    org_id: str | None = None,
    ip: str = "",
    detail: dict[str, Any] | None = None,
) -> None:
    """Add an entry inside the caller's transaction (it stands or falls with the change)."""
    repo.add(
        conn,
        at=ctx.now(),
        actor_id=actor_id,
        action=action,
        target_id=target_id,
        org_id=org_id,
        ip=ip,
        detail=detail,
    )


def record_alone(ctx: Context, **fields: Any) -> None:
    """Add an entry in a transaction of its own (a refusal: nothing else is written)."""
    with ctx.store.begin() as conn:
        record(conn, ctx, **fields)


def entries(ctx: Context, actor: Actor, *, limit: int = 500) -> list[Entry]:
    """What ``actor`` may see: everything in local mode or for the command line; for an
    admin, the entries of their organisations and of their organisations' people."""
    from soleus.services.accounts.access import require_admin

    with ctx.store.begin() as conn:
        if actor.local or actor.operator:
            return repo.entries(conn, org_ids=None, people=None, limit=limit)
        orgs = require_admin(actor)
        from soleus.store.accounts import orgs as org_repo

        people = sorted({m.person_id for o in orgs for m in org_repo.of_org(conn, org_id=o)})
        return repo.entries(conn, org_ids=orgs, people=people, limit=limit)


def as_csv(rows: list[Entry]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["at", "actor", "action", "target", "org", "ip", "detail"])
    for e in rows:
        detail = "" if e.detail is None else json.dumps(e.detail, sort_keys=True)
        cells = [e.at.isoformat(), e.actor_id or "", e.action, e.target_id or ""]
        cells += [e.org_id or "", e.ip, detail]
        # A cell a spreadsheet would run as a formula is quoted (CSV injection).
        writer.writerow(["'" + c if c[:1] in ("=", "+", "-", "@") else c for c in cells])
    return out.getvalue()
