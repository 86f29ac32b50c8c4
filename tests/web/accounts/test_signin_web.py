"""Accounts mode on the web: every route needs a sign-in but the public ones; cookies,
tokens, bad input and brute force."""

from __future__ import annotations

import pytest
from tests.web.accounts.acc_web import PASSWORD, Site, form_of, sign_in

from soleus.errors import SoleusError
from soleus.services.accounts import audit
from soleus.services.accounts.actor import OPERATOR
from soleus.settings import Settings
from soleus.store.db import Store
from soleus.web.app import create_app

pytestmark = pytest.mark.anyio


async def test_pages_redirect_and_the_api_answers_401_without_a_sign_in(site: Site) -> None:
    async with site.client() as c:
        r = await c.get("/history?x=1")
        assert r.status_code == 303
        assert r.headers["location"] == "/signin?next=%2Fhistory%3Fx%3D1"
        r = await c.get("/api/history")
        assert r.status_code == 401
        assert r.json() == {"error": "please sign in"}
        assert r.headers["www-authenticate"] == "Bearer"
        r = await c.post("/api/logs", json={"pain": 3})
        assert r.status_code == 401
        health = await c.get("/api/health")
        assert health.status_code == 200 and health.json()["status"] == "ok"
        assert health.json()["accounts"] is True
        # The one health route; its earlier second name points there, unsigned too.
        moved = await c.get("/health")
        assert (moved.status_code, moved.headers["location"]) == (308, "/api/health")
        assert (await c.get("/static/css/site.css")).status_code == 200
        assert (await c.get("/signin")).status_code == 200


async def test_sign_in_sets_a_strict_cookie_and_the_header_names_the_person(site: Site) -> None:
    async with site.client() as c:
        page = await c.get("/signin")
        r = await c.post(
            "/signin",
            data={
                **form_of(page.text),
                "email": "A@example.org",
                "password": PASSWORD,
                "next": "//evil.example/x",
            },
        )
        assert r.status_code == 303 and r.headers["location"] == "/"
        cookie = r.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie
        home = await c.get("/", follow_redirects=True)
        assert 'id="signed-in-as"' in home.text and "a@example.org" in home.text
    async with site.client("https://127.0.0.1") as c:
        page = await c.get("/signin")
        r = await c.post(
            "/signin",
            data={**form_of(page.text), "email": "a@example.org", "password": PASSWORD},
        )
        assert "secure" in r.headers["set-cookie"].lower()


async def test_forged_and_signed_out_cookies_are_refused(site: Site) -> None:
    async with site.client() as c:
        c.cookies.set("soleus_session", "forged-value")
        r = await c.get("/api/history")
        assert r.status_code == 401
    async with site.client() as c:
        token = await sign_in(c, "a@example.org")
        stale = c.cookies.get("soleus_session")
        assert stale
        r = await c.post("/signout", data={"csrf_token": token})
        assert r.status_code == 303
        c.cookies.clear()
        c.cookies.set("soleus_session", stale)
        r = await c.get("/api/history")
        assert r.status_code == 401 and "ended" in r.json()["error"]


async def test_wrong_password_then_lock_then_the_right_password_after_it(site: Site) -> None:
    limit = site.ctx.settings.signin_max_failures
    async with site.client() as c:
        fields = form_of((await c.get("/signin")).text)
        form = {**fields, "email": "b@example.org", "password": "wrong wrong"}
        for _ in range(limit):
            r = await c.post("/signin", data=form)
            assert r.status_code == 401 and "wrong email or password" in r.text
        r = await c.post("/signin", data={**form, "password": PASSWORD})
        assert r.status_code == 429
        assert "locked" in r.text and "try again at" in r.text
        wait = int(r.headers["retry-after"])
        site.clock.advance(wait)
        r = await c.post("/signin", data={**form, "password": PASSWORD})
        assert r.status_code == 303


