"""Prescribing on the web: the clinician's form for their own patient (404 for anyone
else), a bad field named with a 400 and nothing saved, and the patient's Today and
player taking the prescribed plan."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import httpx
import pytest
from tests.web.accounts.acc_web import Clinic, Site, csrf_of, sign_in

from soleus.services.accounts import access, audit
from soleus.services.accounts.actor import OPERATOR
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


class Fields(HTMLParser):
    """The fields a browser without JavaScript would send from the page's prescribe form."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self.inside = False
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = a.get("id") == "prescribe"
        if not self.inside or "name" not in a:
            if (
                tag == "option"
                and self.select
                and ("selected" in a or self.select not in self.values)
            ):
                self.values[self.select] = a.get("value", "")
            return
        if tag == "input" and a.get("type") not in ("checkbox", "radio", "submit", "search"):
            self.values[a["name"]] = a.get("value", "")
        elif tag == "input" and a.get("type") in ("checkbox", "radio") and "checked" in a:
            self.values[a["name"]] = a.get("value", "on")
        elif tag == "select":
            self.select = a["name"]
        elif tag == "textarea":
            self.textarea = a["name"]
            self.values[a["name"]] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data: str) -> None:
        if self.textarea:
            self.values[self.textarea] += data


def fields_of(html: str) -> dict[str, str]:
    parser = Fields()
    parser.feed(html)
    return parser.values


async def press(doc: httpx.AsyncClient, path: str, html: str, action: str, **typed: str) -> str:
    """Fill ``typed`` into the page's form and press the button ``action`` (no JS)."""
    r = await doc.post(path, data={**fields_of(html), **typed, "action": action})
    assert r.status_code == 200, r.text[:300]
    return r.text


async def test_the_clinician_builds_a_progressing_plan_without_javascript(
    site: Site, people: Clinic, as_a: tuple[httpx.AsyncClient, str]
) -> None:
    """Add two exercises from the library, move them, add and remove steps, mark a bad
    field, save; the patient's Today and player take the plan."""
    path = f"/patients/{people.patient_a.person_id}/prescribe"
    async with site.client() as doc:
        await sign_in(doc, "doc@example.org")
        assert path in (await doc.get("/people")).text
        page = (await doc.get(path)).text
        assert 'id="blocks-empty" class="muted">' in page and 'value="2026-03-02"' in page
        page = await press(doc, path, page, "add:wall-calf-stretch")
        page = await press(doc, path, page, "add:soleus-pushup")
        assert 'id="b1-title" tabindex="-1" autofocus>2. Seated soleus pushup' in page
        page = await press(doc, path, page, "up:1")
        assert "1. Seated soleus pushup" in page and 'id="b0-move-up" autofocus' in page
        page = await press(doc, path, page, "add-step:0", **{"b0-s0-sets": "2", "b0-s0-reps": "12"})
        page = await press(doc, path, page, "add-step:0")
        page = await press(doc, path, page, "remove-step:0:2")
        assert 'name="b0-s1-week"' in page and 'name="b0-s2-week"' not in page
        ids = re.findall(r'\sid="([^"]+)"', page)
        assert len(ids) == len(set(ids)), [i for i in ids if ids.count(i) > 1]
        bad = {"b0-s1-week": "1", "b1-s0-hold_s": "0", "notes": "At the desk."}
        r = await doc.post(path, data={**fields_of(page), **bad, "action": "save"})
        assert r.status_code == 400
        assert "Not saved: Seated soleus pushup, step 2, from week: weeks overlap" in r.text
        assert 'id="b1-s0-hold_s-error">' in r.text and "1 more problem marked below" in r.text
        assert plan.current(access.context_for(site.ctx, people.patient_a, write=False)) is None
        good = {
            **fields_of(r.text),
            "b0-s1-week": "3",
            "b0-s1-when": "week",
            "b0-s1-kind": "bout",
            "b0-s1-minutes": "5",
            "b0-s1-sides": "alternate",
            "b1-s0-hold_s": "30",
            "per_day": "2",
        }
        r = await doc.post(path, data={**good, "action": "save"})
        assert r.status_code == 303 and r.headers["location"] == f"{path}?saved=1"
        saved = await doc.get(r.headers["location"])
        assert (
            "Seated soleus pushup: weeks 1–2: 2 × 12 per leg;"
            " from week 3: 2 × 5 min bout at 50/min alternating" in saved.text
        )
        assert "Wall calf stretch: from week 1: 1 × 30 s per leg" in saved.text
        assert 'value="2026-03-02"' in saved.text  # the next plan starts as this one
    a, a_token = as_a
    today = await a.get("/")
    assert "Your prescribed plan" in today.text and "At the desk" in today.text
    assert 'href="/player?routine=prescribed"' in today.text
    assert (await a.get(path)).status_code == 404  # a patient does not prescribe
    r = await a.get("/api/routines/prescribed/plan")
    assert r.status_code == 200, r.text
    assert len(r.json()["sets"]) == 6  # 2 x 12 x 2 legs, then a hold x 2 legs
    r = await a.post(
        "/api/sessions", json={"routine_id": "prescribed"}, headers={"X-CSRF-Token": a_token}
    )
    assert r.status_code == 201, r.text


