"""Opening the database: SQLite (WAL, busy timeout) by default, any SQLAlchemy URL else."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from soleus.errors import SoleusError

__all__ = ["Connection", "Store"]

# The newest migration; tests check it equals Alembic's head.
HEAD_REVISION = "0008"


class Store:
    """A database with the soleus schema, migrated to the newest revision."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, url: str, *, migrate: bool = True) -> Store:
        engine = make_engine(url)
        store = cls(engine)
        if migrate:
            store.migrate()
        return store

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """One transaction: committed on success, rolled back on any error."""
        try:
            with self.engine.begin() as conn:
                yield conn
        except DBAPIError as error:
            # Locked, unreachable, or data the database refuses (e.g. NUL in PostgreSQL text).
            raise SoleusError(f"database error: {_first_line(error)}") from None

    def revision(self) -> str | None:
        with self.engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return None
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()

    def migrate(self, revision: str = "head") -> None:
        """Upgrade to ``revision`` (Alembic is imported only when there is work to do)."""
        try:
            current = self.revision()
        except SQLAlchemyError as error:
            raise SoleusError(f"cannot open the database: {_first_line(error)}") from None
        if revision == "head" and current == HEAD_REVISION:
            return
        from soleus.store.migrate import upgrade

        upgrade(self.engine, revision)

    def close(self) -> None:
        self.engine.dispose()


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[1] if "///" in url else ""
        if path and path != ":memory:":
            _ensure_dir(Path(path).parent)
        engine = create_engine(url, connect_args={"timeout": 10})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    try:
        return create_engine(url, pool_pre_ping=True)
    except (SQLAlchemyError, ImportError, ValueError) as error:
        raise SoleusError(f"bad database URL: {_first_line(error)}") from None


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # Let SQLAlchemy, not pysqlite, say when transactions begin (SQLAlchemy's recipe), so
    # that SAVEPOINTs nest inside the outer transaction instead of committing on release.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def _sqlite_begin(conn: Connection) -> None:
    # IMMEDIATE takes the write lock up front: a writer then waits (busy timeout) instead
    # of failing when a read transaction would have to be upgraded under contention.
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def _ensure_dir(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise SoleusError(f"cannot create the data dir {folder} ({error.strerror})") from None
    import os

    if not os.access(folder, os.R_OK | os.W_OK | os.X_OK):
        raise SoleusError(f"the data dir {folder} is not readable and writable")


def _first_line(error: BaseException) -> str:
    text_ = str(getattr(error, "orig", None) or error)
    return text_.strip().splitlines()[0] if text_.strip() else type(error).__name__


def to_db(moment: datetime) -> datetime:
    """Aware datetime -> naive UTC for storage."""
    if moment.tzinfo is None:
        raise ValueError("store times must be aware")
    return moment.astimezone(UTC).replace(tzinfo=None)


def from_db(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC)
