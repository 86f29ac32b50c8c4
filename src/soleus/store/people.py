"""Persons: every record belongs to one (locally there is one, named "me")."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from soleus.store.db import from_db, to_db
from soleus.store.lite import execute, integrity_errors, scalar

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from soleus.store.lite import Reading, Writing


def find(conn: Reading, *, name: str) -> str | None:
    """The id of the person called ``name``, or None."""
    found = scalar(conn, "person_by_name", name=name)
    return None if found is None else str(found)


def ensure(conn: Writing, *, name: str, now: datetime) -> str:
    """The id of the person called ``name``, created if new (safe against a racing twin)."""
    found = find(conn, name=name)
    if found is not None:
        return found
    new_id = str(uuid.uuid4())
    try:
        with conn.begin_nested():
            execute(conn, "insert_person", id=new_id, name=name, created_at=to_db(now))
    except integrity_errors(conn):  # another process created the person first
        return str(find(conn, name=name))
    return new_id


def created_at(conn: Reading, *, person_id: str) -> datetime | None:
    """When soleus first saw the person (the first run that opened the store)."""
    value = scalar(conn, "person_created_at", pid=person_id)
    return None if value is None else from_db(value)


def create(conn: Connection, *, name: str, now: datetime) -> str:
    """A new person (an account's: named by its own id, unique by construction)."""
    from sqlalchemy import insert

    from soleus.store.schema import persons

    new_id = str(uuid.uuid4())
    conn.execute(insert(persons).values(id=new_id, name=name or new_id, created_at=to_db(now)))
    return new_id


def name_of(conn: Reading, *, person_id: str) -> str | None:
    value = scalar(conn, "person_name", pid=person_id)
    return None if value is None else str(value)


def welcome(conn: Reading, *, person_id: str) -> str | None:
    """How the person left the first-run welcome ("done" or "skipped"), or None if never."""
    value = scalar(conn, "person_welcome", pid=person_id)
    return None if value is None else str(value)


def calibration(conn: Reading, *, person_id: str) -> str | None:
    """The person's calibration as stored (JSON, soleus.signal.calibration), or None."""
    value = scalar(conn, "person_calibration", pid=person_id)
    return None if value is None else str(value)


def set_calibration(conn: Connection, *, person_id: str, value: str | None, at: datetime) -> None:
    """Store the person's calibration (replacing any before), or forget it (None)."""
    from sqlalchemy import update

    from soleus.store.schema import persons

    conn.execute(
        update(persons)
        .where(persons.c.id == person_id)
        .values(calibration=value, calibrated_at=None if value is None else to_db(at))
    )


def set_welcome(conn: Connection, *, person_id: str, outcome: str, at: datetime) -> None:
    """Record that the welcome was done or skipped (a later "done" replaces a "skip")."""
    from sqlalchemy import update

    from soleus.store.schema import persons

    conn.execute(
        update(persons)
        .where(persons.c.id == person_id)
        .values(welcome=outcome, welcomed_at=to_db(at))
    )
