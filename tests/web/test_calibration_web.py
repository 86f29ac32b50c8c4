"""Calibration in the web app: the Recordings page's upload, the live view's "use as my
calibration", the API; bad recordings store nothing and say what was found."""

from __future__ import annotations

from functools import cache

import pytest
from tests.web.test_recordings_web import pushes
from tests.web.web_helpers import Web

from soleus.services.recordings import calibration, live
from soleus.signal.recording import Recording
from soleus.signal.simulate import Event, RepSet, Rest, Sensors, simulate
from soleus.signal.writers import generic_csv

pytestmark = pytest.mark.anyio

SMALL = 1.2  # degrees: under the detector's default smallest rep


def _rec(events: list[Event], seed: int) -> Recording:
    return simulate(events, Sensors(rate_hz=100.0), seed=seed).recording


@cache
def three() -> Recording:
    return _rec([Rest(4), RepSet(3, 20, SMALL), Rest(4)], 101)


@cache
def small_set() -> bytes:
    return generic_csv(_rec([Rest(10), RepSet(12, 30, SMALL), Rest(10)], 201))


async def _count(web: Web) -> int:
    r = await web.client.post(
        "/api/recordings/analyze?name=set.csv", content=small_set(), headers=web.h
    )
    assert r.status_code == 200, r.text
    return int(r.json()["count"])


async def test_the_recordings_page_calibrates_and_later_uploads_count_small_reps(
    web: Web,
) -> None:
    page = await web.client.get("/recordings")
    assert "Not calibrated" in page.text and 'action="/recordings/calibrate"' in page.text
    assert await _count(web) == 0
    r = await web.client.post(
        "/recordings/calibrate",
        data={"csrf_token": web.token},
        files={"file": ("three.csv", generic_csv(three()), "text/csv")},
    )
    assert r.status_code == 303 and r.headers["location"].endswith("#calibration")
    page = await web.client.get(r.headers["location"])
    assert "Calibrated: from now on" in page.text and "from 3 reps" in page.text
    assert await _count(web) >= 11
    got = (await web.client.get("/api/calibration")).json()["calibration"]
    assert got["reps"] == 3 and got["amplitude_deg"] < 1.5
    forgot = await web.form("/recordings/calibrate/forget", {})
    assert forgot.status_code == 303
    assert (await web.client.get("/api/calibration")).json() == {"calibration": None}
    assert await _count(web) == 0


async def test_a_bad_calibration_recording_is_a_400_that_says_what_was_found(web: Web) -> None:
    eight = generic_csv(_rec([Rest(4), RepSet(8, 30), Rest(4)], 5))
    r = await web.client.post(
        "/recordings/calibrate",
        data={"csrf_token": web.token},
        files={"file": ("eight.csv", eight, "text/csv")},
    )
    assert r.status_code == 400 and "found 8 reps" in r.text and "nothing stored" in r.text
    api = await web.client.post("/api/calibration?name=eight.csv", content=eight, headers=web.h)
    assert api.status_code == 400 and "found 8 reps" in api.json()["error"]
    assert calibration.current(web.ctx) is None
    no_csrf = await web.client.post("/api/calibration?name=three.csv", content=generic_csv(three()))
    assert no_csrf.status_code == 403 and calibration.current(web.ctx) is None


async def test_the_live_view_takes_a_streams_three_reps_as_the_calibration(web: Web) -> None:
    token = live.ingest_token(web.ctx)
    for message in pushes(three(), 1.0):
        r = await web.client.post(f"/api/live/sensorlogger?token={token}", json=message)
        assert r.status_code == 200
    stream_id = r.json()["id"]
    page = await web.client.get("/recordings")
    assert 'value="calibrate"' in page.text  # offered while the stream is not saved
    done = await web.form("/recordings/live", {"stream": stream_id, "action": "calibrate"})
    assert done.status_code == 303 and "calibrated=1" in done.headers["location"]
    cal = calibration.current(web.ctx)
    assert cal is not None and cal.reps == 3
    assert live.get(web.ctx, stream_id)["status"] == "stopped"
    again = await web.client.post(f"/api/live/{stream_id}/calibrate", headers=web.h)
    assert again.status_code == 201 and again.json()["calibration"]["reps"] == 3


async def test_live_counting_uses_the_calibration(web: Web) -> None:
    token = live.ingest_token(web.ctx)
    small = _rec([Rest(10), RepSet(12, 30, SMALL), Rest(10)], 201)

    async def stream(session: str) -> int:
        for message in pushes(small, 2.0):
            message["sessionId"] = session
            r = await web.client.post(f"/api/live/sensorlogger?token={token}", json=message)
            assert r.status_code == 200
        stopped = await web.client.post(f"/api/live/{r.json()['id']}/stop", headers=web.h)
        return int(stopped.json()["count"])

    assert await stream("before") == 0
    r = await web.client.post(
        "/api/calibration?name=three.csv", content=generic_csv(three()), headers=web.h
    )
    assert r.status_code == 201
    assert await stream("after") >= 11
