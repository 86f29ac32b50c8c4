"""The read queries, defined once in SQLAlchemy Core over :mod:`soleus.store.schema`.

Each query has a name (a variant with an optional filter is a name of its own, e.g.
``sets+since``) and named bind parameters. On PostgreSQL (and in-memory SQLite) the
repositories run these statements through SQLAlchemy. On a SQLite file the read commands
run the same statements compiled once to SQL text (:mod:`soleus.store.compiled`, written
by ``scripts/compile_queries.py`` from :func:`render`; a test checks the text equals this
compilation), so they need not import SQLAlchemy at all (~200 ms a process).

:data:`WRITES` are the write statements that also run compiled: those the quick-log inbox
drain sends (:func:`soleus.services.logs.inbox.drain`), so that the first command after
``soleus log`` stays as quick as the read commands. Every other write is SQLAlchemy's.
"""

from __future__ import annotations

import functools
import itertools
import pprint
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import (
    JSON,
    BindParameter,
    Boolean,
    Date,
    DateTime,
    Delete,
    Insert,
    Select,
    String,
    Table,
    and_,
    bindparam,
    case,
    delete,
    func,
    insert,
    null,
    select,
)
from sqlalchemy import type_coerce as coerce
from sqlalchemy.dialects import sqlite

from soleus.store.names import variant
from soleus.store.schema import activity_spans, nudges, pain_reports, persons, screens, sessions
from soleus.store.schema import set_logs as sets

QUERIES: dict[str, Select[Any]] = {}

PID: BindParameter[Any] = bindparam("pid")


def _add(name: str, build: Callable[..., Select[Any]], flags: Iterable[str] = ()) -> None:
    """Register ``build`` under ``name`` and under ``name+flag...`` for each flag subset."""
    flags = tuple(flags)
    for n in range(len(flags) + 1):
        for chosen in itertools.combinations(flags, n):
            on = dict.fromkeys(chosen, True)
            QUERIES[variant(name, **on)] = build(**on)


# -- persons -------------------------------------------------------------------------------
_add("person_by_name", lambda: select(persons.c.id).where(persons.c.name == bindparam("name")))
_add("person_created_at", lambda: select(persons.c.created_at).where(persons.c.id == PID))
_add("person_name", lambda: select(persons.c.name).where(persons.c.id == PID))
_add("person_welcome", lambda: select(persons.c.welcome).where(persons.c.id == PID))
_add("person_calibration", lambda: select(persons.c.calibration).where(persons.c.id == PID))
_add("pain_exists", lambda: select(pain_reports.c.id).where(pain_reports.c.id == bindparam("id")))
_add("session_exists", lambda: select(sessions.c.id).where(sessions.c.id == bindparam("id")))
_add("set_exists", lambda: select(sets.c.id).where(sets.c.id == bindparam("id")))

# -- pain reports and screens --------------------------------------------------------------


def _pain(since: bool = False) -> Select[Any]:
    query = select(pain_reports).where(pain_reports.c.person_id == PID)
    if since:
        query = query.where(pain_reports.c.local_date >= bindparam("since"))
    return query.order_by(pain_reports.c.at)


def _screens(since: bool = False) -> Select[Any]:
    query = select(screens).where(screens.c.person_id == PID)
    if since:
        query = query.where(screens.c.local_date >= bindparam("since"))
    return query.order_by(screens.c.at)


_add("pain", _pain, ["since"])
_add("screens", _screens, ["since"])
# The screens of the latest day before :before that has any (a "yes" there still stands).
_add(
    "screens_last_day",
    lambda: (
        select(screens)
        .where(
            screens.c.person_id == PID,
            screens.c.local_date
            == select(func.max(screens.c.local_date))
            .where(screens.c.person_id == PID, screens.c.local_date < bindparam("before"))
            .scalar_subquery(),
        )
        .order_by(screens.c.at)
    ),
)

# -- sessions and sets ---------------------------------------------------------------------
# Listings leave out the stored plan (kilobytes a session); `session` and `plan` read it.
LISTED = [c for c in sessions.c if c.name != "plan"]


def _sessions(since: bool = False, plan: bool = False, plan_since: bool = False) -> Select[Any]:
    columns: list[Any] = list(sessions.c if plan else LISTED)
    if plan_since:
        # The stored plan of the sessions from ``plan_since`` on only (the History page
        # lists two weeks with their plans and charts 90 days without): one read for both.
        recent = sessions.c.local_date >= bindparam("plan_since")
        columns.append(case((recent, sessions.c.plan), else_=null()).label("plan"))
    query = select(*columns).where(sessions.c.person_id == PID)
    if since:
        query = query.where(sessions.c.local_date >= bindparam("since"))
    return query.order_by(sessions.c.started_at)


