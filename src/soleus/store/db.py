"""Opening the database: SQLite (WAL, busy timeout) by default, any SQLAlchemy URL else.

On a SQLite file that is already migrated, opening imports no SQLAlchemy: reads go
through :meth:`Store.read` and the compiled queries (:mod:`soleus.store.lite`), and so
does the inbox drain's :meth:`Store.write`; the engine is created on the first
:meth:`Store.begin` (every other write goes through it).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from soleus.errors import SoleusError
from soleus.store import lite

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

    from soleus.store.lite import Reading, Writing

__all__ = ["Connection", "Store"]

# Database connections per process (each instance) on PostgreSQL: as many as before
# (5 + 10 overflow), kept open. Two instances hold at most 30 of the server's 100.
POOL = 15

# The newest migration; tests check it equals Alembic's head.
HEAD_REVISION = "0011"


class Store:
    """A database with the soleus schema, migrated to the newest revision."""

    def __init__(self, url: str, engine: Engine | None = None) -> None:
        self.url = url
        self._engine = engine
        self._file = _sqlite_file(url)
        # One sqlite3 connection per thread (the web's worker threads, a phone client's
        # poller), and the read transaction a thread is in, so that a read inside a
        # read shares it instead of beginning twice.
        self._local = threading.local()
        self._opened: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    @classmethod
    def open(cls, url: str, *, migrate: bool = True) -> Store:
        store = cls(url)
        if store._file is not None:
            _ensure_dir(store._file.parent)
            if migrate and store._file.exists() and store._open_lite():
                return store
        store._engine = make_engine(url)
        if migrate:
            store.migrate()
        return store

    def _open_lite(self) -> bool:
        """Open the file with sqlite3 alone if it is at the newest revision."""
        assert self._file is not None
        try:
            raw = lite.connect(self._file)
            if lite.revision(raw) == HEAD_REVISION:
                self._keep(raw)
                return True
            raw.close()
        except sqlite3.Error:
            pass  # SQLAlchemy opens it again and words the problem
        return False

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = make_engine(self.url)
        return self._engine

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """One transaction: committed on success, rolled back on any error. Inside
        :meth:`joined` (this thread), that transaction."""
        from sqlalchemy.exc import DBAPIError

        shared = getattr(self._local, "joined", None)
        if shared is not None:
            yield shared
            return
        try:
            with self.engine.begin() as conn:
                yield conn
        except DBAPIError as error:
            # Locked, unreachable, or data the database refuses (e.g. NUL in PostgreSQL text).
            raise SoleusError(f"database error: {_first_line(error)}") from None

    @contextmanager
    def autocommit(self) -> Iterator[Connection]:
        """A connection on which each statement is its own transaction (PostgreSQL: no
        BEGIN and COMMIT round trips): for one statement that needs no company, such as
        the identity behind a request, looked up on every request. On SQLite an ordinary
        transaction (its BEGIN and COMMIT cost no round trip there)."""
        from sqlalchemy.exc import DBAPIError

        if self.url.startswith("sqlite") or getattr(self._local, "joined", None) is not None:
            with self.begin() as conn:
                yield conn
            return
        try:
            with self.engine.connect() as conn:
                conn.execution_options(isolation_level="AUTOCOMMIT")
                yield conn
        except DBAPIError as error:
            raise SoleusError(f"database error: {_first_line(error)}") from None

    @contextmanager
    def joined(self) -> Iterator[Connection]:
        """One transaction that every :meth:`begin` and :meth:`autocommit` of this
        thread joins until it ends: a request's identity check and its write on one
        connection (one pool checkout, one BEGIN and COMMIT). An error anywhere undoes
        it all, so it only suits work that keeps nothing when it fails (not a refusal
        that must still be counted or audited)."""
        if getattr(self._local, "joined", None) is not None:
            raise RuntimeError("a joined transaction cannot begin inside another")
        with self.begin() as conn:
            self._local.joined = conn
            try:
                yield conn
            finally:
                self._local.joined = None

    @contextmanager
    def read(self) -> Iterator[Reading]:
        """A read-only transaction: sqlite3 on a SQLite file, else SQLAlchemy's."""
        if self._file is None:
            with self.begin() as conn:
                yield conn
            return
        local = self._local
        if getattr(local, "reading", None) is not None:  # a read inside a read
            yield local.reading
            return
        with lite.reading(self._raw()) as conn:
            local.reading = conn
            try:
                yield conn
            finally:
                local.reading = None

    @contextmanager
    def write(self) -> Iterator[Writing]:
        """A write transaction for the statements of ``queries.WRITES`` (the inbox drain's):
        sqlite3 on a SQLite file (no SQLAlchemy import), else :meth:`begin`. Reads inside
        it (:func:`soleus.store.lite.fetch`, or :meth:`read`) see its writes."""
        if self._file is None:
            with self.begin() as conn:
                yield conn
            return
        local = self._local
        if getattr(local, "reading", None) is not None:
            raise RuntimeError("a write transaction cannot begin inside a read")
        with lite.writing(self._raw()) as conn:
            local.reading = conn
            try:
                yield conn
            finally:
                local.reading = None

    def _raw(self) -> sqlite3.Connection:
        """This thread's sqlite3 connection, opened on first use."""
        assert self._file is not None
        raw = getattr(self._local, "raw", None)
        if raw is None:
            try:
                raw = self._keep(lite.connect(self._file))
            except sqlite3.Error as error:
                raise SoleusError(f"cannot open the database: {error}") from None
        return raw

    def _keep(self, raw: sqlite3.Connection) -> sqlite3.Connection:
        """``raw`` as this thread's connection, closed with the store."""
        self._local.raw = raw
        with self._lock:
            self._opened.append(raw)
        return raw

    def revision(self) -> str | None:
        from sqlalchemy import inspect, text

        with self.engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return None
            found: str | None = conn.execute(
                text("SELECT version_num FROM alembic_version")
            ).scalar()
            return found

    def checked_revision(self) -> str | None:
        """The revision, or a SoleusError when the database does not answer."""
        from sqlalchemy.exc import SQLAlchemyError

        try:
            return self.revision()
        except SQLAlchemyError as error:
            raise SoleusError(f"database error: {_first_line(error)}") from None

    def migrate(self, revision: str = "head") -> None:
        """Upgrade to ``revision`` (Alembic is imported only when there is work to do)."""
        from sqlalchemy.exc import SQLAlchemyError

        try:
            current = self.revision()
        except SQLAlchemyError as error:
            raise SoleusError(f"cannot open the database: {_first_line(error)}") from None
        if revision == "head" and current == HEAD_REVISION:
            return
        from soleus.store.migrate import upgrade

        upgrade(self.engine, revision)

    def close(self) -> None:
        with self._lock:
            opened, self._opened = self._opened, []
        for raw in opened:
            raw.close()
        self._local = threading.local()
        if self._engine is not None:
            self._engine.dispose()


