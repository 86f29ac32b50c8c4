"""Sessions and the sets logged in them."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from soleus.store.db import from_db, to_db
from soleus.store.lite import LiteConnection, execute, fetch
from soleus.store.names import variant

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from soleus.store.lite import Reading, Writing


def exists(conn: Reading, *, session_id: str) -> bool:
    return bool(fetch(conn, "session_exists", id=session_id))


def create(
    conn: Writing,
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
    execute(
        conn,
        "insert_session",
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


class SetRow(NamedTuple):
    """A set as stored (``completed_at`` aware; stored as naive UTC)."""

    set_id: str
    session_id: str
    person_id: str
    exercise_id: str
    kind: str
    side: str
    set_number: int
    completed_at: datetime
    local_date: date
    plan_index: int | None = None
    target_reps: int | None = None
    actual_reps: int | None = None
    target_seconds: float | None = None
    actual_seconds: float | None = None
    skipped: bool = False

    def values(self) -> dict[str, Any]:
        row = self._asdict()
        row["id"] = row.pop("set_id")
        row["completed_at"] = to_db(self.completed_at)
        return row


def add_set(
    conn: Writing,
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
    redo: bool = True,
) -> None:
    """Insert a set; a set with the same plan index in the session replaces the old one
    (``redo=False``: the caller knows there is none, and no DELETE is sent; on
    PostgreSQL a redo is one INSERT ... ON CONFLICT DO UPDATE)."""
    values = SetRow(
        set_id=set_id,
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
        completed_at=completed_at,
        local_date=local_date,
    ).values()
    if plan_index is not None and redo:
        if not isinstance(conn, LiteConnection) and conn.dialect.name == "postgresql":
            from soleus.store.queries import upsert_set

            conn.execute(upsert_set(), values)
            return
        execute(conn, "delete_redone", sid=session_id, idx=plan_index)
    execute(conn, "insert_set", **values)


def set_exists(conn: Reading, *, set_id: str) -> bool:
    return bool(fetch(conn, "set_exists", id=set_id))


def finish(
    conn: Connection,
    *,
    session_id: str,
    status: str,
    ended_at: datetime,
    effort: int | None = None,
    pain: int | None = None,
) -> None:
    from sqlalchemy import update

    from soleus.store.schema import sessions

    conn.execute(
        update(sessions)
        .where(sessions.c.id == session_id)
        .values(status=status, ended_at=to_db(ended_at), effort=effort, pain=pain)
    )


def get(
    conn: Reading, *, session_id: str, person_id: str, for_update: bool = False
) -> dict[str, Any] | None:
    """A session, its stored plan (or None) under ``plan``. ``for_update`` (in a write
    transaction) locks its row until the transaction ends (PostgreSQL; SQLite's writers
    are serialised anyway), so that saves of one session, from any instance, take turns."""
    if for_update:
        from soleus.store.queries import QUERIES

        assert not isinstance(conn, LiteConnection), "a row lock needs a write transaction"
        query = QUERIES["session"].with_for_update()
        found = conn.execute(query, {"sid": session_id, "pid": person_id}).mappings().first()
        return _session(dict(found)) if found else None
    rows = fetch(conn, "session", sid=session_id, pid=person_id)
    return _session(rows[0]) if rows else None


_STATUS_LOCKED: Any = None  # QUERIES["session_status"] locking the row, built once


def status_locked(conn: Connection, *, session_id: str, person_id: str) -> str | None:
    """A session's status, its row locked until the transaction ends (saves of one
    session, from any instance, take turns); None when there is no such session of this
    person. One narrow statement, no plan JSON: the hot path of a shared deployment."""
    global _STATUS_LOCKED
    if _STATUS_LOCKED is None:
        from soleus.store.queries import QUERIES

        # Built once: a new with_for_update() each call costs SQLAlchemy a cache key.
        _STATUS_LOCKED = QUERIES["session_status"].with_for_update()
    status: str | None = conn.execute(
        _STATUS_LOCKED, {"sid": session_id, "pid": person_id}
    ).scalar()
    return status


def save_planned_set(conn: Connection, row: SetRow) -> list[tuple[int | None, bool]]:
    """Save the set at ``plan_index`` of a session locked by :func:`status_locked` (a
    redo replaces the old one); the (plan index, skipped) of its other sets. The sets
    are read after the lock is held, by a statement of its own: one that joined them to
    the locked row would see them as they were before a save it waited for. On
    PostgreSQL that read and the upsert are one statement; on SQLite (no round trips)
    the read, then a DELETE only for a redo, then the INSERT."""
    values, sid, index = row.values(), row.session_id, row.plan_index
    saved: list[tuple[int | None, bool]]
    if conn.dialect.name == "postgresql":
        from soleus.store.queries import upsert_set_and_saved

        saved = [(i, bool(skip)) for i, skip in conn.execute(upsert_set_and_saved(), values)]
    else:
        saved = [
            (r["plan_index"], bool(r["skipped"])) for r in fetch(conn, "saved_indices", sid=sid)
        ]
        if any(i == index for i, _ in saved):
            execute(conn, "delete_redone", sid=sid, idx=index)
        execute(conn, "insert_set", **values)
    return [(i, skip) for i, skip in saved if i != index]


def active_on(conn: Reading, *, person_id: str, day: date) -> list[dict[str, Any]]:
    """The sessions started on ``day`` (a local date) still marked active, newest first."""
    return [_session(r) for r in fetch(conn, "active_on", pid=person_id, day=day)]


def list_sessions(
    conn: Reading,
    *,
    person_id: str,
    since: date | None = None,
    with_plan: bool = False,
    plans_since: date | None = None,
) -> list[dict[str, Any]]:
    """Sessions oldest first; ``with_plan`` adds each one's stored plan (or None),
    ``plans_since`` (with ``since``) only that of the sessions on or after that day."""
    ranged = plans_since is not None and since is not None and not with_plan
    name = variant("sessions", since=since is not None, plan=with_plan, plan_since=ranged)
    params: dict[str, Any] = {"since": since} if since is not None else {}
    if ranged:
        params["plan_since"] = plans_since
    return [_session(r) for r in fetch(conn, name, pid=person_id, **params)]


def list_sets(
    conn: Reading,
    *,
    person_id: str,
    since: date | None = None,
    session_id: str | None = None,
) -> list[dict[str, Any]]:
    name = variant("sets", since=since is not None, session=session_id is not None)
    params: dict[str, Any] = {"since": since} if since is not None else {}
    if session_id is not None:
        params["sid"] = session_id
    return [_set(r) for r in fetch(conn, name, pid=person_id, **params)]


def active_days(conn: Reading, *, person_id: str) -> list[date]:
    """Every day with at least one completed (not skipped) set."""
    return [_as_date(r["day"]) for r in fetch(conn, "active_days", pid=person_id)]


class ExerciseDay(NamedTuple):
    day: date
    exercise_id: str
    sets: int
    reps: int
    seconds: float


def first_active_day(conn: Reading, *, person_id: str) -> date | None:
    """The first day with a completed set, or None."""
    found = fetch(conn, "first_active_day", pid=person_id)[0]["day"]
    return None if found is None else _as_date(found)


def exercise_days(conn: Reading, *, person_id: str) -> list[ExerciseDay]:
    """All time, per day and exercise: sets, reps and seconds (skipped sets excluded)."""
    return [
        ExerciseDay(
            _as_date(r["day"]),
            r["exercise_id"],
            int(r["sets"]),
            int(r["reps"]),
            float(r["seconds"]),
        )
        for r in fetch(conn, "exercise_days", pid=person_id)
    ]


def daily_totals(conn: Reading, *, person_id: str, since: date | None = None) -> list[Any]:
    """Per day, exercise and side: sets, reps and seconds (skipped sets excluded)."""
    name = variant("daily_totals", since=since is not None)
    params = {"since": since} if since is not None else {}
    return [
        (_as_date(r["day"]), r["exercise_id"], r["side"], r["sets"], r["reps"], r["seconds"])
        for r in fetch(conn, name, pid=person_id, **params)
    ]


def done_between(
    conn: Reading, *, person_id: str, start: date, end: date
) -> dict[date, dict[str, list[datetime]]]:
    """Per day in ``start..end``, per session: when its completed sets were done."""
    out: dict[date, dict[str, list[datetime]]] = {}
    for r in fetch(conn, "done_between", pid=person_id, start=start, end=end):
        day = out.setdefault(_as_date(r["day"]), {})
        day.setdefault(r["session_id"], []).append(from_db(r["completed_at"]))
    return out


def _as_date(value: Any) -> date:
    # SQLite gives ISO text (parsed in C), PostgreSQL a date.
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _session(row: dict[str, Any]) -> dict[str, Any]:
    out = dict(row)
    out["started_at"] = from_db(row["started_at"])
    out["ended_at"] = from_db(row["ended_at"]) if row["ended_at"] else None
    return out


def _set(row: dict[str, Any]) -> dict[str, Any]:
    out = dict(row)
    out["completed_at"] = from_db(row["completed_at"])
    return out
