"""The read path without SQLAlchemy: the stored SQL is SQLAlchemy's, and reads the same rows."""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from soleus.store import checks, nudges, people
from soleus.store import sessions as repo
from soleus.store.compiled import STATEMENTS
from soleus.store.db import HEAD_REVISION, Store
from soleus.store.lite import LiteConnection, fetch
from soleus.store.queries import QUERIES, compile_sqlite

DAY = date(2026, 3, 4)
NOW = datetime(2026, 3, 4, 9, 0, 0, 123456, tzinfo=UTC)


def test_the_stored_sql_is_sqlalchemys_compilation_of_each_query() -> None:
    # If this fails: python scripts/compile_queries.py (then ruff format).
    assert set(STATEMENTS) == set(QUERIES)
    for name, query in QUERIES.items():
        assert STATEMENTS[name] == compile_sqlite(query), name


def fill(store: Store) -> str:
    """A person with sessions, sets, pain, screens, nudges and spans over three days."""
    with store.begin() as conn:
        pid = people.ensure(conn, name="me", now=NOW)
        for n in range(3):
            day, at = DAY - timedelta(days=n), NOW - timedelta(days=n)
            sid = f"s{n}"
            repo.create(
                conn,
                session_id=sid,
                person_id=pid,
                source="player",
                status=["active", "finished", "abandoned"][n],
                started_at=at,
                local_date=day,
                routine_id="desk",
                routine_name="Desk",
                routine={"id": "desk", "blocks": [1, 2]},
                plan={"sets": [{"side": "left"}]} if n else None,
                ended_at=at + timedelta(minutes=5) if n else None,
                effort=n or None,
            )
            for k, side in enumerate(("left", "right", "both")):
                repo.add_set(
                    conn,
                    set_id=f"{sid}-{k}",
                    session_id=sid,
                    person_id=pid,
                    exercise_id="soleus-pushup" if k < 2 else "downward-dog",
                    kind="reps" if k < 2 else "hold",
                    side=side,
                    set_number=1,
                    completed_at=at + timedelta(seconds=k),
                    local_date=day,
                    plan_index=k,
                    actual_reps=10 if k < 2 else None,
                    actual_seconds=None if k < 2 else 45.5,
                    skipped=k == 1 and n == 1,
                )
            checks.add_pain(
                conn, report_id=f"p{n}", person_id=pid, at=at, local_date=day, score=n + 2,
                context="after", session_id=sid,
            )  # fmt: skip
            checks.add_screen(
                conn, screen_id=f"q{n}", person_id=pid, at=at, local_date=day,
                answers={"calf": n == 2}, passed=n != 2,
            )  # fmt: skip
            nid = nudges.add_nudge(
                conn, person_id=pid, local_date=day, at=at, number=1, reason="sat",
                routine="desk", suggestion="Desk", sitting_s=1800.0,
            )  # fmt: skip
            nudges.add_snooze(conn, person_id=pid, nudge_id=nid, at=at)
            if n:
                nudges.set_outcome(conn, person_id=pid, nudge_id=nid, outcome="taken", at=at)
            nudges.save_span(
                conn, person_id=pid, span_id=None, local_date=day, kind="sitting",
                start=at - timedelta(hours=1), end=at,
            )  # fmt: skip
    return pid


def params_for(name: str, pid: str) -> dict[str, Any]:
    binds = QUERIES[name].compile().binds
    sample = {
        "pid": pid,
        "name": "me",
        "sid": "s1",
        "since": DAY - timedelta(days=1),
        "plan_since": DAY - timedelta(days=1),  # s1 keeps its plan (s0 has none)
        "day": DAY,
        "before": DAY,
        "start": DAY - timedelta(days=2),
        "end": DAY,
        "id": {"pain_exists": "p1", "session_exists": "s1", "set_exists": "s1-0"}.get(name),
    }
    return {k: v for k, v in sample.items() if k in binds and binds[k].required}


def test_every_query_reads_the_same_rows_through_sqlite3_and_sqlalchemy(tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'soleus.db'}")
    try:
        pid = fill(store)
        with store.read() as lite, store.engine.connect() as alchemy:
            assert isinstance(lite, LiteConnection)
            for name in QUERIES:
                params = params_for(name, pid)
                got = fetch(lite, name, **params)
                assert got, name  # every query finds something in the filled data
                assert got == fetch(alchemy, name, **params), name
                for a, b in zip(got, fetch(alchemy, name, **params), strict=True):
                    assert [type(v) for v in a.values()] == [type(v) for v in b.values()], name
    finally:
        store.close()


def test_a_migrated_sqlite_file_opens_without_importing_sqlalchemy(tmp_path: Path) -> None:
    import subprocess

    url = f"sqlite:///{tmp_path / 'soleus.db'}"
    store = Store.open(url)
    fill(store)
    store.close()
    code = (
        "import sys; from soleus.store.db import Store; from soleus.store import sessions;"
        f"s = Store.open({url!r});"
        "c = s.read().__enter__(); pid = __import__('soleus.store.people').store.people"
        ".find(c, name='me');"
        "print(len(sessions.list_sets(c, person_id=pid)), 'sqlalchemy' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["9", "False"]


def test_a_file_at_an_older_revision_is_migrated_through_sqlalchemy(tmp_path: Path) -> None:
    from soleus.store import migrate

    url = f"sqlite:///{tmp_path / 'soleus.db'}"
    store = Store.open(url, migrate=False)
    migrate.upgrade(store.engine, "0004")
    store.close()
    store = Store.open(url)
    try:
        assert store.revision() == HEAD_REVISION
    finally:
        store.close()


def test_a_read_error_is_one_plain_line(tmp_path: Path) -> None:
    from soleus.errors import SoleusError

    store = Store.open(f"sqlite:///{tmp_path / 'soleus.db'}")
    try:
        with store.read() as conn, pytest.raises(SoleusError, match=r"^database error: "):
            assert isinstance(conn, LiteConnection)
            conn.raw.execute("DROP TABLE set_logs")  # a damaged file, as far as reads go
            repo.list_sets(conn, person_id="x")
    finally:
        store.close()


def test_reads_nest_and_each_thread_reads_on_its_own_connection(tmp_path: Path) -> None:
    import threading

    store = Store.open(f"sqlite:///{tmp_path / 'soleus.db'}")
    try:
        pid = fill(store)
        with store.read() as outer, store.read() as inner:  # a service calling a service
            assert inner is outer
            assert len(repo.list_sets(inner, person_id=pid)) == 9
        counts: list[int] = []
        errors: list[BaseException] = []

        def reader() -> None:
            try:
                for _ in range(20):
                    with store.read() as conn:
                        counts.append(len(repo.list_sets(conn, person_id=pid)))
            except BaseException as error:
                errors.append(error)

        with store.read():  # the main thread is inside a read meanwhile
            threads = [threading.Thread(target=reader) for _ in range(4)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        assert not errors and counts == [9] * 80
    finally:
        store.close()
