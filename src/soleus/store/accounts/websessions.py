"""Web sign-in sessions: stored by the SHA-256 of their opaque id, revocable."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update

from soleus.store.accounts.audit import OWN_ENTRY
from soleus.store.accounts.ratelimits import CLEAR
from soleus.store.db import from_db, to_db
from soleus.store.schema import web_sessions


@dataclass(frozen=True)
class WebSession:
    id_hash: str
    person_id: str
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    revoked: bool
    ip: str
    user_agent: str


def _session(row: Any) -> WebSession:
    h, person, created, seen, expires, revoked, ip, agent = row
    return WebSession(
        h, person, from_db(created), from_db(seen), from_db(expires), revoked is not None, ip, agent
    )


# The three writes of a sign-in, built once (building a statement and its cache key
# costs a sign-in as much as running it); named parameters shared.
_SESSION = insert(web_sessions).values(
    id_hash=bindparam("id_hash"),
    person_id=bindparam("person_id"),
    created_at=bindparam("now"),
    last_seen_at=bindparam("now"),
    expires_at=bindparam("expires_at"),
    ip=bindparam("ip"),
    user_agent=bindparam("user_agent"),
)
# On PostgreSQL, one statement (data-modifying CTEs): the three stand or fall together
# with no BEGIN/COMMIT round trips.
_OPENED = {
    True: OWN_ENTRY.add_cte(CLEAR.cte("cleared"), _SESSION.cte("session")),
    False: OWN_ENTRY.add_cte(_SESSION.cte("session")),
}


def create_signed_in(
    conn: Connection,
    *,
    id_hash: str,
    person_id: str,
    now: datetime,
    expires_at: datetime,
    ip: str,
    user_agent: str,
    action: str,
    detail: dict[str, Any],
    clear_key: str | None,
) -> None:
    """A new session for someone just signed in, its audit entry (``action``, ``detail``;
    actor and target the person) and, with ``clear_key``, their failed attempts
    forgotten: one statement on PostgreSQL (an autocommit connection will do), the same
    three in the caller's transaction on SQLite."""
    values = {
        "id_hash": id_hash,
        "person_id": person_id,
        "now": to_db(now),
        "expires_at": to_db(expires_at),
        "ip": ip[:64],
        "user_agent": user_agent[:200],
        "action": action,
        "detail": detail,
        "clear_key": clear_key,
    }
    if conn.dialect.name == "postgresql":
        conn.execute(_OPENED[clear_key is not None], values)
        return
    if clear_key is not None:
        conn.execute(CLEAR, values)
    conn.execute(_SESSION, values)
    conn.execute(OWN_ENTRY, values)


def of_person(
    conn: Connection, *, person_id: str, now: datetime, seen_since: datetime
) -> list[WebSession]:
    """The person's live sessions (not revoked, not expired, used since ``seen_since``:
    the idle timeout), newest first."""
    query = (
        select(web_sessions)
        .where(
            web_sessions.c.person_id == person_id,
            web_sessions.c.revoked_at.is_(None),
            web_sessions.c.expires_at > to_db(now),
            web_sessions.c.last_seen_at > to_db(seen_since),
        )
        .order_by(web_sessions.c.last_seen_at.desc())
    )
    return [_session(row) for row in conn.execute(query)]


def revoke(conn: Connection, *, person_id: str, id_hash: str | None, now: datetime) -> int:
    """Revoke one of the person's sessions, or all of them (``id_hash`` None)."""
    query = update(web_sessions).where(
        web_sessions.c.person_id == person_id, web_sessions.c.revoked_at.is_(None)
    )
    if id_hash is not None:
        query = query.where(web_sessions.c.id_hash == id_hash)
    return conn.execute(query.values(revoked_at=to_db(now))).rowcount
