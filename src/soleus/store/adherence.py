"""Adherence facts for many patients at once: each query groups by person (and day), so
a caseload of hundreds is a handful of queries, not hundreds."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any, TypeAlias

from sqlalchemy import Connection, Select, and_, case, func, select

from soleus.store.schema import (
    accounts,
    memberships,
    pain_reports,
    persons,
    screens,
    sessions,
    set_logs,
)

# Sessions whose sets were counted by the phone (a recording, or live counting kept as one).
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


def sessions_by_day(
    conn: Connection, *, person_ids: Who, since: date
) -> tuple[dict[str, dict[date, int]], dict[str, list[float]]]:
    """Per person: sessions (not abandoned) per day since ``since``, and the efforts
    given (one query for both)."""
    by_day: dict[str, dict[date, int]] = defaultdict(dict)
    efforts: dict[str, list[float]] = defaultdict(list)
    rows = conn.execute(
        select(
            sessions.c.person_id,
            sessions.c.local_date,
            func.count(),
            func.sum(sessions.c.effort),
            func.count(sessions.c.effort),
        )
        .where(
            sessions.c.person_id.in_(person_ids),
            sessions.c.local_date >= since,
            sessions.c.status != "abandoned",
        )
        .group_by(sessions.c.person_id, sessions.c.local_date)
    ).all()
    for person_id, day, n, effort_sum, effort_n in rows:
        by_day[person_id][day] = int(n)
        if effort_n:  # the day's mean once per session: the sessions' mean stays exact
            efforts[person_id].extend([float(effort_sum) / int(effort_n)] * int(effort_n))
    return by_day, efforts


def set_totals(conn: Connection, *, person_ids: Who, since: date) -> dict[str, dict[str, Any]]:
    """Per person: reps per side (a "both" set counts for each side) and sets verified
    and self-reported, of the sets done (not skipped) since ``since``."""
    verified = case((sessions.c.source.in_(VERIFIED_SOURCES), 1), else_=0)
    rows = conn.execute(
        select(
            set_logs.c.person_id,
            set_logs.c.side,
            verified.label("verified"),
            func.count(),
            func.coalesce(func.sum(set_logs.c.actual_reps), 0),
        )
        # The session's date too: both tables are then read by their date index.
        .join(
            sessions,
            and_(
                sessions.c.id == set_logs.c.session_id,
                sessions.c.local_date >= since - timedelta(days=1),
            ),
        )
        .where(
            set_logs.c.person_id.in_(person_ids),
            set_logs.c.local_date >= since,
            set_logs.c.skipped.is_(False),
        )
        .group_by(set_logs.c.person_id, set_logs.c.side, verified)
    ).all()
    out: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"left": 0, "right": 0, "verified": 0, "self": 0}
    )
    for person_id, side, is_verified, count, reps in rows:
        totals = out[person_id]
        for s in ("left", "right") if side == "both" else (side,):
            if s in ("left", "right"):
                totals[s] += int(reps)
        totals["verified" if is_verified else "self"] += int(count)
    return out


def worst_pain_by_day(
    conn: Connection, *, person_ids: Who, since: date
) -> dict[str, dict[date, int]]:
    out: dict[str, dict[date, int]] = defaultdict(dict)
    rows = conn.execute(
        select(pain_reports.c.person_id, pain_reports.c.local_date, func.max(pain_reports.c.score))
        .where(pain_reports.c.person_id.in_(person_ids), pain_reports.c.local_date >= since)
        .group_by(pain_reports.c.person_id, pain_reports.c.local_date)
    ).all()
    for person_id, day, score in rows:
        out[person_id][day] = int(score)
    return out


def last_red_flag(conn: Connection, *, person_ids: Who) -> dict[str, date]:
    rows = conn.execute(
        select(screens.c.person_id, func.max(screens.c.local_date))
        .where(and_(screens.c.person_id.in_(person_ids), screens.c.passed.is_(False)))
        .group_by(screens.c.person_id)
    ).all()
    return {r[0]: r[1] for r in rows}


def last_active(conn: Connection, *, person_ids: Who) -> dict[str, date]:
    """Each person's last day with a session. For a caseload's query: one index lookup
    per person (a correlated max over the (person, date) index), not a scan of everyone's
    history; for a few ids, a grouped max."""
    if not isinstance(person_ids, Select):
        rows = conn.execute(
            select(sessions.c.person_id, func.max(sessions.c.local_date))
            .where(sessions.c.person_id.in_(list(person_ids)))
            .group_by(sessions.c.person_id)
        ).all()
        return {r[0]: r[1] for r in rows}
    ids = person_ids.subquery()
    column = ids.c[0]
    last = (
        select(func.max(sessions.c.local_date))
        .where(sessions.c.person_id == column)
        .scalar_subquery()
    )
    rows = conn.execute(select(column, last)).all()
    return {r[0]: r[1] for r in rows if r[1] is not None}
