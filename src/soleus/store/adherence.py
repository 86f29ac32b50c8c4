"""Adherence facts for many patients at once: each query gives one row per person (pain:
per person and day) over the window's dates, aggregated by the database, so a caseload
of hundreds is four queries and a few thousand values, not hundreds of queries or tens
of thousands of rows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any, TypeAlias

from sqlalchemy import Connection, Select, case, func, select, text

from soleus.store.schema import (
    accounts,
    memberships,
    pain_reports,
    persons,
    prescriptions,
    screens,
    sessions,
    set_logs,
)

# Sessions whose sets were counted by soleus, not typed in: an uploaded phone recording
# or video and a live-counted stream once saved (services/recordings/live.save logs it
# through recordings/library.log) are all stored as `recording` sessions.
VERIFIED_SOURCES = ("recording",)


# Whose facts: a list of person ids, or a query giving them (a caseload's: one bound
# value instead of hundreds, so the statements stay small and cached).
Who: TypeAlias = Sequence[str] | Select[Any]


def patients_query(*, clinician_id: str, org_ids: list[str]) -> Select[Any]:
    """The ids of the clinician's patients in ``org_ids``, as a subquery."""
    return select(memberships.c.person_id).where(
        memberships.c.role == "patient",
        memberships.c.clinician_id == clinician_id,
        memberships.c.org_id.in_(org_ids),
    )


def patients_of(
    conn: Connection, *, clinician_id: str, org_ids: list[str]
) -> list[tuple[str, str]]:
    """(person id, email or name) of the clinician's patients in ``org_ids``, by name."""
    if not org_ids:
        return []
    rows = conn.execute(
        select(persons.c.id, func.coalesce(accounts.c.email, persons.c.name))
        .select_from(persons)
        .join(memberships, memberships.c.person_id == persons.c.id)
        .outerjoin(accounts, accounts.c.person_id == persons.c.id)
        .where(
            memberships.c.role == "patient",
            memberships.c.clinician_id == clinician_id,
            memberships.c.org_id.in_(org_ids),
        )
        .distinct()
    ).all()
    return sorted(((r[0], r[1]) for r in rows), key=lambda r: r[1])


def plan_for_these_values(conn: Connection) -> None:
    """PostgreSQL: plan this transaction's statements for the values they carry. A
    prepared statement (psycopg prepares one run five times) is otherwise soon planned
    once for any values (its generic plan), which guesses "status != $1" keeps one row
    and reads the window by a nested loop: 5-13 ms a query instead of 2."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))


def roster(conn: Connection, *, person_ids: Who) -> dict[str, tuple[str | None, date | None]]:
    """Per person: the id of their current plan and the day of their last red-flag
    "yes" (a failed screen, through the partial index of those). One row per person,
    each figure one lookup in that person's index, whatever the number of people."""
    person = persons.c.id
    plan = (
        select(prescriptions.c.id)
        .where(prescriptions.c.person_id == person, prescriptions.c.ended_at.is_(None))
        .order_by(prescriptions.c.created_at.desc())
        .limit(1)
        .scalar_subquery()
    )
    flagged = (
        select(func.max(screens.c.local_date))
        .where(screens.c.person_id == person, screens.c.passed.is_(False))
        .scalar_subquery()
    )
    rows = conn.execute(select(person, plan, flagged).where(person.in_(person_ids))).all()
    return {r[0]: (r[1], r[2]) for r in rows}


def session_totals(
    conn: Connection, *, person_ids: Who, first: date, last: date
) -> dict[str, tuple[int, int, int, date]]:
    """Per person with a session from ``first`` to ``last``: the sessions not
    abandoned, the sum of their efforts and how many were given, and the last day with
    a session of any status."""
    counted = sessions.c.status != "abandoned"
    rows = conn.execute(
        select(
            sessions.c.person_id,
            func.count(case((counted, 1))),
            func.coalesce(func.sum(case((counted, sessions.c.effort))), 0),
            func.count(case((counted, sessions.c.effort))),
            func.max(sessions.c.local_date),
        )
        .where(sessions.c.person_id.in_(person_ids), sessions.c.local_date.between(first, last))
        .group_by(sessions.c.person_id)
    ).all()
    return {r[0]: (int(r[1]), int(r[2]), int(r[3]), r[4]) for r in rows}


def last_active(conn: Connection, *, person_ids: list[str], last: date) -> dict[str, date]:
    """The last day up to ``last`` with a session (any status) of each of ``person_ids``
    who has one: one lookup in each person's (person, date) index. For the few people
    :func:`session_totals` found no session for."""
    if not person_ids:
        return {}
    person = persons.c.id
    active = (
        select(func.max(sessions.c.local_date))
        .where(sessions.c.person_id == person, sessions.c.local_date <= last)
        .scalar_subquery()
    )
    rows = conn.execute(select(person, active).where(person.in_(person_ids))).all()
    return {r[0]: r[1] for r in rows if r[1] is not None}


def _reps(*sides: str) -> Any:
    return func.coalesce(
        func.sum(case((set_logs.c.side.in_(sides), set_logs.c.actual_reps), else_=0)), 0
    )


def set_totals(
    conn: Connection, *, person_ids: Who, first: date, last: date
) -> dict[str, tuple[int, int, int, int]]:
    """Per person: reps left and right (a "both" set counts for each side), the sets
    verified (counted by soleus: see :data:`VERIFIED_SOURCES`; a recording's sets are
    dated as its session) and all sets, of the sets done (not skipped) from ``first`` to
    ``last``."""
    # Verified: the set's session is one of the window's counted sessions, a set of ids
    # the database hashes once (a join would make it sort the sets by person).
    counted = select(sessions.c.id).where(
        sessions.c.source.in_(VERIFIED_SOURCES),
        sessions.c.local_date.between(first - timedelta(days=1), last),
    )
    verified = func.coalesce(func.sum(case((set_logs.c.session_id.in_(counted), 1), else_=0)), 0)
    rows = conn.execute(
        select(set_logs.c.person_id, _reps("left", "both"), _reps("right", "both"))
        .add_columns(verified, func.count())
        .where(
            set_logs.c.person_id.in_(person_ids),
            set_logs.c.local_date.between(first, last),
            set_logs.c.skipped.is_(False),
        )
        .group_by(set_logs.c.person_id)
    ).all()
    return {r[0]: (int(r[1]), int(r[2]), int(r[3]), int(r[4])) for r in rows}


def worst_pain_by_day(
    conn: Connection, *, person_ids: Who, first: date, last: date
) -> dict[str, dict[date, int]]:
    """Per person: the worst pain score of each day from ``first`` to ``last``."""
    out: dict[str, dict[date, int]] = defaultdict(dict)
    rows = conn.execute(
        select(pain_reports.c.person_id, pain_reports.c.local_date, func.max(pain_reports.c.score))
        .where(
            pain_reports.c.person_id.in_(person_ids),
            pain_reports.c.local_date.between(first, last),
        )
        .group_by(pain_reports.c.person_id, pain_reports.c.local_date)
    ).all()
    for person_id, day, score in rows:
        out[person_id][day] = int(score)
    return out
