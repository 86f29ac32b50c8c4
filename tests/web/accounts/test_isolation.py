"""Patient B gets 404 for patient A's ids on every route that takes a person's id, and
nothing of A's changes; A's clinician's own pages show the clinician's data only."""

from __future__ import annotations

import httpx
import pytest
from tests.web.accounts.acc_web import Clinic, Site

from soleus.services.accounts import access
from soleus.services.recordings import live
from soleus.services.sessions import guided

pytestmark = pytest.mark.anyio


async def _a_session(client: httpx.AsyncClient, token: str) -> str:
    r = await client.post(
        "/api/sessions", json={"routine_id": "desk"}, headers={"X-CSRF-Token": token}
    )
    assert r.status_code == 201, r.text
    session_id = r.json()["id"]
    r = await client.post(
        f"/api/sessions/{session_id}/sets",
        json={"plan_index": 0, "actual_reps": 10},
        headers={"X-CSRF-Token": token},
    )
    assert r.status_code == 201, r.text
    return str(session_id)


async def test_patient_b_gets_404_for_patient_a_ids(
    site: Site,
    people: Clinic,
    as_a: tuple[httpx.AsyncClient, str],
    as_b: tuple[httpx.AsyncClient, str],
) -> None:
    a, a_token = as_a
    b, b_token = as_b
    await a.post(
        "/screen",
        data={
            "csrf_token": a_token,
            "next": "/",
            "one_calf_swollen": "no",
            "breathless": "no",
            "heel_pop": "no",
            "no_tiptoe": "no",
        },
    )
    session_id = await _a_session(a, a_token)
    ctx_a = access.context_for(site.ctx, people.patient_a, write=True)
    stream_id = live.start(ctx_a, "sensorlogger")
    before = (await a.get(f"/api/sessions/{session_id}")).json()
    h = {"X-CSRF-Token": b_token}
    attempts = [
        ("GET", f"/api/sessions/{session_id}", None),
        ("POST", f"/api/sessions/{session_id}/sets", {"plan_index": 1, "actual_reps": 10}),
        ("POST", f"/api/sessions/{session_id}/finish", {"effort": 5}),
        ("GET", f"/api/live/{stream_id}", None),
        ("POST", f"/api/live/{stream_id}/stop", None),
        ("POST", f"/api/live/{stream_id}/save", None),
        ("GET", f"/player/{session_id}", None),
    ]
    for method, path, body in attempts:
        r = await b.request(method, path, json=body, headers=h)
        assert r.status_code == 404, (path, r.status_code, r.text[:200])
    token_id = (await a.get("/api/tokens")).json()
    r = await a.post(
        "/api/tokens", json={"email": "a@example.org", "password": "correct horse battery"}
    )
    listed = (await a.get("/api/tokens")).json()
    assert len(listed) == len(token_id) + 1
    r = await b.delete(f"/api/tokens/{listed[0]['id']}", headers=h)
    assert r.status_code == 404
    # Nothing of A's changed, and B's own views show none of it.
    assert (await a.get(f"/api/sessions/{session_id}")).json() == before
    assert live.get(ctx_a, stream_id)["status"] == "active"
    assert len((await a.get("/api/tokens")).json()) == len(listed)
    assert (await b.get("/api/sessions/active")).json()["session"] is None
    b_history = (await b.get("/api/history")).json()
    assert session_id not in str(b_history)
    assert session_id in str((await a.get("/api/history")).json())


async def test_the_clinician_may_act_on_their_patient_only(site: Site, people: Clinic) -> None:
    ctx_a = access.context_for(site.ctx, people.patient_a, write=True)
    session_id = guided.start(ctx_a, ctx_a.get_routine("desk"))
    seen = access.context_for(site.ctx, people.clinician, people.patient_a.person_id, write=False)
    assert guided.view(seen, session_id)[0]["id"] == session_id
    from soleus.errors import NotFound

    with pytest.raises(NotFound):
        access.context_for(site.ctx, people.clinician, people.patient_b.person_id, write=False)
    ctx_b = access.context_for(site.ctx, people.patient_b, write=False)
    with pytest.raises(NotFound):
        guided.view(ctx_b, session_id)
