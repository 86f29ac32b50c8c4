"""Passkey calls with bad input: forged or expired state, unknown credential, junk."""

from __future__ import annotations

import pytest
from tests.web.accounts.acc_web import Site, csrf_of

pytestmark = pytest.mark.anyio


async def test_passkey_sign_in_refuses_forged_state_unknown_keys_and_junk(site: Site) -> None:
    async with site.client() as c:
        token = csrf_of((await c.get("/signin")).text)
        h = {"X-CSRF-Token": token}
        r = await c.post("/api/passkeys/signin/options", json={}, headers=h)
        assert r.status_code == 200
        state = r.json()["state"]
        options = r.json()["options"]
        assert options["rpId"] == "127.0.0.1" and options["challenge"]
        credential = {"id": "AAAA", "rawId": "AAAA", "type": "public-key", "response": {}}
        r = await c.post(
            "/api/passkeys/signin", json={"state": state, "credential": credential}, headers=h
        )
        assert r.status_code == 401 and "not known" in r.json()["error"]
        forged = state[:-4] + "0000"
        r = await c.post(
            "/api/passkeys/signin", json={"state": forged, "credential": credential}, headers=h
        )
        assert r.status_code == 401 and "not valid" in r.json()["error"]
        site.clock.advance(600)
        r = await c.post(
            "/api/passkeys/signin", json={"state": state, "credential": credential}, headers=h
        )
        assert r.status_code == 401 and "expired" in r.json()["error"]
        r = await c.post(
            "/api/passkeys/signin", json={"state": state, "credential": "junk"}, headers=h
        )
        assert r.status_code == 400
        r = await c.post("/api/passkeys/signin", json={}, headers={})
        assert r.status_code == 403  # no CSRF token
        assert "soleus_session" not in c.cookies


async def test_registering_needs_a_sign_in_and_a_valid_credential(site: Site) -> None:
    from tests.web.accounts.acc_web import sign_in

    async with site.client() as c:
        r = await c.post("/api/passkeys/register/options", json={})
        assert r.status_code == 401
        token = await sign_in(c, "a@example.org")
        h = {"X-CSRF-Token": token}
        r = await c.post("/api/passkeys/register/options", json={}, headers=h)
        assert r.status_code == 200
        body = r.json()
        assert body["options"]["user"]["name"] == "a@example.org"
        r = await c.post(
            "/api/passkeys",
            json={"state": body["state"], "credential": {"id": "x", "response": {}}},
            headers=h,
        )
        assert r.status_code == 400 and "could not be checked" in r.json()["error"]
        assert "No passkey yet" in (await c.get("/account")).text
