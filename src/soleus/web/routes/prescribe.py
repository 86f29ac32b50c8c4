"""Prescribing (accounts mode): a clinician's page for one of their patients, the routine
builder's blocks with progression steps (services/prescriptions/builder.py checks it;
its draft API answers prescribe.js as the clinician types), and stopping the plan. Who
may is decided by ``services.accounts.access`` alone (``patient_context``; the draft API,
which reads no records, ``require_patient``): anyone else gets 404.
The patient's own choices: missed-session emails and the calendar feed."""

from __future__ import annotations

from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute

from soleus.domain.prescription import WEEKDAYS, days_words
from soleus.errors import NotFound, SoleusError
from soleus.services.accounts import access, people
from soleus.services.context import Context
from soleus.services.prescriptions import builder as rx_builder
from soleus.services.prescriptions import feed, missed, plan
from soleus.services.prescriptions.builder import RxChecked, RxDraft
from soleus.services.routines.builder import KINDS, SIDES
from soleus.web.errors import ApiError
from soleus.web.requests import form_body, json_object
from soleus.web.routes.account import signed_in
from soleus.web.routes.builder import moved
from soleus.web.routing import ApiRoute, PageRoute
from soleus.web.serialize import Json
from soleus.web.state import base_context, context_of, render_page


def _page(
    request: Request,
    patient_id: str,
    draft: RxDraft,
    *,
    checked: RxChecked | None = None,
    focus: str | None = None,
    saving_failed: bool = False,
    status: int = 200,
) -> Response:
    """The prescribe page: the routine builder's blocks, each with its steps."""
    actor = signed_in(request)
    ctx = base_context(request)
    patient = access.patient_context(ctx, actor, patient_id, write=False)
    checked = checked or rx_builder.check(ctx, draft, patient_id=patient.person_id)
    context = {
        "nav_active": "People",
        "patient_id": patient_id,
        "patient_name": people.label(patient),
        "current": plan.current(patient),
        "draft": draft,
        "checked": checked,
        "errors": {p.key: p.message for p in checked.problems},
        "first_problem": checked.problems[0] if saving_failed and checked.problems else None,
        "more_problems": len(checked.problems) - 1,
        "catalog": ctx.catalog,
        "exercises": list(ctx.catalog.values()),
        "routines": list(ctx.routines.values()),
        "weekdays": WEEKDAYS,
        "days_words": days_words,
        "kinds": KINDS,
        "sides": SIDES,
        "whens": rx_builder.WHEN,
        "focus": focus,
        "saved": request.query_params.get("saved") == "1",
        "stopped": request.query_params.get("stopped") == "1",
    }
    return render_page(request, "prescribe.html", context, status)


def _start(request: Request, patient: Context, source: str | None) -> RxDraft:
    """The draft a GET starts from: a routine (``?from=ID``), nothing (``?from=scratch``),
    else (``?from=current`` or none) the current plan (the next one starts as a copy of
    it) or nothing."""
    ctx = base_context(request)
    today = patient.today()
    if source and source not in ("scratch", "current"):
        if source not in ctx.routines:
            raise NotFound(f"from: no routine {source!r}")
        return rx_builder.from_routine(ctx.routines[source], ctx.catalog, today)
    current = None if source == "scratch" else plan.current(patient)
    if current is not None:
        return rx_builder.from_prescription(current, ctx.catalog)
    return RxDraft(start=today.isoformat())


def _apply(ctx: Context, draft: RxDraft, action: str) -> str | None:
    """A structural button (add, move, remove an exercise; add or remove a step) on
    ``draft``; the element to focus after the page comes back."""
    verb, _, arg = action.partition(":")
    items = draft.items
    if verb == "add":
        if len(items) >= rx_builder.MAX_ITEMS:
            raise ApiError(400, f"exercises: a plan has at most {rx_builder.MAX_ITEMS}")
        try:
            items.append(rx_builder.new_item(ctx, arg))
        except SoleusError as problem:
            raise ApiError(400, str(problem)) from None
        return f"b{len(items) - 1}-title"
    if verb in ("up", "down", "remove"):
        return moved(items, action)
    parts = arg.split(":")
    if not all(p.isascii() and p.isdigit() and len(p) < 6 for p in parts):
        return None
    if int(parts[0]) >= len(items):
        return None
    k = int(parts[0])
    steps = items[k].steps
    if verb == "add-step":
        if len(steps) >= rx_builder.MAX_STEPS:
            raise ApiError(400, f"steps: an exercise has at most {rx_builder.MAX_STEPS} steps")
        rx_builder.add_step(items[k])
        return f"b{k}-s{len(steps) - 1}-title"
    if verb == "remove-step" and len(parts) == 2 and int(parts[1]) < len(steps):
        del steps[int(parts[1])]
        return f"b{k}-s{max(0, int(parts[1]) - 1)}-title" if steps else f"b{k}-add-step"
    return None


