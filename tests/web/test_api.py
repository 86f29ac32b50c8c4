"""The JSON API, end to end over a real SQLite store and config dir."""

from __future__ import annotations

import html
import io
import json
import os
import re
import zipfile

import pytest
from tests.required import require_module
from tests.web.web_helpers import Web

from soleus.services.reports import history as history_service
from soleus.services.sessions import guided as sessions
from soleus.web.routing import ApiRoute

pytestmark = pytest.mark.anyio


async def test_catalog_and_routines(web: Web) -> None:
    exercises = (await web.client.get("/api/exercises")).json()["exercises"]
    assert any(e["id"] == "soleus-pushup" for e in exercises)
    spu = (await web.client.get("/api/exercises/soleus-pushup")).json()
    assert spu["illustration"] == "/illustrations/soleus-pushup.svg" and spu["steps"]
    routines = (await web.client.get("/api/routines")).json()["routines"]
    assert {"desk", "full"} <= {r["id"] for r in routines}
    desk = (await web.client.get("/api/routines/desk")).json()
    assert desk["blocks"][0]["exercise"] == "soleus-pushup" and desk["own"] is False
    toml = await web.client.get("/api/routines/desk.toml")
    assert 'id = "desk"' in toml.text


async def test_plan_shape_is_the_player_contract(web: Web) -> None:
    plan = (await web.client.get("/api/routines/full/plan")).json()
    assert plan["routine"]["id"] == "full"
    first = plan["sets"][0]
    assert set(first) >= {
        "index",
        "block",
        "set_number",
        "side",
        "target_reps",
        "target_seconds",
        "exercise",
        "dosage",
    }
    assert set(first["exercise"]) >= {
        "id",
        "name",
        "summary",
        "steps",
        "cues",
        "cue_up",
        "cue_down",
        "cue_hold",
        "illustration",
    }
    assert set(first["dosage"]) >= {"kind", "sets", "reps", "seconds", "sides", "rest_s", "tempo"}
    for item in plan["sets"]:
        tempo = item["dosage"]["tempo"]
        if item["dosage"]["kind"] == "hold":
            assert tempo is None
        else:
            assert set(tempo) == {"up", "top", "down", "floor"}
    assert [s["index"] for s in plan["sets"]] == list(range(len(plan["sets"])))


@pytest.mark.parametrize(
    "path",
    [
        "/api/exercises/nope",
        "/api/routines/nope",
        "/api/routines/nope/plan",
        "/api/sessions/nope",
        "/api/exercises/nope.toml",
    ],
)
async def test_unknown_ids_are_404(web: Web, path: str) -> None:
    r = await web.client.get(path)
    assert r.status_code == 404
    assert "nope" in r.json()["error"]


async def test_a_whole_session_lands_in_history_and_the_cli_store(web: Web) -> None:
    r = await web.post("/api/sessions", {"routine_id": "desk"})
    assert r.status_code == 201
    started = r.json()
    sid, plan = started["id"], started["plan"]
    assert started["done"] == [] and len(plan["sets"]) == 6

    active = (await web.client.get("/api/sessions/active")).json()
    assert active["session"]["id"] == sid and active["done"] == []

    for item in plan["sets"][:3]:
        web.clock.advance(30)
        r = await web.post(
            f"/api/sessions/{sid}/sets", {"plan_index": item["index"], "actual_reps": 10}
        )
        assert r.status_code == 201 and r.json()["id"]
    # a redo replaces the earlier set of the same plan index
    await web.post(f"/api/sessions/{sid}/sets", {"plan_index": 2, "actual_reps": 8})
    await web.post(f"/api/sessions/{sid}/sets", {"plan_index": 3, "skipped": True})

    got = (await web.client.get(f"/api/sessions/{sid}")).json()
    assert got["done"] == [0, 1, 2]
    assert len(got["session"]["sets"]) == 4
    redo = [s for s in got["session"]["sets"] if s["plan_index"] == 2]
    assert len(redo) == 1 and redo[0]["actual_reps"] == 8 and redo[0]["target_reps"] == 10
    assert {s["side"] for s in got["session"]["sets"]} == {"left", "right"}
    assert (await web.client.get("/api/sessions/active")).json()["done"] == [0, 1, 2]

    r = await web.post(f"/api/sessions/{sid}/finish", {"effort": 6, "pain": 2})
    assert r.status_code == 200 and "The usual plan today." in r.json()["advice"]
    assert (await web.client.get("/api/sessions/active")).json()["session"] is None

    days = (await web.client.get("/api/history?days=7")).json()["days"]
    assert days[0]["date"] == "2026-03-02"
    assert [s["id"] for s in days[0]["sessions"]] == [sid]
    assert len(days[0]["sets"]) == 4 and days[0]["pain"][0]["score"] == 2

    # the same store the CLI reads
    cli_view = sessions.get(web.ctx, sid)
    assert cli_view["status"] == "finished" and cli_view["effort"] == 6
    assert history_service.history(web.ctx, days=1)[0]["sessions"][0]["id"] == sid
    stats = (await web.client.get("/api/stats")).json()
    assert stats["streak"]["current"] == 1 and stats["this_week"]["reps"] == 28


