"""Recordings in the web app: upload and save, and live counting from the phone.

Pages: ``/recordings`` (upload form, live counting), ``POST /recordings`` (the
analysis of an upload: plot, reps, findings, "Save as session"), ``POST
/recordings/save``. API: analyse or log a recording (raw body or multipart), start,
read, stop and save live streams, and ``POST /api/live/sensorlogger`` where Sensor
Logger pushes (authenticated by the person's ingest token, not by CSRF).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from soleus.errors import SoleusError
from soleus.services.context import Context
from soleus.services.recordings import library as recordings
from soleus.services.recordings import live
from soleus.services.recordings import phones as live_phones
from soleus.web.errors import ApiError
from soleus.web.requests import CSRF_FIELD, CSRF_HEADER, check_csrf, form_body, json_object
from soleus.web.security import MIB
from soleus.web.serialize import Json
from soleus.web.state import get_state

RECORDING_LIMIT = 32 * MIB
PUSH_LIMIT = 8 * MIB
BODY_LIMITS = {
    "/recordings": RECORDING_LIMIT,
    "/api/recordings": RECORDING_LIMIT,
    "/api/recordings/analyze": RECORDING_LIMIT,
    "/api/live/sensorlogger": PUSH_LIMIT,
}
RULE_WORDS = {
    "incomplete_range": "Range",
    "held_release": "Release",
    "slow_release": "Release",
    "cadence": "Pace",
    "pause": "Pause",
    "whole_leg_lift": "Whole-leg lift",
}
_BOUNDARY = re.compile(r'boundary="?([^";]+)"?', re.IGNORECASE)


def _ctx(request: Request) -> Context:
    return get_state(request).ctx()


def _render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    response: Response = get_state(request).render(request, name, context, status=status)
    return response


# -- reading uploads --------------------------------------------------------------------


def parse_multipart(body: bytes, content_type: str) -> dict[str, tuple[str | None, bytes]]:
    """Fields of a multipart/form-data body: name -> (file name or None, bytes)."""
    match = _BOUNDARY.search(content_type)
    if not match:
        raise ApiError(400, "multipart body without a boundary")
    delimiter = b"--" + match[1].encode("latin-1")
    fields: dict[str, tuple[str | None, bytes]] = {}
    for part in body.split(delimiter)[1:]:
        if part.startswith(b"--"):
            break
        head, sep, content = part.partition(b"\r\n\r\n")
        if not sep:
            raise ApiError(400, "malformed multipart body")
        if content.endswith(b"\r\n"):
            content = content[:-2]
        disposition = ""
        for line in head.decode("utf-8", "replace").split("\r\n"):
            if line.lower().startswith("content-disposition:"):
                disposition = line
        name = re.search(r'\bname="([^"]*)"', disposition)
        filename = re.search(r'\bfilename="([^"]*)"', disposition)
        if name:
            fields[name[1]] = (filename[1] if filename else None, content)
    return fields


async def _upload(request: Request, *, csrf_from_form: bool) -> tuple[bytes, str, dict[str, str]]:
    """The file of an upload (multipart or raw body), its name, and the other fields."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if not csrf_from_form or media != "multipart/form-data":
        check_csrf(request, request.headers.get(CSRF_HEADER))
    body = await request.body()
    fields: dict[str, str] = dict(request.query_params)
    if media == "multipart/form-data":
        parts = parse_multipart(body, request.headers.get("content-type", ""))
        for key, (filename, value) in parts.items():
            if filename is None:
                fields[key] = value.decode("utf-8", "replace")
        if csrf_from_form:
            check_csrf(request, fields.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER))
        files = [(f, v) for f, v in parts.values() if f is not None]
        if not files or (not files[0][0] and not files[0][1]):
            raise ApiError(400, "choose a recording file to upload")
        filename, raw = files[0]
        if not raw:
            raise ApiError(400, f"{filename}: the file is empty")
        return raw, filename or "recording", fields
    if not body:
        raise ApiError(400, "send the recording as the request body (or as multipart)")
    return body, fields.get("name") or "recording", fields


def _analysis_view(checked: recordings.Checked) -> dict[str, Any]:
    data = checked.analysis.to_dict()
    data["upload"] = checked.digest
    data["name"] = checked.name
    return data


# -- pages ------------------------------------------------------------------------------


