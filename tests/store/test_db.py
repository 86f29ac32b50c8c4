"""Opening the database: SQLite pragmas, locking, bad data dirs and bad files."""

from __future__ import annotations

import os
import re
import threading
import time
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select, text

from soleus.errors import SoleusError
from soleus.store import checks, people
from soleus.store import sessions as repo
from soleus.store.db import Store, from_db, to_db
from soleus.store.schema import persons

NOW = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)


def sqlite_store(tmp_path: Path) -> Store:
    return Store.open(f"sqlite:///{tmp_path / 'data' / 'soleus.db'}")


def test_sqlite_uses_wal_and_a_busy_timeout(tmp_path: Path) -> None:
    store = sqlite_store(tmp_path)
    try:
        with store.engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert (conn.execute(text("PRAGMA busy_timeout")).scalar() or 0) >= 1000
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    finally:
        store.close()


def test_a_second_writer_waits_for_the_first_instead_of_failing(tmp_path: Path) -> None:
    first = sqlite_store(tmp_path)
    second = sqlite_store(tmp_path)
    locked, trying, releasing = threading.Event(), threading.Event(), threading.Event()

    def hold_lock() -> None:
        with first.begin() as conn:
            conn.execute(insert(persons).values(id="a", name="first", created_at=to_db(NOW)))
            locked.set()
            trying.wait(5)
            time.sleep(0.2)  # let the second writer reach the lock (no timing is asserted)
            releasing.set()  # set while the lock is still held: the order is certain

    worker = threading.Thread(target=hold_lock)
    worker.start()
    try:
        assert locked.wait(5)
        trying.set()
        with second.begin() as conn:
            conn.execute(insert(persons).values(id="b", name="second", created_at=to_db(NOW)))
        # The second write could only finish once the first let go of the lock.
        assert releasing.is_set()
    finally:
        worker.join()
    try:
        with second.begin() as conn:  # ...and both writes are there
            assert conn.execute(select(func.count()).select_from(persons)).scalar() == 2
    finally:
        first.close()
        second.close()


