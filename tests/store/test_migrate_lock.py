"""Several instances starting at once against one empty PostgreSQL migrate it once."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from tests.required import missing

from soleus.store import migrate
from soleus.store.db import HEAD_REVISION

SRC = Path(__file__).parents[2] / "src"
PG_ENV = "SOLEUS_TEST_POSTGRES_URL"


@contextmanager
def postgres_schema() -> Iterator[str]:
    """An empty schema of its own in the test PostgreSQL (the root conftest's helper
    cannot be imported by name: other folders' conftest.py take that name)."""
    base = os.environ.get(PG_ENV)
    if not base:
        missing(f"{PG_ENV} (scripts/test.sh starts a PostgreSQL and sets it)")
    name = f"t_{uuid.uuid4().hex[:16]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {name}"))
    try:
        yield f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{name}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {name} CASCADE"))
        admin.dispose()


# One instance: wait for the agreed moment, open (and migrate) the store, say the revision.
INSTANCE = """
import logging, sys, time
logging.basicConfig(level=logging.INFO, stream=sys.stdout, format="%(name)s %(message)s")
from soleus.store.db import Store
url, at = sys.argv[1], float(sys.argv[2])
time.sleep(max(0.0, at - time.time()))
store = Store.open(url)
print("revision", store.revision())
store.close()
"""


def test_two_instances_started_together_migrate_once() -> None:
    with postgres_schema() as url:
        at = time.time() + 1.5  # both are up and waiting by then (imports take < 1 s)
        env = {**os.environ, "PYTHONPATH": str(SRC)}
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", INSTANCE, url, str(at)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=env,
            )
            for _ in range(2)
        ]
        outputs = [p.communicate(timeout=60) for p in procs]
        for proc, (out, err) in zip(procs, outputs, strict=True):
            assert proc.returncode == 0, err
            assert err == ""
            assert out.strip().endswith(f"revision {HEAD_REVISION}")
        upgrades = [
            line for out, _ in outputs for line in out.splitlines() if "Running upgrade" in line
        ]
        revisions = len(list((migrate.MIGRATIONS / "versions").glob("[0-9]*.py")))
        # Every migration ran exactly once, in one of the two processes.
        assert len(upgrades) == revisions
        assert len({line.split("Running upgrade", 1)[1] for line in upgrades}) == revisions
        engine = create_engine(url)
        try:
            with engine.connect() as conn:
                rows = conn.execute(text("SELECT version_num FROM alembic_version")).all()
        finally:
            engine.dispose()
        assert rows == [(HEAD_REVISION,)]


def test_the_lock_is_released_after_a_migration() -> None:
    with postgres_schema() as url:
        engine = create_engine(url)
        try:
            migrate.upgrade(engine)
            with engine.connect() as conn:
                got = conn.execute(
                    text("SELECT pg_try_advisory_lock(:key)"), {"key": migrate.MIGRATION_LOCK}
                ).scalar()
                conn.execute(text("SELECT pg_advisory_unlock_all()"))
        finally:
            engine.dispose()
        assert got is True