async def test_a_plan_starts_from_a_routine_and_the_draft_api_names_each_problem(
    site: Site, people: Clinic
) -> None:
    path = f"/patients/{people.patient_a.person_id}/prescribe"
    api = f"/api/patients/{people.patient_a.person_id}/prescribe/draft"
    async with site.client() as doc:
        token = await sign_in(doc, "doc@example.org")
        page = (await doc.get(path)).text
        r = await doc.post(path, data={**fields_of(page), "from": "desk", "action": "start-from"})
        assert r.status_code == 303 and r.headers["location"] == f"{path}?from=desk"
        page = (await doc.get(r.headers["location"])).text
        desk = site.ctx.routines["desk"]
        assert page.count('class="block card"') == len(desk.blocks)
        fields = fields_of(page)
        headers = {"X-CSRF-Token": token}
        audited = len(audit.entries(site.ctx, OPERATOR))
        r = await doc.post(api, json=fields, headers=headers)
        assert r.status_code == 200 and r.json()["ok"] is True, r.text
        assert r.json()["estimate"].startswith("A session on the first day takes about")
        bad = {**fields, "end": "2026-03-01", "b0-s0-sets": "0", "day-mon": ""}
        for day in ("tue", "wed", "thu", "fri"):
            bad.pop(f"day-{day}", None)
        r = await doc.post(api, json=bad, headers=headers)
        answer = r.json()
        keys = {p["key"]: p["message"] for p in answer["problems"]}
        assert answer["ok"] is False and {"b0-s0-sets", "end", "days"} <= set(keys), answer
        assert keys["end"] == "the end date is before the start date"
        odd = {**fields, "start": "9999-12-31", "per_day": "\u00b2", "order": "\u00b2,0"}
        r = await doc.post(api, json=odd, headers=headers)
        odd_keys = {p["key"] for p in r.json()["problems"]}
        assert r.status_code == 200 and {"start", "per_day"} <= odd_keys, r.text
        assert len(audit.entries(site.ctx, OPERATOR)) == audited  # checks read no records
        r = await doc.post(path, data={**fields, "action": "up:\u00b2"})
        assert r.status_code == 200  # an odd button changes nothing
        full = {**fields, "order": ",".join(str(k) for k in range(20))}
        full.update({f"b{k}-exercise": "soleus-pushup" for k in range(20)})
        r = await doc.post(path, data={**full, "action": "add:wall-calf-stretch"})
        assert r.status_code == 400 and "exercises: a plan has at most 20" in r.text
        r = await doc.post(api, json={"start": 3}, headers=headers)
        assert r.status_code == 400 and "each a string" in r.text
        assert (await doc.get(f"{path}?from=no-such")).status_code == 404
        assert (await doc.post(api, json=fields)).status_code == 403  # no CSRF header
    assert plan.current(access.context_for(site.ctx, people.patient_a, write=False)) is None


async def test_the_clinician_stops_the_plan_after_confirming_and_today_falls_back(
    site: Site, people: Clinic, as_a: tuple[httpx.AsyncClient, str]
) -> None:
    form = {**FORM, "days": "mon,tue,wed,thu,fri"}
    plan.prescribe(site.ctx, people.clinician, people.patient_a.person_id, form)
    path = f"/patients/{people.patient_a.person_id}/prescribe"
    a, _ = as_a
    assert "Your prescribed plan" in (await a.get("/")).text
    async with site.client() as doc:
        token = await sign_in(doc, "doc@example.org")
        page = (await doc.get(path)).text
        assert f'href="{path}/stop">Stop this plan</a>' in page
        again = (await doc.get(f"{path}?from=current")).text  # the next plan starts as this
        assert '<option value="current">' in again
        assert 'name="b0-exercise" value="soleus-pushup"' in again
        assert 'name="b0-s1-week" data-week type="number"' in again and 'value="3"' in again
        confirm = await doc.get(f"{path}/stop")
        assert confirm.status_code == 200 and "Yes, stop this plan" in confirm.text
        assert plan.current(access.context_for(site.ctx, people.patient_a, write=False))
        r = await doc.post(f"{path}/stop", data={"csrf_token": token})
        assert r.status_code == 303 and r.headers["location"] == f"{path}?stopped=1"
        page = (await doc.get(r.headers["location"])).text
        assert 'id="stopped"' in page and "Stop this plan" not in page
        assert (await doc.get(f"{path}/stop")).status_code == 404  # nothing left to stop
        r = await doc.post(f"{path}/stop", data={"csrf_token": "forged"})  # refused
        assert r.status_code == 403
        r = await doc.post(f"{path}/stop", data={"csrf_token": token})
        assert r.status_code == 404 and "no current plan to stop" in r.text
    today = (await a.get("/")).text
    assert "Your prescribed plan" not in today and 'href="/player?routine=desk"' in today
    r = await a.post(
        f"{path}/stop", data={"csrf_token": csrf_of(today)}
    )  # a patient may not stop it either
    assert r.status_code == 404
    stops = [e for e in audit.entries(site.ctx, OPERATOR) if e.action == "prescription.stopped"]
    assert [(e.actor_id, e.target_id) for e in stops] == [
        (people.clinician.person_id, people.patient_a.person_id)
    ]


async def test_no_one_else_reaches_a_patients_prescribe_form(site: Site, people: Clinic) -> None:
    mine = f"/patients/{people.patient_a.person_id}/prescribe"
    not_mine = f"/patients/{people.patient_b.person_id}/prescribe"
    async with site.client() as doc:
        token = await sign_in(doc, "doc@example.org")
        assert (await doc.get(not_mine)).status_code == 404
        own_form = fields_of((await doc.get(mine)).text)
        for action in ("save", "check", "add:soleus-pushup"):
            r = await doc.post(not_mine, data={**own_form, "csrf_token": token, "action": action})
            assert r.status_code == 404
        for url in (f"{not_mine}/stop", "/api/patients/nobody/prescribe/draft"):
            r = await doc.post(url, data={"csrf_token": token}, headers={"X-CSRF-Token": token})
            assert r.status_code == 404, url
        r = await doc.post(
            f"/api/patients/{people.patient_b.person_id}/prescribe/draft",
            json=own_form,
            headers={"X-CSRF-Token": token},
        )
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