async def test_set_errors_save_nothing(web: Web) -> None:
    sid = (await web.post("/api/sessions", {"routine_id": "desk"})).json()["id"]
    cases = [
        ({"plan_index": 6}, 400, "plan_index must be from 0 to 5"),
        ({"plan_index": -1}, 400, "plan_index must be from 0"),
        ({}, 400, "plan_index is required"),
        ({"plan_index": "0"}, 400, "whole number"),
        ({"plan_index": 0, "actual_reps": 2.5}, 400, "actual_reps"),
        ({"plan_index": 0, "skipped": "yes"}, 400, "skipped"),
    ]
    for body, status, message in cases:
        r = await web.post(f"/api/sessions/{sid}/sets", body)
        assert r.status_code == status and message in r.json()["error"], (body, r.text)
    r = await web.post("/api/sessions/nope/sets", {"plan_index": 0})
    assert r.status_code == 404
    assert (await web.client.get(f"/api/sessions/{sid}")).json()["session"]["sets"] == []
    await web.post(f"/api/sessions/{sid}/finish", {})
    r = await web.post(f"/api/sessions/{sid}/sets", {"plan_index": 0})
    assert r.status_code == 400 and "already finished" in r.json()["error"]
    r = await web.post(f"/api/sessions/{sid}/finish", {"effort": 11})
    assert r.status_code == 400


async def test_start_needs_a_known_routine(web: Web) -> None:
    r = await web.post("/api/sessions", {"routine_id": "nope"})
    assert r.status_code == 404 and "unknown routine 'nope'" in r.json()["error"]
    r = await web.post("/api/sessions", {})
    assert r.status_code == 400 and "routine_id is required" in r.json()["error"]


async def test_quick_logs(web: Web) -> None:
    r = await web.post(
        "/api/logs", {"exercise_id": "soleus-pushup", "amount": "2x10", "side": "left"}
    )
    assert r.status_code == 201 and "left leg" in r.json()["message"]
    r = await web.post("/api/logs", {"pain": 6, "context": "after"})
    logged = r.json()
    assert r.status_code == 201 and logged["level"] == "rest"
    assert "Pain was 6/10 after exercise today" in logged["advice"]
    assert "Rest the calf today" in logged["advice"]
    bad = [
        ({"exercise_id": "nope", "amount": "2x10"}, 404),
        ({"exercise_id": "soleus-pushup", "amount": "2xx"}, 400),
        ({"exercise_id": "soleus-pushup", "amount": "2x10", "side": "up"}, 400),
        ({"pain": 11}, 400),
        ({"pain": 2, "context": "whenever"}, 400),
        ({"pain": 2, "side": "left"}, 400),
        ({"exercise_id": "soleus-pushup", "amount": "2x10", "context": "after"}, 400),
        ({"exercise_id": "soleus-pushup", "amount": "2x10", "side": "both"}, 400),
        ({"exercise_id": "downward-dog", "amount": "1x45s", "side": "left"}, 400),
    ]
    for body, status in bad:
        r = await web.post("/api/logs", body)
        assert r.status_code == status, (body, r.text)
    day = (await web.client.get("/api/history?days=1")).json()["days"][0]
    assert len(day["sets"]) == 2 and len(day["pain"]) == 1


async def test_history_days_is_checked(web: Web) -> None:
    for raw in ("0", "x", "-1", "99999"):
        assert (await web.client.get(f"/api/history?days={raw}")).status_code == 400


