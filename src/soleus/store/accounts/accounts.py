"""Accounts: a person's email (lower case, unique), argon2id hash and disabled flag."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Select, bindparam, insert, select, update

from soleus.store.db import from_db, to_db
from soleus.store.schema import accounts, persons


@dataclass(frozen=True)
class Account:
    person_id: str
    email: str
    name: str
    password_hash: str | None
    disabled: bool
    created_at: datetime


_COLUMNS = (
    accounts.c.person_id,
    accounts.c.email,
    persons.c.name,
    accounts.c.password_hash,
    accounts.c.disabled,
    accounts.c.created_at,
)


def account_row(row: Any) -> Account:
    person_id, email, name, password_hash, disabled, created_at = row
    return Account(person_id, email, name, password_hash, bool(disabled), from_db(created_at))


def _select() -> Select[Any]:
    return select(*_COLUMNS).join(persons, persons.c.id == accounts.c.person_id)


def create(
    conn: Connection, *, person_id: str, email: str, password_hash: str | None, now: datetime
) -> None:
    conn.execute(
        insert(accounts).values(
            person_id=person_id,
            email=email,
            password_hash=password_hash,
            disabled=False,
            created_at=to_db(now),
        )
    )


# Built once: read by every sign-in (in store.accounts.attempts' statement; building a
# statement and its cache key costs about as much as running it).
BY_EMAIL = _select().where(accounts.c.email == bindparam("email"))


def by_email(conn: Connection, *, email: str) -> Account | None:
    row = conn.execute(BY_EMAIL, {"email": email}).first()
    return None if row is None else account_row(row)


def by_person(conn: Connection, *, person_id: str) -> Account | None:
    row = conn.execute(_select().where(accounts.c.person_id == person_id)).first()
    return None if row is None else account_row(row)


def by_people(conn: Connection, *, person_ids: list[str]) -> list[Account]:
    query = _select().where(accounts.c.person_id.in_(person_ids)).order_by(accounts.c.email)
    return [account_row(row) for row in conn.execute(query)]


def every(conn: Connection) -> list[Account]:
    return [account_row(row) for row in conn.execute(_select().order_by(accounts.c.email))]


def set_password(conn: Connection, *, person_id: str, password_hash: str) -> None:
    conn.execute(
        update(accounts)
        .where(accounts.c.person_id == person_id)
        .values(password_hash=password_hash)
    )


def set_disabled(conn: Connection, *, person_id: str, disabled: bool) -> None:
    conn.execute(
        update(accounts).where(accounts.c.person_id == person_id).values(disabled=disabled)
    )
