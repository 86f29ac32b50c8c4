"""Prescribing (accounts mode): a clinician's form for one of their patients. Who may is
decided by ``services.accounts.access.patient_context`` alone (anyone else: 404)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute

from soleus.domain.prescription import WEEKDAYS, PrescriptionProblem, days_words
from soleus.errors import SoleusError
from soleus.services.accounts import access
from soleus.services.prescriptions import feed, missed, plan
from soleus.web.errors import status_of
from soleus.web.requests import form_body
from soleus.web.routes.account import signed_in
from soleus.web.routing import PageRoute
from soleus.web.state import context_of, get_state, render_page

EXERCISE_ROWS = 3
STEP_ROWS = 3


def _page(request: Request, patient_id: str, extra: dict[str, Any], status: int = 200) -> Response:
    actor = signed_in(request)
    ctx = get_state(request).ctx()
    patient = access.patient_context(ctx, actor, patient_id)
    context = {
        "nav_active": "People",
        "patient_id": patient_id,
        "patient_name": patient.person_name,
        "current": plan.current(patient),
        "exercises": list(ctx.catalog.values()),
        "weekdays": WEEKDAYS,
        "exercise_rows": range(EXERCISE_ROWS),
        "step_rows": range(STEP_ROWS),
        "days_words": days_words,
        "form": {},
        **extra,
    }
    return render_page(request, "prescribe.html", context, status)


async def prescribe_page(request: Request) -> Response:
    patient_id = request.path_params["person_id"]
    if request.method == "GET":
        return _page(request, patient_id, {"saved": request.query_params.get("saved") == "1"})
    actor = signed_in(request)
    form = await form_body(request)
    form["days"] = ",".join(d for d in WEEKDAYS if form.get(f"day-{d}") == "on")
    ctx = get_state(request).ctx()
    try:
        plan.prescribe(ctx, actor, patient_id, form)
    except PrescriptionProblem as problem:
        extra = {"error": str(problem), "error_field": problem.field, "form": form}
        return _page(request, patient_id, extra, 400)
    except SoleusError as error:
        if status_of(error) == 400:
            return _page(request, patient_id, {"error": str(error), "form": form}, 400)
        raise
    return RedirectResponse(f"/patients/{patient_id}/prescribe?saved=1", status_code=303)


async def missed_emails(request: Request) -> Response:
    """A patient asks for (or stops) an email when a prescribed day is missed."""
    form = await form_body(request)
    ctx = context_of(request)
    missed.set_opt_in(ctx, form.get("on") == "1")
    return RedirectResponse("/#prescribed", status_code=303)


async def calendar_feed(request: Request) -> Response:
    """The patient's feed URL: made (shown once, an older one stops working) or revoked."""
    form = await form_body(request)
    ctx = context_of(request)
    url = None
    if form.get("action") == "revoke":
        feed.revoke(ctx)
    else:
        base = (ctx.settings.public_url or str(request.base_url)).rstrip("/")
        url = base + feed.create(ctx)
    context = {"nav_active": "Today", "url": url}
    return render_page(request, "calendar_feed.html", context)


async def calendar_ics(request: Request) -> Response:
    """A calendar feed, by its secret (no sign-in: calendar apps cannot)."""
    token = request.path_params["token"]
    data = feed.ics_for(get_state(request).ctx(), token)
    return Response(
        data,
        media_type="text/calendar; charset=utf-8",
        headers={"cache-control": "private, max-age=300"},
    )


def routes() -> list[BaseRoute]:
    """The prescribe form (accounts mode, a patient's clinician) and the patient's
    missed-session email choice."""
    return [
        PageRoute("/prescribed/emails", missed_emails, name="missed_emails", methods=["POST"]),
        PageRoute("/prescribed/calendar", calendar_feed, name="calendar_feed", methods=["POST"]),
        PageRoute("/calendar/{token}.ics", calendar_ics, name="calendar_ics"),
        PageRoute(
            "/patients/{person_id}/prescribe",
            prescribe_page,
            name="prescribe",
            methods=["GET", "POST"],
        ),
    ]