async def test_export_and_import_round_trip(web: Web) -> None:
    await web.post("/api/logs", {"exercise_id": "soleus-pushup", "amount": "1x10"})
    exported = await web.client.get("/api/export?format=json")
    assert exported.status_code == 200 and "attachment" in exported.headers["content-disposition"]
    data = exported.json()
    assert data["format"] == "soleus-export" and len(data["sets"]) == 2
    zipped = await web.client.get("/api/export?format=csv")
    assert zipped.headers["content-type"] == "application/zip"
    assert 'filename="soleus-export.zip"' in zipped.headers["content-disposition"]
    with zipfile.ZipFile(io.BytesIO(zipped.content)) as archive:
        assert archive.read("sets.csv").decode().startswith("id,session_id,")
    assert (await web.client.get("/api/export?format=xml")).status_code == 400

    r = await web.post("/api/import", data)
    assert r.status_code == 200 and r.json()["added"]["sets"] == 0
    data["sets"][0]["id"] = "00000000-0000-0000-0000-000000000001"
    data["sets"] = data["sets"][:1]
    r = await web.post("/api/import", data)
    assert r.json()["added"]["sets"] == 1
    r = await web.client.post(
        "/api/import", content=zipped.content, headers={**web.h, "content-type": "application/zip"}
    )
    assert r.status_code == 200 and r.json()["added"]["sets"] == 0
    r = await web.client.post(
        "/api/import",
        content=b"PK\x03\x04 cut",
        headers={**web.h, "content-type": "application/zip"},
    )
    assert r.status_code == 400 and "damaged or cut short" in r.json()["error"]
    r = await web.client.post(
        "/api/import", content=b"x", headers={**web.h, "content-type": "application/xml"}
    )
    assert r.status_code == 415
    r = await web.post("/api/import", {"format": "something-else"})
    assert r.status_code == 400 and "not a soleus export" in r.json()["error"]


async def test_routine_create_edit_delete_round_trip_on_disk(web: Web) -> None:
    folder = web.settings.config_dir / "routines"
    text = 'id = "quick"\nname = "Quick"\n[[blocks]]\nexercise = "soleus-pushup"\n'
    r = await web.post("/api/routines", {"toml": text})
    assert r.status_code == 201 and (folder / "quick.toml").read_text() == text
    assert (await web.client.get("/api/routines/quick")).json()["own"] is True
    plan = (await web.client.get("/api/routines/quick/plan")).json()
    assert plan["sets"][0]["exercise"]["id"] == "soleus-pushup"

    # same id again without "replaces": refused, file untouched
    r = await web.post("/api/routines", {"toml": text.replace("Quick", "Other")})
    assert r.status_code == 400 and "already have" in r.json()["error"]
    # edit with a rename
    renamed = text.replace('"quick"', '"quick2"').replace('"Quick"', '"Quicker"')
    r = await web.post("/api/routines", {"toml": renamed, "replaces": "quick"})
    assert r.status_code == 201
    assert not (folder / "quick.toml").exists() and (folder / "quick2.toml").exists()
    assert (await web.client.get("/api/routines/quick2")).json()["name"] == "Quicker"

    r = await web.client.delete("/api/routines/quick2", headers=web.h)
    assert r.status_code == 200 and not (folder / "quick2.toml").exists()
    assert (await web.client.get("/api/routines/quick2")).status_code == 404
    r = await web.client.delete("/api/routines/desk", headers=web.h)
    assert r.status_code == 400 and "built in" in r.json()["error"]


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        (
            'id = "x"\nname = "X"\n[[blocks]]\nexercise = "nope"\n',
            "routines/x.toml:4: blocks.0.exercise: unknown exercise 'nope'",
        ),
        ('id = "x"\nname = \n', "not valid TOML"),
        ('id = "X!"\nname = "X"\n[[blocks]]\nexercise = "soleus-pushup"\n', "lowercase"),
        ('id = "x"\nname = "X"\nblocks = []\n', "at least one block"),
        (
            'id = "x"\nname = "X"\ncolour = "red"\n[[blocks]]\nexercise = "soleus-pushup"\n',
            "colour",
        ),
        (
            'id = "x"\nname = "X"\n[[blocks]]\nexercise = "soleus-pushup"\n'
            '[blocks.dosage]\nkind = "reps"\nsets = 3\n',
            "a reps dosage needs reps",
        ),
    ],
)
async def test_bad_routine_toml_names_the_problem(web: Web, toml: str, message: str) -> None:
    r = await web.post("/api/routines", {"toml": toml})
    assert r.status_code == 400
    assert message in r.json()["error"]
    assert not (web.settings.config_dir / "routines").exists() or not any(
        (web.settings.config_dir / "routines").iterdir()
    )


