"""Invitation and reset pages, the account page, People and Audit."""

from __future__ import annotations

import re

import httpx
import pytest
from tests.web.accounts.acc_web import PASSWORD, Site, csrf_of, form_of, sign_in

pytestmark = pytest.mark.anyio


def _link(html: str) -> str:
    match = re.search(r'<code id="invite-link">https://soleus.example.org(/[^<]+)</code>', html)
    assert match, html[:2000]
    return match[1]


async def test_admin_invites_and_the_link_works_once(site: Site) -> None:
    async with site.client() as admin:
        token = await sign_in(admin, "admin@example.org")
        r = await admin.post(
            "/people/invite",
            data={
                "csrf_token": token,
                "email": "new@example.org",
                "role": "clinician",
                "org": "Clinic",
            },
        )
        assert r.status_code == 200
        path = _link(r.text)
    async with site.client() as new:
        page = await new.get(path)
        assert page.status_code == 200 and "new@example.org" in page.text
        form = {"csrf_token": csrf_of(page.text), "password": PASSWORD, "confirm": "other one!!"}
        r = await new.post(path, data=form)
        assert r.status_code == 400 and "differ" in r.text
        r = await new.post(path, data={**form, "confirm": PASSWORD})
        assert r.status_code == 303
        home = await new.get("/")  # a new account starts with the first-run welcome
        assert home.status_code == 303 and home.headers["location"] == "/welcome"
        welcome = await new.get("/welcome")
        assert "new@example.org" in welcome.text and 'href="/people"' in welcome.text
        assert (await new.get(path)).status_code == 410
        assert (await new.get(path[:-4] + "AAAA")).status_code == 404
        assert (await new.get("/invite/short")).status_code == 404


async def test_an_expired_invitation_is_410_and_creates_nothing(site: Site) -> None:
    async with site.client() as admin:
        token = await sign_in(admin, "admin@example.org")
        r = await admin.post(
            "/people/invite",
            data={
                "csrf_token": token,
                "email": "late@example.org",
                "role": "patient",
                "org": "Clinic",
            },
        )
        path = _link(r.text)
    site.clock.advance(8 * 86400)
    async with site.client() as late:
        page = await late.get("/signin")
        r = await late.post(
            path, data={"csrf_token": csrf_of(page.text), "password": PASSWORD, "confirm": PASSWORD}
        )
        assert r.status_code == 410 and "expired" in r.text
        page = await late.get("/signin")
        r = await late.post(
            "/signin",
            data={
                **form_of(page.text),
                "email": "late@example.org",
                "password": PASSWORD,
            },
        )
        assert r.status_code == 401


async def test_patients_may_not_see_people_or_audit(
    site: Site, as_a: tuple[httpx.AsyncClient, str]
) -> None:
    a, token = as_a
    assert (await a.get("/people")).status_code == 403
    assert (await a.get("/audit")).status_code == 403
    assert (await a.get("/audit.csv")).status_code == 403
    r = await a.post(
        "/people/invite",
        data={"csrf_token": token, "email": "x@example.org", "role": "patient", "org": "Clinic"},
    )
    assert r.status_code == 403
    home = await a.get("/", follow_redirects=True)
    assert 'href="/people"' not in home.text and 'href="/audit"' not in home.text


async def test_clinician_sees_their_patients_only(site: Site) -> None:
    async with site.client() as doc:
        await sign_in(doc, "doc@example.org")
        page = await doc.get("/people")
        assert page.status_code == 200
        assert "a@example.org" in page.text and "b@example.org" not in page.text


async def test_admin_disables_and_resets_and_the_audit_csv_says_so(site: Site) -> None:
    async with site.client() as b:
        await sign_in(b, "b@example.org")
        async with site.client() as admin:
            token = await sign_in(admin, "admin@example.org")
            r = await admin.post(
                "/people/disable", data={"csrf_token": token, "email": "b@example.org"}
            )
            assert r.status_code == 200 and "b@example.org is disabled" in r.text
            assert (await b.get("/api/history")).status_code == 401
            r = await admin.post(
                "/people/reset", data={"csrf_token": token, "email": "b@example.org"}
            )
            assert "/reset/" in _link(r.text)
            page = await admin.get("/audit")
            assert (
                "<td>admin@example.org</td><td>account.disabled</td><td>b@example.org</td>"
                in page.text
            )
            csv = await admin.get("/audit.csv")
            assert csv.status_code == 200
            assert csv.headers["content-type"].startswith("text/csv")
            lines = csv.text.splitlines()
            assert lines[0] == "at,actor,action,target,org,ip,detail"
            assert any(",account.disabled," in line for line in lines)
            assert any(",reset.issued," in line for line in lines)


async def test_account_page_tokens_and_sign_out_everywhere(site: Site) -> None:
    async with site.client() as other:
        await sign_in(other, "a@example.org")
        async with site.client() as a:
            token = await sign_in(a, "a@example.org")
            page = await a.get("/account")
            assert page.status_code == 200 and "this one" in page.text
            assert page.text.count("Sign out</button>") >= 1
            r = await a.post(
                "/account/token", data={"csrf_token": token, "name": "watch", "scope": "read"}
            )
            new = re.search(r'<code id="new-token">([^<]+)</code>', r.text)
            assert new
            bearer = {"authorization": f"Bearer {new[1]}"}
            assert (await a.get("/api/history", headers=bearer)).status_code == 200
            r = await a.post(
                "/account/password",
                data={"csrf_token": token, "old": "wrong", "new": "x" * 12, "confirm": "x" * 12},
            )
            assert r.status_code == 401
            r = await a.post("/signout?everywhere=1", data={"csrf_token": token})
            assert r.status_code == 303
            assert (await other.get("/api/history")).status_code == 401
            assert (await a.get("/api/history")).status_code == 401


async def test_only_admins_change_what_everyone_shares(
    site: Site, as_a: tuple[httpx.AsyncClient, str]
) -> None:
    a, token = as_a
    h = {"X-CSRF-Token": token}
    routine = 'id = "mine"\nname = "Mine"\n[[blocks]]\nexercise = "soleus-pushup"\n'
    refused = [
        await a.post("/snacks/settings", data={"csrf_token": token, "target": "5"}),
        await a.post("/api/routines", json={"toml": routine}, headers=h),
        await a.post("/routines/delete", data={"csrf_token": token, "kind": "routine", "id": "x"}),
        await a.post("/routines/routine/desk/delete", data={"csrf_token": token}),
    ]
    for r in refused:
        assert r.status_code == 403, (r.request.url, r.status_code)
        assert "only an admin" in r.text
    assert not (site.ctx.settings.config_dir / "routines" / "mine.toml").exists()
    # Reading them and drafting a routine stay open to everyone.
    assert (await a.get("/api/routines")).status_code == 200
    async with site.client() as admin:
        admin_token = await sign_in(admin, "admin@example.org")
        r = await admin.post(
            "/api/routines", json={"toml": routine}, headers={"X-CSRF-Token": admin_token}
        )
        assert r.status_code in (200, 201), r.text
