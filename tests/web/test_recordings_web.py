"""Recordings in the web app: upload, save, bad files, and live counting from phones."""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from collections.abc import Iterator
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import numpy as np
import pytest
from tests.required import require_module
from tests.web.web_helpers import Web

from soleus.services.recordings import live
from soleus.signal.analysis import analyze
from soleus.signal.recording import Recording
from soleus.signal.simulate import RepSet, Rest, Sensors, simulate
from soleus.signal.writers import WRITERS
from soleus.store import sessions as sessions_repo

pytestmark = pytest.mark.anyio

EPOCH_NS = 1_767_600_000_000_000_000


@cache
def recording() -> Recording:
    sim = simulate(
        [Rest(4), RepSet(8, 30, 5.0), Rest(25), RepSet(6, 30, 5.0), Rest(4)],
        Sensors(rate_hz=100.0),
        seed=11,
    )
    return sim.recording


@cache
def zip_bytes() -> bytes:
    """One export (zip members carry the time they were written: write it once)."""
    return WRITERS["sensorlogger-android-zip"][1](recording())


def session_count(web: Web) -> int:
    with web.ctx.store.begin() as conn:
        return len(list(sessions_repo.list_sessions(conn, person_id=web.ctx.person_id)))


# -- uploads ----------------------------------------------------------------------------


async def test_upload_page_shows_plot_reps_and_saves_once(web: Web) -> None:
    page = await web.client.get("/recordings")
    assert page.status_code == 200 and "Recordings" in page.text and "enctype" in page.text
    r = await web.client.post(
        "/recordings",
        data={"csrf_token": web.token, "side": "left", "style": "sets"},
        files={"file": ("sensorlogger.zip", zip_bytes(), "application/zip")},
    )
    assert r.status_code == 200, r.text[:500]
    assert "14 soleus pushups" in r.text and "<svg" in r.text and "Save as session" in r.text
    assert "<script" not in r.text.split("<svg", 1)[1].split("</svg>", 1)[0]
    digest = r.text.split('name="upload" value="', 1)[1].split('"', 1)[0]
    saved = await web.form(
        "/recordings/save",
        {"upload": digest, "name": "sensorlogger.zip", "side": "left", "style": "sets"},
    )
    assert saved.status_code == 303  # POST-redirect-GET: a reload does not save again
    saved = await web.client.get(saved.headers["location"])
    assert "logged 14 soleus pushups (8 + 6)" in saved.text
    again = await web.client.post(
        "/recordings",
        data={"csrf_token": web.token},
        files={"file": ("copy.zip", zip_bytes(), "application/zip")},
    )
    assert "already logged" in again.text and "Save as session" not in again.text
    assert session_count(web) == 1


async def test_api_analyze_then_log_raw_body(web: Web) -> None:
    raw = zip_bytes()
    headers = {**web.h, "content-type": "application/octet-stream"}
    r = await web.client.post("/api/recordings/analyze?name=a.zip", content=raw, headers=headers)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["count"] == analyze(recording()).count == 14 and body["upload"]
    assert session_count(web) == 0
    logged = await web.client.post("/api/recordings?side=right", content=raw, headers=headers)
    assert logged.status_code == 201 and logged.json()["sets"] == [8, 6]
    twice = await web.client.post("/api/recordings", content=raw, headers=headers)
    assert twice.status_code == 200 and twice.json()["duplicate"] is True
    saved = await web.post("/api/recordings/save", {"upload": body["upload"]})
    assert saved.status_code == 200 and saved.json()["duplicate"] is True
    assert session_count(web) == 1


async def test_bad_uploads_are_refused_and_nothing_is_saved(web: Web) -> None:
    headers = {**web.h, "content-type": "text/csv"}
    unknown = await web.client.post("/api/recordings", content=b"foo,bar\n1,2\n", headers=headers)
    assert unknown.status_code == 400 and "unknown format" in unknown.json()["error"]
    empty = await web.client.post("/api/recordings/analyze", content=b"", headers=headers)
    assert empty.status_code == 400
    no_csrf = await web.client.post(
        "/api/recordings", content=zip_bytes(), headers={"content-type": "application/zip"}
    )
    assert no_csrf.status_code == 403 and "CSRF" in no_csrf.json()["error"]
    form_no_csrf = await web.client.post(
        "/recordings", files={"file": ("a.zip", zip_bytes(), "application/zip")}
    )
    assert form_no_csrf.status_code == 403
    too_big = await web.client.post(
        "/api/recordings",
        content=b"x",
        headers={**headers, "content-length": str(33 * 1024 * 1024)},
    )
    assert too_big.status_code == 413
    page = await web.client.post(
        "/recordings",
        data={"csrf_token": web.token},
        files={"file": ("notes.txt", b"hello, world\n", "text/plain")},
    )
    assert page.status_code == 400 and "unknown format" in page.text
    assert session_count(web) == 0
    assert not (web.settings.data_dir / "recordings").exists()