def _page_context(request: Request) -> dict[str, Any]:
    ctx = _ctx(request)
    stream = live.latest(ctx)
    host = request.headers.get("host", "127.0.0.1:8000")
    hostname = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    shown = live.view(stream) if stream else None
    saved = request.query_params.get("saved", "")
    return {
        "nav_active": "Recordings",
        "token": live.ingest_token(ctx),
        "push_url": f"{request.url.scheme}://{host}/api/live/sensorlogger",
        "host": host,
        "local_only": hostname in ("127.0.0.1", "localhost", "[::1]", "::1"),
        "stream": shown,
        "unsaved": [s for s in live.unsaved(ctx) if not shown or s["id"] != shown["id"]],
        "saved": recordings.saved_summary(ctx, saved) if 0 < len(saved) <= 64 else None,
        "already_saved": request.query_params.get("already") == "1",
        "sides": recordings.SIDES,
        "styles": recordings.STYLES,
        "rule_words": RULE_WORDS,
    }


async def page(request: Request) -> Response:
    if request.method == "GET":
        return _render(request, "recordings.html", _page_context(request))
    context = _page_context(request)
    try:
        raw, name, fields = await _upload(request, csrf_from_form=True)
        side = recordings.check_side(fields.get("side"))
        style = recordings.check_style(fields.get("style"))
        if recordings.is_video_upload(name):
            return await _video_page(request, context, raw, name, side=side, style=style)
        checked = recordings.read(raw, name, style=style, side=side)
    except (SoleusError, ApiError) as error:
        status = error.status if isinstance(error, ApiError) else 400
        if status == 403:
            raise
        context["error"] = str(error) if isinstance(error, SoleusError) else error.message
        return _render(request, "recordings.html", context, status=status)
    from soleus.web.recording_plot import render

    ctx = _ctx(request)
    if checked.analysis.count:
        recordings.hold_upload(ctx, raw, checked)
    context.update(
        checked=checked,
        result=checked.analysis,
        plot=render(checked.recording, checked.analysis),
        already=recordings.logged_session(ctx, checked),
    )
    return _render(request, "recordings_result.html", context)


async def _video_page(
    request: Request,
    context: dict[str, Any],
    raw: bytes,
    name: str,
    *,
    side: str | None,
    style: str,
) -> Response:
    """A side-view video of the feet: the pose tracker runs in a worker thread (it takes
    about as long as the clip), the clip waits under its hash until it is saved."""
    from soleus.web.recording_plot import render_video

    ctx = _ctx(request)
    try:
        checked = await _video(request, raw, name, style=style, side=side)
    except SoleusError as error:
        context["error"] = str(error)
        return _render(request, "recordings.html", context, status=400)
    context.update(
        checked=checked,
        result=checked.analysis,
        plot=render_video(checked.analysis),
        already=recordings.logged_session(ctx, checked),
        video=True,
    )
    return _render(request, "recordings_result.html", context)


async def save_page(request: Request) -> Response:
    form = await form_body(request)
    ctx = _ctx(request)
    context = _page_context(request)
    try:
        logged = await run_in_threadpool(  # a video is analysed again: not on the event loop
            recordings.save_upload,
            ctx,
            form.get("upload", ""),
            name=form.get("name", "")[:200],
            side=recordings.check_side(form.get("side")),
            style=recordings.check_style(form.get("style")),
        )
    except SoleusError as error:
        context["error"] = str(error)
        return _render(request, "recordings.html", context, status=400)
    return _after_save(logged)


def _after_save(logged: recordings.Logged) -> Response:
    """POST-redirect-GET: reloading the page shows the message, it does not save again."""
    query = "already=1" if logged.duplicate else f"saved={logged.session_id}"
    return RedirectResponse(f"/recordings?{query}#saved", status_code=303)


async def live_page_action(request: Request) -> Response:
    """Forms on the page without JavaScript: start phyphox, stop, save, new token."""
    form = await form_body(request)
    ctx = _ctx(request)
    action = form.get("action", "")
    try:
        if action == "phyphox":
            live_phones.start_phyphox(
                ctx,
                form.get("address", ""),
                side=recordings.check_side(form.get("side")),
                style=recordings.check_style(form.get("style")),
            )
        elif action == "stop":
            live.stop(ctx, form.get("stream", ""))
        elif action == "save":
            if "side" in form or "style" in form:
                live.choose(
                    ctx, form.get("stream", ""), side=form.get("side"), style=form.get("style", "")
                )
            return _after_save(live.save(ctx, form.get("stream", "")))
        elif action == "choose":
            live.choose(
                ctx, form.get("stream", ""), side=form.get("side"), style=form.get("style", "")
            )
        elif action == "token":
            live.new_ingest_token(ctx)
        else:
            raise ApiError(400, f"unknown action {action!r}")
    except SoleusError as error:
        context = _page_context(request)
        context["error"] = str(error)
        return _render(request, "recordings.html", context, status=400)
    return RedirectResponse("/recordings#live", status_code=303)


# -- API: recordings --------------------------------------------------------------------


