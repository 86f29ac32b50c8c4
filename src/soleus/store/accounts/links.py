"""One-time links (invitations and password resets), stored by the hash of their token."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from soleus.store.db import from_db, to_db
from soleus.store.schema import invitations


@dataclass(frozen=True)
class Link:
    id: str
    kind: str  # invite | reset
    email: str
    role: str | None
    org_id: str | None
    inviter_id: str | None
    person_id: str | None
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None


def _link(row: Any) -> Link:
    (id_, _hash, kind, email, role, org, inviter, person, created, expires, used) = row
    return Link(
        id_,
        kind,
        email,
        role,
        org,
        inviter,
        person,
        from_db(created),
        from_db(expires),
        None if used is None else from_db(used),
    )


def create(
    conn: Connection,
    *,
    token_hash: str,
    kind: str,
    email: str,
    role: str | None,
    org_id: str | None,
    inviter_id: str | None,
    person_id: str | None,
    now: datetime,
    expires_at: datetime,
) -> str:
    new_id = str(uuid.uuid4())
    conn.execute(
        insert(invitations).values(
            id=new_id,
            token_hash=token_hash,
            kind=kind,
            email=email,
            role=role,
            org_id=org_id,
            inviter_id=inviter_id,
            person_id=person_id,
            created_at=to_db(now),
            expires_at=to_db(expires_at),
        )
    )
    return new_id


def by_hash(conn: Connection, *, token_hash: str) -> Link | None:
    row = conn.execute(select(invitations).where(invitations.c.token_hash == token_hash)).first()
    return None if row is None else _link(row)


def use(conn: Connection, *, link_id: str, now: datetime) -> bool:
    """Mark the link used; False when it was used already (a racing twin won)."""
    query = (
        update(invitations)
        .where(invitations.c.id == link_id, invitations.c.used_at.is_(None))
        .values(used_at=to_db(now))
    )
    return conn.execute(query).rowcount == 1