async def test_short_or_sensorless_uploads_show_the_reason_not_an_empty_plot(web: Web) -> None:
    from pathlib import Path

    fix = Path(__file__).parent.parent / "fixtures" / "recordings"
    for name, words in (
        ("generic.csv", "too short to analyse (0.4 s; at least 5 s needed"),
        ("phyphox.xlsx", "too short to analyse (0.2 s"),  # read: Excel is phyphox's default
        ("physicstoolbox_magnetometer.csv", "no accelerometer or gyroscope columns"),
        ("generic_one_sample.csv", "only 1 sample"),
        ("empty.csv", "empty.csv: the file is empty"),
    ):
        page = await web.client.post(
            "/recordings",
            data={"csrf_token": web.token},
            files={"file": (name, (fix / name).read_bytes(), "text/csv")},
        )
        assert page.status_code == 400, name
        assert words in page.text, name
        assert "recording-plot" not in page.text and "Save as session" not in page.text
    api = await web.client.post(
        "/api/recordings/analyze?name=generic.csv",
        content=(fix / "generic.csv").read_bytes(),
        headers={**web.h, "content-type": "text/csv"},
    )
    assert api.status_code == 400 and "too short to analyse" in api.json()["error"]
    assert session_count(web) == 0


async def test_openapi_lists_the_recording_routes(web: Web) -> None:
    doc = (await web.client.get("/openapi.json")).json()
    assert "post" in doc["paths"]["/api/recordings"]
    push = doc["paths"]["/api/live/sensorlogger"]["post"]
    assert push["security"] == [{"ingestToken": []}]
    assert "get" in doc["paths"]["/api/live/{id}"]


# -- Sensor Logger push -----------------------------------------------------------------


def pushes(rec: Recording, chunk_s: float = 1.0) -> Iterator[dict[str, Any]]:
    """Sensor Logger push messages of a recording, ``chunk_s`` seconds each."""
    assert rec.t_acc is not None and rec.acc is not None
    assert rec.t_gyro is not None and rec.gyro is not None
    items = []
    for name, t, v in (
        ("totalacceleration", rec.t_acc, rec.acc),
        ("gyroscope", rec.t_gyro, rec.gyro),
    ):
        for ti, (x, y, z) in zip(t.tolist(), v.tolist(), strict=True):
            items.append((ti, name, x, y, z))
    items.sort(key=lambda i: i[0])
    edges = np.arange(0.0, rec.end + chunk_s, chunk_s)
    k = 0
    for message, hi in enumerate(edges[1:]):
        batch = []
        while k < len(items) and items[k][0] < hi:
            ti, name, x, y, z = items[k]
            batch.append(
                {
                    "name": name,
                    "time": EPOCH_NS + round(ti * 1e9),
                    "accuracy": 3,
                    "values": {"x": x, "y": y, "z": z},
                }
            )
            k += 1
        yield {"messageId": message, "sessionId": "rec-1", "deviceId": "phone-1", "payload": batch}


async def test_sensorlogger_push_counts_like_the_batch_analysis(web: Web) -> None:
    token = live.ingest_token(web.ctx)
    page = await web.client.get("/recordings")
    assert token in page.text and "--allow-host" in page.text
    test_push = await web.client.post(
        f"/api/live/sensorlogger?token={token}",
        json={"messageId": 0, "sessionId": "x", "deviceId": "d", "payload": []},
    )
    assert test_push.status_code == 200 and test_push.json()["status"] == "ok"
    seen = []
    for message in pushes(recording(), 1.0):
        r = await web.client.post(
            "/api/live/sensorlogger",
            json=message,
            headers={"authorization": f"Bearer {token}"},
        )
        assert r.status_code == 200, r.text
        seen.append(r.json()["count"])
    stream_id = r.json()["id"]
    assert seen == sorted(seen) and seen[-1] >= 12
    state = (await web.client.get(f"/api/live/{stream_id}")).json()
    assert state["status"] == "active" and state["source"] == "sensorlogger"
    stopped = await web.client.post(f"/api/live/{stream_id}/stop", headers=web.h)
    final = stopped.json()
    assert final["status"] == "stopped"
    assert final["count"] == analyze(recording()).count == 14
    assert [b["count"] for b in final["bouts"]] == [8, 6]
    saved = await web.client.post(f"/api/live/{stream_id}/save", headers=web.h)
    assert saved.status_code == 201 and saved.json()["count"] == 14
    assert session_count(web) == 1


