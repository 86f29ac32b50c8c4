"""Rate-limit counters in the database, so every instance counts the same attempts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, select
from sqlalchemy.dialects import postgresql, sqlite

from soleus.store.db import to_db
from soleus.store.schema import rate_limits


def _hit(dialect: Any) -> Any:
    """``INSERT ... ON CONFLICT DO UPDATE ... RETURNING count`` in ``dialect``: one
    statement (one round trip) that counts an attempt however many instances count at
    once (PostgreSQL and SQLite 3.35+ both take it)."""
    statement = dialect.insert(rate_limits).values(
        key=bindparam("key"), window_start=bindparam("start"), count=1
    )
    return statement.on_conflict_do_update(
        index_elements=[rate_limits.c.key, rate_limits.c.window_start],
        set_={"count": rate_limits.c.count + 1},
    ).returning(rate_limits.c.count)


# Built once per dialect: building the statement and its cache key cost a request as
# much as running it.
_HIT = {"postgresql": _hit(postgresql), "sqlite": _hit(sqlite)}


def hit(conn: Connection, *, key: str, window_start: datetime) -> int:
    """Count one attempt under ``key`` in the window starting then; the new count."""
    statement = _HIT["postgresql" if conn.dialect.name == "postgresql" else "sqlite"]
    return int(conn.execute(statement, {"key": key, "start": to_db(window_start)}).scalar_one())


_COUNT = select(func.coalesce(func.sum(rate_limits.c.count), 0)).where(
    rate_limits.c.key == bindparam("key"), rate_limits.c.window_start >= bindparam("since")
)
_FORGET = delete(rate_limits).where(rate_limits.c.window_start < bindparam("moment"))


def count(conn: Connection, *, key: str, since: datetime) -> int:
    return int(conn.execute(_COUNT, {"key": key, "since": to_db(since)}).scalar_one())


# Forgetting a key's attempts (parameter ``clear_key``), built once: a sign-in folds it
# into the statement that stores its session or token.
CLEAR = delete(rate_limits).where(rate_limits.c.key == bindparam("clear_key"))


def clear(conn: Connection, *, key: str) -> None:
    conn.execute(CLEAR, {"clear_key": key})


def forget_before(conn: Connection, *, moment: datetime) -> None:
    conn.execute(_FORGET, {"moment": to_db(moment)})
