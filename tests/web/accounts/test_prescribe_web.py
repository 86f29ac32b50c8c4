"""Prescribing on the web: the clinician's form for their own patient (404 for anyone
else), a bad field named with a 400 and nothing saved, and the patient's Today and
player taking the prescribed plan."""

from __future__ import annotations

import re

import httpx
import pytest
from tests.web.accounts.acc_web import Clinic, Site, sign_in

from soleus.services.accounts import access
from soleus.services.prescriptions import plan

pytestmark = pytest.mark.anyio

# The clinic's clock starts on Monday 2 March 2026.
FORM = {
    "start": "2026-03-02",
    "per_day": "2",
    "advance": "date",
    "notes": "At the desk, mid-morning and mid-afternoon.",
    **{f"day-{d}": "on" for d in ("mon", "tue", "wed", "thu", "fri")},
    "exercise-0": "soleus-pushup",
    "exercise-0-step-0-weeks": "1-2",
    "exercise-0-step-0-kind": "reps",
    "exercise-0-step-0-sets": "2",
    "exercise-0-step-0-reps": "12",
    "exercise-0-step-0-sides": "each",
    "exercise-0-step-1-weeks": "3-",
    "exercise-0-step-1-kind": "bout",
    "exercise-0-step-1-seconds": "300",
    "exercise-0-step-1-sides": "alternate",
}


async def test_the_clinician_prescribes_and_the_patient_plays_it(
    site: Site, people: Clinic, as_a: tuple[httpx.AsyncClient, str]
) -> None:
    path = f"/patients/{people.patient_a.person_id}/prescribe"
    async with site.client() as doc:
        token = await sign_in(doc, "doc@example.org")
        assert path in (await doc.get("/people")).text
        assert (await doc.get(path)).status_code == 200
        bad = {**FORM, "csrf_token": token, "exercise-0-step-1-weeks": "2-"}
        r = await doc.post(path, data=bad)
        assert r.status_code == 400 and "exercise-0-step-1: weeks overlap" in r.text
        assert plan.current(access.context_for(site.ctx, people.patient_a, write=False)) is None
        r = await doc.post(path, data={**FORM, "csrf_token": token})
        assert r.status_code == 303 and r.headers["location"] == f"{path}?saved=1"
        saved = await doc.get(r.headers["location"])
        assert "weeks 1–2: 2 × 12 per leg; from week 3: 1 × 5 min bout" in saved.text
    a, a_token = as_a
    today = await a.get("/")
    assert "Your prescribed plan" in today.text and "At the desk" in today.text
    assert 'href="/player?routine=prescribed"' in today.text
    assert (await a.get(path)).status_code == 404  # a patient does not prescribe
    r = await a.post("/prescribed/emails", data={"csrf_token": a_token, "on": "1"})
    assert r.status_code == 303
    assert "Stop the emails about missed sessions" in (await a.get("/")).text
    r = await a.get("/api/routines/prescribed/plan")
    assert r.status_code == 200, r.text
    assert len(r.json()["sets"]) == 4  # 2 sets x 2 legs
    r = await a.post(
        "/api/sessions", json={"routine_id": "prescribed"}, headers={"X-CSRF-Token": a_token}
    )
    assert r.status_code == 201, r.text


async def test_no_one_else_reaches_a_patients_prescribe_form(site: Site, people: Clinic) -> None:
    mine = f"/patients/{people.patient_a.person_id}/prescribe"
    not_mine = f"/patients/{people.patient_b.person_id}/prescribe"
    async with site.client() as doc:
        token = await sign_in(doc, "doc@example.org")
        assert (await doc.get(not_mine)).status_code == 404
        r = await doc.post(not_mine, data={**FORM, "csrf_token": token})
        assert r.status_code == 404
        assert (await doc.get("/patients/nobody/prescribe")).status_code == 404
    async with site.client() as admin:
        await sign_in(admin, "admin@example.org")
        assert (await admin.get(mine)).status_code == 404
    async with site.client() as anonymous:
        assert (await anonymous.get(mine)).status_code == 303  # to the sign-in
    ctx_b = access.context_for(site.ctx, people.patient_b, write=False)
    assert plan.current(ctx_b) is None


async def test_the_calendar_feed_works_by_its_secret_until_replaced_or_revoked(
    site: Site, people: Clinic, as_a: tuple[httpx.AsyncClient, str]
) -> None:
    form = {**FORM, "days": "mon,tue,wed,thu,fri"}
    plan.prescribe(site.ctx, people.clinician, people.patient_a.person_id, form)
    a, a_token = as_a

    async def new_link() -> str:
        r = await a.post("/prescribed/calendar", data={"csrf_token": a_token, "action": "create"})
        assert r.status_code == 200
        match = re.search(r'<code id="feed-url">https://soleus.example.org(/[^<]+)</code>', r.text)
        assert match, r.text[:500]
        return match[1]

    first = await new_link()
    async with site.client() as calendar_app:  # no sign-in
        r = await calendar_app.get(first)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/calendar")
        body = r.text.replace("\r\n ", "")
        assert body.count("BEGIN:VEVENT") == 20  # 4 weeks of Monday to Friday
        assert "DTSTART;VALUE=DATE:20260302" in body and "2 × 12 per leg" in body
        assert (await calendar_app.get(first[:-8] + "xxxx.ics")).status_code == 404
        second = await new_link()
        assert (await calendar_app.get(first)).status_code == 404  # replaced
        assert (await calendar_app.get(second)).status_code == 200
        r = await a.post("/prescribed/calendar", data={"csrf_token": a_token, "action": "revoke"})
        assert r.status_code == 200
        assert (await calendar_app.get(second)).status_code == 404