async def api_analyze(request: Request) -> Response:
    raw, name, fields = await _upload(request, csrf_from_form=False)
    style, side = fields.get("style", "sets"), fields.get("side")
    if recordings.is_video_upload(name):
        video = await _video(request, raw, name, style=style, side=side)
        data = video.analysis.to_dict()
        data.update(upload=video.digest, name=video.name)
        return Json(data)
    checked = recordings.read(raw, name, style=style, side=side)
    if checked.analysis.count:
        recordings.hold_upload(_ctx(request), raw, checked)
    return Json(_analysis_view(checked))


async def _video(
    request: Request, raw: bytes, name: str, *, style: str, side: str | None
) -> recordings.CheckedVideo:
    """Hold an uploaded video and analyse it in a worker thread; dropped unless it has reps."""
    ctx = _ctx(request)
    path = recordings.hold_video(ctx, raw, name)
    digest = path.name.split(".", 1)[0]
    try:
        checked: recordings.CheckedVideo = await run_in_threadpool(
            recordings.read_video, path, style=style, side=side, name=name
        )
    except SoleusError:
        recordings.drop_upload(ctx, digest)
        raise
    if not checked.analysis.count:
        recordings.drop_upload(ctx, digest)
    return checked


async def api_log(request: Request) -> Response:
    raw, name, fields = await _upload(request, csrf_from_form=False)
    style, side = fields.get("style", "sets"), fields.get("side")
    if recordings.is_video_upload(name):
        video = await _video(request, raw, name, style=style, side=side)
        logged = await run_in_threadpool(recordings.log_video, _ctx(request), video)
        recordings.drop_upload(_ctx(request), video.digest)  # kept under recordings/ now
    else:
        logged = recordings.log(_ctx(request), raw, name, side=side, style=style)
    return Json(
        {
            "session_id": logged.session_id,
            "duplicate": logged.duplicate,
            "count": logged.count,
            "sets": list(logged.sets),
            "recording": logged.recording,
            "message": logged.message,
        },
        status_code=200 if logged.duplicate else 201,
    )


async def api_save(request: Request) -> Response:
    data = await json_object(request)
    digest = data.get("upload")
    if not isinstance(digest, str):
        raise ApiError(400, "upload is required (the id from /api/recordings/analyze)")
    name = data.get("name") if isinstance(data.get("name"), str) else ""
    logged = await run_in_threadpool(  # a video is analysed again: not on the event loop
        recordings.save_upload,
        _ctx(request),
        digest,
        name=str(name)[:200],
        side=data.get("side"),
        style=str(data.get("style") or "sets"),
    )
    return Json(
        {"session_id": logged.session_id, "duplicate": logged.duplicate, "count": logged.count},
        status_code=200 if logged.duplicate else 201,
    )


# -- API: live --------------------------------------------------------------------------


async def api_live_start(request: Request) -> Response:
    data = await json_object(request)
    ctx = _ctx(request)
    source = data.get("source")
    side, style = data.get("side"), data.get("style") or "sets"
    if source == "phyphox":
        address = data.get("address")
        if not isinstance(address, str) or not address.strip():
            raise ApiError(400, "address is required: the phone's address shown by phyphox")
        try:
            stream_id = live_phones.start_phyphox(ctx, address, side=side, style=style)
        except SoleusError as error:
            if "cannot reach" in str(error):
                raise ApiError(502, str(error)) from None
            raise
    elif source == "sensorlogger":
        stream_id = live.start(ctx, "sensorlogger", side=side, style=style)
    else:
        raise ApiError(400, 'source must be "sensorlogger" or "phyphox"')
    return Json(live.view(live.get(ctx, stream_id)), status_code=201)


async def api_live_latest(request: Request) -> Response:
    stream = live.latest(_ctx(request))
    return Json({"stream": None if stream is None else live.view(stream)})


async def api_live_get(request: Request) -> Response:
    ctx = _ctx(request)
    stream = live.get(ctx, request.path_params["id"])
    if stream["source"] == "phyphox" and stream["status"] == "active":
        live_phones.ensure_poller(ctx, stream["id"])  # resume it if its poller is gone
    return Json(live.view(stream))


async def api_live_stop(request: Request) -> Response:
    check_csrf(request, request.headers.get(CSRF_HEADER))
    return Json(live.view(live.stop(_ctx(request), request.path_params["id"])))


async def api_live_save(request: Request) -> Response:
    check_csrf(request, request.headers.get(CSRF_HEADER))
    logged = live.save(_ctx(request), request.path_params["id"])
    return Json(
        {"session_id": logged.session_id, "duplicate": logged.duplicate, "count": logged.count},
        status_code=200 if logged.duplicate else 201,
    )


