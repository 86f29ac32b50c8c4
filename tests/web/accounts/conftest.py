"""An app in accounts mode over a real database (SQLite allowed, or the private
PostgreSQL), with a clinic: an admin, a clinician, patient A (the clinician's) and B."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from tests.web.accounts.acc_web import Clinic, Site, clinic, sign_in

from soleus.domain.clock import FakeClock
from soleus.services import open_context
from soleus.services.accounts import access
from soleus.services.context import Context
from soleus.services.welcome import tour
from soleus.settings import Settings
from soleus.web.app import create_app


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def acc_ctx(db_url: str, tmp_path: Path) -> Iterator[Context]:
    settings = Settings.load(
        env={
            "SOLEUS_DATA_DIR": str(tmp_path / "data"),
            "SOLEUS_CONFIG_DIR": str(tmp_path / "config"),
            "SOLEUS_TIMEZONE": "UTC",
            "SOLEUS_DATABASE_URL": db_url,
            "SOLEUS_ACCOUNTS": "on",
            "SOLEUS_ALLOW_SQLITE": "on",
            "SOLEUS_PUBLIC_URL": "https://soleus.example.org",
        }
    )
    clock = FakeClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    context = open_context(settings, clock)
    yield context
    context.store.close()


@pytest.fixture
def people(acc_ctx: Context) -> Clinic:
    """The clinic, everyone past the first-run welcome (test_welcome_accounts.py: before it)."""
    made = clinic(acc_ctx)
    for actor in (made.admin, made.clinician, made.patient_a, made.patient_b):
        tour.skip(access.context_for(acc_ctx, actor, write=True))
    return made


@pytest.fixture
def site(acc_ctx: Context, people: Clinic) -> Site:
    app = create_app(acc_ctx.settings, acc_ctx.store, acc_ctx.clock, secret=b"test-secret")
    assert isinstance(acc_ctx.clock, FakeClock)
    return Site(acc_ctx, acc_ctx.clock, app)


@pytest.fixture
async def as_a(site: Site) -> AsyncIterator[tuple[httpx.AsyncClient, str]]:
    async with site.client() as c:
        yield c, await sign_in(c, "a@example.org")


@pytest.fixture
async def as_b(site: Site) -> AsyncIterator[tuple[httpx.AsyncClient, str]]:
    async with site.client() as c:
        yield c, await sign_in(c, "b@example.org")
