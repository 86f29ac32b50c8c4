"""The person's calibration in the web app (issue 12, item 3): three reps uploaded on
the Recordings page, or a live stream's (:mod:`.live`'s "use as my calibration"); shown
there, forgotten on request. The measuring and storing are
:mod:`soleus.services.recordings.calibration`'s."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute

from soleus.errors import SoleusError
from soleus.services.recordings import calibration
from soleus.signal.calibration import Calibration
from soleus.web.errors import ApiError
from soleus.web.requests import CSRF_HEADER, check_csrf, form_body
from soleus.web.routes.recordings import FILE_BODY, RECORDING_LIMIT, page_context, read_upload
from soleus.web.routing import ApiRoute, PageRoute
from soleus.web.serialize import Json
from soleus.web.state import context_of, render_page

CALIBRATED = "/recordings?calibrated=1#calibration"


def as_json(cal: Calibration | None) -> dict[str, Any]:
    return {"calibration": None if cal is None else asdict(cal)}


def page_error(request: Request, error: SoleusError | ApiError) -> Response:
    """The Recordings page again with the one-line error (400; 403 stays a 403)."""
    if isinstance(error, ApiError) and error.status == 403:
        raise error
    context = page_context(request)
    context["error"] = str(error) if isinstance(error, SoleusError) else error.message
    status = error.status if isinstance(error, ApiError) else 400
    return render_page(request, "recordings.html", context, status=status)


async def calibrate_page(request: Request) -> Response:
    try:
        raw, name, _fields = await read_upload(request, csrf_from_form=True)
        calibration.calibrate(context_of(request), raw, name)
    except (SoleusError, ApiError) as error:
        return page_error(request, error)
    return RedirectResponse(CALIBRATED, status_code=303)


async def forget_page(request: Request) -> Response:
    await form_body(request)  # (checks the form's CSRF token)
    calibration.forget(context_of(request))
    return RedirectResponse("/recordings#calibration", status_code=303)


async def api_get(request: Request) -> Response:
    return Json(as_json(calibration.current(context_of(request))))


async def api_calibrate(request: Request) -> Response:
    raw, name, _fields = await read_upload(request, csrf_from_form=False)
    return Json(as_json(calibration.calibrate(context_of(request), raw, name)), status_code=201)


async def api_forget(request: Request) -> Response:
    check_csrf(request, request.headers.get(CSRF_HEADER))
    calibration.forget(context_of(request))
    return Json(as_json(None))


def routes() -> list[BaseRoute]:
    """The calibration's form targets and API."""
    return [
        PageRoute(
            "/recordings/calibrate",
            calibrate_page,
            name="recordings_calibrate",
            methods=["POST"],
            body_limit=RECORDING_LIMIT,
        ),
        PageRoute(
            "/recordings/calibrate/forget",
            forget_page,
            name="recordings_calibrate_forget",
            methods=["POST"],
        ),
        ApiRoute(
            "/api/calibration",
            api_get,
            "GET",
            "calibration_get",
            "Your calibration (own rep height and rhythm), or null",
        ),
        ApiRoute(
            "/api/calibration",
            api_calibrate,
            "POST",
            "calibration_set",
            "Calibrate from a recording of three reps (replaces the one before; "
            "400 with what was found, nothing stored, unless 3-5 clear reps)",
            request_body=FILE_BODY,
            status=201,
            body_limit=RECORDING_LIMIT,
        ),
        ApiRoute(
            "/api/calibration",
            api_forget,
            "DELETE",
            "calibration_forget",
            "Forget your calibration (back to the default thresholds)",
        ),
    ]
