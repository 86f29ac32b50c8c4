"""A real app over a temp SQLite database and config dir, driven in-process by httpx."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from tests.web.web_helpers import Web

from soleus.domain.clock import FakeClock
from soleus.services import open_context
from soleus.services.context import Context
from soleus.services.welcome import tour
from soleus.settings import Settings
from soleus.web.app import create_app


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings.load(
        env={
            "SOLEUS_DATA_DIR": str(tmp_path / "data"),
            "SOLEUS_CONFIG_DIR": str(tmp_path / "config"),
            "SOLEUS_TIMEZONE": "UTC",
        }
    )


@pytest.fixture
def ctx(settings: Settings) -> Iterator[Context]:
    clock = FakeClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    context = open_context(settings, clock)
    tour.skip(context)  # past the first-run welcome (tests/web/test_welcome_web.py: before it)
    yield context
    context.store.close()


@pytest.fixture
async def web(ctx: Context) -> AsyncIterator[Web]:
    app = create_app(ctx.settings, ctx.store, ctx.clock, secret=b"test-secret")
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as c:
        page = await c.get("/")
        match = re.search(r'<meta name="csrf-token" content="([^"]+)"', page.text)
        assert match, page.text[:500]
        assert isinstance(ctx.clock, FakeClock)
        yield Web(c, ctx, ctx.clock, ctx.settings, match[1])
