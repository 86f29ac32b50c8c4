"""Small, explicit fixtures for the core tests.

- ``settings``: a temp data dir and config dir, Europe/Berlin.
- ``clock``: a FakeClock on Wednesday 2026-03-04 09:00 UTC.
- ``ctx``: a Context on SQLite in the temp data dir, its person past the welcome
  (``fresh_ctx``: a newcomer, the welcome still due).
- ``db_url``: a fresh, empty database, parametrised over SQLite and PostgreSQL
  (PostgreSQL: a schema of its own in ``SOLEUS_TEST_POSTGRES_URL``, dropped after).
- ``db_ctx``: a Context on ``db_url``.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings
from tests.required import missing

from soleus.domain.clock import FakeClock
from soleus.services import open_context
from soleus.services.context import Context
from soleus.settings import Settings

# Timing varies on a loaded 2-core CI machine: no per-example deadline there.
hypothesis_settings.register_profile(
    "soleus", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
# bench/mutation.py: the same examples on every run, so a score does not depend on luck;
# no shrinking (a mutant is killed by the first failing example, and shrinking a failure
# in the reminder simulations took minutes per mutant).
hypothesis_settings.register_profile(
    "mutation",
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow],
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "soleus"))


@pytest.fixture(autouse=True, scope="session")
def _no_real_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The default data and config folders (platformdirs, through XDG) point into a temp
    folder for the whole run: a test that forgets to name its own folders must not read
    or migrate the data of the person running the tests."""
    home = tmp_path_factory.mktemp("xdg")
    with pytest.MonkeyPatch.context() as mp:
        for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
            mp.setenv(var, str(home / var.lower()))
        yield


START = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)  # a Wednesday
PG_ENV = "SOLEUS_TEST_POSTGRES_URL"


def make_settings(tmp_path: Path, **env: str) -> Settings:
    base = {
        "SOLEUS_DATA_DIR": str(tmp_path / "data"),
        "SOLEUS_CONFIG_DIR": str(tmp_path / "cfg"),
        "SOLEUS_TIMEZONE": "Europe/Berlin",
    }
    return Settings.load(env={**base, **env})


@contextmanager
def postgres_schema() -> Iterator[str]:
    """A URL whose search_path is a fresh schema; the schema is dropped afterwards."""
    base = os.environ.get(PG_ENV)
    if not base:
        missing(f"{PG_ENV} (scripts/test.sh starts a PostgreSQL and sets it)")
    from sqlalchemy import create_engine, text

    name = f"t_{uuid.uuid4().hex[:16]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {name}"))
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options=-csearch_path%3D{name}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {name} CASCADE"))
        admin.dispose()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


def past_welcome(context: Context) -> Context:
    """The person has skipped the first-run welcome, as everyone but a newcomer has."""
    from soleus.services.welcome import tour

    tour.skip(context)
    return context


@pytest.fixture
def ctx(settings: Settings, clock: FakeClock) -> Iterator[Context]:
    context = past_welcome(open_context(settings, clock))
    yield context
    context.store.close()


@pytest.fixture
def fresh_ctx(settings: Settings, clock: FakeClock) -> Iterator[Context]:
    """A Context on a fresh data dir: the welcome not yet done or skipped."""
    context = open_context(settings, clock)
    yield context
    context.store.close()


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
    ]
)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'db' / 'soleus.db'}"
        return
    with postgres_schema() as url:
        yield url


@pytest.fixture
def db_ctx(db_url: str, tmp_path: Path, clock: FakeClock) -> Iterator[Context]:
    context = open_context(make_settings(tmp_path, SOLEUS_DATABASE_URL=db_url), clock)
    past_welcome(context)
    yield context
    context.store.close()
