"""The Today page and the session API know the day: what was done against the plan, the
unfinished session (Resume, Start over), earlier days' sessions abandoned, local times."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.required import require_module
from tests.web.web_helpers import Web

from soleus.settings import Settings

pytestmark = pytest.mark.anyio


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """09:00 UTC on Monday 2 March (the web tests' clock) is 01:00 in Los Angeles."""
    return Settings.load(
        env={
            "SOLEUS_DATA_DIR": str(tmp_path / "data"),
            "SOLEUS_CONFIG_DIR": str(tmp_path / "config"),
            "SOLEUS_TIMEZONE": "America/Los_Angeles",
        }
    )


async def two_of_six(web: Web) -> str:
    r = await web.post("/api/sessions", {"routine_id": "desk"})
    assert r.status_code == 201
    sid = str(r.json()["id"])
    for i in (0, 1):
        r = await web.post(f"/api/sessions/{sid}/sets", {"plan_index": i, "actual_reps": 10})
        assert r.status_code == 201
    return sid


async def test_today_shows_what_was_done_and_offers_resume(web: Web) -> None:
    sid = await two_of_six(web)
    r = await web.post(
        "/api/logs", {"exercise_id": "soleus-pushup", "amount": "1x10", "side": "right"}
    )
    assert r.status_code == 201
    page = (await web.client.get("/")).text
    assert "Desk break is unfinished:</strong> 2 of 6 sets done (started 01:00)" in page
    assert "goes on at set 3 of 6" in page
    assert f'href="/player/{sid}">Resume Desk break</a>' in page
    assert 'href="/player?routine=desk">Start over</a>' in page
    assert ">Start</a>" not in page  # not the usual plan's Start, as if nothing was done
    rows = page.split('id="done-today"')[1].split("</table>")[0]
    assert '<td>left</td><td class="num">1</td><td class="num">3</td>' in rows
    assert '<td>right</td><td class="num">2</td><td class="num">3</td>' in rows
    assert "Left of today's plan: 3 sets." in page and "Quick logs today: 1." in page


async def test_starting_a_routine_with_an_unfinished_session_offers_it(web: Web) -> None:
    sid = await two_of_six(web)
    r = await web.post("/api/sessions", {"routine_id": "desk"})
    assert r.status_code == 409
    unfinished = r.json()["unfinished"]
    assert unfinished["session"]["id"] == sid and unfinished["done"] == [0, 1]
    assert len(unfinished["plan"]["sets"]) == 6
    assert "start_over" in r.json()["error"]

    r = await web.post("/api/sessions", {"routine_id": "desk", "start_over": True})
    assert r.status_code == 201
    new = r.json()["id"]
    old = (await web.client.get(f"/api/sessions/{sid}")).json()
    assert old["session"]["status"] == "abandoned" and old["done"] == [0, 1]  # sets kept
    active = (await web.client.get("/api/sessions/active")).json()
    assert active["session"]["id"] == new


async def test_a_session_left_unfinished_yesterday_is_abandoned(web: Web) -> None:
    sid = await two_of_six(web)
    web.clock.advance(24 * 3600)
    assert (await web.client.get(f"/api/sessions/{sid}")).json()["session"]["status"] == "abandoned"
    assert (await web.client.get("/api/sessions/active")).json()["session"] is None
    page = (await web.client.get("/")).text
    assert "is unfinished" not in page and ">Start</a>" in page
    history = (await web.client.get("/history")).text
    recent = history.split('id="recent-h"')[1]
    assert "Mon 2 Mar 01:00" in recent and "abandoned" in recent and "resume" not in recent
    r = await web.post("/api/sessions", {"routine_id": "desk"})
    assert r.status_code == 201  # nothing of today to offer


async def test_history_lists_days_by_session_and_every_set_on_request(web: Web) -> None:
    await two_of_six(web)
    r = await web.post(
        "/api/logs", {"exercise_id": "soleus-pushup", "amount": "1x10", "side": "right"}
    )
    assert r.status_code == 201
    assert (await web.post("/api/logs", {"pain": 3, "context": "after"})).status_code == 201

    grouped = (await web.client.get("/history")).text.split('id="days-h"')[1]
    grouped = " ".join(grouped.split('id="recent-h"')[0].split())
    assert "Monday 2 March" in grouped  # local day (Los Angeles), in words
    assert "<strong>Desk break</strong>: unfinished, <a href=" in grouped
    assert "2 of 6 sets done" in grouped
    assert "Seated soleus pushup: left 1/3, right 1/3" in grouped
    assert "logged Seated soleus pushup: 1 set (right 10)" in grouped
    assert "01:00</time> pain 3/10 (after)" in grouped
    assert 'href="/history?view=sets#days-h">every set' in grouped

    flat = (await web.client.get("/history?view=sets")).text.split('id="days-h"')[1]
    flat = " ".join(flat.split('id="recent-h"')[0].split())
    assert "Seated soleus pushup set 1 left: 10/10 reps" in flat
    assert "2 of 6 sets done" not in flat

    bad = await web.client.get("/history?view=bogus")
    assert bad.status_code == 400 and "view must be" in bad.text

    api = (await web.client.get("/api/history?days=1&view=sessions")).json()["days"][0]
    assert api["sessions"][0]["done"] == 2 and api["quick_logs"][0]["sets"][0]["side"] == "right"
    flat_api = (await web.client.get("/api/history?days=1")).json()["days"][0]
    assert len(flat_api["sets"]) == 3  # the default stays the flat list
    assert (await web.client.get("/api/history?view=x")).status_code == 400


async def test_openapi_describes_both_409s_of_starting_a_session(web: Web) -> None:
    jsonschema = require_module("jsonschema", "the dev extra: pip install -e '.[dev]'")
    doc = (await web.client.get("/openapi.json")).json()
    conflict = doc["paths"]["/api/sessions"]["post"]["responses"]["409"]
    assert "rest or stop" in conflict["description"] and "unfinished" in conflict["description"]
    schema = conflict["content"]["application/json"]["schema"]
    documented = [
        path
        for path, ops in doc["paths"].items()
        for op in ops.values()
        if "409" in op["responses"]
    ]
    assert documented == ["/api/sessions"]  # the one route that answers 409

    await two_of_six(web)
    unfinished = await web.post("/api/sessions", {"routine_id": "desk"})
    assert unfinished.status_code == 409
    jsonschema.validate(unfinished.json(), schema)
    assert set(unfinished.json()) <= {"error", *schema["properties"]}

    assert (await web.post("/api/logs", {"pain": 8, "context": "after"})).status_code == 201
    stop = await web.post("/api/sessions", {"routine_id": "desk", "start_over": True})
    assert stop.status_code == 409 and set(stop.json()) == {"error"}
    jsonschema.validate(stop.json(), schema)
