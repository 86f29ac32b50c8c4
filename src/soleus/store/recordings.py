"""Recordings kept with sessions, ingest tokens, and live streams with their raw chunks."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, func, insert, or_, select, update

from soleus.store.db import from_db, to_db
from soleus.store.schema import ingest_tokens, live_chunks, live_streams, sessions

_STREAM_TIMES = ("created_at", "updated_at", "lease_until")


def session_with_recording(conn: Connection, *, person_id: str, recording: str) -> str | None:
    """The id of the person's session that keeps ``recording``, if any."""
    found = conn.execute(
        select(sessions.c.id).where(
            sessions.c.person_id == person_id, sessions.c.recording == recording
        )
    ).scalar()
    return None if found is None else str(found)


# -- ingest tokens ----------------------------------------------------------------------


def token_of(conn: Connection, *, person_id: str) -> str | None:
    found = conn.execute(
        select(ingest_tokens.c.token).where(ingest_tokens.c.person_id == person_id)
    ).scalar()
    return None if found is None else str(found)


def set_token(conn: Connection, *, person_id: str, token: str, now: datetime) -> None:
    """Create or replace the person's ingest token."""
    done = conn.execute(
        update(ingest_tokens)
        .where(ingest_tokens.c.person_id == person_id)
        .values(token=token, created_at=to_db(now))
    )
    if not done.rowcount:
        conn.execute(
            insert(ingest_tokens).values(person_id=person_id, token=token, created_at=to_db(now))
        )


def person_of_token(conn: Connection, *, token: str) -> str | None:
    found = conn.execute(
        select(ingest_tokens.c.person_id).where(ingest_tokens.c.token == token)
    ).scalar()
    return None if found is None else str(found)


# -- live streams -----------------------------------------------------------------------


def _stream(row: Any) -> dict[str, Any]:
    data = dict(row)
    for key in _STREAM_TIMES:
        if data.get(key) is not None:
            data[key] = from_db(data[key])
    return data


def create_stream(
    conn: Connection,
    *,
    stream_id: str,
    person_id: str,
    source: str,
    now: datetime,
    device: str = "",
    side: str | None = None,
    style: str = "sets",
) -> None:
    conn.execute(
        insert(live_streams).values(
            id=stream_id,
            person_id=person_id,
            source=source,
            status="active",
            created_at=to_db(now),
            updated_at=to_db(now),
            device=device,
            remote_session="",
            side=side,
            style=style,
            last_t=-1.0,
            t_offset=0.0,
            error="",
        )
    )


def get_stream(
    conn: Connection, *, stream_id: str, person_id: str | None = None, lock: bool = False
) -> dict[str, Any] | None:
    """One stream (of ``person_id`` when given); ``lock`` holds its row until commit."""
    query = select(live_streams).where(live_streams.c.id == stream_id)
    if person_id is not None:
        query = query.where(live_streams.c.person_id == person_id)
    if lock:
        query = query.with_for_update()
    row = conn.execute(query).mappings().first()
    return None if row is None else _stream(row)


def latest_stream(
    conn: Connection, *, person_id: str, source: str | None = None, active: bool = False
) -> dict[str, Any] | None:
    query = select(live_streams).where(live_streams.c.person_id == person_id)
    if source is not None:
        query = query.where(live_streams.c.source == source)
    if active:
        query = query.where(live_streams.c.status == "active")
    row = conn.execute(query.order_by(live_streams.c.created_at.desc()).limit(1)).mappings().first()
    return None if row is None else _stream(row)


def update_stream(conn: Connection, *, stream_id: str, **values: Any) -> None:
    for key in _STREAM_TIMES:
        if values.get(key) is not None:
            values[key] = to_db(values[key])
    conn.execute(update(live_streams).where(live_streams.c.id == stream_id).values(**values))


def claim_lease(conn: Connection, *, stream_id: str, now: datetime, until: datetime) -> bool:
    """Take (or renew) the polling lease of an active stream whose lease has run out."""
    done = conn.execute(
        update(live_streams)
        .where(
            and_(
                live_streams.c.id == stream_id,
                live_streams.c.status == "active",
                or_(live_streams.c.lease_until.is_(None), live_streams.c.lease_until < to_db(now)),
            )
        )
        .values(lease_until=to_db(until))
    )
    return bool(done.rowcount)


def stream_of_remote_session(
    conn: Connection, *, person_id: str, source: str, remote_session: str
) -> dict[str, Any] | None:
    """The person's newest stream fed by the phone's recording ``remote_session``."""
    row = (
        conn.execute(
            select(live_streams)
            .where(
                live_streams.c.person_id == person_id,
                live_streams.c.source == source,
                live_streams.c.remote_session == remote_session,
            )
            .order_by(live_streams.c.created_at.desc())
            .limit(1)
        )
        .mappings()
        .first()
    )
    return None if row is None else _stream(row)


def recent_streams(conn: Connection, *, person_id: str, limit: int = 10) -> list[dict[str, Any]]:
    """The person's newest streams, newest first."""
    rows = conn.execute(
        select(live_streams)
        .where(live_streams.c.person_id == person_id)
        .order_by(live_streams.c.created_at.desc())
        .limit(limit)
    ).mappings()
    return [_stream(row) for row in rows]


# -- chunks -----------------------------------------------------------------------------


def add_chunk(
    conn: Connection,
    *,
    stream_id: str,
    received_at: datetime,
    n_acc: int,
    n_gyro: int,
    data: bytes,
) -> int:
    """Append a chunk (call with the stream row locked); returns its sequence number."""
    last = conn.execute(
        select(func.max(live_chunks.c.seq)).where(live_chunks.c.stream_id == stream_id)
    ).scalar()
    seq = 0 if last is None else int(last) + 1
    conn.execute(
        insert(live_chunks).values(
            stream_id=stream_id,
            seq=seq,
            received_at=to_db(received_at),
            n_acc=n_acc,
            n_gyro=n_gyro,
            data=data,
        )
    )
    return seq


def chunks(conn: Connection, *, stream_id: str) -> list[tuple[int, int, bytes]]:
    """All chunks of a stream in order, as (n_acc, n_gyro, data)."""
    rows = conn.execute(
        select(live_chunks.c.n_acc, live_chunks.c.n_gyro, live_chunks.c.data)
        .where(live_chunks.c.stream_id == stream_id)
        .order_by(live_chunks.c.seq)
    )
    return [(int(a), int(g), bytes(d)) for a, g, d in rows]


def last_chunk_at(conn: Connection, *, stream_id: str) -> datetime | None:
    """When the stream's newest chunk arrived (None before the first)."""
    found = conn.execute(
        select(func.max(live_chunks.c.received_at)).where(live_chunks.c.stream_id == stream_id)
    ).scalar()
    return None if found is None else from_db(found)
