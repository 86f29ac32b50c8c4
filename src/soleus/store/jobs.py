"""A small job queue in the database, and the missed-session mail preference.

Enqueueing is idempotent by ``key`` (INSERT ... ON CONFLICT DO NOTHING), so any number
of instances may run the same periodic check. A worker takes the oldest due job with
``SELECT ... FOR UPDATE SKIP LOCKED`` (PostgreSQL) and keeps its row lock until the job
is marked done or put back, in the same transaction: two workers never hold the same
job. SQLite has no row locks, but its writers are serialised (BEGIN IMMEDIATE), which
gives the same answer.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select, update
from sqlalchemy.dialects import postgresql, sqlite

from soleus.store.db import from_db, to_db
from soleus.store.schema import jobs, mail_prefs


@dataclass(frozen=True)
class Job:
    id: str
    key: str
    kind: str
    person_id: str
    payload: dict[str, Any]
    attempts: int


def enqueue(
    conn: Connection,
    *,
    key: str,
    kind: str,
    person_id: str,
    payload: dict[str, Any],
    run_at: datetime,
    now: datetime,
) -> bool:
    """Queue a job unless one with ``key`` exists (in any state); True if queued."""
    values = {
        "id": str(uuid.uuid4()),
        "key": key,
        "kind": kind,
        "person_id": person_id,
        "payload": payload,
        "state": "queued",
        "run_at": to_db(run_at),
        "attempts": 0,
        "created_at": to_db(now),
    }
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(jobs)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(jobs.c.id)
    )
    return conn.execute(statement).first() is not None  # (rowcount: -1 on psycopg)


def take(conn: Connection, *, kind: str, now: datetime) -> Job | None:
    """The oldest due queued job of ``kind``, locked for this transaction (skipping any
    another worker holds), or None."""
    row = conn.execute(
        select(jobs)
        .where(jobs.c.kind == kind, jobs.c.state == "queued", jobs.c.run_at <= to_db(now))
        .order_by(jobs.c.run_at, jobs.c.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    ).one_or_none()
    if row is None:
        return None
    return Job(row.id, row.key, row.kind, row.person_id, dict(row.payload), row.attempts)


def finish(conn: Connection, *, job_id: str, worker: str, now: datetime) -> None:
    conn.execute(
        update(jobs)
        .where(jobs.c.id == job_id)
        .values(state="done", done_at=to_db(now), done_by=worker[:80])
    )


def retry(
    conn: Connection, *, job_id: str, error: str, run_at: datetime | None, now: datetime
) -> None:
    """Count a failed attempt; run again at ``run_at``, or give up (failed) when None."""
    values: dict[str, Any] = {"attempts": jobs.c.attempts + 1, "last_error": error[:500]}
    if run_at is None:
        values.update(state="failed", done_at=to_db(now))
    else:
        values["run_at"] = to_db(run_at)
    conn.execute(update(jobs).where(jobs.c.id == job_id).values(**values))


def states(conn: Connection, *, kind: str) -> list[dict[str, Any]]:
    """Every job of ``kind`` (for status and tests), oldest first."""
    rows = conn.execute(select(jobs).where(jobs.c.kind == kind).order_by(jobs.c.created_at))
    return [
        {**r._asdict(), "done_at": None if r.done_at is None else from_db(r.done_at)} for r in rows
    ]


def set_missed_mails(conn: Connection, *, person_id: str, on: bool, now: datetime) -> None:
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(mail_prefs).values(
        person_id=person_id, missed_sessions=on, updated_at=to_db(now)
    )
    conn.execute(
        statement.on_conflict_do_update(
            index_elements=["person_id"],
            set_={"missed_sessions": on, "updated_at": to_db(now)},
        )
    )


def wants_missed_mails(conn: Connection, *, person_id: str) -> bool:
    value = conn.execute(
        select(mail_prefs.c.missed_sessions).where(mail_prefs.c.person_id == person_id)
    ).scalar_one_or_none()
    return bool(value)


def opted_in(conn: Connection) -> list[str]:
    """Everyone who asked for missed-session mails."""
    return list(
        conn.execute(
            select(mail_prefs.c.person_id).where(mail_prefs.c.missed_sessions.is_(True))
        ).scalars()
    )
