"""Organisations and memberships (role per organisation; a patient's clinician)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Select, insert, select
from sqlalchemy.exc import IntegrityError

from soleus.errors import SoleusError
from soleus.store.db import to_db
from soleus.store.schema import memberships, organisations


@dataclass(frozen=True)
class Membership:
    person_id: str
    org_id: str
    org_name: str
    role: str
    clinician_id: str | None


def create(conn: Connection, *, name: str, now: datetime) -> str:
    new_id = str(uuid.uuid4())
    try:
        with conn.begin_nested():
            conn.execute(insert(organisations).values(id=new_id, name=name, created_at=to_db(now)))
    except IntegrityError:
        raise SoleusError(f"an organisation called {name!r} exists already") from None
    return new_id


def id_of(conn: Connection, *, name: str) -> str | None:
    found = conn.execute(select(organisations.c.id).where(organisations.c.name == name)).scalar()
    return None if found is None else str(found)


def name_of(conn: Connection, *, org_id: str) -> str | None:
    found = conn.execute(select(organisations.c.name).where(organisations.c.id == org_id)).scalar()
    return None if found is None else str(found)


def add_member(
    conn: Connection,
    *,
    person_id: str,
    org_id: str,
    role: str,
    clinician_id: str | None,
    now: datetime,
) -> None:
    """Add a role in an organisation (a role the person has already is left as it is)."""
    query = select(memberships.c.id).where(
        memberships.c.person_id == person_id,
        memberships.c.org_id == org_id,
        memberships.c.role == role,
    )
    if conn.execute(query).first() is not None:
        return
    conn.execute(
        insert(memberships).values(
            id=str(uuid.uuid4()),
            person_id=person_id,
            org_id=org_id,
            role=role,
            clinician_id=clinician_id,
            created_at=to_db(now),
        )
    )


def _memberships() -> Select[Any]:
    """Memberships with their organisation's name, as Membership's fields."""
    return select(
        memberships.c.person_id,
        memberships.c.org_id,
        organisations.c.name,
        memberships.c.role,
        memberships.c.clinician_id,
    ).join(organisations, organisations.c.id == memberships.c.org_id)


def of_person(conn: Connection, *, person_id: str) -> list[Membership]:
    query = (
        _memberships()
        .where(memberships.c.person_id == person_id)
        .order_by(organisations.c.name, memberships.c.role)
    )
    return [Membership(*row) for row in conn.execute(query)]


def of_org(conn: Connection, *, org_id: str) -> list[Membership]:
    query = _memberships().where(memberships.c.org_id == org_id)
    return [Membership(*row) for row in conn.execute(query)]


def all_names(conn: Connection) -> list[str]:
    return [str(n) for n in conn.execute(select(organisations.c.name).order_by("name")).scalars()]
