"""Personal access tokens: named, scoped (read | write), stored hashed, revocable."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update

from soleus.store.accounts.audit import OWN_ENTRY
from soleus.store.accounts.ratelimits import CLEAR
from soleus.store.db import from_db, to_db
from soleus.store.schema import access_tokens


@dataclass(frozen=True)
class AccessToken:
    id: str
    person_id: str
    name: str
    scope: str
    created_at: datetime
    last_used_at: datetime | None
    revoked: bool


_COLUMNS = (
    access_tokens.c.id,
    access_tokens.c.person_id,
    access_tokens.c.name,
    access_tokens.c.scope,
    access_tokens.c.created_at,
    access_tokens.c.last_used_at,
    access_tokens.c.revoked_at,
)


def _token(row: Any) -> AccessToken:
    id_, person, name, scope, created, used, revoked = row
    return AccessToken(
        id_,
        person,
        name,
        scope,
        from_db(created),
        None if used is None else from_db(used),
        revoked is not None,
    )


_TOKEN = insert(access_tokens).values(
    id=bindparam("token_id"),
    person_id=bindparam("person_id"),
    name=bindparam("name"),
    scope=bindparam("scope"),
    token_hash=bindparam("token_hash"),
    created_at=bindparam("now"),
)


def create(
    conn: Connection, *, person_id: str, name: str, scope: str, token_hash: str, now: datetime
) -> str:
    new_id = str(uuid.uuid4())
    values = {"person_id": person_id, "name": name, "scope": scope, "token_hash": token_hash}
    conn.execute(_TOKEN, {**values, "token_id": new_id, "now": to_db(now)})
    return new_id


# POST /api/tokens on PostgreSQL: the account's failures forgotten, the token and its
# audit entry in one statement (data-modifying CTEs), built once.
_ISSUED = OWN_ENTRY.add_cte(CLEAR.cte("cleared"), _TOKEN.cte("token"))


def create_issued(
    conn: Connection,
    *,
    person_id: str,
    name: str,
    scope: str,
    token_hash: str,
    now: datetime,
    ip: str,
    clear_key: str,
) -> str:
    """A token for someone who just signed in with their password, its audit entry
    (``token.created``) and their failed attempts (``clear_key``) forgotten: one
    statement on PostgreSQL (an autocommit connection will do), the same three in the
    caller's transaction on SQLite. The new token's id."""
    new_id = str(uuid.uuid4())
    values = {
        "token_id": new_id,
        "person_id": person_id,
        "name": name,
        "scope": scope,
        "token_hash": token_hash,
        "now": to_db(now),
        "ip": ip[:64],
        "action": "token.created",
        "detail": {"token": new_id, "scope": scope},
        "clear_key": clear_key,
    }
    if conn.dialect.name == "postgresql":
        conn.execute(_ISSUED, values)
    else:
        for statement in (CLEAR, _TOKEN, OWN_ENTRY):
            conn.execute(statement, values)
    return new_id


def of_person(conn: Connection, *, person_id: str) -> list[AccessToken]:
    query = (
        select(*_COLUMNS)
        .where(access_tokens.c.person_id == person_id, access_tokens.c.revoked_at.is_(None))
        .order_by(access_tokens.c.created_at)
    )
    return [_token(row) for row in conn.execute(query)]


def revoke(conn: Connection, *, person_id: str, token_id: str, now: datetime) -> bool:
    """Revoke one of the person's tokens; False when the person has no such live token."""
    query = (
        update(access_tokens)
        .where(
            access_tokens.c.id == token_id,
            access_tokens.c.person_id == person_id,
            access_tokens.c.revoked_at.is_(None),
        )
        .values(revoked_at=to_db(now))
    )
    return conn.execute(query).rowcount == 1