async def test_custom_exercise_round_trip_and_guard(web: Web) -> None:
    source = (await web.client.get("/api/exercises/wall-calf-stretch.toml")).text
    mine = re.sub(r'^id = ".*"$', 'id = "my-stretch"', source, count=1, flags=re.M)
    r = await web.post("/api/exercises", {"toml": mine})
    assert r.status_code == 201
    assert (await web.client.get("/api/exercises/my-stretch")).status_code == 200
    routine = 'id = "uses"\nname = "Uses"\n[[blocks]]\nexercise = "my-stretch"\n'
    assert (await web.post("/api/routines", {"toml": routine})).status_code == 201
    r = await web.client.delete("/api/exercises/my-stretch", headers=web.h)
    assert r.status_code == 400 and "used by your routine" in r.json()["error"]
    await web.client.delete("/api/routines/uses", headers=web.h)
    assert (await web.client.delete("/api/exercises/my-stretch", headers=web.h)).status_code == 200


async def test_routine_pages_round_trip(web: Web) -> None:
    dup = await web.client.get("/routines/new?kind=routines&from=desk")
    assert "id = &#34;desk-copy&#34;" in dup.text or 'id = "desk-copy"' in dup.text
    text = 'id = "mine"\nname = "Mine"\n[[blocks]]\nexercise = "soleus-pushup"\n'
    r = await web.form("/routines/save", {"kind": "routines", "toml": text})
    assert r.status_code == 303
    assert "Mine" in (await web.client.get("/routines")).text
    edit = await web.client.get("/routines/routines/mine/edit")
    assert edit.status_code == 200 and "Mine" in edit.text
    bad = text.replace("soleus-pushup", "nope")
    r = await web.form("/routines/save", {"kind": "routines", "toml": bad, "replaces": "mine"})
    assert r.status_code == 400 and "unknown exercise" in r.text
    assert "soleus-pushup" in (web.settings.config_dir / "routines" / "mine.toml").read_text()
    download = await web.client.get("/routines/routines/mine.toml")
    assert download.text == text and "attachment" in download.headers["content-disposition"]
    r = await web.form("/routines/delete", {"kind": "routines", "id": "mine"})
    assert r.status_code == 303
    assert not (web.settings.config_dir / "routines" / "mine.toml").exists()
    r = await web.form("/routines/import", {"kind": "routines", "toml": text})
    assert r.status_code == 303
    assert (web.settings.config_dir / "routines" / "mine.toml").exists()


async def test_a_broken_file_on_disk_is_named_on_the_routines_page(web: Web) -> None:
    folder = web.settings.config_dir / "routines"
    folder.mkdir(parents=True)
    (folder / "broken.toml").write_text('id = "broken"\nname = "B"\nblocks = 3\n')
    page = await web.client.get("/routines")
    assert page.status_code == 200 and "broken.toml" in page.text
    today = await web.client.get("/")  # the broken file is left out, and named
    assert today.status_code == 200 and "broken.toml:3" in today.text
    assert "Desk break" in today.text


async def test_openapi_lists_every_api_route(web: Web) -> None:
    doc = (await web.client.get("/openapi.json")).json()
    assert doc["openapi"].startswith("3.")
    app = web.client._transport.app  # type: ignore[attr-defined]
    api = [r for r in app.routes if isinstance(r, ApiRoute)]
    for route in api:
        assert route.method.lower() in doc["paths"][route.path], route.name
    served = {r.path for r in app.routes if getattr(r, "path", "").startswith("/api")}
    assert served == set(doc["paths"]) == {r.path for r in api}
    validator = require_module("openapi_spec_validator", "the dev extra: pip install -e '.[dev]'")
    validator.validate(json.loads(json.dumps(doc)))


async def test_next_nudge_names_the_day_when_it_is_not_today(web: Web) -> None:
    # The desktop daemon's next nudge, in UTC, on the next morning (the clock: Monday 09:00).
    (web.settings.data_dir / "remind.json").write_text(
        json.dumps(
            {
                "pid": os.getpid(),
                "heartbeat_at": web.clock.now().isoformat(),
                "poll_s": 30,
                "next_due": "2026-03-03T08:15:00+00:00",
                "sitting_since": "2026-03-02T08:40:00+00:00",
                "next_reason": "sitting",
            }
        )
    )
    state = (await web.client.get("/api/snacks/next")).json()
    assert state["daemon"]
    assert (state["next_due_label"], state["sitting_since_label"]) == ("tomorrow 08:15", "08:40")
    r = await web.post("/api/snacks/activity", {"idle_s": 0})
    assert r.json()["next_due_label"] == "tomorrow 08:15"


