"""Accounts mode and the first-run welcome: a new patient meets it once, before Today."""

from __future__ import annotations

import pytest
from tests.web.accounts.acc_web import PASSWORD, Site, csrf_of, form_of

from soleus.services.accounts import links
from soleus.services.accounts.actor import OPERATOR

pytestmark = pytest.mark.anyio


async def test_a_new_patient_is_welcomed_once_then_lands_on_today(site: Site) -> None:
    issued = links.invite(site.ctx, OPERATOR, email="new@example.org", role="patient", org="Clinic")
    links.accept(site.ctx, issued.url.rsplit("/", 1)[1], password=PASSWORD)
    async with site.client() as c:
        page = await c.get("/signin")
        form = {**form_of(page.text), "email": "new@example.org"}
        r = await c.post("/signin", data={**form, "password": PASSWORD, "next": "/"})
        assert r.status_code == 303
        home = await c.get("/")
        assert home.status_code == 303 and home.headers["location"] == "/welcome"
        welcome = await c.get("/welcome")
        r = await c.post("/welcome/skip", data={"csrf_token": csrf_of(welcome.text)})
        assert r.status_code == 303
        assert (await c.get("/")).status_code == 200
