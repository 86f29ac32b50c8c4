"""Passkey (WebAuthn) credentials: id, public key and signature counter per person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, delete, insert, select, update

from soleus.store.db import to_db
from soleus.store.schema import passkeys


@dataclass(frozen=True)
class Passkey:
    credential_id: str
    person_id: str
    public_key: bytes
    sign_count: int
    name: str


def add(
    conn: Connection,
    *,
    credential_id: str,
    person_id: str,
    public_key: bytes,
    sign_count: int,
    name: str,
    now: datetime,
) -> None:
    conn.execute(
        insert(passkeys).values(
            credential_id=credential_id,
            person_id=person_id,
            public_key=public_key,
            sign_count=sign_count,
            name=name,
            created_at=to_db(now),
        )
    )


def get(conn: Connection, *, credential_id: str) -> Passkey | None:
    query = select(
        passkeys.c.credential_id,
        passkeys.c.person_id,
        passkeys.c.public_key,
        passkeys.c.sign_count,
        passkeys.c.name,
    ).where(passkeys.c.credential_id == credential_id)
    row = conn.execute(query).first()
    return None if row is None else Passkey(row[0], row[1], bytes(row[2]), row[3], row[4])


def of_person(conn: Connection, *, person_id: str) -> list[Passkey]:
    query = select(
        passkeys.c.credential_id,
        passkeys.c.person_id,
        passkeys.c.public_key,
        passkeys.c.sign_count,
        passkeys.c.name,
    ).where(passkeys.c.person_id == person_id)
    return [Passkey(r[0], r[1], bytes(r[2]), r[3], r[4]) for r in conn.execute(query)]


def used(conn: Connection, *, credential_id: str, sign_count: int, now: datetime) -> None:
    conn.execute(
        update(passkeys)
        .where(passkeys.c.credential_id == credential_id)
        .values(sign_count=sign_count, last_used_at=to_db(now))
    )


def remove(conn: Connection, *, person_id: str, credential_id: str) -> bool:
    query = delete(passkeys).where(
        passkeys.c.credential_id == credential_id, passkeys.c.person_id == person_id
    )
    return conn.execute(query).rowcount == 1
