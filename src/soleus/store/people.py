"""Persons: every record belongs to one (locally there is one, named "me")."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.exc import IntegrityError

from soleus.store.db import from_db, to_db
from soleus.store.schema import persons


def ensure(conn: Connection, *, name: str, now: datetime) -> str:
    """The id of the person called ``name``, created if new (safe against a racing twin)."""
    query = select(persons.c.id).where(persons.c.name == name)
    found = conn.execute(query).scalar()
    if found is not None:
        return str(found)
    new_id = str(uuid.uuid4())
    try:
        with conn.begin_nested():
            conn.execute(insert(persons).values(id=new_id, name=name, created_at=to_db(now)))
    except IntegrityError:  # another process created the person first
        return str(conn.execute(query).scalar_one())
    return new_id


def created_at(conn: Connection, *, person_id: str) -> datetime | None:
    """When soleus first saw the person (the first run that opened the store)."""
    value = conn.execute(select(persons.c.created_at).where(persons.c.id == person_id)).scalar()
    return None if value is None else from_db(value)


def create(conn: Connection, *, name: str, now: datetime) -> str:
    """A new person (an account's: named by its own id, unique by construction)."""
    new_id = str(uuid.uuid4())
    conn.execute(insert(persons).values(id=new_id, name=name or new_id, created_at=to_db(now)))
    return new_id


def name_of(conn: Connection, *, person_id: str) -> str | None:
    value = conn.execute(select(persons.c.name).where(persons.c.id == person_id)).scalar()
    return None if value is None else str(value)


def welcome(conn: Connection, *, person_id: str) -> str | None:
    """How the person left the first-run welcome ("done" or "skipped"), or None if never."""
    value = conn.execute(select(persons.c.welcome).where(persons.c.id == person_id)).scalar()
    return None if value is None else str(value)


def set_welcome(conn: Connection, *, person_id: str, outcome: str, at: datetime) -> None:
    """Record that the welcome was done or skipped (a later "done" replaces a "skip")."""
    conn.execute(
        update(persons)
        .where(persons.c.id == person_id)
        .values(welcome=outcome, welcomed_at=to_db(at))
    )
