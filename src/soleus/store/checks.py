"""Pain reports and red-flag screens."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from soleus.store.db import from_db, to_db
from soleus.store.lite import execute, fetch
from soleus.store.names import variant

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from soleus.store.lite import Reading, Writing


def add_pain(
    conn: Writing,
    *,
    report_id: str,
    person_id: str,
    at: datetime,
    local_date: date,
    score: int,
    context: str,
    session_id: str | None = None,
) -> None:
    execute(
        conn,
        "insert_pain",
        id=report_id,
        person_id=person_id,
        at=to_db(at),
        local_date=local_date,
        score=score,
        context=context,
        session_id=session_id,
    )


def pain_exists(conn: Reading, *, report_id: str) -> bool:
    return bool(fetch(conn, "pain_exists", id=report_id))


def list_pain(conn: Reading, *, person_id: str, since: date | None = None) -> list[dict[str, Any]]:
    name = variant("pain", since=since is not None)
    rows = fetch(conn, name, pid=person_id, **({"since": since} if since else {}))
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
    from sqlalchemy import insert

    from soleus.store.schema import screens

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
    from sqlalchemy import select

    from soleus.store.schema import screens

    return conn.execute(select(screens.c.id).where(screens.c.id == screen_id)).first() is not None


def last_screens_before(conn: Reading, *, person_id: str, day: date) -> list[dict[str, Any]]:
    """The screens of the latest local day before ``day`` that has any, oldest first."""
    rows = fetch(conn, "screens_last_day", pid=person_id, before=day)
    return [{**r, "at": from_db(r["at"])} for r in rows]


def list_screens(
    conn: Reading, *, person_id: str, since: date | None = None
) -> list[dict[str, Any]]:
    name = variant("screens", since=since is not None)
    rows = fetch(conn, name, pid=person_id, **({"since": since} if since else {}))
    return [{**r, "at": from_db(r["at"])} for r in rows]