async def prescribe_page(request: Request) -> Response:
    """The prescribe page; every button a plain form submit (prescribe.js improves it)."""
    patient_id = request.path_params["person_id"]
    actor = signed_in(request)
    ctx = base_context(request)
    patient = access.patient_context(ctx, actor, patient_id, write=request.method == "POST")
    if request.method == "GET":
        draft = _start(request, patient, request.query_params.get("from"))
        return _page(request, patient_id, draft)
    form = await form_body(request)
    action = form.get("action", "check")
    if action == "start-from":
        return RedirectResponse(
            f"/patients/{patient_id}/prescribe?from={quote(form.get('from', ''))}",
            status_code=303,
        )
    draft = rx_builder.from_form(form)
    if action != "save":
        focus = None if action == "check" else _apply(ctx, draft, action)
        return _page(request, patient_id, draft, focus=focus)
    checked = rx_builder.check(ctx, draft, patient_id=patient.person_id)
    if checked.rx is None:
        return _page(request, patient_id, draft, checked=checked, saving_failed=True, status=400)
    plan.save(ctx, actor, patient_id, checked.rx)
    return RedirectResponse(f"/patients/{patient_id}/prescribe?saved=1", status_code=303)


async def prescribe_draft(request: Request) -> Response:
    """The prescribe form's fields checked: every problem at its element, the steps in
    words and the first day's length (what the page shows as the clinician types)."""
    patient_id = request.path_params["person_id"]
    actor = signed_in(request)
    ctx = base_context(request)
    access.require_patient(ctx, actor, patient_id)  # none of their records is read
    data = await json_object(request)
    if len(data) > 5000 or not all(isinstance(v, str) for v in data.values()):
        raise ApiError(400, "the body is the form's fields, each a string")
    checked = rx_builder.check(ctx, rx_builder.from_form(data), patient_id=patient_id)
    return Json(
        {
            "ok": checked.rx is not None,
            "problems": [
                {"key": p.key, "message": p.message, "label": p.label} for p in checked.problems
            ],
            "steps": list(checked.steps),
            "estimate": checked.estimate,
        }
    )


async def stop_page(request: Request) -> Response:
    """Stopping the patient's plan: a confirmation page, then the stop (audited)."""
    patient_id = request.path_params["person_id"]
    actor = signed_in(request)
    ctx = base_context(request)
    patient = access.patient_context(ctx, actor, patient_id, write=request.method == "POST")
    if request.method == "POST":
        await form_body(request)  # the CSRF check
        if not plan.stop(ctx, actor, patient_id):
            raise NotFound("no current plan to stop")
        return RedirectResponse(f"/patients/{patient_id}/prescribe?stopped=1", status_code=303)
    current = plan.current(patient)
    context = {
        "nav_active": "People",
        "patient_id": patient_id,
        "patient_name": people.label(patient),
        "current": current,
        "days_words": days_words,
        "catalog": ctx.catalog,
    }
    return render_page(request, "prescribe_stop.html", context, 200 if current else 404)


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
    data = feed.ics_for(base_context(request), token)
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
        PageRoute(
            "/patients/{person_id}/prescribe/stop",
            stop_page,
            name="prescribe_stop",
            methods=["GET", "POST"],
        ),
        ApiRoute(
            "/api/patients/{person_id}/prescribe/draft",
            prescribe_draft,
            "POST",
            "check_prescription_draft",
            "Check a plan being prescribed: every problem at its field, the steps in words",
            body={
                "type": "object",
                "description": "the prescribe form's fields by name: start, order, b0-s1-sets ...",
                "additionalProperties": {"type": "string"},
                "maxProperties": 5000,
            },
        ),
    ]