def _push_token(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    return request.query_params.get("token")


async def api_sensorlogger(request: Request) -> Response:
    """Sensor Logger's HTTP push: no CSRF (not a browser), the ingest token instead."""
    ctx = _ctx(request)
    token = _push_token(request)
    try:
        live.person_of_token(ctx, token)
    except live.Unauthorized as error:
        raise ApiError(401, str(error)) from None
    raw = await request.body()
    try:
        message = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as error:
        raise ApiError(400, f"malformed JSON: {error}") from None
    return Json(live_phones.sensorlogger_push(ctx, token, message))


# (path, handler, methods, name): listed in /openapi.json with the rest of the API.
API: list[tuple[str, Callable[[Request], Any], list[str], str]] = [
    ("/api/recordings", api_log, ["POST"], "recordings_log"),
    ("/api/recordings/analyze", api_analyze, ["POST"], "recordings_analyze"),
    ("/api/recordings/save", api_save, ["POST"], "recordings_save"),
    ("/api/live/sensorlogger", api_sensorlogger, ["POST"], "live_sensorlogger"),
    ("/api/live", api_live_start, ["POST"], "live_start"),
    ("/api/live/latest", api_live_latest, ["GET"], "live_latest"),
    ("/api/live/{id}", api_live_get, ["GET"], "live_get"),
    ("/api/live/{id}/stop", api_live_stop, ["POST"], "live_stop"),
    ("/api/live/{id}/save", api_live_save, ["POST"], "live_save"),
]


_FILE_BODY = {
    "required": True,
    "content": {
        "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "properties": {"file": {"type": "string", "format": "binary"}},
            }
        },
    },
}
_FILE_PARAMS = [
    {"name": "name", "in": "query", "schema": {"type": "string"}},
    {"name": "side", "in": "query", "schema": {"enum": ["left", "right"]}},
    {"name": "style", "in": "query", "schema": {"enum": ["sets", "bout"], "default": "sets"}},
]
_LIVE_START = {
    "type": "object",
    "required": ["source"],
    "properties": {
        "source": {"enum": ["sensorlogger", "phyphox"]},
        "address": {"type": "string", "description": "phyphox: the phone's address"},
        "side": {"enum": ["left", "right"]},
        "style": {"enum": ["sets", "bout"]},
    },
}
_PUSH = {
    "type": "object",
    "properties": {
        "messageId": {"type": "integer"},
        "sessionId": {"type": "string"},
        "deviceId": {"type": "string"},
        "payload": {"type": "array", "items": {"type": "object"}},
    },
}
# OpenAPI details of these routes (merged into /openapi.json's operations).
OPENAPI: dict[str, dict[str, Any]] = {
    "recordings_log": {
        "summary": "Analyse a recording (or a video named .mp4 .mov .webm ...) and log it "
        "as a session (once per file)",
        "parameters": _FILE_PARAMS,
        "requestBody": _FILE_BODY,
    },
    "recordings_analyze": {
        "summary": "Analyse a recording or a video: reps, bouts and form findings (nothing logged)",
        "parameters": _FILE_PARAMS,
        "requestBody": _FILE_BODY,
    },
    "recordings_save": {
        "summary": "Log an analysed upload as a session",
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "required": ["upload"],
                        "properties": {
                            "upload": {"type": "string"},
                            "name": {"type": "string"},
                            "side": {"enum": ["left", "right"]},
                            "style": {"enum": ["sets", "bout"]},
                        },
                    }
                }
            },
        },
    },
    "live_sensorlogger": {
        "summary": "Sensor Logger's HTTP push (token in ?token= or Authorization: Bearer)",
        "security": [{"ingestToken": []}],
        "requestBody": {"required": True, "content": {"application/json": {"schema": _PUSH}}},
    },
    "live_start": {
        "summary": "Start live counting (phyphox: soleus polls the phone)",
        "requestBody": {"required": True, "content": {"application/json": {"schema": _LIVE_START}}},
    },
    "live_latest": {"summary": "The newest live stream, if any"},
    "live_get": {"summary": "A live stream: count, reps, bouts and form hints so far"},
    "live_stop": {"summary": "Stop a live stream (the final count)"},
    "live_save": {"summary": "Stop a live stream and log it as a session"},
}


def routes() -> list[Route]:
    return [
        Route("/recordings", page, methods=["GET", "POST"], name="recordings"),
        Route("/recordings/save", save_page, methods=["POST"], name="recordings_save_page"),
        Route("/recordings/live", live_page_action, methods=["POST"], name="recordings_live"),
        *(Route(path, fn, methods=methods, name=name) for path, fn, methods, name in API),
    ]
