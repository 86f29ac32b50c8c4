"""Recordings in the web app: upload a phone recording or a video, see its analysis,
save it as a session (pages and API; live counting is :mod:`.live`)."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute

from soleus.errors import SoleusError
from soleus.services.recordings import calibration, live
from soleus.services.recordings import library as recordings
from soleus.web.errors import ApiError
from soleus.web.multipart import parse_multipart
from soleus.web.requests import (
    CSRF_FIELD,
    CSRF_HEADER,
    check_csrf,
    form_body,
    json_object,
)
from soleus.web.routing import ApiRoute, PageRoute
from soleus.web.security import MIB
from soleus.web.serialize import Json
from soleus.web.state import context_of, render_page

RECORDING_LIMIT = 32 * MIB


RULE_WORDS = {
    "incomplete_range": "Range",
    "held_release": "Release",
    "slow_release": "Release",
    "cadence": "Pace",
    "pause": "Pause",
    "whole_leg_lift": "Whole-leg lift",
}


async def read_upload(
    request: Request, *, csrf_from_form: bool
) -> tuple[bytes, str, dict[str, str]]:
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


def page_context(request: Request) -> dict[str, Any]:
    ctx = context_of(request)
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
        "calibration": calibration.current(ctx),
        "calibrated": request.query_params.get("calibrated") == "1",
    }


async def page(request: Request) -> Response:
    if request.method == "GET":
        return render_page(request, "recordings.html", page_context(request))
    context = page_context(request)
    try:
        raw, name, fields = await read_upload(request, csrf_from_form=True)
        side = recordings.check_side(fields.get("side"))
        style = recordings.check_style(fields.get("style"))
        if recordings.is_video_upload(name):
            return await _video_page(request, context, raw, name, side=side, style=style)
        own = calibration.current(context_of(request))
        checked = recordings.read(raw, name, style=style, side=side, calibration=own)
    except (SoleusError, ApiError) as error:
        status = error.status if isinstance(error, ApiError) else 400
        if status == 403:
            raise
        context["error"] = str(error) if isinstance(error, SoleusError) else error.message
        return render_page(request, "recordings.html", context, status=status)
    from soleus.web.charts.recording import render

    ctx = context_of(request)
    if checked.analysis.count:
        recordings.hold_upload(ctx, raw, checked)
    context.update(
        checked=checked,
        result=checked.analysis,
        plot=render(checked.recording, checked.analysis),
        already=recordings.logged_session(ctx, checked),
    )
    return render_page(request, "recordings_result.html", context)


async def _video_page(
    request: Request,
    context: dict[str, Any],
    raw: bytes,
    name: str,
    *,
    side: str | None,
    style: str | None,
) -> Response:
    """A side-view video of the feet: the pose tracker runs in a worker thread (it takes
    about as long as the clip), the clip waits under its hash until it is saved."""
    from soleus.web.charts.recording import render_video

    ctx = context_of(request)
    try:
        checked = await _video(request, raw, name, style=style, side=side)
    except SoleusError as error:
        context["error"] = str(error)
        return render_page(request, "recordings.html", context, status=400)
    context.update(
        checked=checked,
        result=checked.analysis,
        plot=render_video(checked.analysis),
        already=recordings.logged_session(ctx, checked),
        video=True,
    )
    return render_page(request, "recordings_result.html", context)


async def save_page(request: Request) -> Response:
    form = await form_body(request)
    ctx = context_of(request)
    context = page_context(request)
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
        return render_page(request, "recordings.html", context, status=400)
    return after_save(logged)


def after_save(logged: recordings.Logged) -> Response:
    """POST-redirect-GET: reloading the page shows the message, it does not save again."""
    query = "already=1" if logged.duplicate else f"saved={logged.session_id}"
    return RedirectResponse(f"/recordings?{query}#saved", status_code=303)


async def api_analyze(request: Request) -> Response:
    raw, name, fields = await read_upload(request, csrf_from_form=False)
    style, side = fields.get("style"), fields.get("side")
    if recordings.is_video_upload(name):
        video = await _video(request, raw, name, style=style, side=side)
        data = video.analysis.to_dict()
        data.update(upload=video.digest, name=video.name)
        return Json(data)
    own = calibration.current(context_of(request))
    checked = recordings.read(raw, name, style=style, side=side, calibration=own)
    if checked.analysis.count:
        recordings.hold_upload(context_of(request), raw, checked)
    return Json(_analysis_view(checked))


async def _video(
    request: Request, raw: bytes, name: str, *, style: str | None, side: str | None
) -> recordings.CheckedVideo:
    """Hold an uploaded video and analyse it in a worker thread; dropped unless it has reps."""
    ctx = context_of(request)
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
    raw, name, fields = await read_upload(request, csrf_from_form=False)
    style, side = fields.get("style"), fields.get("side")
    if recordings.is_video_upload(name):
        video = await _video(request, raw, name, style=style, side=side)
        logged = await run_in_threadpool(recordings.log_video, context_of(request), video)
        recordings.drop_upload(context_of(request), video.digest)  # kept under recordings/ now
    else:
        logged = recordings.log(context_of(request), raw, name, side=side, style=style)
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
        context_of(request),
        digest,
        name=str(name)[:200],
        side=data.get("side"),
        style=str(data.get("style") or "sets"),
    )
    return Json(
        {"session_id": logged.session_id, "duplicate": logged.duplicate, "count": logged.count},
        status_code=200 if logged.duplicate else 201,
    )


FILE_BODY = {
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
FILE_PARAMS = [
    {"name": "name", "in": "query", "schema": {"type": "string"}},
    {"name": "side", "in": "query", "schema": {"enum": ["left", "right"]}},
    {"name": "style", "in": "query", "schema": {"enum": ["sets", "bout"], "default": "sets"}},
]
SAVE_BODY = {
    "type": "object",
    "required": ["upload"],
    "properties": {
        "upload": {"type": "string"},
        "name": {"type": "string"},
        "side": {"enum": ["left", "right"]},
        "style": {"enum": ["sets", "bout"]},
    },
}


def routes() -> list[BaseRoute]:
    """The recording pages and API."""
    return [
        PageRoute(
            "/recordings",
            page,
            name="recordings",
            methods=["GET", "POST"],
            body_limit=RECORDING_LIMIT,
        ),
        PageRoute("/recordings/save", save_page, name="recordings_save_page", methods=["POST"]),
        ApiRoute(
            "/api/recordings",
            api_log,
            "POST",
            "recordings_log",
            "Analyse a recording (or a video named .mp4 .mov .webm ...) and log it "
            "as a session (once per file)",
            query=FILE_PARAMS,
            request_body=FILE_BODY,
            body_limit=RECORDING_LIMIT,
        ),
        ApiRoute(
            "/api/recordings/analyze",
            api_analyze,
            "POST",
            "recordings_analyze",
            "Analyse a recording or a video: reps, bouts and form findings (nothing logged)",
            query=FILE_PARAMS,
            request_body=FILE_BODY,
            body_limit=RECORDING_LIMIT,
        ),
        ApiRoute(
            "/api/recordings/save",
            api_save,
            "POST",
            "recordings_save",
            "Log an analysed upload as a session",
            body=SAVE_BODY,
        ),
    ]
