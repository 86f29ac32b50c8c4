"""Alembic, configured from code (no alembic.ini needed at run time).

On PostgreSQL an upgrade runs under a session-level advisory lock: when several
instances start at once against one database, the first migrates and the others wait
for it, then find the database at the head and do nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"

# The advisory-lock key every soleus instance migrates under ("soleus" in ASCII).
MIGRATION_LOCK = 0x736F6C657573


def config(engine: Engine) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    with migration_lock(engine):
        command.upgrade(config(engine), revision)


def downgrade(engine: Engine, revision: str) -> None:
    from alembic import command

    with migration_lock(engine):
        command.downgrade(config(engine), revision)


@contextmanager
def migration_lock(engine: Engine) -> Iterator[None]:
    """Hold PostgreSQL's advisory lock for the migrations (SQLite: its own file lock).

    The lock belongs to a connection of its own, kept open while Alembic migrates on
    another; it is released when that connection ends even if the process dies.
    """
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
        conn.commit()
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK})
            conn.commit()


def head() -> str:
    from alembic.script import ScriptDirectory

    heads = ScriptDirectory.from_config(config_without_engine()).get_heads()
    assert len(heads) == 1, f"migrations must have one head, not {heads}"
    return heads[0]


def config_without_engine() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg
