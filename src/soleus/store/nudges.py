"""Nudges and activity spans: what the reminder daemon prompted and saw."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from soleus.store.db import from_db, to_db
from soleus.store.lite import fetch

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from soleus.store.lite import Reading

OUTCOMES = ("prompted", "taken", "skipped", "expired")


class NudgeRow(NamedTuple):  # rows: NamedTuples cost start-up a quarter of a dataclass
    id: str
    local_date: date
    prompted_at: datetime
    number: int
    reason: str
    routine: str
    suggestion: str
    sitting_s: float
    outcome: str
    answered_at: datetime | None
    snoozes: int
    skip_reason: str


def add_nudge(
    conn: Connection,
    *,
    person_id: str,
    local_date: date,
    at: datetime,
    number: int,
    reason: str,
    routine: str,
    suggestion: str,
    sitting_s: float,
) -> str:
    from sqlalchemy import insert

    from soleus.store.schema import nudges

    new_id = str(uuid.uuid4())
    conn.execute(
        insert(nudges).values(
            id=new_id,
            person_id=person_id,
            local_date=local_date,
            prompted_at=to_db(at),
            number=number,
            reason=reason,
            routine=routine,
            suggestion=suggestion,
            sitting_s=sitting_s,
            outcome="prompted",
            snoozes=0,
            skip_reason="",
        )
    )
    return new_id


def set_outcome(
    conn: Connection,
    *,
    person_id: str,
    nudge_id: str,
    outcome: str,
    at: datetime,
    skip_reason: str = "",
) -> bool:
    """Record taken / skipped / expired; False if there is no such nudge."""
    from sqlalchemy import update

    from soleus.store.schema import nudges

    if outcome not in OUTCOMES[1:]:
        raise ValueError(f"bad outcome {outcome!r}")
    result = conn.execute(
        update(nudges)
        .where(nudges.c.id == nudge_id, nudges.c.person_id == person_id)
        .values(outcome=outcome, answered_at=to_db(at), skip_reason=skip_reason)
    )
    return bool(result.rowcount)


def add_snooze(
    conn: Connection, *, person_id: str, nudge_id: str, at: datetime | None = None
) -> bool:
    """Count a postponement; ``at`` (kept in ``answered_at`` while the nudge is open)
    lets a stateless web app tell when the snoozed nudge comes back."""
    from sqlalchemy import update

    from soleus.store.schema import nudges

    values: dict[str, Any] = {"snoozes": nudges.c.snoozes + 1}
    if at is not None:
        values["answered_at"] = to_db(at)
    result = conn.execute(
        update(nudges)
        .where(
            nudges.c.id == nudge_id,
            nudges.c.person_id == person_id,
            nudges.c.outcome == "prompted",
        )
        .values(**values)
    )
    return bool(result.rowcount)


def for_day(conn: Reading, *, person_id: str, local_date: date) -> list[NudgeRow]:
    return [_row(r) for r in fetch(conn, "nudges_for_day", pid=person_id, day=local_date)]


def _row(r: Any) -> NudgeRow:
    return NudgeRow(
        id=r["id"],
        local_date=r["local_date"],
        prompted_at=from_db(r["prompted_at"]),
        number=r["number"],
        reason=r["reason"],
        routine=r["routine"],
        suggestion=r["suggestion"],
        sitting_s=r["sitting_s"],
        outcome=r["outcome"],
        answered_at=from_db(r["answered_at"]) if r["answered_at"] else None,
        snoozes=r["snoozes"],
        skip_reason=r["skip_reason"],
    )


def save_span(
    conn: Connection,
    *,
    person_id: str,
    span_id: str | None,
    local_date: date,
    kind: str,
    start: datetime,
    end: datetime,
) -> str:
    """Insert a sitting/break span, or extend the one with ``span_id``."""
    from sqlalchemy import insert, update

    from soleus.store.schema import activity_spans

    seconds = max(0.0, (end - start).total_seconds())
    if span_id is not None:
        done = conn.execute(
            update(activity_spans)
            .where(activity_spans.c.id == span_id, activity_spans.c.person_id == person_id)
            .values(ended_at=to_db(end), seconds=seconds)
        )
        if done.rowcount:
            return span_id
    new_id = span_id or str(uuid.uuid4())
    conn.execute(
        insert(activity_spans).values(
            id=new_id,
            person_id=person_id,
            local_date=local_date,
            kind=kind,
            started_at=to_db(start),
            ended_at=to_db(end),
            seconds=seconds,
        )
    )
    return new_id


class SpanRow(NamedTuple):
    id: str
    kind: str  # sitting | break
    start: datetime
    end: datetime


def spans_for_day(conn: Reading, *, person_id: str, local_date: date) -> list[SpanRow]:
    """The sitting and break spans of one local day, oldest first."""
    rows = fetch(conn, "spans_for_day", pid=person_id, day=local_date)
    return [
        SpanRow(r["id"], r["kind"], from_db(r["started_at"]), from_db(r["ended_at"])) for r in rows
    ]


def span_totals(
    conn: Reading, *, person_id: str, start: date, end: date
) -> dict[tuple[date, str], tuple[int, float]]:
    """(local date, kind) -> (count, seconds) for days in ``start..end``."""
    rows = fetch(conn, "span_totals", pid=person_id, start=start, end=end)
    return {(r["local_date"], r["kind"]): (int(r["n"]), float(r["seconds"])) for r in rows}


def nudge_totals(
    conn: Reading, *, person_id: str, start: date, end: date
) -> dict[date, dict[str, int]]:
    """local date -> counts for ``start..end``.

    ``prompted`` counts every nudge; ``open`` those not answered yet; ``postponed``
    the snoozes.
    """
    rows = fetch(conn, "nudge_totals", pid=person_id, start=start, end=end)
    out: dict[date, dict[str, int]] = {}
    for day, outcome, n, snoozes in (tuple(r.values()) for r in rows):
        totals = out.setdefault(
            day, dict.fromkeys(("prompted", "taken", "skipped", "expired", "open", "postponed"), 0)
        )
        key = "open" if outcome == "prompted" else outcome
        totals[key] = totals.get(key, 0) + int(n)
        totals["prompted"] += int(n)
        totals["postponed"] += int(snoozes)
    return out


# -- export and import: every column, as stored -----------------------------------------

_TIMES = {"prompted_at", "answered_at", "started_at", "ended_at"}


def export_rows(conn: Connection, *, table: str, person_id: str) -> list[dict[str, Any]]:
    """All rows of ``nudges`` or ``activity_spans`` of a person (times aware UTC)."""
    from sqlalchemy import select

    from soleus.store.schema import activity_spans, nudges

    t = {"nudges": nudges, "activity_spans": activity_spans}[table]
    rows = conn.execute(select(t).where(t.c.person_id == person_id).order_by(t.c.id)).mappings()
    return [
        {k: (from_db(v) if k in _TIMES and v is not None else v) for k, v in r.items()}
        for r in rows
    ]


def import_row(conn: Connection, *, table: str, person_id: str, row: dict[str, Any]) -> bool:
    """Insert one exported row unless its id is present; True if it was added."""
    from sqlalchemy import insert, select

    from soleus.store.schema import activity_spans, nudges

    t = {"nudges": nudges, "activity_spans": activity_spans}[table]
    if conn.execute(select(t.c.id).where(t.c.id == row["id"])).first() is not None:
        return False
    values = {k: (to_db(v) if k in _TIMES and v is not None else v) for k, v in row.items()}
    conn.execute(insert(t).values(**values, person_id=person_id))
    return True