def test_data_dir_that_cannot_be_created_names_the_dir(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    data = blocker / "data"
    with pytest.raises(SoleusError) as raised:
        Store.open(f"sqlite:///{data / 'soleus.db'}")
    assert str(data) in str(raised.value)


def test_unwritable_data_dir_names_the_dir(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    data.chmod(0o500)
    try:
        if os.access(data, os.W_OK):
            pytest.skip("running as root: chmod does not stop writes")
        with pytest.raises(SoleusError) as raised:
            Store.open(f"sqlite:///{data / 'soleus.db'}")
        assert str(data) in str(raised.value)
    finally:
        data.chmod(0o700)


def test_a_file_that_is_not_a_database_is_a_soleus_error(tmp_path: Path) -> None:
    path = tmp_path / "data" / "soleus.db"
    path.parent.mkdir()
    path.write_bytes(b"this is not sqlite\n" * 200)
    with pytest.raises(SoleusError, match="database"):
        Store.open(f"sqlite:///{path}")
    assert path.read_bytes() == b"this is not sqlite\n" * 200


def test_bad_database_url_is_a_soleus_error() -> None:
    with pytest.raises(SoleusError):
        Store.open("nosuchdb://user@host/db")


def test_store_times_must_be_aware_and_come_back_as_utc() -> None:
    with pytest.raises(ValueError):
        to_db(datetime(2026, 1, 1, 12, 0))
    stored = to_db(datetime.fromisoformat("2026-03-04T10:00:00+01:00"))
    assert stored == datetime(2026, 3, 4, 9, 0)
    assert from_db(stored) == NOW


def test_person_ensure_is_idempotent(db_url: str) -> None:
    store = Store.open(db_url)
    try:
        with store.begin() as conn:
            a = people.ensure(conn, name="me", now=NOW)
            b = people.ensure(conn, name="me", now=NOW)
            c = people.ensure(conn, name="you", now=NOW)
        assert a == b != c
    finally:
        store.close()


def test_redo_of_a_plan_index_replaces_and_quick_sets_accumulate(db_url: str) -> None:
    store = Store.open(db_url)
    sid = str(uuid.uuid4())
    day = date(2026, 3, 4)
    try:
        with store.begin() as conn:
            pid = people.ensure(conn, name="me", now=NOW)
            repo.create(
                conn,
                session_id=sid,
                person_id=pid,
                source="player",
                status="active",
                started_at=NOW,
                local_date=day,
            )
            for reps, skipped in ((0, True), (8, False)):
                repo.add_set(
                    conn,
                    set_id=str(uuid.uuid4()),
                    session_id=sid,
                    person_id=pid,
                    plan_index=0,
                    exercise_id="soleus-pushup",
                    kind="reps",
                    side="left",
                    set_number=1,
                    target_reps=10,
                    actual_reps=reps,
                    skipped=skipped,
                    completed_at=NOW,
                    local_date=day,
                )
            for _ in range(2):  # quick logs have no plan index: both kept
                repo.add_set(
                    conn,
                    set_id=str(uuid.uuid4()),
                    session_id=sid,
                    person_id=pid,
                    exercise_id="wall-calf-stretch",
                    kind="hold",
                    side="right",
                    set_number=1,
                    actual_seconds=30.0,
                    completed_at=NOW,
                    local_date=day,
                )
        with store.begin() as conn:
            sets = repo.list_sets(conn, person_id=pid, session_id=sid)
            assert [(s["plan_index"], s["actual_reps"], s["skipped"]) for s in sets] == [
                (0, 8, False),
                (None, None, False),
                (None, None, False),
            ]
            assert repo.active_days(conn, person_id=pid) == [day]
            totals = {r.exercise_id: r for r in repo.exercise_days(conn, person_id=pid)}
            assert totals["soleus-pushup"] == (day, "soleus-pushup", 1, 8, 0.0)
            assert totals["wall-calf-stretch"].seconds == pytest.approx(60.0)
            assert totals["wall-calf-stretch"].sets == 2
    finally:
        store.close()


def test_skipped_sets_do_not_make_an_active_day(db_url: str) -> None:
    store = Store.open(db_url)
    sid = str(uuid.uuid4())
    try:
        with store.begin() as conn:
            pid = people.ensure(conn, name="me", now=NOW)
            repo.create(
                conn,
                session_id=sid,
                person_id=pid,
                source="player",
                status="abandoned",
                started_at=NOW,
                local_date=date(2026, 3, 4),
            )
            repo.add_set(
                conn,
                set_id=str(uuid.uuid4()),
                session_id=sid,
                person_id=pid,
                plan_index=0,
                exercise_id="soleus-pushup",
                kind="reps",
                side="both",
                set_number=1,
                skipped=True,
                completed_at=NOW,
                local_date=date(2026, 3, 4),
            )
            checks.add_pain(
                conn,
                report_id=str(uuid.uuid4()),
                person_id=pid,
                at=NOW,
                local_date=date(2026, 3, 4),
                score=2,
                context="during",
            )
        with store.begin() as conn:
            assert repo.active_days(conn, person_id=pid) == []
            assert repo.daily_totals(conn, person_id=pid) == []
            assert [p["score"] for p in checks.list_pain(conn, person_id=pid)] == [2]
            assert checks.list_pain(conn, person_id=pid)[0]["at"] == NOW
    finally:
        store.close()


def test_a_rolled_back_transaction_leaves_no_new_person(db_url: str) -> None:
    store = Store.open(db_url)
    sid = str(uuid.uuid4())
    try:
        with pytest.raises(RuntimeError), store.begin() as conn:
            pid = people.ensure(conn, name="ghost", now=NOW)
            repo.create(
                conn,
                session_id=sid,
                person_id=pid,
                source="quick",
                status="finished",
                started_at=NOW,
                local_date=date(2026, 3, 4),
            )
            raise RuntimeError("abort")
        with store.begin() as conn:
            assert not repo.exists(conn, session_id=sid)
            assert conn.execute(select(func.count()).select_from(persons)).scalar() == 0
    finally:
        store.close()


def test_after_the_server_drops_its_connections_one_call_fails_clearly_then_all_work() -> None:
    """No pre-ping (a round trip per transaction): a restart of PostgreSQL costs one
    failed call per pool, with one clear line, and the pool connects afresh."""
    from tests.conftest import postgres_schema

    with postgres_schema() as url:
        store = Store.open(url + "&application_name=soleus_victim")
        killer = Store.open(url, migrate=False)
        try:
            for _ in range(3):  # a few pooled connections, each used
                with store.autocommit() as conn:
                    conn.execute(text("SELECT 1"))
            with killer.begin() as conn:
                killed = conn.execute(
                    text(
                        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                        " WHERE application_name = 'soleus_victim'"
                    )
                ).scalar()
            assert killed and killed >= 1
            try:  # the one call that may meet a dropped connection
                with store.autocommit() as conn:
                    conn.execute(text("SELECT 1"))
            except SoleusError as error:
                assert re.fullmatch(r"database error: [^\n]+", str(error)), error
            for _ in range(3):
                with store.begin() as conn:
                    assert conn.execute(text("SELECT 1")).scalar() == 1
                with store.autocommit() as conn:
                    assert conn.execute(text("SELECT 1")).scalar() == 1
        finally:
            store.close()
            killer.close()


def test_postgresql_connections_returned_to_the_pool_stay_open() -> None:
    """Under load every worker thread holds a connection; none is closed on return (a
    new PostgreSQL backend per request otherwise), and no more than POOL are opened."""
    from contextlib import ExitStack

    from tests.conftest import postgres_schema

    from soleus.store.db import POOL

    with postgres_schema() as url:
        store = Store.open(url)
        try:
            with ExitStack() as held:
                for _ in range(12):
                    held.enter_context(store.autocommit()).execute(text("SELECT 1"))
            pool = store.engine.pool
            assert pool.checkedin() == 12  # type: ignore[attr-defined]
            assert pool.size() == POOL == 15  # type: ignore[attr-defined]
            assert pool.overflow() <= 0  # type: ignore[attr-defined]
        finally:
            store.close()