def _sets(since: bool = False, session: bool = False) -> Select[Any]:
    if session:
        # One session's sets, found by its session_id index. ``person_id || ''`` keeps
        # SQLite (no statistics) from walking ix_set_logs_stats through every set the
        # person ever logged instead: with ten years of logs that made each saved set
        # cost ~11 ms (bench_web's POST fell to ~50/s); now ~0.05 ms.
        query = select(sets).where(
            sets.c.session_id == bindparam("sid"), sets.c.person_id.concat("") == PID
        )
    else:
        query = select(sets).where(sets.c.person_id == PID)
    if since:
        query = query.where(sets.c.local_date >= bindparam("since"))
    return query.order_by(sets.c.completed_at, sets.c.set_number, sets.c.side)


def _done() -> Any:
    return and_(sets.c.person_id == PID, sets.c.skipped.is_(False))


def _day() -> Any:
    # Read dates as ISO text: SQLAlchemy's SQLite date parsing is slow over 10 years.
    return coerce(sets.c.local_date, String).label("day")


def _daily_totals(since: bool = False) -> Select[Any]:
    query = (
        select(
            _day(),
            sets.c.exercise_id,
            sets.c.side,
            func.count().label("sets"),
            func.coalesce(func.sum(sets.c.actual_reps), 0).label("reps"),
            func.coalesce(func.sum(sets.c.actual_seconds), 0.0).label("seconds"),
        )
        .where(_done())
        .group_by(sets.c.local_date, sets.c.exercise_id, sets.c.side)
        .order_by(sets.c.local_date)
    )
    if since:
        query = query.where(sets.c.local_date >= bindparam("since"))
    return query


_add(
    "session",
    lambda: select(sessions).where(sessions.c.id == bindparam("sid"), sessions.c.person_id == PID),
)
# What saving a set needs, narrow (no plan or routine JSON: the plan comes from guided's
# cache of plans, read on a miss): the session's status (locked by the caller) and the
# plan indices saved so far, by the (session_id, plan_index) unique index.
_add(
    "session_status",
    lambda: select(sessions.c.status).where(
        sessions.c.id == bindparam("sid"), sessions.c.person_id == PID
    ),
)
_add(
    "saved_indices",
    lambda: select(sets.c.plan_index, sets.c.skipped).where(sets.c.session_id == bindparam("sid")),
)
_add(
    "active_on",
    lambda: (
        select(*LISTED)
        .where(
            sessions.c.person_id == PID,
            sessions.c.status == "active",
            sessions.c.local_date == bindparam("day"),
        )
        .order_by(sessions.c.started_at.desc())
    ),
)
_add("sessions", _sessions, ["since", "plan"])
QUERIES[variant("sessions", since=True, plan_since=True)] = _sessions(since=True, plan_since=True)
_add("sets", _sets, ["since", "session"])
_add("active_days", lambda: select(_day()).where(_done()).distinct())
_add("first_active_day", lambda: select(func.min(sets.c.local_date).label("day")).where(_done()))
# All time, per day and exercise: one walk of ix_set_logs_stats in its own order (no
# temporary B-tree); the active days and per-exercise totals are sums of these rows.
_add(
    "exercise_days",
    lambda: (
        select(
            _day(),
            sets.c.exercise_id,
            func.count().label("sets"),
            func.coalesce(func.sum(sets.c.actual_reps), 0).label("reps"),
            func.coalesce(func.sum(sets.c.actual_seconds), 0.0).label("seconds"),
        )
        .where(_done())
        .group_by(sets.c.local_date, sets.c.exercise_id)
    ),
)
_add("daily_totals", _daily_totals, ["since"])
_add(
    "done_between",
    lambda: (
        select(_day(), sets.c.session_id, sets.c.completed_at)
        .where(_done(), sets.c.local_date.between(bindparam("start"), bindparam("end")))
        .order_by(sets.c.completed_at)
    ),
)

# -- nudges and activity spans -------------------------------------------------------------
_add(
    "nudges_for_day",
    lambda: (
        select(nudges)
        .where(nudges.c.person_id == PID, nudges.c.local_date == bindparam("day"))
        .order_by(nudges.c.prompted_at)
    ),
)
_add(
    "spans_for_day",
    lambda: (
        select(activity_spans)
        .where(activity_spans.c.person_id == PID, activity_spans.c.local_date == bindparam("day"))
        .order_by(activity_spans.c.started_at, activity_spans.c.ended_at)
    ),
)
_add(
    "span_totals",
    lambda: (
        select(
            activity_spans.c.local_date,
            activity_spans.c.kind,
            func.count().label("n"),
            func.coalesce(func.sum(activity_spans.c.seconds), 0.0).label("seconds"),
        )
        .where(
            activity_spans.c.person_id == PID,
            activity_spans.c.local_date >= bindparam("start"),
            activity_spans.c.local_date <= bindparam("end"),
        )
        .group_by(activity_spans.c.local_date, activity_spans.c.kind)
    ),
)
_add(
    "nudge_totals",
    lambda: (
        select(
            nudges.c.local_date,
            nudges.c.outcome,
            func.count().label("n"),
            func.coalesce(func.sum(nudges.c.snoozes), 0).label("snoozes"),
        )
        .where(
            nudges.c.person_id == PID,
            nudges.c.local_date >= bindparam("start"),
            nudges.c.local_date <= bindparam("end"),
        )
        .group_by(nudges.c.local_date, nudges.c.outcome)
    ),
)


