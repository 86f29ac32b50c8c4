"""A SQLite file without SQLAlchemy: the compiled queries and writes over ``sqlite3``.

:func:`fetch` is how every repository reads. Given a :class:`LiteConnection` it runs the
statement's SQL from :mod:`soleus.store.compiled` and reads each column as SQLAlchemy
would (dates, times, JSON, booleans); given a SQLAlchemy connection it runs the query
object from :mod:`soleus.store.queries`. Either way the rows are plain dicts.
:func:`execute` does the same for the few writes in ``queries.WRITES`` (the inbox drain's,
in a transaction of :meth:`soleus.store.db.Store.write`), binding values as SQLAlchemy
stores them; every other write goes through SQLAlchemy (:meth:`~soleus.store.db.Store.begin`).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from soleus.errors import SoleusError

if TYPE_CHECKING:
    from sqlalchemy import Connection

__all__ = ["LiteConnection", "Reading", "Writing", "execute", "fetch", "integrity_errors", "scalar"]

_READ: dict[str, Callable[[Any], Any]] = {
    "datetime": datetime.fromisoformat,
    "date": date.fromisoformat,
    "json": json.loads,
    "bool": bool,
}


class LiteConnection:
    """One read transaction on a SQLite file (a consistent snapshot; WAL lets writers on)."""

    def __init__(self, raw: sqlite3.Connection) -> None:
        self.raw = raw
        self._savepoints = 0

    def write(self, name: str, params: dict[str, Any]) -> None:
        """Run the write statement ``name`` (in a transaction of :func:`writing`)."""
        from soleus.store.compiled import WRITES

        sql, json_params = WRITES[name]
        self.raw.execute(
            sql,
            {k: json.dumps(v) if k in json_params else _bind(v) for k, v in params.items()},
        )

    @contextmanager
    def begin_nested(self) -> Iterator[None]:
        """A SAVEPOINT, as SQLAlchemy's ``begin_nested``: an error undoes only its writes."""
        self._savepoints += 1
        name = f"lite_sp_{self._savepoints}"
        self.raw.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            self.raw.execute(f"ROLLBACK TO {name}")
            self.raw.execute(f"RELEASE {name}")
            raise
        self.raw.execute(f"RELEASE {name}")

    def rows(self, name: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        from soleus.store.compiled import STATEMENTS

        sql, constants, kinds = STATEMENTS[name]
        cursor = self.raw.execute(sql, {**constants, **{k: _bind(v) for k, v in params.items()}})
        names = [d[0] for d in cursor.description]
        out = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        for column, kind in zip(names, kinds, strict=True):
            read = _READ.get(kind)
            if read is not None:
                for record in out:
                    if record[column] is not None:
                        record[column] = read(record[column])
        return out


if TYPE_CHECKING:
    Reading: TypeAlias = Connection | LiteConnection
    # A write transaction: SQLAlchemy's, or one of Store.write on a SQLite file.
    Writing: TypeAlias = Connection | LiteConnection


def fetch(conn: Reading, query: str, /, **params: Any) -> list[dict[str, Any]]:
    """The rows of the read query named ``query`` (see :mod:`soleus.store.queries`)."""
    if isinstance(conn, LiteConnection):
        try:
            return conn.rows(query, params)
        except sqlite3.Error as error:
            raise SoleusError(f"database error: {error}") from None
    from soleus.store.queries import QUERIES

    return [dict(r) for r in conn.execute(QUERIES[query], params).mappings()]


def scalar(conn: Reading, query: str, /, **params: Any) -> Any:
    """The first column of the first row, or None."""
    found = fetch(conn, query, **params)
    return next(iter(found[0].values())) if found else None


def execute(conn: Writing, statement: str, /, **params: Any) -> None:
    """Run the write statement named ``statement`` (see ``queries.WRITES``); every one of
    its parameters must be given."""
    if isinstance(conn, LiteConnection):
        conn.write(statement, params)
        return
    from soleus.store.queries import WRITES

    conn.execute(WRITES[statement], params)


def integrity_errors(conn: Writing) -> tuple[type[Exception], ...]:
    """What a write on ``conn`` raises when it breaks a constraint (e.g. a unique name)."""
    if isinstance(conn, LiteConnection):
        return (sqlite3.IntegrityError,)
    from sqlalchemy.exc import IntegrityError

    return (IntegrityError,)


def _bind(value: Any) -> Any:
    # As SQLAlchemy's SQLite types store them (sqlite3's own date adapters are deprecated).
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


def connect(path: Path) -> sqlite3.Connection:
    """A connection with the pragmas :func:`soleus.store.db.make_engine` sets."""
    raw = sqlite3.connect(path, timeout=10, isolation_level=None, check_same_thread=False)
    raw.execute("PRAGMA busy_timeout=10000")
    raw.execute("PRAGMA foreign_keys=ON")
    return raw


def revision(raw: sqlite3.Connection) -> str | None:
    """The Alembic revision of the file, or None (no table: a new or foreign file)."""
    try:
        row = raw.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        return None
    return None if row is None else str(row[0])


@contextmanager
def reading(raw: sqlite3.Connection) -> Iterator[LiteConnection]:
    """A read transaction; any sqlite3 error becomes one plain line."""
    try:
        raw.execute("BEGIN")
        try:
            yield LiteConnection(raw)
        finally:
            raw.execute("COMMIT")
    except sqlite3.Error as error:
        raise SoleusError(f"database error: {error}") from None


@contextmanager
def writing(raw: sqlite3.Connection) -> Iterator[LiteConnection]:
    """A write transaction (BEGIN IMMEDIATE: the write lock up front, as the engine takes
    it), committed on success and rolled back on any error; a sqlite3 error becomes one
    plain line."""
    try:
        raw.execute("BEGIN IMMEDIATE")
        try:
            yield LiteConnection(raw)
        except BaseException:
            if raw.in_transaction:
                raw.execute("ROLLBACK")
            raise
        raw.execute("COMMIT")
    except sqlite3.Error as error:
        if raw.in_transaction:
            raw.execute("ROLLBACK")
        raise SoleusError(f"database error: {error}") from None
