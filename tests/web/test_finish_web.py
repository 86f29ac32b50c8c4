"""GET /api/sessions/{id}/summary: the finish screen's figures come from the server."""

from __future__ import annotations

import pytest
from tests.web.web_helpers import Web

pytestmark = pytest.mark.anyio


async def test_the_summary_of_a_session_played_through_the_api(web: Web) -> None:
    await web.pass_screen()
    r = await web.post("/api/sessions", {"routine_id": "desk"})
    sid, plan = r.json()["id"], r.json()["plan"]
    for item, reps in zip(plan["sets"], (10, 9, 10, 8, 10, 10), strict=True):
        web.clock.advance(45)
        await web.post(
            f"/api/sessions/{sid}/sets", {"plan_index": item["index"], "actual_reps": reps}
        )
    r = await web.client.get(f"/api/sessions/{sid}/summary")
    assert r.status_code == 200
    got = r.json()
    assert got["status"] == "finished"
    rows = [
        (e["name"], e["side_words"], e["done"], e["planned"], e["done_words"], e["planned_words"])
        for e in got["exercises"]
    ]
    assert rows == [
        ("Seated soleus pushup", "left", 30, 30, "30 reps", "30 reps"),
        ("Seated soleus pushup", "right", 27, 30, "27 reps", "30 reps"),
    ]
    assert (got["worked_s"], got["worked_words"]) == (270, "4.5 min")
    assert got["next"]["kind"] in ("snack", "none")

    # Pain 6 after the session: the next step is the day's rest, in the day's words.
    r = await web.post(f"/api/sessions/{sid}/finish", {"effort": 5, "pain": 6})
    advice = r.json()["advice"]
    got = (await web.client.get(f"/api/sessions/{sid}/summary")).json()
    assert (got["effort"], got["pain"]) == (5, 6)
    assert got["next"]["kind"] in ("rest", "stopped") and got["next"]["words"] == advice


async def test_the_summary_of_an_unknown_session_is_404(web: Web) -> None:
    r = await web.client.get("/api/sessions/nope/summary")
    assert r.status_code == 404
    assert "nope" in r.json()["error"]
