"""Prescribed plans: a clinician's plan for a patient, stored as JSON; one current per
patient (prescribing again ends the one before)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from soleus.store.db import from_db, to_db
from soleus.store.schema import prescriptions


@dataclass(frozen=True)
class Stored:
    id: str
    person_id: str
    clinician_id: str
    created_at: datetime
    plan: dict[str, Any]
    ended_at: datetime | None


def _stored(row: Any) -> Stored:
    ended = row.ended_at
    return Stored(
        row.id,
        row.person_id,
        row.clinician_id,
        from_db(row.created_at),
        dict(row.plan),
        None if ended is None else from_db(ended),
    )


def add(
    conn: Connection,
    *,
    person_id: str,
    clinician_id: str,
    start: date,
    end: date | None,
    plan: dict[str, Any],
    now: datetime,
) -> str:
    """Store a new current plan for ``person_id``, ending the one before; its id."""
    end_current(conn, person_id=person_id, now=now)
    new_id = str(uuid.uuid4())
    conn.execute(
        insert(prescriptions).values(
            id=new_id,
            person_id=person_id,
            clinician_id=clinician_id,
            created_at=to_db(now),
            start_date=start,
            end_date=end,
            plan=plan,
            ended_at=None,
        )
    )
    return new_id


def end_current(conn: Connection, *, person_id: str, now: datetime) -> bool:
    """End the patient's current plan; False if there was none."""
    result = conn.execute(
        update(prescriptions)
        .where(prescriptions.c.person_id == person_id, prescriptions.c.ended_at.is_(None))
        .values(ended_at=to_db(now))
    )
    return result.rowcount > 0


def current(conn: Connection, *, person_id: str) -> Stored | None:
    row = conn.execute(
        select(prescriptions)
        .where(prescriptions.c.person_id == person_id, prescriptions.c.ended_at.is_(None))
        .order_by(prescriptions.c.created_at.desc())
        .limit(1)
    ).one_or_none()
    return None if row is None else _stored(row)


def plans(conn: Connection, *, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Prescription id -> its stored plan. A plan row never changes but for its end:
    callers may keep what this gave for an id."""
    if not ids:
        return {}
    rows = conn.execute(
        select(prescriptions.c.id, prescriptions.c.plan).where(prescriptions.c.id.in_(ids))
    ).all()
    return {row[0]: dict(row[1]) for row in rows}
