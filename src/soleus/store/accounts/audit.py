"""The audit log: append-only (this module only adds and reads)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, insert, or_, select

from soleus.store.db import from_db, to_db
from soleus.store.schema import audit_log


@dataclass(frozen=True)
class Entry:
    id: int
    at: datetime
    actor_id: str | None
    action: str
    target_id: str | None
    org_id: str | None
    ip: str
    detail: dict[str, Any] | None


# An entry whose actor and target are one person (parameters ``now``, ``person_id``,
# ``action``, ``ip``, ``detail``), built once: a sign-in folds it into the statement
# that stores its session or token.
OWN_ENTRY = insert(audit_log).values(
    at=bindparam("now"),
    actor_id=bindparam("person_id"),
    action=bindparam("action"),
    target_id=bindparam("person_id"),
    ip=bindparam("ip"),
    detail=bindparam("detail", type_=audit_log.c.detail.type),
)


def add(
    conn: Connection,
    *,
    at: datetime,
    actor_id: str | None,
    action: str,
    target_id: str | None,
    org_id: str | None,
    ip: str,
    detail: dict[str, Any] | None,
) -> None:
    conn.execute(
        insert(audit_log).values(
            at=to_db(at),
            actor_id=actor_id,
            action=action,
            target_id=target_id,
            org_id=org_id,
            ip=ip[:64],
            detail=detail,
        )
    )


def entries(
    conn: Connection, *, org_ids: list[str] | None, people: list[str] | None, limit: int
) -> list[Entry]:
    """Newest first; ``org_ids``/``people`` narrow to entries of those (None: every one)."""
    query = select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
    if org_ids is not None or people is not None:
        conds = []
        if org_ids:
            conds.append(audit_log.c.org_id.in_(org_ids))
        if people:
            conds.append(audit_log.c.target_id.in_(people))
            conds.append(audit_log.c.actor_id.in_(people))
        if not conds:
            return []
        query = query.where(or_(*conds))
    return [
        Entry(r.id, from_db(r.at), r.actor_id, r.action, r.target_id, r.org_id, r.ip, r.detail)
        for r in conn.execute(query)
    ]
