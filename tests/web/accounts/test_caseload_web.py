"""The caseload, its CSV and a patient's page: the clinician sees their own patients
only (404 or 403 for anyone else, per route), a red flag at once, sortable columns."""

from __future__ import annotations

import csv
import io

import httpx
import pytest
from tests.web.accounts.acc_web import Clinic, Site, sign_in

from soleus.services.accounts import access
from soleus.services.prescriptions import plan
from soleus.services.recordings import library as recordings
from soleus.services.recordings import live
from soleus.services.safety import screen
from soleus.services.sessions import guided
from soleus.signal.recording import Recording
from soleus.signal.simulate import Event, RepSet, Rest, Sensors, simulate
from soleus.signal.writers import WRITERS

pytestmark = pytest.mark.anyio

FORM = {
    "start": "2026-03-02",
    "days": "mon,tue,wed,thu,fri",
    "per_day": "2",
    "exercise-0": "soleus-pushup",
    "exercise-0-step-0-weeks": "1-",
    "exercise-0-step-0-sets": "2",
    "exercise-0-step-0-reps": "10",
}


def _a_did_a_session(site: Site, people: Clinic) -> None:
    plan.prescribe(site.ctx, people.clinician, people.patient_a.person_id, FORM)
    ctx_a = access.context_for(site.ctx, people.patient_a, write=True)
    session = guided.start(ctx_a, ctx_a.routines["desk"])
    guided.record(ctx_a, session, plan_index=0, actual_reps=10, actual_seconds=None, skipped=False)
    guided.finish(ctx_a, session, effort=6, pain=2)


async def test_the_caseload_lists_own_patients_with_their_week(site: Site, people: Clinic) -> None:
    _a_did_a_session(site, people)
    async with site.client() as doc:
        await sign_in(doc, "doc@example.org")
        page = await doc.get("/caseload")
        assert page.status_code == 200
        assert "a@example.org" in page.text and "b@example.org" not in page.text
        assert 'href="/caseload"' in page.text  # in the navigation
        r = await doc.get("/caseload.csv?sort=sessions_done&order=desc")
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(r.text)))
        assert [row["patient"] for row in rows] == ["a@example.org"]
        (a,) = rows
        assert a["sessions_done"] == "1" and a["sessions_planned"] == "2"  # Monday only
        assert a["reps_left"] == "10" and a["reps_planned_per_side"] == "40"
        assert a["sets_self_reported"] == "1" and a["sets_verified"] == "0"
        assert (
            a["pain_worst"] == "2"
            and a["effort_mean"] == "6.00"
            and a["adherence"] == "0.50"
            and a["red_flag_on"] == ""
        )
        assert (await doc.get("/caseload?sort=nonsense")).status_code == 400
        patient = await doc.get(f"/patients/{people.patient_a.person_id}")
        assert patient.status_code == 200 and "Week by week" in patient.text
        assert 'id="red-flag"' not in patient.text
        # named as on the caseload (an invited person's record is named by its id)
        assert "<h1>a@example.org</h1>" in patient.text
        assert f"<h1>{people.patient_a.person_id}" not in patient.text
        prescribe = await doc.get(f"/patients/{people.patient_a.person_id}/prescribe")
        assert prescribe.status_code == 200 and "· a@example.org</span></h1>" in prescribe.text


async def test_a_red_flag_shows_at_once_with_its_date(site: Site, people: Clinic) -> None:
    _a_did_a_session(site, people)
    ctx_a = access.context_for(site.ctx, people.patient_a, write=True)
    answers = {"one_calf_swollen": True, "breathless": False, "heel_pop": False, "no_tiptoe": False}
    screen.record_screen(ctx_a, answers)
    async with site.client() as doc:
        await sign_in(doc, "doc@example.org")
        page = await doc.get("/caseload")
        assert "red flag 2026-03-02" in page.text and 'class="flagged"' in page.text
        patient = await doc.get(f"/patients/{people.patient_a.person_id}")
        assert 'id="red-flag"' in patient.text and "2026-03-02" in patient.text


async def test_no_one_else_sees_a_patient_or_a_caseload(
    site: Site, people: Clinic, as_a: tuple[httpx.AsyncClient, str]
) -> None:
    a, _ = as_a
    a_page = f"/patients/{people.patient_a.person_id}"
    assert (await a.get("/caseload")).status_code == 403
    assert (await a.get("/caseload.csv")).status_code == 403
    assert (await a.get(a_page)).status_code == 404  # a patient's page is their clinician's
    async with site.client() as doc:
        await sign_in(doc, "doc@example.org")
        assert (await doc.get(f"/patients/{people.patient_b.person_id}")).status_code == 404
        assert (await doc.get("/patients/nobody")).status_code == 404
    async with site.client() as admin:
        await sign_in(admin, "admin@example.org")
        assert (await admin.get("/caseload")).status_code == 403
        assert (await admin.get(a_page)).status_code == 404
    async with site.client() as anonymous:
        assert (await anonymous.get("/caseload")).status_code == 303
        assert (await anonymous.get("/caseload.csv")).status_code == 303


def _sets(rest: float, *reps: int) -> Recording:
    """Sets of soleus pushups (reps each) ``rest`` seconds apart, simulated at 100 Hz."""
    parts: list[Event] = [Rest(4)]
    for n in reps:
        parts += [RepSet(n, 30, 5.0), Rest(rest)]
    return simulate(parts, Sensors(rate_hz=100.0), seed=11).recording


async def test_sets_counted_by_a_recording_or_live_are_verified(site: Site, people: Clinic) -> None:
    """Verified: an uploaded phone recording's sets and a live-counted stream's, once
    saved; self-reported: the player's sets (what the patient typed or confirmed)."""
    plan.prescribe(site.ctx, people.clinician, people.patient_a.person_id, FORM)
    ctx_a = access.context_for(site.ctx, people.patient_a, write=True)
    uploaded = _sets(30, 8, 6)
    logged = recordings.log(ctx_a, WRITERS["phyphox-zip"][1](uploaded), "up.zip", side="left")
    assert logged.sets == (8, 6)
    stream = live.start(ctx_a, "sensorlogger", side="right")
    streamed = _sets(30, 7)
    live.append(
        ctx_a,
        stream,
        t_acc=streamed.t_acc,
        acc=streamed.acc,
        t_gyro=streamed.t_gyro,
        gyro=streamed.gyro,
    )
    counted = live.save(ctx_a, stream)
    assert counted.sets == (7,)
    session = guided.start(ctx_a, ctx_a.routines["desk"])
    guided.record(ctx_a, session, plan_index=0, actual_reps=10, actual_seconds=None, skipped=False)
    async with site.client() as doc:
        await sign_in(doc, "doc@example.org")
        r = await doc.get("/caseload.csv")
    (a,) = list(csv.DictReader(io.StringIO(r.text)))
    assert (a["sets_verified"], a["sets_self_reported"]) == ("3", "1")
    assert (a["reps_left"], a["reps_right"]) == ("24", "7")  # 8 + 6 + the player's 10
