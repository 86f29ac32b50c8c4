"""Pain reports and red-flag screens."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, insert, select

from soleus.store.db import from_db, to_db
from soleus.store.schema import pain_reports, screens


def add_pain(
    conn: Connection,
    *,
    report_id: str,
    person_id: str,
    at: datetime,
    local_date: date,
    score: int,
    context: str,
    session_id: str | None = None,
) -> None:
    conn.execute(
        insert(pain_reports).values(
            id=report_id,
            person_id=person_id,
            at=to_db(at),
            local_date=local_date,
            score=score,
            context=context,
            session_id=session_id,
        )
    )


def pain_exists(conn: Connection, *, report_id: str) -> bool:
    query = select(pain_reports.c.id).where(pain_reports.c.id == report_id)
    return conn.execute(query).first() is not None


def list_pain(
    conn: Connection, *, person_id: str, since: date | None = None
) -> list[dict[str, Any]]:
    query = select(pain_reports).where(pain_reports.c.person_id == person_id)
    if since is not None:
        query = query.where(pain_reports.c.local_date >= since)
    rows = conn.execute(query.order_by(pain_reports.c.at)).mappings()
    return [{**r, "at": from_db(r["at"])} for r in rows]


def add_screen(
    conn: Connection,
    *,
    screen_id: str,
    person_id: str,
    at: datetime,
    local_date: date,
    answers: dict[str, bool],
    passed: bool,
) -> None:
    conn.execute(
        insert(screens).values(
            id=screen_id,
            person_id=person_id,
            at=to_db(at),
            local_date=local_date,
            answers=answers,
            passed=passed,
        )
    )


def screen_exists(conn: Connection, *, screen_id: str) -> bool:
    return conn.execute(select(screens.c.id).where(screens.c.id == screen_id)).first() is not None


def list_screens(
    conn: Connection, *, person_id: str, since: date | None = None
) -> list[dict[str, Any]]:
    query = select(screens).where(screens.c.person_id == person_id)
    if since is not None:
        query = query.where(screens.c.local_date >= since)
    rows = conn.execute(query.order_by(screens.c.at)).mappings()
    return [{**r, "at": from_db(r["at"])} for r in rows]