async def test_the_player_gets_the_same_lighter_plan_as_today(web: Web) -> None:
    sid = (await web.post("/api/sessions", {"routine_id": "desk"})).json()["id"]
    await web.post(f"/api/sessions/{sid}/finish", {"pain": 7})
    r = await web.post("/api/sessions", {"routine_id": "desk"})
    plan = (await web.client.get("/api/routines/desk/plan")).json()
    assert plan["advice"]["level"] == "rest"
    words = f"{plan['advice']['reason']} {plan['advice']['advice']}"
    assert r.status_code == 409 and r.json()["error"] == words  # refused, not bad input
    assert "Pain was 7/10 after exercise today" in words

    web.clock.advance(24 * 3600)  # the next day: the lighter plan, in Today, API and player
    plan = (await web.client.get("/api/routines/desk/plan")).json()
    assert (
        plan["advice"]["level"] == "lighter" and plan["routine"]["name"] == "Desk break (lighter)"
    )
    assert {(s["dosage"]["sets"], s["dosage"]["reps"]) for s in plan["sets"]} == {(2, 6)}
    assert len(plan["sets"]) == 4
    written = (await web.client.get("/api/routines/desk/plan?as_written=1")).json()
    assert len(written["sets"]) == 6 and written["advice"] is None
    started = (await web.post("/api/sessions", {"routine_id": "desk"})).json()
    assert started["plan"]["sets"] == plan["sets"]
    assert started["advice"]["level"] == "lighter"
    page = (await web.client.get("/")).text
    assert "Desk break (lighter)" in page and "2 × 6" in page


async def test_a_resumed_session_keeps_the_tempo_it_was_started_with(web: Web) -> None:
    """Start, change the pushup's tempo with the user's own exercise file, resume: the
    player gets the plan as it was started (and a new session the new tempo)."""
    started = (await web.post("/api/sessions", {"routine_id": "desk"})).json()
    sid = started["id"]
    await web.post(f"/api/sessions/{sid}/sets", {"plan_index": 0, "actual_reps": 10})
    source = (await web.client.get("/api/exercises/soleus-pushup.toml")).text
    slower = source.replace("up = 1.0\ntop = 0.3\ndown = 1.0", "up = 2.0\ntop = 1.0\ndown = 2.0")
    assert slower != source
    folder = web.settings.config_dir / "exercises"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "soleus-pushup.toml").write_text(slower, encoding="utf-8")
    sessions._PLANS.clear()  # as after a restart: the plan comes from the database
    catalog = (await web.client.get("/api/exercises/soleus-pushup")).json()
    assert catalog["dosage"]["tempo"]["up"] == 2.0
    for path in ("/api/sessions/active", f"/api/sessions/{sid}"):
        resumed = (await web.client.get(path)).json()
        assert resumed["plan"]["sets"] == started["plan"]["sets"], path
        assert {s["dosage"]["tempo"]["up"] for s in resumed["plan"]["sets"]} == {1.0}
        assert "plan" not in resumed["session"]
        assert resumed["done"] == [0]
    await web.post(f"/api/sessions/{sid}/finish", {"status": "abandoned"})
    fresh = (await web.post("/api/sessions", {"routine_id": "desk"})).json()
    assert {s["dosage"]["tempo"]["up"] for s in fresh["plan"]["sets"]} == {2.0}


async def test_fhir_export_is_a_validated_bundle_and_import_restores_its_plan(web: Web) -> None:
    from fhir.resources.R4B.bundle import Bundle

    await web.post("/api/logs", {"exercise_id": "soleus-pushup", "amount": "2x10"})
    assert 'href="/api/export.fhir.json"' in (await web.client.get("/history")).text
    response = await web.client.get("/api/export.fhir.json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/fhir+json")
    assert "soleus-fhir.json" in response.headers["content-disposition"]
    bundle = Bundle.model_validate(response.json())
    assert bundle.type == "collection"
    for media in ("application/fhir+json", "application/json"):
        r = await web.client.post(
            "/api/import", content=response.content, headers={**web.h, "content-type": media}
        )
        assert r.status_code == 200, r.text
        assert r.json() == {"restored": [], "unchanged": ["desk"]}
    foreign = response.json()
    del foreign["identifier"]
    r = await web.client.post(
        "/api/import",
        content=json.dumps(foreign).encode(),
        headers={**web.h, "content-type": "application/fhir+json"},
    )
    assert r.status_code == 400
    assert "identifier.system: not a bundle written by soleus" in r.json()["error"]


async def test_the_routines_page_offers_each_handout_as_a_pdf(web: Web) -> None:
    page = (await web.client.get("/routines")).text
    assert 'href="/routines/desk/handout.pdf"' in page
    response = await web.client.get("/routines/desk/handout.pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert 'filename="desk-handout.pdf"' in response.headers["content-disposition"]
    assert response.content.startswith(b"%PDF-")
    missing = await web.client.get("/routines/dsk/handout.pdf")
    assert missing.status_code == 404
    assert "did you mean 'desk'" in html.unescape(missing.text)
