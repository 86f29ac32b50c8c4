"""Who a bearer token or a web session stands for, in one query: the credential, the
account and every membership (one row per membership, outer-joined).

Every request in accounts mode asks this, so it is one statement (one round trip on
PostgreSQL through :meth:`soleus.store.db.Store.autocommit`); nothing is cached, so a
revoked token or session is refused at once by every instance.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    Connection,
    Select,
    String,
    bindparam,
    literal_column,
    null,
    or_,
    select,
    update,
)

from soleus.store.db import from_db, to_db
from soleus.store.schema import (
    access_tokens,
    accounts,
    memberships,
    organisations,
    persons,
    web_sessions,
)

# ``last used`` of a token and ``last seen`` of a session are written at most this often.
USED_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class Credential:
    """A token (``id`` its id) or a session (``id`` its id hash) with its person."""

    id: str
    person_id: str
    scope: str  # a token's read | write; "write" for a web session
    revoked: bool
    created_at: datetime
    last_used: datetime | None  # a token's last_used_at, a session's last_seen_at
    expires_at: datetime | None  # sessions only
    email: str
    name: str
    disabled: bool
    roles: tuple[tuple[str, str, str], ...]  # (org_id, org_name, role), by name and role


_PERSON = (
    accounts.c.email,
    persons.c.name,
    accounts.c.disabled,
    memberships.c.org_id,
    organisations.c.name,
    memberships.c.role,
)


def _with_person(query: Select[Any], person_id: Any) -> Select[Any]:
    return (
        query.join(accounts, accounts.c.person_id == person_id)
        .join(persons, persons.c.id == person_id)
        .outerjoin(memberships, memberships.c.person_id == person_id)
        .outerjoin(organisations, organisations.c.id == memberships.c.org_id)
        .order_by(organisations.c.name, memberships.c.role)
    )


def _credential(rows: list[Any]) -> Credential | None:
    if not rows:
        return None
    first = rows[0]
    id_, person_id, scope_, revoked, created, used, expires = first[:7]
    email, name, disabled = first[7:10]
    roles = tuple((r[10], r[11], r[12]) for r in rows if r[10] is not None)
    return Credential(
        id=id_,
        person_id=person_id,
        scope=scope_,
        revoked=revoked is not None,
        created_at=from_db(created),
        last_used=None if used is None else from_db(used),
        expires_at=None if expires is None else from_db(expires),
        email=email,
        name=name,
        disabled=bool(disabled),
        roles=roles,
    )


def _by_token() -> Select[Any]:
    t = access_tokens.c
    no_expiry = null().label("expires_at")
    query = select(
        t.id, t.person_id, t.scope, t.revoked_at, t.created_at, t.last_used_at, no_expiry
    ).add_columns(*_PERSON)
    query = _with_person(query.select_from(access_tokens), t.person_id)
    return query.where(t.token_hash == bindparam("secret_hash"))


def _by_session() -> Select[Any]:
    s = web_sessions.c
    write = literal_column("'write'", String).label("scope")
    query = select(
        s.id_hash, s.person_id, write, s.revoked_at, s.created_at, s.last_seen_at, s.expires_at
    ).add_columns(*_PERSON)
    query = _with_person(query.select_from(web_sessions), s.person_id)
    return query.where(s.id_hash == bindparam("secret_hash"))


# Built once: building the statement and its cache key on every request cost as much
# CPU as running it (bench_requests: ~0.2 of 0.34 ms per identity check).
_BY_TOKEN = _by_token()
_BY_SESSION = _by_session()


def by_token(conn: Connection, *, token_hash: str) -> Credential | None:
    return _credential(list(conn.execute(_BY_TOKEN, {"secret_hash": token_hash})))


def by_session(conn: Connection, *, id_hash: str) -> Credential | None:
    return _credential(list(conn.execute(_BY_SESSION, {"secret_hash": id_hash})))


def token_used(conn: Connection, *, token_id: str, now: datetime) -> None:
    """Note the token's use, unless another request did within ``USED_EVERY``."""
    t = access_tokens.c
    conn.execute(
        update(access_tokens)
        .where(
            t.id == token_id,
            or_(t.last_used_at.is_(None), t.last_used_at <= to_db(now - USED_EVERY)),
        )
        .values(last_used_at=to_db(now))
    )


def session_seen(conn: Connection, *, id_hash: str, now: datetime) -> None:
    """Note the session's use (its idle timeout counts from here), at most once a
    ``USED_EVERY``."""
    s = web_sessions.c
    conn.execute(
        update(web_sessions)
        .where(s.id_hash == id_hash, s.last_seen_at <= to_db(now - USED_EVERY))
        .values(last_seen_at=to_db(now))
    )


def stale(last_used: datetime | None, now: datetime) -> bool:
    """True when ``last used`` is old enough to be written again."""
    return last_used is None or now - last_used >= USED_EVERY