async def test_oversize_and_malformed_sign_in_bodies_change_nothing(site: Site) -> None:
    before = len(audit.entries(site.ctx, OPERATOR))
    async with site.client() as c:
        fields = form_of((await c.get("/signin")).text)
        big = {**fields, "email": "a@example.org", "password": "x" * 20_000}
        r = await c.post("/signin", data=big)
        assert r.status_code == 413
        r = await c.post("/signin", content=b"\xff\xfe", headers={"content-type": "text/plain"})
        assert r.status_code == 415
        r = await c.post("/signin", data={"email": "a@example.org", "password": PASSWORD})
        assert r.status_code == 403  # no CSRF token
        # Another site's form (a valid CSRF token, but not this browser's sign-in page):
        r = await c.post(
            "/signin",
            data={
                "csrf_token": fields["csrf_token"],
                "email": "a@example.org",
                "password": PASSWORD,
            },
        )
        assert r.status_code == 403 and "came from elsewhere" in r.text
        r = await c.post(
            "/api/tokens", content=b"{not json", headers={"content-type": "application/json"}
        )
        assert r.status_code == 400
        r = await c.post("/api/tokens", json=["a", "b"])
        assert r.status_code == 400
        r = await c.post("/api/tokens", json={"email": "a@example.org"})
        assert r.status_code == 400 and "password" in r.json()["error"]
        assert "soleus_session" not in c.cookies
    assert len(audit.entries(site.ctx, OPERATOR)) == before


async def test_bearer_tokens_read_and_write_scopes(site: Site) -> None:
    async with site.client() as c:
        r = await c.post("/api/tokens", json={"email": "a@example.org", "password": "wrong"})
        assert r.status_code == 401
        r = await c.post(
            "/api/tokens", json={"email": "a@example.org", "password": PASSWORD, "name": "watch"}
        )
        assert r.status_code == 201 and r.json()["scope"] == "read"
        read = {"authorization": f"Bearer {r.json()['token']}"}
        assert (await c.get("/api/history", headers=read)).status_code == 200
        r = await c.post("/api/logs", json={"pain": 2}, headers=read)
        assert r.status_code == 403 and "read" in r.json()["error"]
        history = (await c.get("/api/history", headers=read)).json()
        r = await c.post(
            "/api/tokens",
            json={"email": "a@example.org", "password": PASSWORD, "name": "app", "scope": "write"},
        )
        write = {"authorization": f"Bearer {r.json()['token']}"}
        r = await c.post("/api/logs", json={"pain": 2}, headers=write)  # no CSRF needed
        assert r.status_code == 201
        assert (await c.get("/api/history", headers=read)).json() != history
        r = await c.get("/api/history", headers={"authorization": "Bearer spu_forged"})
        assert r.status_code == 401
        listed = (await c.get("/api/tokens", headers=write)).json()
        assert sorted(t["name"] for t in listed) == ["app", "watch"]
        watch = next(t["id"] for t in listed if t["name"] == "watch")
        assert (await c.delete(f"/api/tokens/{watch}", headers=write)).status_code == 204
        assert (await c.get("/api/history", headers=read)).status_code == 401


async def test_accounts_mode_on_sqlite_needs_allow_sqlite(tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings = Settings.load(
        env={
            "SOLEUS_DATA_DIR": str(tmp_path),
            "SOLEUS_CONFIG_DIR": str(tmp_path),
            "SOLEUS_ACCOUNTS": "on",
        }
    )
    store = Store.open(settings.resolved_database_url)
    try:
        with pytest.raises(SoleusError, match="needs PostgreSQL"):
            create_app(settings, store, secret=b"x")
        create_app(settings, store, secret=b"x", allow_sqlite=True)
    finally:
        store.close()


async def test_two_instances_share_sessions_and_the_lock(site: Site) -> None:
    """Two apps over their own connections to one database: a session made on one is
    good on the other, and wrong passwords on both add up to one lock."""
    settings = site.ctx.settings
    second_store = Store.open(settings.resolved_database_url)
    try:
        second = create_app(
            settings, second_store, site.clock, secret=b"test-secret", allow_sqlite=True
        )
        other = Site(site.ctx, site.clock, second)
        async with site.client() as one, other.client() as two:
            await sign_in(one, "a@example.org")
            two.cookies.set("soleus_session", one.cookies["soleus_session"])
            assert (await two.get("/api/history")).status_code == 200
            fields = form_of((await one.get("/signin")).text)
            two.cookies.set("soleus_signin", one.cookies["soleus_signin"])
            form = {**fields, "email": "b@example.org", "password": "wrong wrong"}
            codes = [
                (await (one if i % 2 else two).post("/signin", data=form)).status_code
                for i in range(settings.signin_max_failures + 3)
            ]
            limit = settings.signin_max_failures
            assert codes == [401] * limit + [429] * 3
            r = await two.post("/signin", data={**form, "password": PASSWORD})
            assert r.status_code == 429
    finally:
        second_store.close()
