"""Rate-limit counters in the database, so every instance counts the same attempts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from soleus.store.db import to_db
from soleus.store.schema import rate_limits


def hit(conn: Connection, *, key: str, window_start: datetime) -> int:
    """Count one attempt under ``key`` in the window starting then; the new count."""
    start = to_db(window_start)
    where = (rate_limits.c.key == key, rate_limits.c.window_start == start)
    changed = conn.execute(
        update(rate_limits).where(*where).values(count=rate_limits.c.count + 1)
    ).rowcount
    if changed == 0:
        try:
            with conn.begin_nested():
                conn.execute(insert(rate_limits).values(key=key, window_start=start, count=1))
        except IntegrityError:  # another instance counted first
            conn.execute(update(rate_limits).where(*where).values(count=rate_limits.c.count + 1))
    return int(conn.execute(select(rate_limits.c.count).where(*where)).scalar_one())


def count(conn: Connection, *, key: str, since: datetime) -> int:
    query = select(func.coalesce(func.sum(rate_limits.c.count), 0)).where(
        rate_limits.c.key == key, rate_limits.c.window_start >= to_db(since)
    )
    return int(conn.execute(query).scalar_one())


def clear(conn: Connection, *, key: str) -> None:
    conn.execute(delete(rate_limits).where(rate_limits.c.key == key))


def forget_before(conn: Connection, *, moment: datetime) -> None:
    conn.execute(delete(rate_limits).where(rate_limits.c.window_start < to_db(moment)))
