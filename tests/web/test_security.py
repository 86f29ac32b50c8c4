"""Host check (DNS rebinding), CSRF, content type, body limits, error shapes."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from tests.web.web_helpers import Web

from soleus.web.app import create_app
from soleus.web.security import CsrfTokens, allowed_hosts_for, host_name

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.2", "[::2]"])
async def test_foreign_host_headers_are_refused(web: Web, host: str) -> None:
    for path in ("/", "/api/stats", "/static/css/site.css"):
        r = await web.client.get(path, headers={"host": host})
        assert r.status_code == 400
        assert "is not allowed" in r.json()["error"]


@pytest.mark.parametrize("host", ["localhost", "localhost:8000", "127.0.0.1:1234", "[::1]:80"])
async def test_local_host_headers_pass(web: Web, host: str) -> None:
    assert (await web.client.get("/api/stats", headers={"host": host})).status_code == 200


async def test_extra_allowed_hosts_are_configurable(web: Web) -> None:
    import httpx

    app = create_app(
        web.settings, web.ctx.store, web.clock, allowed_hosts=["desk.lan"], secret=b"s"
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://desk.lan") as c:
        assert (await c.get("/api/stats")).status_code == 200
        assert (await c.get("/api/stats", headers={"host": "other.lan"})).status_code == 400


def test_host_parsing() -> None:
    assert host_name("LocalHost:80") == "localhost"
    assert host_name("[::1]:8000") == "[::1]"
    hosts = allowed_hosts_for("0.0.0.0")
    assert "0.0.0.0" not in hosts and "127.0.0.1" in hosts


def test_csrf_tokens_are_signed() -> None:
    tokens = CsrfTokens(b"one")
    token = tokens.issue()
    assert tokens.valid(token)
    assert not CsrfTokens(b"two").valid(token)
    assert not tokens.valid(token + "x") and not tokens.valid("") and not tokens.valid(None)
    assert tokens.issue() != token


async def test_state_changes_need_the_csrf_header(web: Web) -> None:
    r = await web.client.post("/api/logs", json={"pain": 2})
    assert r.status_code == 403 and "CSRF" in r.json()["error"]
    r = await web.client.post("/api/logs", json={"pain": 2}, headers={"X-CSRF-Token": "a.b"})
    assert r.status_code == 403
    r = await web.client.delete("/api/routines/x")
    assert r.status_code == 403


async def test_state_changes_need_json(web: Web) -> None:
    r = await web.client.post("/api/logs", data={"pain": "2"}, headers=web.h)
    assert r.status_code == 415 and "application/json" in r.json()["error"]
    r = await web.client.post("/api/logs", content=b"{}", headers=web.h)
    assert r.status_code == 415


@pytest.mark.parametrize(
    "body",
    [b"{", b"[1, 2]", b'"text"', b"\xff\xfe", b'{"pain": 2,}'],
)
async def test_malformed_json_is_a_400(web: Web, body: bytes) -> None:
    r = await web.client.post(
        "/api/logs", content=body, headers={**web.h, "content-type": "application/json"}
    )
    assert r.status_code == 400
    assert set(r.json()) == {"error"}


async def test_oversize_bodies_are_refused(web: Web) -> None:
    big = b'{"pain": 2, "pad": "' + b"x" * (1024 * 1024) + b'"}'
    headers = {**web.h, "content-type": "application/json"}
    r = await web.client.post("/api/logs", content=big, headers=headers)
    assert r.status_code == 413 and "larger than" in r.json()["error"]

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: counted while streaming
        for _ in range(20):
            yield b"x" * 100_000

    r = await web.client.post("/api/logs", content=chunks(), headers=headers)
    assert r.status_code == 413
    # imports may be larger than other bodies
    r = await web.client.post("/api/import", content=b"x" * (2 * 1024 * 1024), headers=headers)
    assert r.status_code == 400
    assert (await web.client.get("/api/history?days=1")).json() == {"days": []}


async def test_wrong_method_and_unknown_api_path(web: Web) -> None:
    r = await web.client.delete("/api/stats", headers=web.h)
    assert r.status_code == 405 and "not allowed" in r.json()["error"]
    r = await web.client.get("/api/nothing")
    assert r.status_code == 404 and r.json()["error"]


async def test_server_errors_are_a_message_not_a_traceback(web: Web) -> None:
    app = web.client._transport.app  # type: ignore[attr-defined]
    state = app.state.web

    def broken() -> None:
        raise RuntimeError("boom")

    state.ctx = broken
    r = await web.client.get("/api/stats")
    assert r.status_code == 500
    assert r.json() == {"error": "something went wrong on the server; nothing was saved"}
    r = await web.client.get("/history")
    assert r.status_code == 500 and "Traceback" not in r.text and "boom" not in r.text
