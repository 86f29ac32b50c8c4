"""Live counting and saving as a new user met it: stopped streams, quiet phones, odd sensors."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from tests.web.test_recordings_web import pushes, recording, session_count, zip_bytes
from tests.web.web_helpers import Web

from soleus.services.recordings import live
from soleus.store import sessions as sessions_repo

pytestmark = pytest.mark.anyio


def only(messages: Iterator[dict[str, Any]], *names: str) -> Iterator[dict[str, Any]]:
    """The push messages with only the named sensors (renamed by ``names`` pairs)."""
    for m in messages:
        yield {**m, "payload": [p for p in m["payload"] if p["name"] in names]}


def as_name(messages: Iterator[dict[str, Any]], old: str, new: str) -> Iterator[dict[str, Any]]:
    for m in messages:
        payload = [{**p, "name": new} if p["name"] == old else p for p in m["payload"]]
        yield {**m, "payload": payload}


async def push_all(web: Web, messages: Iterator[dict[str, Any]]) -> dict[str, Any]:
    token = live.ingest_token(web.ctx)
    data: dict[str, Any] = {}
    for message in messages:
        r = await web.client.post(f"/api/live/sensorlogger?token={token}", json=message)
        assert r.status_code == 200, r.text
        data = r.json()
    return data


async def test_pushes_after_stop_do_not_hide_the_stopped_stream(web: Web) -> None:
    messages = list(pushes(recording(), 1.0))
    first = await push_all(web, iter(messages[:40]))
    stopped = (await web.client.post(f"/api/live/{first['id']}/stop", headers=web.h)).json()
    assert stopped["status"] == "stopped" and stopped["count"] > 0
    after = await push_all(web, iter(messages[40:]))  # the phone still pushes
    assert after["id"] == first["id"] and after["status"] == "stopped" and after["ignored"]
    assert (await web.client.get("/api/live/latest")).json()["stream"]["id"] == first["id"]
    # a new recording on the phone is a new stream; the stopped one can still be saved
    await push_all(web, ({**m, "sessionId": "rec-2"} for m in messages[:5]))
    page = await web.client.get("/recordings")
    assert "Earlier live sets not saved yet" in page.text and f'value="{first["id"]}"' in page.text
    saved = await web.client.post(f"/api/live/{first['id']}/save", headers=web.h)
    assert saved.status_code == 201 and session_count(web) == 1


async def test_a_quiet_stream_finishes_and_the_page_can_save_it(web: Web) -> None:
    done = await push_all(web, pushes(recording(), 1.0))
    assert done["status"] == "active"
    web.clock.advance(live.IDLE_S + 1)
    latest = (await web.client.get("/api/live/latest")).json()["stream"]
    assert latest["status"] == "stopped" and latest["count"] == 14
    seconds = latest["seconds"]
    web.clock.advance(60)
    again = (await web.client.get(f"/api/live/{done['id']}")).json()
    assert again["seconds"] == seconds and again["status"] == "stopped"
    page = await web.client.get("/recordings")
    assert 'id="live-save"' in page.text and 'id="live-form"' in page.text


async def test_a_gyroscope_only_stream_saves(web: Web) -> None:
    done = await push_all(web, only(pushes(recording(), 1.0), "gyroscope"))
    assert done["count"] > 0
    saved = await web.client.post(f"/api/live/{done['id']}/save", headers=web.h)
    assert saved.status_code == 201, saved.text
    assert saved.json()["count"] == live.view(live.get(web.ctx, done["id"]))["count"] > 0


async def test_accelerometer_without_gravity_says_so(web: Web) -> None:
    messages = as_name(
        only(pushes(recording(), 1.0), "totalacceleration"), "totalacceleration", "accelerometer"
    )
    done = await push_all(web, (m for i, m in zip(range(5), messages, strict=False)))
    assert "turn on Gravity (or TotalAcceleration)" in (done["error"] or "")
    page = await web.client.get("/recordings")
    assert "turn on Gravity (or TotalAcceleration)" in page.text


async def test_leg_and_style_are_chosen_on_the_stream_before_saving(web: Web) -> None:
    done = await push_all(web, pushes(recording(), 1.0))
    page = await web.client.get("/recordings")
    assert 'id="live-side"' in page.text and 'id="live-style"' in page.text
    r = await web.form(
        "/recordings/live",
        {"action": "save", "stream": done["id"], "side": "right", "style": "sets"},
    )
    assert r.status_code == 303
    with web.ctx.store.begin() as conn:
        sets = sessions_repo.list_sets(conn, person_id=web.ctx.person_id)
    assert {s["side"] for s in sets} == {"right"}
    assert live.get(web.ctx, done["id"])["side"] == "right"


async def test_the_push_url_is_this_server(web: Web) -> None:
    page = await web.client.get("/recordings")
    token = live.ingest_token(web.ctx)
    assert f"http://127.0.0.1:8000/api/live/sensorlogger?token={token}" in page.text
    assert "replace <code>127.0.0.1</code>" in page.text


async def test_saving_redirects_and_says_what_was_logged_without_ids(web: Web) -> None:
    r = await web.client.post(
        "/recordings",
        data={"csrf_token": web.token, "style": "sets"},
        files={"file": ("sensorlogger.zip", zip_bytes(), "application/zip")},
    )
    digest = r.text.split('name="upload" value="', 1)[1].split('"', 1)[0]
    saved = await web.form("/recordings/save", {"upload": digest, "name": "sensorlogger.zip"})
    assert saved.status_code == 303
    shown = await web.client.get(saved.headers["location"])
    assert "logged 14 soleus pushups (8 + 6)" in shown.text and 'href="/history"' in shown.text
    with web.ctx.store.begin() as conn:
        (session,) = sessions_repo.list_sessions(conn, person_id=web.ctx.person_id)
    assert session["id"] not in shown.text


async def test_a_json_that_is_not_sensor_logger_says_so(web: Web) -> None:
    r = await web.client.post(
        "/recordings",
        data={"csrf_token": web.token},
        files={"file": ("data.json", b'{"hello": 1}', "application/json")},
    )
    assert r.status_code == 400 and "not a Sensor Logger JSON export" in r.text


async def test_the_same_samples_in_another_file_log_once(web: Web) -> None:
    import io
    import zipfile

    first = await web.client.post(
        "/api/recordings?name=export.zip", content=zip_bytes(), headers=web.h
    )
    assert first.status_code == 201
    with zipfile.ZipFile(io.BytesIO(zip_bytes())) as zf:
        csv = zf.read("TotalAcceleration.csv")
    again = await web.client.post(
        "/api/recordings?name=TotalAcceleration.csv", content=csv, headers=web.h
    )
    assert again.status_code == 200 and again.json()["duplicate"], again.text
    assert again.json()["session_id"] == first.json()["session_id"]
    assert session_count(web) == 1


async def test_a_live_set_saved_later_is_dated_when_it_was_done(web: Web) -> None:
    done = await push_all(web, pushes(recording(), 1.0))
    pushed_at = web.clock.now()
    web.clock.advance(3 * 86400)  # saved from the unsaved list days later
    saved = await web.client.post(f"/api/live/{done['id']}/save", headers=web.h)
    assert saved.status_code == 201
    with web.ctx.store.begin() as conn:
        (session,) = sessions_repo.list_sessions(conn, person_id=web.ctx.person_id)
    assert session["local_date"] == web.ctx.local_date(pushed_at)
    assert session["ended_at"] <= pushed_at
