"""A sign-in's first read: the account and its attempt counters, together.

On PostgreSQL one statement (data-modifying CTEs on an autocommit connection): old
windows forgotten, each counter counted or read in order, the account read; no
BEGIN/COMMIT round trips, and a counter's row lock is held for that one statement
only. On SQLite the same steps one after another in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    DateTime,
    Integer,
    Select,
    String,
    and_,
    bindparam,
    func,
    literal,
    select,
    true,
)
from sqlalchemy.dialects import postgresql

from soleus.store.accounts import accounts, ratelimits
from soleus.store.db import to_db
from soleus.store.schema import rate_limits


@dataclass(frozen=True)
class Counter:
    """One counter a request passes, in its window. ``take``: the attempt is counted,
    and over the limit when the new count exceeds it; otherwise the count is only read,
    and over when it has reached the limit."""

    key: str
    window_start: datetime
    limit: int
    take: bool

    def over(self, count: int) -> bool:
        return count > self.limit if self.take else count >= self.limit


def _forget() -> Any:
    return (
        rate_limits.delete()
        .where(rate_limits.c.window_start < bindparam("moment", type_=DateTime))
        .cte("forgotten")
    )


@cache
def _statement(takes: tuple[bool, ...], forget: bool) -> Select[Any]:
    """The PostgreSQL statement for counters of these kinds (parameters ``key<i>``,
    ``start<i>``, ``limit<i>``, ``email`` and, with ``forget``, ``moment``): a row
    with each counter's count (NULL once one before it is over: not counted) and the
    account's columns (NULL when there is none). Built once per shape."""
    ctes: list[Any] = [_forget()] if forget else []
    passing: list[ColumnElement[bool]] = []
    counts: list[Any] = []
    for i, take in enumerate(takes):
        key = bindparam(f"key{i}", type_=String)
        start = bindparam(f"start{i}", type_=DateTime)
        limit = bindparam(f"limit{i}", type_=Integer)
        if take:
            row = select(key, start, literal(1)).where(and_(true(), *passing))
            upsert = postgresql.insert(rate_limits).from_select(
                ["key", "window_start", "count"], row
            )
            step = upsert.on_conflict_do_update(
                index_elements=[rate_limits.c.key, rate_limits.c.window_start],
                set_={"count": rate_limits.c.count + 1},
            ).returning(rate_limits.c.count)
            cte = step.cte(f"step{i}")
            ctes.append(cte)
            count: Any = select(cte.c.count).scalar_subquery()
            passing.append(count <= limit)
        else:
            count = (
                select(func.coalesce(func.sum(rate_limits.c.count), 0))
                .where(rate_limits.c.key == key, rate_limits.c.window_start >= start)
                .scalar_subquery()
            )
            passing.append(count < limit)
        counts.append(count.label(f"count{i}"))
    tally = select(*counts).subquery("tally")
    account = accounts.BY_EMAIL.subquery("account")
    return select(*tally.c, *account.c).select_from(tally.outerjoin(account, true())).add_cte(*ctes)


def account_and_counts(
    conn: Connection, *, email: str, counters: Sequence[Counter], forget_before: datetime | None
) -> tuple[accounts.Account | None, list[int | None]]:
    """The account with this email (None when there is none) and each counter's count
    after this request, in order; None for the counters after the first one over its
    limit (those are not counted). Windows older than ``forget_before`` are forgotten."""
    if conn.dialect.name != "postgresql":
        return accounts.by_email(conn, email=email), _counted(conn, counters, forget_before)
    values: dict[str, Any] = {"email": email}
    if forget_before is not None:
        values["moment"] = to_db(forget_before)
    for i, counter in enumerate(counters):
        values.update(
            {f"key{i}": counter.key, f"start{i}": to_db(counter.window_start)}
            | {f"limit{i}": counter.limit}
        )
    takes = tuple(counter.take for counter in counters)
    row = conn.execute(_statement(takes, forget_before is not None), values).one()
    n = len(counters)
    found = accounts.account_row(row[n:]) if row[n] is not None else None
    return found, [None if c is None else int(c) for c in row[:n]]


def _counted(
    conn: Connection, counters: Sequence[Counter], forget_before: datetime | None
) -> list[int | None]:
    """The counters one statement each (SQLite), stopping at the first one over."""
    if forget_before is not None:
        ratelimits.forget_before(conn, moment=forget_before)
    counts: list[int | None] = [None] * len(counters)
    for i, counter in enumerate(counters):
        if counter.take:
            count = ratelimits.hit(conn, key=counter.key, window_start=counter.window_start)
        else:
            count = ratelimits.count(conn, key=counter.key, since=counter.window_start)
        counts[i] = count
        if counter.over(count):
            break
    return counts
