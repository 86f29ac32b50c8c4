"""Migrations: one head, upgrade with data from every earlier revision, down and up again."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import MetaData, Table, create_engine, insert, inspect, select
from sqlalchemy.engine import Engine

from soleus.store import migrate
from soleus.store.db import HEAD_REVISION, Store
from soleus.store.schema import metadata

PERSON = str(uuid.uuid4())
SESSION = str(uuid.uuid4())
STREAM = str(uuid.uuid4())
ORG = str(uuid.uuid4())

# One representative row per table. A new table in a migration must get a row here,
# or test_upgrade_from_every_revision_keeps_data fails and says which table.
SAMPLE: dict[str, dict[str, Any]] = {
    "persons": {"id": PERSON, "name": "me", "created_at": datetime(2026, 1, 5, 8, 0)},
    "sessions": {
        "id": SESSION,
        "person_id": PERSON,
        "source": "player",
        "status": "finished",
        "routine_id": "desk",
        "routine_name": "Desk break",
        "routine": {"id": "desk", "blocks": [{"exercise": "soleus-pushup"}]},
        "started_at": datetime(2026, 1, 5, 8, 1),
        "ended_at": datetime(2026, 1, 5, 8, 9),
        "local_date": date(2026, 1, 5),
        "effort": 6,
        "pain": 2,
        "note": "Füße warm – ok",
        "recording": None,
    },
    "set_logs": {
        "id": str(uuid.uuid4()),
        "session_id": SESSION,
        "person_id": PERSON,
        "plan_index": 0,
        "exercise_id": "soleus-pushup",
        "kind": "reps",
        "side": "left",
        "set_number": 1,
        "target_reps": 10,
        "actual_reps": 9,
        "target_seconds": None,
        "actual_seconds": None,
        "skipped": False,
        "completed_at": datetime(2026, 1, 5, 8, 3),
        "local_date": date(2026, 1, 5),
    },
    "pain_reports": {
        "id": str(uuid.uuid4()),
        "person_id": PERSON,
        "at": datetime(2026, 1, 5, 8, 10),
        "local_date": date(2026, 1, 5),
        "score": 3,
        "context": "after",
        "session_id": SESSION,
    },
    "screens": {
        "id": str(uuid.uuid4()),
        "person_id": PERSON,
        "at": datetime(2026, 1, 5, 8, 0, 30),
        "local_date": date(2026, 1, 5),
        "answers": {"one_calf_swollen": False, "breathless": False},
        "passed": True,
    },
    "nudges": {
        "id": str(uuid.uuid4()),
        "person_id": PERSON,
        "local_date": date(2026, 1, 5),
        "prompted_at": datetime(2026, 1, 5, 10, 0),
        "number": 1,
        "reason": "sitting",
        "routine": "desk",
        "suggestion": "10 SPUs per leg",
        "sitting_s": 3600.5,
        "outcome": "taken",
        "answered_at": datetime(2026, 1, 5, 10, 2),
        "snoozes": 1,
        "skip_reason": "",
    },
    "activity_spans": {
        "id": str(uuid.uuid4()),
        "person_id": PERSON,
        "local_date": date(2026, 1, 5),
        "kind": "sitting",
        "started_at": datetime(2026, 1, 5, 9, 0),
        "ended_at": datetime(2026, 1, 5, 10, 0),
        "seconds": 3600.0,
    },
    "ingest_tokens": {
        "person_id": PERSON,
        "token": "k3Jx-sample-ingest-token",
        "created_at": datetime(2026, 1, 5, 8, 0),
    },
    "live_streams": {
        "id": STREAM,
        "person_id": PERSON,
        "source": "sensorlogger",
        "status": "stopped",
        "created_at": datetime(2026, 1, 5, 8, 1),
        "updated_at": datetime(2026, 1, 5, 8, 6),
        "device": "a1b2c3",
        "remote_session": "s-1",
        "side": "left",
        "style": "sets",
        "t0_ns": 1_767_600_060_123_456_789,
        "last_t": 300.25,
        "t_offset": 0.0,
        "lease_until": None,
        "error": "",
        "state": {"count": 10, "reps": [], "flags": []},
        "session_id": SESSION,
    },
    "live_chunks": {
        "id": 1,
        "stream_id": STREAM,
        "seq": 0,
        "received_at": datetime(2026, 1, 5, 8, 1, 1),
        "n_acc": 1,
        "n_gyro": 0,
        "data": bytes(range(32)),
    },
    "organisations": {"id": ORG, "name": "Praxis Süd", "created_at": datetime(2026, 1, 6, 9, 0)},
    "memberships": {
        "id": str(uuid.uuid4()),
        "person_id": PERSON,
        "org_id": ORG,
        "role": "patient",
        "clinician_id": None,
        "created_at": datetime(2026, 1, 6, 9, 0),
    },
    "accounts": {
        "person_id": PERSON,
        "email": "me@example.org",
        "password_hash": "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
        "disabled": False,
        "created_at": datetime(2026, 1, 6, 9, 0),
    },
    "web_sessions": {
        "id_hash": "a" * 64,
        "person_id": PERSON,
        "created_at": datetime(2026, 1, 6, 9, 0),
        "last_seen_at": datetime(2026, 1, 6, 9, 5),
        "expires_at": datetime(2026, 1, 20, 9, 0),
        "revoked_at": None,
        "ip": "192.0.2.1",
        "user_agent": "test",
    },
    "access_tokens": {
        "id": str(uuid.uuid4()),
        "person_id": PERSON,
        "name": "phone",
        "scope": "read",
        "token_hash": "b" * 64,
        "created_at": datetime(2026, 1, 6, 9, 0),
        "last_used_at": None,
        "revoked_at": None,
    },
    "invitations": {
        "id": str(uuid.uuid4()),
        "token_hash": "c" * 64,
        "kind": "invite",
        "email": "new@example.org",
        "role": "patient",
        "org_id": ORG,
        "inviter_id": PERSON,
        "person_id": None,
        "created_at": datetime(2026, 1, 6, 9, 0),
        "expires_at": datetime(2026, 1, 13, 9, 0),
        "used_at": None,
    },
    "rate_limits": {
        "key": "signin:ip:192.0.2.1",
        "window_start": datetime(2026, 1, 6, 9, 0),
        "count": 3,
    },
    "audit_log": {
        "id": 1,
        "at": datetime(2026, 1, 6, 9, 0),
        "actor_id": PERSON,
        "action": "signin",
        "target_id": PERSON,
        "org_id": ORG,
        "ip": "192.0.2.1",
        "detail": {"how": "password"},
    },
    "passkeys": {
        "credential_id": "Y3JlZA",
        "person_id": PERSON,
        "public_key": bytes(range(16)),
        "sign_count": 0,
        "name": "laptop",
        "created_at": datetime(2026, 1, 6, 9, 0),
        "last_used_at": None,
    },
    "prescriptions": {
        "id": str(uuid.uuid4()),
        "person_id": PERSON,
        "clinician_id": PERSON,
        "created_at": datetime(2026, 1, 6, 9, 0),
        "start_date": date(2026, 1, 5),
        "end_date": None,
        "plan": {"per_day": 2, "days": [0, 1, 2, 3, 4]},
        "ended_at": None,
    },
    "mail_prefs": {
        "person_id": PERSON,
        "missed_sessions": True,
        "updated_at": datetime(2026, 1, 6, 9, 0),
    },
    "jobs": {
        "id": str(uuid.uuid4()),
        "key": f"missed:{PERSON}:2026-01-05",
        "kind": "missed-session",
        "person_id": PERSON,
        "payload": {"day": "2026-01-05"},
        "state": "queued",
        "run_at": datetime(2026, 1, 6, 9, 0),
        "attempts": 0,
        "created_at": datetime(2026, 1, 6, 9, 0),
        "done_at": None,
        "done_by": None,
        "last_error": None,
    },
    "calendar_feeds": {
        "person_id": PERSON,
        "token_hash": "ab" * 32,
        "created_at": datetime(2026, 1, 6, 9, 0),
    },
}
ORDER = list(SAMPLE)  # foreign keys point backwards in this order


def revisions_base_to_head() -> list[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(migrate.config_without_engine())
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def user_tables(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        return set(inspect(conn).get_table_names()) - {"alembic_version"}


def fill(engine: Engine) -> list[str]:
    """Insert the sample row into every table that exists now; return their names."""
    present = user_tables(engine)
    unknown = present - set(SAMPLE)
    assert not unknown, f"add a representative row to SAMPLE for table(s) {sorted(unknown)}"
    reflected = MetaData()
    reflected.reflect(engine)
    filled = []
    with engine.begin() as conn:
        for name in ORDER:
            if name not in present:
                continue
            table: Table = reflected.tables[name]
            row = {k: v for k, v in SAMPLE[name].items() if k in table.c}
            conn.execute(insert(table).values(**row))
            filled.append(name)
    return filled


def assert_rows_kept(engine: Engine, tables: list[str]) -> None:
    # The tables as they are now (after a downgrade, older than the code's metadata).
    reflected = MetaData()
    reflected.reflect(engine)
    with engine.connect() as conn:
        for name in tables:
            table = reflected.tables[name]
            row = conn.execute(select(table)).mappings().one()
            for key, value in SAMPLE[name].items():
                assert row[key] == value, (name, key, row[key], value)


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    s = Store.open(db_url, migrate=False)
    yield s
    s.close()


def test_head_revision_constant_is_the_single_alembic_head() -> None:
    assert migrate.head() == HEAD_REVISION


def test_revisions_form_one_line_from_base_to_head() -> None:
    revs = revisions_base_to_head()
    assert revs[-1] == HEAD_REVISION
    assert len(revs) == len(set(revs))


def test_open_migrates_an_empty_database_to_head(db_url: str) -> None:
    store = Store.open(db_url)
    try:
        assert store.revision() == HEAD_REVISION
        assert user_tables(store.engine) == set(metadata.tables)
    finally:
        store.close()


def test_open_twice_is_harmless(db_url: str) -> None:
    Store.open(db_url).close()
    store = Store.open(db_url)
    try:
        assert store.revision() == HEAD_REVISION
    finally:
        store.close()


def test_migrated_schema_matches_the_tables_the_code_uses(store: Store) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    store.migrate()
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


@pytest.mark.parametrize("revision", revisions_base_to_head())
def test_upgrade_from_every_revision_keeps_data(store: Store, revision: str) -> None:
    migrate.upgrade(store.engine, revision)
    assert store.revision() == revision
    filled = fill(store.engine)
    assert "persons" in filled
    store.migrate()
    assert store.revision() == HEAD_REVISION
    assert_rows_kept(store.engine, filled)


def test_downgrade_to_base_and_up_again(store: Store) -> None:
    store.migrate()
    migrate.downgrade(store.engine, "base")
    assert user_tables(store.engine) == set()
    assert store.revision() is None
    store.migrate()
    assert store.revision() == HEAD_REVISION
    assert user_tables(store.engine) == set(metadata.tables)
    assert_rows_kept(store.engine, fill(store.engine))


def test_downgrade_one_step_keeps_older_data(store: Store) -> None:
    revs = revisions_base_to_head()
    if len(revs) < 2:
        pytest.skip("only one revision")
    migrate.upgrade(store.engine, revs[-2])
    filled = fill(store.engine)
    store.migrate()
    migrate.downgrade(store.engine, revs[-2])
    assert store.revision() == revs[-2]
    assert_rows_kept(store.engine, filled)


def test_sqlite_file_is_created_with_its_folder(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'a' / 'b' / 'soleus.db'}"
    Store.open(url).close()
    assert (tmp_path / "a" / "b" / "soleus.db").is_file()
    engine = create_engine(url)
    try:
        assert user_tables(engine) == set(metadata.tables)
    finally:
        engine.dispose()


def test_0006_marks_people_from_before_as_past_the_welcome(store: Store) -> None:
    migrate.upgrade(store.engine, "0005")
    fill(store.engine)
    migrate.upgrade(store.engine, "0006")
    reflected = MetaData()
    reflected.reflect(store.engine)
    with store.engine.connect() as conn:
        row = conn.execute(select(reflected.tables["persons"])).mappings().one()
    # An existing person has used soleus: no first-run welcome, only the tour on Today.
    assert row["welcome"] == "skipped"
    assert row["welcomed_at"] == SAMPLE["persons"]["created_at"]


def test_a_person_created_at_head_has_not_seen_the_welcome(store: Store) -> None:
    from soleus.store import people

    store.migrate()
    with store.begin() as conn:
        pid = people.ensure(conn, name="new", now=datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
        assert people.welcome(conn, person_id=pid) is None
        people.set_welcome(
            conn, person_id=pid, outcome="done", at=datetime(2026, 3, 2, 9, 5, tzinfo=UTC)
        )
        assert people.welcome(conn, person_id=pid) == "done"


def test_upgrade_to_accounts_keeps_local_data_with_the_default_person(
    store: Store, tmp_path: Path
) -> None:
    """Local mode after 0008: the settings' person is the same row, its records all
    still theirs, and no account, organisation or membership was invented."""
    from soleus.domain.clock import FakeClock
    from soleus.services.context import Context
    from soleus.services.reports.transfer import collect
    from soleus.settings import Settings

    store.migrate("0005")
    fill(store.engine)
    store.migrate()
    settings = Settings.load(
        env={
            "SOLEUS_DATA_DIR": str(tmp_path),
            "SOLEUS_CONFIG_DIR": str(tmp_path),
            "SOLEUS_PERSON": "me",
            "SOLEUS_TIMEZONE": "UTC",
        }
    )
    ctx = Context(settings, store, FakeClock(datetime(2026, 1, 6, 9, 0).astimezone()))
    assert ctx.person_id == PERSON
    data = collect(ctx)
    assert [s["id"] for s in data["sessions"]] == [SESSION]
    assert len(data["sets"]) == len(data["pain"]) == len(data["screens"]) == 1
    with store.engine.connect() as conn:
        for name in ("organisations", "memberships", "accounts", "web_sessions", "audit_log"):
            table = Table(name, MetaData(), autoload_with=conn)
            assert conn.execute(select(table)).first() is None, name