# -- writes: each named column is a bind parameter of its own name ---------------------------


def _insert(table: Table, columns: Iterable[str] | None = None) -> Insert:
    names = [c.name for c in table.c] if columns is None else list(columns)
    return insert(table).values({name: bindparam(name) for name in names})


WRITES: dict[str, Insert | Delete] = {
    "insert_person": _insert(persons, ["id", "name", "created_at"]),
    "insert_pain": _insert(pain_reports),
    "insert_session": _insert(sessions),
    "insert_set": _insert(sets),
    # A set saved again at the same plan index replaces the old one.
    "delete_redone": delete(sets).where(
        and_(sets.c.session_id == bindparam("sid"), sets.c.plan_index == bindparam("idx"))
    ),
}


@functools.cache
def upsert_set() -> Insert:
    """PostgreSQL: a set saved again at its plan index replaces the old row in one
    statement (one round trip instead of delete_redone and insert_set; under the
    session's row lock, as they are). Not compiled for SQLite, where the two statements
    cost no round trip; built on first use (the dialect's import)."""
    from sqlalchemy.dialects.postgresql import insert as pg_insert

    statement = pg_insert(sets).values({c.name: bindparam(c.name) for c in sets.c})
    key = ("session_id", "plan_index")
    return statement.on_conflict_do_update(
        index_elements=list(key),
        set_={c.name: statement.excluded[c.name] for c in sets.c if c.name not in key},
    )


@functools.cache
def upsert_set_and_saved() -> Select[Any]:
    """PostgreSQL: :func:`upsert_set` and the session's sets as they were before it
    (plan index, skipped), in one statement: one round trip fewer for every saved set.
    Run under the session's row lock, its snapshot is taken after every save it waited
    for has committed; the INSERT in the WITH is not seen by the SELECT beside it (so a
    redone index is listed with its old row, which the caller leaves out)."""
    upsert = upsert_set().returning(sets.c.id).cte("saved")
    return (
        select(sets.c.plan_index, sets.c.skipped)
        .where(sets.c.session_id == bindparam("session_id"))
        .add_cte(upsert)
    )


# -- compiled for SQLite -------------------------------------------------------------------
_KINDS = ((DateTime, "datetime"), (Date, "date"), (JSON, "json"), (Boolean, "bool"))


def compile_sqlite(query: Select[Any]) -> tuple[str, dict[str, Any], tuple[str, ...]]:
    """SQLite SQL with ``:name`` parameters, the constants SQLAlchemy binds itself (e.g.
    a ``coalesce`` default), and how to read each column (``datetime``, ``date``,
    ``json``, ``bool`` or ``""`` as stored)."""
    compiled = query.compile(dialect=sqlite.dialect(paramstyle="named"))
    constants = {k: v for k, v in compiled.params.items() if not compiled.binds[k].required}
    kinds = tuple(
        next((kind for t, kind in _KINDS if isinstance(col.type, t)), "")
        for col in query.selected_columns
    )
    return str(compiled), constants, kinds


def compile_write(statement: Insert | Delete) -> tuple[str, tuple[str, ...]]:
    """SQLite SQL with ``:name`` parameters, and the parameters that are JSON (stored as
    SQLAlchemy's JSON type stores them: ``json.dumps``, None as ``null``)."""
    compiled = statement.compile(dialect=sqlite.dialect(paramstyle="named"))
    json_params = tuple(k for k, b in compiled.binds.items() if isinstance(b.type, JSON))
    return str(compiled), json_params


def render() -> str:
    """The text of :mod:`soleus.store.compiled`."""
    table = {name: compile_sqlite(query) for name, query in sorted(QUERIES.items())}
    writes = {name: compile_write(statement) for name, statement in sorted(WRITES.items())}
    return (
        '"""Generated by scripts/compile_queries.py from soleus.store.queries; do not edit.\n\n'
        "STATEMENTS: name -> (SQLite SQL, constant parameters, how to read each column).\n"
        "WRITES: name -> (SQLite SQL, the parameters stored as JSON).\n"
        '"""\n\n'
        "from typing import Any\n\n"
        f"STATEMENTS: dict[str, tuple[str, dict[str, Any], tuple[str, ...]]] = "
        f"{pprint.pformat(table, width=96, sort_dicts=True)}\n\n"
        f"WRITES: dict[str, tuple[str, tuple[str, ...]]] = "
        f"{pprint.pformat(writes, width=96, sort_dicts=True)}\n"
    )