def _sqlite_file(url: str) -> Path | None:
    """The file of a plain ``sqlite:///path`` URL (not memory, not a URI with options)."""
    if not url.startswith("sqlite:///") or "?" in url:
        return None
    path = url.split("///", 1)[1]
    return Path(path) if path and path != ":memory:" else None


def make_engine(url: str) -> Engine:
    from sqlalchemy import create_engine, event
    from sqlalchemy.exc import SQLAlchemyError

    if url.startswith("sqlite"):
        path = url.split("///", 1)[1] if "///" in url else ""
        if path and path != ":memory:":
            _ensure_dir(Path(path).parent)
        engine = create_engine(url, connect_args={"timeout": 10})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    try:
        # No pre-ping: it is a round trip on every connection taken from the pool, i.e.
        # on every transaction. A connection the server dropped (a restart) fails one
        # statement with a one-line database error; SQLAlchemy then discards every
        # pooled connection of that age, so the next request connects afresh.
        # At most POOL connections per process, all kept open: SQLAlchemy's default
        # (5 kept + 10 overflow) closes an overflow connection as soon as it is
        # returned, so under load every request past the fifth paid for a new
        # PostgreSQL backend (bench_deploy: ~15 % more CPU per request).
        return create_engine(url, pool_size=POOL, max_overflow=0)
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
