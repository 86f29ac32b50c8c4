"""Calendar feed secrets: one per person, stored as a sha256 hash."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, delete, insert, select

from soleus.store.db import to_db
from soleus.store.schema import calendar_feeds


def replace(conn: Connection, *, person_id: str, token_hash: str, now: datetime) -> None:
    """The person's feed is now ``token_hash`` (an older one stops working)."""
    conn.execute(delete(calendar_feeds).where(calendar_feeds.c.person_id == person_id))
    conn.execute(
        insert(calendar_feeds).values(
            person_id=person_id, token_hash=token_hash, created_at=to_db(now)
        )
    )


def revoke(conn: Connection, *, person_id: str) -> bool:
    result = conn.execute(delete(calendar_feeds).where(calendar_feeds.c.person_id == person_id))
    return result.rowcount > 0


def person_of(conn: Connection, *, token_hash: str) -> str | None:
    return conn.execute(
        select(calendar_feeds.c.person_id).where(calendar_feeds.c.token_hash == token_hash)
    ).scalar_one_or_none()


def exists(conn: Connection, *, person_id: str) -> bool:
    found = conn.execute(
        select(calendar_feeds.c.person_id).where(calendar_feeds.c.person_id == person_id)
    ).first()
    return found is not None