async def test_sensorlogger_push_needs_the_token(web: Web) -> None:
    live.ingest_token(web.ctx)
    message = next(pushes(recording()))
    r = await web.client.post("/api/live/sensorlogger", json=message)
    assert r.status_code == 401 and "token" in r.json()["error"]
    r = await web.client.post("/api/live/sensorlogger?token=wrong", json=message)
    assert r.status_code == 401
    r = await web.client.post(
        f"/api/live/sensorlogger?token={live.ingest_token(web.ctx)}", content=b"{not json"
    )
    assert r.status_code == 400
    assert (await web.client.get("/api/live/latest")).json() == {"stream": None}


async def test_the_host_check_lets_the_chosen_lan_address_through(web: Web) -> None:
    import httpx

    from soleus.web.app import create_app

    app = create_app(
        web.settings, web.ctx.store, web.clock, bind_host="0.0.0.0", allowed_hosts=["192.168.1.20"]
    )
    transport = httpx.ASGITransport(app=app)
    token = live.ingest_token(web.ctx)
    async with httpx.AsyncClient(transport=transport, base_url="http://192.168.1.20:8000") as c:
        ok = await c.post(f"/api/live/sensorlogger?token={token}", json={"payload": []})
        assert ok.status_code == 200
    async with httpx.AsyncClient(transport=transport, base_url="http://10.0.0.9:8000") as c:
        refused = await c.post(f"/api/live/sensorlogger?token={token}", json={"payload": []})
        assert refused.status_code == 400


# -- phyphox ----------------------------------------------------------------------------


NAMES = ("accX", "accY", "accZ", "acc_time")


class FakePhyphox:
    """A real HTTP server speaking phyphox's remote-access protocol on 127.0.0.1."""

    def __init__(self, rec: Recording, seconds_per_get: float = 4.0) -> None:
        assert rec.t_acc is not None and rec.acc is not None
        self.t, self.acc = rec.t_acc, rec.acc
        self.available = 0.0  # seconds of data "measured" so far
        self.step = seconds_per_get
        self.measuring = False
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                url = urllib.parse.urlsplit(self.path)
                query = urllib.parse.parse_qs(url.query, keep_blank_values=True)
                if url.path == "/config":
                    body: Any = {
                        "title": "Acceleration (with g)",
                        "buffers": [
                            {"name": n, "size": 0} for n in ("accX", "accY", "accZ", "acc_time")
                        ],
                        "inputs": [{"source": "accelerometer", "outputs": []}],
                    }
                elif url.path == "/control":
                    fake.measuring = query.get("cmd") == ["start"] or fake.measuring
                    body = {"result": True}
                elif url.path == "/get":
                    body = fake.get(query)
                else:
                    self.send_error(404)
                    return
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.server.server_address[1]}"

    def get(self, query: dict[str, list[str]]) -> dict[str, Any]:
        if self.measuring:
            self.available += self.step
        shown = self.t <= self.available
        buffers = {}
        for name, values in query.items():
            spec = values[0]
            threshold = spec.split("|")[0]
            sel = shown.copy()
            if threshold not in ("", "full"):
                sel &= self.t > float(threshold)
            col = {
                "acc_time": self.t,
                "accX": self.acc[:, 0],
                "accY": self.acc[:, 1],
                "accZ": self.acc[:, 2],
            }[name]
            buffers[name] = {"size": 0, "updateMode": "partial", "buffer": col[sel].tolist()}
        status = {"session": "abc", "measuring": self.measuring, "timedRun": False, "countDown": 0}
        return {"buffer": buffers, "status": status}

    def __enter__(self) -> FakePhyphox:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def acc_only() -> Recording:
    rec = recording()
    return Recording(format="phyphox", t_acc=rec.t_acc, acc=rec.acc)


def join_pollers() -> None:
    for t in threading.enumerate():
        if t.name == "soleus-phyphox":
            t.join(timeout=5)


