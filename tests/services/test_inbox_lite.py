"""The inbox drain on a SQLite file writes through sqlite3 alone: no SQLAlchemy import,
and the same rows as the SQLAlchemy path."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import make_settings
from tests.services.test_inbox import pain_entry, sets_entry

from soleus.domain.clock import FakeClock
from soleus.errors import SoleusError
from soleus.services import open_context
from soleus.services.logs import inbox, logbook
from soleus.settings import Settings
from soleus.store import checks, people, sessions
from soleus.store.compiled import WRITES
from soleus.store.db import Store
from soleus.store.lite import LiteConnection
from soleus.store.queries import WRITES as STATEMENTS
from soleus.store.queries import compile_write


def test_the_stored_writes_are_sqlalchemys_compilation_of_each_statement() -> None:
    # If this fails: python scripts/compile_queries.py (then ruff format).
    assert set(WRITES) == set(STATEMENTS)
    for name, statement in STATEMENTS.items():
        assert WRITES[name] == compile_write(statement), name


def entries(settings: Settings, clock: FakeClock) -> list[dict[str, Any]]:
    out = [
        sets_entry(settings, clock, "2x10", side="each"),
        pain_entry(settings, clock, 3, "morning"),
        sets_entry(settings, clock, "3x30s", side="left", exercise_id="downward-dog"),
    ]
    clock.advance(timedelta(days=1, minutes=7).total_seconds())
    out.append({**sets_entry(settings, clock, "1x12", side="both"), "note": "Logged on a rest day"})
    out.append(pain_entry(settings, clock, 0, "after"))
    return out


def dump(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row as stored (the person's random id replaced by its name)."""
    raw = sqlite3.connect(path)
    try:
        [(pid, name)] = raw.execute("SELECT id, name FROM persons").fetchall()
        out = {}
        for table in ("persons", "sessions", "set_logs", "pain_reports"):
            rows = raw.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()
            out[table] = [tuple(name if v == pid else v for v in row) for row in rows]
        return out
    finally:
        raw.close()


def test_the_sqlite3_drain_stores_the_same_rows_as_sqlalchemy(
    tmp_path: Path, clock: FakeClock
) -> None:
    logged = entries(make_settings(tmp_path), clock)
    for name in ("lite", "alchemy"):
        ctx = open_context(make_settings(tmp_path / name), clock)
        try:
            begin = ctx.store.write if name == "lite" else ctx.store.begin
            with begin() as conn:
                assert isinstance(conn, LiteConnection) == (name == "lite")
                for entry in logged:
                    logbook.apply_entry(ctx, conn, entry)
                for entry in logged:  # replayed: nothing twice
                    logbook.apply_entry(ctx, conn, entry)
        finally:
            ctx.store.close()
    lite, alchemy = (dump(tmp_path / name / "data" / "soleus.db") for name in ("lite", "alchemy"))
    assert [len(lite[t]) for t in lite] == [1, 3, 8, 2]
    assert lite == alchemy


def test_the_lite_writes_store_json_as_sqlalchemy_does(tmp_path: Path, clock: FakeClock) -> None:
    # The drain writes no JSON, but insert_session takes it: a routine, and None as null.
    rows = []
    for name in ("lite", "alchemy"):
        store = Store.open(f"sqlite:///{tmp_path / name}.db")
        try:
            with store.write() if name == "lite" else store.begin() as conn:
                pid = people.ensure(conn, name="me", now=clock.now())
                sessions.create(
                    conn, session_id="s", person_id=pid, source="player", status="active",
                    started_at=clock.now(), local_date=clock.now().date(),
                    routine={"id": "desk", "blocks": [1, "é"]}, plan=None,
                )  # fmt: skip
            with store.read() as conn:
                found = sessions.get(conn, session_id="s", person_id=pid)
                assert found is not None
                assert found["routine"] == {"id": "desk", "blocks": [1, "é"]}
        finally:
            store.close()
        raw = sqlite3.connect(tmp_path / f"{name}.db")
        rows.append(raw.execute("SELECT routine, plan, started_at FROM sessions").fetchall())
        raw.close()
    assert rows[0] == rows[1]
    assert rows[0][0][1] == "null"


def test_a_failed_entry_is_undone_alone_and_a_failed_drain_keeps_the_inbox(
    settings: Settings, clock: FakeClock
) -> None:
    ctx = open_context(settings, clock)
    try:
        good = pain_entry(settings, clock, 4, "during")
        bad = sets_entry(settings, clock, "2x10", side="each")
        del bad["rows"][1]["id"]  # the session and its first set go in, then it fails
        with ctx.store.write() as conn:
            assert isinstance(conn, LiteConnection)
            for entry in (bad, good):
                try:
                    with conn.begin_nested():
                        logbook.apply_entry(ctx, conn, entry)
                except logbook.BadEntry:
                    pass
        with ctx.store.read() as conn:
            assert not sessions.exists(conn, session_id=bad["session_id"])
            assert not sessions.set_exists(conn, set_id=bad["rows"][0]["id"])
            assert checks.pain_exists(conn, report_id=good["id"])
        # A database error (a NOT NULL column left empty) rolls the whole drain back, and
        # the inbox keeps every entry.
        inbox.append(settings.inbox_path, pain_entry(settings, clock, 6, "after"))
        inbox.append(
            settings.inbox_path, {**pain_entry(settings, clock, 7, "after"), "context": None}
        )
        with pytest.raises(SoleusError, match="database error: NOT NULL constraint failed"):
            inbox.drain(ctx)
        assert len(inbox.read(settings.inbox_path)) == 2
        with ctx.store.read() as conn:
            assert not checks.pain_exists(conn, report_id=inbox.read(settings.inbox_path)[0]["id"])
    finally:
        ctx.store.close()


def test_a_drain_on_a_sqlite_file_imports_no_sqlalchemy(
    settings: Settings, clock: FakeClock
) -> None:
    open_context(settings, clock).store.close()  # a migrated file and a day cache
    for entry in entries(settings, clock):
        inbox.append(settings.inbox_path, entry)
    code = (
        "import sys, json; from soleus.services import open_context;"
        "from soleus.settings import Settings; from soleus.services.reports import history;"
        f"ctx = open_context(Settings.load(env={json.dumps(env(settings))}));"
        "alchemy = 'sqlalchemy' in sys.modules;"
        "days = history.history(ctx, days=3660);"
        "print(alchemy, sum(len(d['sets']) for d in days), sum(len(d['pain']) for d in days))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["False", "8", "2"]
    assert inbox.read(settings.inbox_path) == []


def env(settings: Settings) -> dict[str, str]:
    return {
        "SOLEUS_DATA_DIR": str(settings.data_dir),
        "SOLEUS_CONFIG_DIR": str(settings.config_dir),
        "SOLEUS_TIMEZONE": "Europe/Berlin",
    }
