"""Live counting from the phone: Sensor Logger pushes (authenticated by the person's
ingest token, not by CSRF) or soleus polls phyphox; the count is recomputed from the chunks."""

from __future__ import annotations

import json
from dataclasses import asdict

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute

from soleus.errors import SoleusError
from soleus.services.recordings import library as recordings
from soleus.services.recordings import live
from soleus.services.recordings import phones as live_phones
from soleus.web.errors import ApiError
from soleus.web.requests import (
    CSRF_HEADER,
    check_csrf,
    form_body,
    json_object,
)
from soleus.web.routes.recordings import after_save, page_context
from soleus.web.routing import ApiRoute, PageRoute
from soleus.web.security import MIB
from soleus.web.serialize import Json
from soleus.web.state import context_of, render_page

PUSH_LIMIT = 8 * MIB


async def live_page_action(request: Request) -> Response:
    """Forms on the page without JavaScript: start phyphox, stop, save, new token."""
    form = await form_body(request)
    ctx = context_of(request)
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
            return after_save(live.save(ctx, form.get("stream", "")))
        elif action == "choose":
            live.choose(
                ctx, form.get("stream", ""), side=form.get("side"), style=form.get("style", "")
            )
        elif action == "token":
            live.new_ingest_token(ctx)
        elif action == "calibrate":  # the stream's reps as the person's own
            live.calibrate(ctx, form.get("stream", ""))
            return RedirectResponse("/recordings?calibrated=1#calibration", status_code=303)
        else:
            raise ApiError(400, f"unknown action {action!r}")
    except SoleusError as error:
        context = page_context(request)
        context["error"] = str(error)
        return render_page(request, "recordings.html", context, status=400)
    return RedirectResponse("/recordings#live", status_code=303)


async def api_live_start(request: Request) -> Response:
    data = await json_object(request)
    ctx = context_of(request)
    source = data.get("source")
    side, style = data.get("side"), data.get("style") or None
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
    stream = live.latest(context_of(request))
    return Json({"stream": None if stream is None else live.view(stream)})


async def api_live_get(request: Request) -> Response:
    ctx = context_of(request)
    stream = live.get(ctx, request.path_params["id"])
    if stream["source"] == "phyphox" and stream["status"] == "active":
        live_phones.ensure_poller(ctx, stream["id"])  # resume it if its poller is gone
    return Json(live.view(stream))


async def api_live_stop(request: Request) -> Response:
    check_csrf(request, request.headers.get(CSRF_HEADER))
    return Json(live.view(live.stop(context_of(request), request.path_params["id"])))


async def api_live_save(request: Request) -> Response:
    check_csrf(request, request.headers.get(CSRF_HEADER))
    logged = live.save(context_of(request), request.path_params["id"])
    return Json(
        {"session_id": logged.session_id, "duplicate": logged.duplicate, "count": logged.count},
        status_code=200 if logged.duplicate else 201,
    )


async def api_live_calibrate(request: Request) -> Response:
    check_csrf(request, request.headers.get(CSRF_HEADER))
    cal = live.calibrate(context_of(request), request.path_params["id"])
    return Json({"calibration": asdict(cal)}, status_code=201)


def _push_token(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    return request.query_params.get("token")


async def api_sensorlogger(request: Request) -> Response:
    """Sensor Logger's HTTP push: no CSRF (not a browser), the ingest token instead."""
    ctx = context_of(request)
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


PUSH_BODY = {
    "type": "object",
    "properties": {
        "messageId": {"type": "integer"},
        "sessionId": {"type": "string"},
        "deviceId": {"type": "string"},
        "payload": {"type": "array", "items": {"type": "object"}},
    },
}
LIVE_START_BODY = {
    "type": "object",
    "required": ["source"],
    "properties": {
        "source": {"enum": ["sensorlogger", "phyphox"]},
        "address": {"type": "string", "description": "phyphox: the phone's address"},
        "side": {"enum": ["left", "right"]},
        "style": {"enum": ["auto", "sets", "bout"]},
    },
}


def routes() -> list[BaseRoute]:
    """The live-counting form actions and API."""
    return [
        PageRoute("/recordings/live", live_page_action, name="recordings_live", methods=["POST"]),
        ApiRoute(
            "/api/live/sensorlogger",
            api_sensorlogger,
            "POST",
            "live_sensorlogger",
            "Sensor Logger's HTTP push (token in ?token= or Authorization: Bearer)",
            request_body={"required": True, "content": {"application/json": {"schema": PUSH_BODY}}},
            security=[{"ingestToken": []}],
            body_limit=PUSH_LIMIT,
        ),
        ApiRoute(
            "/api/live",
            api_live_start,
            "POST",
            "live_start",
            "Start live counting (phyphox: soleus polls the phone)",
            body=LIVE_START_BODY,
        ),
        ApiRoute(
            "/api/live/latest",
            api_live_latest,
            "GET",
            "live_latest",
            "The newest live stream, if any",
        ),
        ApiRoute(
            "/api/live/{id}",
            api_live_get,
            "GET",
            "live_get",
            "A live stream: count, reps, bouts and form hints so far",
        ),
        ApiRoute(
            "/api/live/{id}/stop",
            api_live_stop,
            "POST",
            "live_stop",
            "Stop a live stream (the final count)",
        ),
        ApiRoute(
            "/api/live/{id}/save",
            api_live_save,
            "POST",
            "live_save",
            "Stop a live stream and log it as a session",
        ),
        ApiRoute(
            "/api/live/{id}/calibrate",
            api_live_calibrate,
            "POST",
            "live_calibrate",
            "Stop a live stream and take its reps (3-5 clear ones) as your calibration",
            status=201,
        ),
    ]
