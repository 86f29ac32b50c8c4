"""The welcome page on a fresh data dir: Today sends a newcomer there once; done or
skipped, it is never forced again (a second app instance on the same store agrees)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime

import httpx
import pytest
from tests.web.web_helpers import NO_FLAGS

from soleus.domain.clock import FakeClock
from soleus.services import open_context
from soleus.services.context import Context
from soleus.settings import Settings
from soleus.web.app import create_app

pytestmark = pytest.mark.anyio


@pytest.fixture
def fresh(settings: Settings) -> Iterator[Context]:
    context = open_context(settings, FakeClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC)))
    yield context
    context.store.close()


def client(ctx: Context) -> httpx.AsyncClient:
    app = create_app(ctx.settings, ctx.store, ctx.clock, secret=b"test-secret")
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000")


@pytest.fixture
async def c(fresh: Context) -> AsyncIterator[httpx.AsyncClient]:
    async with client(fresh) as cl:
        yield cl


async def token(c: httpx.AsyncClient) -> str:
    page = await c.get("/welcome")
    match = re.search(r'<meta name="csrf-token" content="([^"]+)"', page.text)
    assert match
    return match[1]


async def test_today_sends_a_newcomer_to_the_welcome(c: httpx.AsyncClient) -> None:
    r = await c.get("/")
    assert r.status_code == 303 and r.headers["location"] == "/welcome"
    page = await c.get("/welcome")
    assert page.status_code == 200
    assert page.text.count("<h1") == 1
    assert "lift the heel as high as it goes" in page.text
    assert 'src="/illustrations/soleus-pushup.svg"' in page.text
    for step in ("Safety first", "Your goal", "Working hours for snack nudges"):
        assert step in page.text
    assert 'value="09:00-17:00"' in page.text  # the [remind] default, from the settings


async def test_done_goes_to_the_first_session_and_is_never_forced_again(
    c: httpx.AsyncClient, fresh: Context
) -> None:
    form = {"csrf_token": await token(c), **NO_FLAGS, "goal": "full", "hours": "08:00-16:00"}
    r = await c.post("/welcome", data=form)
    assert r.status_code == 303 and r.headers["location"] == "/player?routine=full"
    player = await c.get("/player?routine=full")
    assert player.status_code == 200  # the welcome's answers were the day's screen
    today = await c.get("/")
    assert today.status_code == 200 and "Take the tour" not in today.text
    async with client(fresh) as second:  # another instance on the same store
        assert (await second.get("/")).status_code == 200


async def test_a_bad_answer_is_shown_next_to_its_field(
    c: httpx.AsyncClient, fresh: Context
) -> None:
    form = {"csrf_token": await token(c), **NO_FLAGS, "goal": "desk", "hours": "9 to 5"}
    r = await c.post("/welcome", data=form)
    assert r.status_code == 400
    assert re.search(r'id="hours"[^>]*aria-invalid="true"', r.text)
    assert re.search(r'<p class="field-error" id="hours-error"[^>]*>[^<]*9 to 5', r.text)
    assert 'value="9 to 5"' in r.text  # what was typed stays
    assert (await c.get("/")).status_code == 303  # nothing was saved: still a newcomer
    assert not (fresh.settings.config_dir / "config.toml").exists()


async def test_skip_goes_to_today_which_offers_the_tour(c: httpx.AsyncClient) -> None:
    r = await c.post("/welcome/skip", data={"csrf_token": await token(c)})
    assert r.status_code == 303 and r.headers["location"] == "/"
    today = await c.get("/")
    assert today.status_code == 200
    assert '<a href="/welcome">Take the tour</a>' in today.text


async def test_skip_needs_the_csrf_token(c: httpx.AsyncClient) -> None:
    r = await c.post("/welcome/skip", data={"csrf_token": "forged"})
    assert r.status_code == 403
    assert (await c.get("/")).status_code == 303


async def test_a_yes_goes_to_the_stop_advice(c: httpx.AsyncClient) -> None:
    flags = {**NO_FLAGS, "one_calf_swollen": "yes"}
    form = {"csrf_token": await token(c), **flags, "goal": "desk", "hours": "09:00-17:00"}
    r = await c.post("/welcome", data=form)
    assert r.status_code == 303 and r.headers["location"] == "/screen"
    assert "Stop: no exercise today." in (await c.get("/screen")).text