async def test_phyphox_polling_counts_like_the_batch_analysis(web: Web) -> None:
    rec = acc_only()
    with FakePhyphox(rec) as phone:
        r = await web.post("/api/live", {"source": "phyphox", "address": phone.address})
        assert r.status_code == 201, r.text
        stream_id = r.json()["id"]
        assert phone.measuring  # soleus started the measurement
        deadline = time.monotonic() + 30
        state: dict[str, Any] = {}
        while time.monotonic() < deadline:
            state = (await web.client.get(f"/api/live/{stream_id}")).json()
            if state["seconds"] >= rec.end - 0.05 or state["status"] != "active":
                break
            time.sleep(0.1)
        assert state["status"] == "active" and state["error"] is None
        stopped = (await web.client.post(f"/api/live/{stream_id}/stop", headers=web.h)).json()
        join_pollers()
    assert stopped["count"] == analyze(rec).count == 14


async def test_phyphox_unreachable_is_a_clear_error(web: Web) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    r = await web.post("/api/live", {"source": "phyphox", "address": f"127.0.0.1:{port}"})
    assert r.status_code == 502 and "cannot reach phyphox" in r.json()["error"]
    page = await web.form("/recordings/live", {"action": "phyphox", "address": f"127.0.0.1:{port}"})
    assert page.status_code == 400 and "cannot reach phyphox" in page.text
    assert (await web.client.get("/api/live/latest")).json() == {"stream": None}


async def test_a_video_upload_shows_the_heel_and_saves_once(web: Web, tmp_path: Any) -> None:
    require_module("mediapipe", "the video extra (mediapipe): pip install -e '.[video]'")
    require_module("cv2", "the video extra (opencv): pip install -e '.[video]'")
    from soleus.video import synthetic

    clip = tmp_path / "feet.mp4"
    synthetic.write(clip, 5)
    r = await web.client.post(
        "/recordings",
        data={"csrf_token": web.token, "side": "left"},
        files={"file": ("feet.mp4", clip.read_bytes(), "video/mp4")},
    )
    assert r.status_code == 200, r.text[:500]
    assert "5 soleus pushups" in r.text and "Heel height" in r.text and "frames/s" in r.text
    assert "toes rose" in r.text and "Save as session" in r.text
    digest = r.text.split('name="upload" value="', 1)[1].split('"', 1)[0]
    waiting = web.settings.data_dir / "recordings" / "uploads" / f"{digest}.mp4"
    assert waiting.is_file()
    saved = await web.form(
        "/recordings/save", {"upload": digest, "name": "feet.mp4", "side": "left", "style": "sets"}
    )
    assert saved.status_code == 303  # POST-redirect-GET: a reload does not save again
    saved = await web.client.get(saved.headers["location"])
    assert "logged 5 soleus pushups" in saved.text
    assert not waiting.exists()
    assert (web.settings.data_dir / "recordings" / f"{digest}.mp4").is_file()
    assert session_count(web) == 1
    broken = await web.client.post(
        "/recordings",
        data={"csrf_token": web.token},
        files={"file": ("broken.mp4", b"\x00\x00\x00\x18ftypmp42 and then nothing", "video/mp4")},
    )
    assert broken.status_code == 400 and "broken.mp4: cannot read this video" in broken.text
    assert "/uploads/" not in broken.text
    assert list((web.settings.data_dir / "recordings" / "uploads").iterdir()) == []
    # the API: analyse, then log a raw body named like a video
    headers = {**web.h, "content-type": "video/mp4"}
    other = tmp_path / "other.mp4"
    synthetic.write(other, 4)
    api = await web.client.post(
        "/api/recordings/analyze?name=other.mp4", content=other.read_bytes(), headers=headers
    )
    assert api.status_code == 200, api.text
    assert api.json()["count"] == 4 and api.json()["source"] == "video" and api.json()["upload"]
    logged = await web.client.post(
        "/api/recordings?name=other.mp4&side=right", content=other.read_bytes(), headers=headers
    )
    assert logged.status_code == 201 and logged.json()["count"] == 4
    twice = await web.client.post(
        "/api/recordings?name=other.mp4", content=other.read_bytes(), headers=headers
    )
    assert twice.status_code == 200 and twice.json()["duplicate"] is True
    assert session_count(web) == 2
    assert list((web.settings.data_dir / "recordings" / "uploads").iterdir()) == []


async def test_an_empty_file_is_called_empty_not_missing(web: Web) -> None:
    empty = await web.client.post(
        "/recordings",
        data={"csrf_token": web.token},
        files={"file": ("walk.csv", b"", "text/csv")},
    )
    assert empty.status_code == 400
    assert "walk.csv: the file is empty" in empty.text and "choose a" not in empty.text
    none = await web.client.post(
        "/recordings",
        data={"csrf_token": web.token},
        files={"file": ("", b"", "application/octet-stream")},
    )
    assert none.status_code == 400 and "choose a recording file to upload" in none.text
