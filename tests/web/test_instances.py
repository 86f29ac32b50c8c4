"""Several instances over one database: nothing a second instance needs lives in process
memory, and the settings a shared deployment needs (hosts, proxies, secret) work."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from tests.web.web_helpers import NO_FLAGS

from soleus.domain.clock import FakeClock
from soleus.errors import SoleusError
from soleus.settings import Settings, listed
from soleus.store.db import HEAD_REVISION, Store, make_engine
from soleus.web.app import create_app

pytestmark = pytest.mark.anyio
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SECRET = "0123456789abcdef" * 4


def make_settings(root: Path, **env: str) -> Settings:
    base = {
        "SOLEUS_DATA_DIR": str(root / "data"),
        "SOLEUS_CONFIG_DIR": str(root / "config"),
        "SOLEUS_TIMEZONE": "UTC",
    }
    return Settings.load(env={**base, **env})


def instance(settings: Settings, clock: FakeClock) -> Starlette:
    """One instance: its own store (engine, pool) on the shared database, no secret given."""
    return create_app(settings, Store.open(settings.resolved_database_url), clock)


def client(app: Starlette, host: str = "127.0.0.1:8000") -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url=f"http://{host}")


async def token_of(c: httpx.AsyncClient) -> str:
    page = await c.get("/exercises")  # "/" sends a newcomer to the welcome
    match = re.search(r'<meta name="csrf-token" content="([^"]+)"', page.text)
    assert match, page.text[:300]
    return match[1]


@pytest.fixture
async def two(db_url: str, tmp_path: Path) -> AsyncIterator[tuple[httpx.AsyncClient, ...]]:
    settings = make_settings(tmp_path, SOLEUS_DATABASE_URL=db_url, SOLEUS_SECRET_FILE="")
    clock = FakeClock(NOW)
    apps = [instance(settings, clock) for _ in range(2)]
    async with client(apps[0]) as one, client(apps[1]) as other:
        yield one, other
    for app in apps:
        app.state.web.store.close()


async def test_a_session_started_on_one_instance_continues_on_the_other(
    two: tuple[httpx.AsyncClient, ...],
) -> None:
    one, other = two
    token = await token_of(one)  # signed by instance 1, accepted by instance 2 below
    screened = await other.post("/screen", data={"csrf_token": token, "next": "/", **NO_FLAGS})
    assert screened.status_code == 303
    h = {"X-CSRF-Token": token}
    started = await one.post("/api/sessions", json={"routine_id": "desk"}, headers=h)
    assert started.status_code == 201, started.text
    sid, sets = started.json()["id"], started.json()["plan"]["sets"]
    for i, item in enumerate(sets):  # alternate: 2, 1, 2, 1, ...
        c = other if i % 2 == 0 else one
        body = {"plan_index": item["index"], "actual_reps": item["target_reps"]}
        if item["target_reps"] is None:
            body = {"plan_index": item["index"], "actual_seconds": item["target_seconds"]}
        saved = await c.post(f"/api/sessions/{sid}/sets", json=body, headers=h)
        assert saved.status_code == 201, saved.text
        seen = (await (one if c is other else other).get(f"/api/sessions/{sid}")).json()
        assert seen["done"] == list(range(i + 1))
    finished = await other.post(
        f"/api/sessions/{sid}/finish", json={"effort": 5, "pain": 1}, headers=h
    )
    assert finished.status_code == 200, finished.text
    seen = (await one.get(f"/api/sessions/{sid}")).json()
    assert seen["session"]["status"] == "finished"
    assert seen["session"]["pain"] == 1
    assert seen["done"] == [item["index"] for item in sets]


async def test_a_forged_token_is_refused_by_every_instance(
    two: tuple[httpx.AsyncClient, ...],
) -> None:
    for c in two:
        token = await token_of(c)
        forged = token.split(".")[0] + "." + "0" * 32
        r = await c.post(
            "/api/sessions", json={"routine_id": "desk"}, headers={"X-CSRF-Token": forged}
        )
        assert r.status_code == 403


async def test_instances_share_a_configured_secret_file(tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_text(SECRET + "\n")
    clock = FakeClock(NOW)
    # Two instances with data dirs of their own (two machines): only the file is shared.
    a = make_settings(tmp_path / "a", SOLEUS_SECRET_FILE=str(secret))
    b = make_settings(tmp_path / "b", SOLEUS_SECRET_FILE=str(secret))
    app_a, app_b = instance(a, clock), instance(b, clock)
    try:
        assert app_a.state.web.csrf.valid(app_b.state.web.csrf.issue())
        lone = instance(make_settings(tmp_path / "c"), clock)  # its own data-dir secret
        assert not lone.state.web.csrf.valid(app_a.state.web.csrf.issue())
        lone.state.web.store.close()
    finally:
        app_a.state.web.store.close()
        app_b.state.web.store.close()


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "cannot read it"), ("short", "holds 5 characters, at least 32")],
)
def test_a_missing_or_weak_secret_file_is_one_clear_error(
    tmp_path: Path, content: str | None, message: str
) -> None:
    secret = tmp_path / "secret"
    if content is not None:
        secret.write_text(content)
    settings = make_settings(tmp_path, SOLEUS_SECRET_FILE=str(secret))
    store = Store.open(settings.resolved_database_url)
    try:
        with pytest.raises(SoleusError, match=message) as error:
            create_app(settings, store, FakeClock(NOW))
    finally:
        store.close()
    assert "openssl rand -hex 32" in str(error.value)
    assert not secret.exists() or secret.read_text() == content  # nothing written


async def test_the_allowed_hosts_setting_extends_the_host_check(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, SOLEUS_ALLOWED_HOSTS="soleus.example.org, b.example")
    app = instance(settings, FakeClock(NOW))
    try:
        for host, status in [
            ("soleus.example.org", 200),
            ("b.example:443", 200),
            ("evil.example", 400),
        ]:
            async with client(app, host) as c:
                assert (await c.get("/api/health")).status_code == status, host
    finally:
        app.state.web.store.close()


def test_trusted_proxies_are_addresses_or_networks(tmp_path: Path) -> None:
    ok = make_settings(tmp_path, SOLEUS_TRUSTED_PROXIES="127.0.0.1, 10.0.0.0/8 ::1")
    assert ok.proxy_networks == ("127.0.0.1", "10.0.0.0/8", "::1")
    assert make_settings(tmp_path).proxy_networks == ()
    bad = make_settings(tmp_path, SOLEUS_TRUSTED_PROXIES="127.0.0.1,nginx")
    with pytest.raises(SoleusError, match=r"SOLEUS_TRUSTED_PROXIES: 'nginx' is not an IP"):
        bad.proxy_networks  # noqa: B018
    assert listed(["a", " b "]) == ("a", "b")


async def test_health_says_the_revision_and_what_the_instance_sees(tmp_path: Path) -> None:
    app = instance(make_settings(tmp_path), FakeClock(NOW))
    try:
        async with client(app) as c:
            r = await c.get("/api/health", headers={"X-Forwarded-For": "6.6.6.6"})
        assert r.status_code == 200
        assert r.json() == {
            "status": "ok",
            "revision": HEAD_REVISION,
            "accounts": False,
            "client": "127.0.0.1",
            "scheme": "http",
        }
    finally:
        app.state.web.store.close()


async def test_health_is_a_503_when_the_database_does_not_answer(tmp_path: Path) -> None:
    url = "postgresql+psycopg://soleus@127.0.0.1:1/nothing"
    gone = Store(url, make_engine(url))
    app = create_app(make_settings(tmp_path), gone, FakeClock(NOW))
    async with client(app) as c:
        r = await c.get("/api/health")
    assert r.status_code == 503
    assert r.json()["status"] == "unavailable"
    assert r.json()["error"].startswith("database error: ")
    assert "\n" not in r.json()["error"]
