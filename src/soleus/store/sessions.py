"""Sessions and the sets logged in them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Connection,
    RowMapping,
    String,
    and_,
    bindparam,
    delete,
    func,
    insert,
    select,
    type_coerce,
    update,
)

from soleus.store.db import from_db, to_db
from soleus.store.schema import sessions, set_logs

# Built once: the hot path of saving a set then skips statement construction.
_INSERT_SET = insert(set_logs)
_DELETE_REDONE = delete(set_logs).where(
    and_(set_logs.c.session_id == bindparam("sid"), set_logs.c.plan_index == bindparam("idx"))
)
# Listings leave out the stored plan (kilobytes a session); get() reads it.
_LISTED = [c for c in sessions.c if c.name != "plan"]
_GET_SESSION = select(sessions).where(
    sessions.c.id == bindparam("sid"), sessions.c.person_id == bindparam("pid")
)
_GET_SESSION_FOR_UPDATE = _GET_SESSION.with_for_update()


def exists(conn: Connection, *, session_id: str) -> bool:
    return (
        conn.execute(select(sessions.c.id).where(sessions.c.id == session_id)).first() is not None
    )


def create(
    conn: Connection,
    *,
    session_id: str,
    person_id: str,
    source: str,
    status: str,
    started_at: datetime,
    local_date: date,
    routine_id: str | None = None,
    routine_name: str | None = None,
    routine: dict[str, Any] | None = None,
    plan: dict[str, Any] | None = None,
    ended_at: datetime | None = None,
    effort: int | None = None,
    pain: int | None = None,
    note: str = "",
    recording: str | None = None,
) -> None:
    conn.execute(
        insert(sessions).values(
            id=session_id,
            person_id=person_id,
            source=source,
            status=status,
            routine_id=routine_id,
            routine_name=routine_name,
            routine=routine,
            plan=plan,
            started_at=to_db(started_at),
            ended_at=to_db(ended_at) if ended_at else None,
            local_date=local_date,
            effort=effort,
            pain=pain,
            note=note,
            recording=recording,
        )
    )


def add_set(
    conn: Connection,
    *,
    set_id: str,
    session_id: str,
    person_id: str,
    exercise_id: str,
    kind: str,
    side: str,
    set_number: int,
    completed_at: datetime,
    local_date: date,
    plan_index: int | None = None,
    target_reps: int | None = None,
    actual_reps: int | None = None,
    target_seconds: float | None = None,
    actual_seconds: float | None = None,
    skipped: bool = False,
) -> None:
    """Insert a set; a set with the same plan index in the session replaces the old one."""
    if plan_index is not None:
        conn.execute(_DELETE_REDONE, {"sid": session_id, "idx": plan_index})
    conn.execute(
        _INSERT_SET,
        dict(
            id=set_id,
            session_id=session_id,
            person_id=person_id,
            plan_index=plan_index,
            exercise_id=exercise_id,
            kind=kind,
            side=side,
            set_number=set_number,
            target_reps=target_reps,
            actual_reps=actual_reps,
            target_seconds=target_seconds,
            actual_seconds=actual_seconds,
            skipped=skipped,
            completed_at=to_db(completed_at),
            local_date=local_date,
        ),
    )


def set_exists(conn: Connection, *, set_id: str) -> bool:
    return conn.execute(select(set_logs.c.id).where(set_logs.c.id == set_id)).first() is not None


def finish(
    conn: Connection,
    *,
    session_id: str,
    status: str,
    ended_at: datetime,
    effort: int | None = None,
    pain: int | None = None,
) -> None:
    conn.execute(
        update(sessions)
        .where(sessions.c.id == session_id)
        .values(status=status, ended_at=to_db(ended_at), effort=effort, pain=pain)
    )


def get(
    conn: Connection, *, session_id: str, person_id: str, for_update: bool = False
) -> dict[str, Any] | None:
    """A session, its stored plan (or None) under ``plan``. ``for_update`` locks its row
    until the transaction ends (PostgreSQL; SQLite's writers are serialised anyway), so
    that saves of one session, from any instance, take turns."""
    query = _GET_SESSION_FOR_UPDATE if for_update else _GET_SESSION
    row = conn.execute(query, {"sid": session_id, "pid": person_id}).mappings().first()
    return _session(row) if row else None


def active_on(conn: Connection, *, person_id: str, day: date) -> list[dict[str, Any]]:
    """The sessions started on ``day`` (a local date) still marked active, newest first."""
    rows = conn.execute(
        select(*_LISTED)
        .where(
            sessions.c.person_id == person_id,
            sessions.c.status == "active",
            sessions.c.local_date == day,
        )
        .order_by(sessions.c.started_at.desc())
    ).mappings()
    return [_session(r) for r in rows]


def list_sessions(
    conn: Connection, *, person_id: str, since: date | None = None, with_plan: bool = False
) -> list[dict[str, Any]]:
    """Sessions oldest first; ``with_plan`` adds each one's stored plan (or None)."""
    query = select(*(sessions.c if with_plan else _LISTED)).where(sessions.c.person_id == person_id)
    if since is not None:
        query = query.where(sessions.c.local_date >= since)
    rows = conn.execute(query.order_by(sessions.c.started_at)).mappings()
    return [_session(r) for r in rows]


def list_sets(
    conn: Connection,
    *,
    person_id: str,
    since: date | None = None,
    session_id: str | None = None,
) -> list[dict[str, Any]]:
    if session_id is None:
        query = select(set_logs).where(set_logs.c.person_id == person_id)
    else:
        # One session's sets, found by its session_id index. ``person_id || ''`` keeps
        # SQLite (no statistics) from walking ix_set_logs_stats through every set the
        # person ever logged instead: with ten years of logs that made each saved set
        # cost ~11 ms (bench_web's POST fell to ~50/s); now ~0.05 ms.
        query = select(set_logs).where(
            set_logs.c.session_id == session_id, set_logs.c.person_id.concat("") == person_id
        )
    if since is not None:
        query = query.where(set_logs.c.local_date >= since)
    rows = conn.execute(
        query.order_by(set_logs.c.completed_at, set_logs.c.set_number, set_logs.c.side)
    ).mappings()
    return [_set(r) for r in rows]


def _done(person_id: str) -> Any:
    return and_(set_logs.c.person_id == person_id, set_logs.c.skipped.is_(False))


def _day() -> Any:
    # Read dates as ISO text: SQLAlchemy's SQLite date parsing is slow over 10 years.
    return type_coerce(set_logs.c.local_date, String).label("day")


def active_days(conn: Connection, *, person_id: str) -> list[date]:
    """Every day with at least one completed (not skipped) set."""
    query = select(_day()).where(_done(person_id)).distinct()
    days = conn.execute(query).scalars().all()
    if days and isinstance(days[0], str):  # SQLite: ISO text, parsed in C
        return [date.fromisoformat(day) for day in days]
    return [_as_date(day) for day in days]


def exercise_totals(conn: Connection, *, person_id: str) -> Sequence[Any]:
    """Per exercise, all time: sets, reps, seconds and distinct days."""
    query = (
        select(
            set_logs.c.exercise_id,
            func.count().label("sets"),
            func.coalesce(func.sum(set_logs.c.actual_reps), 0).label("reps"),
            func.coalesce(func.sum(set_logs.c.actual_seconds), 0.0).label("seconds"),
            func.count(set_logs.c.local_date.distinct()).label("days"),
        )
        .where(_done(person_id))
        .group_by(set_logs.c.exercise_id)
    )
    return conn.execute(query).all()


def daily_totals(conn: Connection, *, person_id: str, since: date | None = None) -> list[Any]:
    """Per day, exercise and side: sets, reps and seconds (skipped sets excluded)."""
    query = (
        select(
            _day(),
            set_logs.c.exercise_id,
            set_logs.c.side,
            func.count().label("sets"),
            func.coalesce(func.sum(set_logs.c.actual_reps), 0).label("reps"),
            func.coalesce(func.sum(set_logs.c.actual_seconds), 0.0).label("seconds"),
        )
        .where(_done(person_id))
        .group_by(set_logs.c.local_date, set_logs.c.exercise_id, set_logs.c.side)
        .order_by(set_logs.c.local_date)
    )
    if since is not None:
        query = query.where(set_logs.c.local_date >= since)
    return [
        (_as_date(r.day), r.exercise_id, r.side, r.sets, r.reps, r.seconds)
        for r in conn.execute(query)
    ]


def sessions_per_day(
    conn: Connection, *, person_id: str, start: date, end: date
) -> dict[date, int]:
    """Per day in ``start..end``: sessions with at least one completed set."""
    query = (
        select(_day(), func.count(set_logs.c.session_id.distinct()))
        .where(_done(person_id), set_logs.c.local_date.between(start, end))
        .group_by(set_logs.c.local_date)
    )
    return {_as_date(day): int(n) for day, n in conn.execute(query)}


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _session(row: RowMapping) -> dict[str, Any]:
    out = dict(row)
    out["started_at"] = from_db(row["started_at"])
    out["ended_at"] = from_db(row["ended_at"]) if row["ended_at"] else None
    return out


def _set(row: RowMapping) -> dict[str, Any]:
    out = dict(row)
    out["completed_at"] = from_db(row["completed_at"])
    return out
