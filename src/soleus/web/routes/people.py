"""People (admins: the organisation's people; clinicians: their patients) and Audit."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from soleus.errors import Forbidden, SoleusError
from soleus.services.accounts import audit, links, people
from soleus.services.accounts.actor import Actor
from soleus.web.auth import client_of
from soleus.web.errors import status_of
from soleus.web.requests import form_body
from soleus.web.routes.account import signed_in
from soleus.web.routing import PageRoute
from soleus.web.state import base_context, render_page


def _may_manage(actor: Actor) -> None:
    if not (actor.is_admin or actor.has_role("clinician")):
        raise Forbidden("the People page is for admins and clinicians")


def _page(request: Request, actor: Actor, extra: dict[str, Any], status: int = 200) -> Response:
    ctx = base_context(request)
    roles = ["admin", "clinician", "patient"] if actor.is_admin else ["patient"]
    orgs = sorted({r.org_name for r in actor.roles if r.role in ("admin", "clinician")})
    context = {
        "nav_active": "People",
        "people": people.listing(ctx, actor),
        "roles": roles,
        "orgs": orgs,
        "is_admin": actor.is_admin,
        **extra,
    }
    return render_page(request, "people.html", context, status)


async def people_page(request: Request) -> Response:
    actor = signed_in(request)
    _may_manage(actor)
    return _page(request, actor, {})


async def people_action(request: Request) -> Response:
    actor = signed_in(request)
    _may_manage(actor)
    form = await form_body(request)
    ctx = base_context(request)
    ip = client_of(request).ip
    action = request.path_params["action"]
    extra: dict[str, Any] = {}
    try:
        if action == "invite":
            issued = links.invite(
                ctx,
                actor,
                email=form.get("email", ""),
                role=form.get("role", ""),
                org=form.get("org", ""),
                ip=ip,
            )
            extra["link"] = issued
        elif action in ("disable", "enable"):
            person = people.set_disabled(
                ctx, actor, form.get("email", ""), disabled=action == "disable", ip=ip
            )
            extra["message"] = f"{person.email} is {action}d."
        elif action == "reset":
            extra["link"] = links.reset_link(ctx, actor, email=form.get("email", ""), ip=ip)
        else:
            from soleus.errors import NotFound

            raise NotFound(f"nothing at {request.url.path}")
    except SoleusError as error:
        return _page(request, actor, {"error": str(error), "form": form}, status_of(error))
    return _page(request, actor, extra)


async def audit_page(request: Request) -> Response:
    actor = signed_in(request)
    ctx = base_context(request)
    entries = audit.entries(ctx, actor)
    names = {p.person_id: p.email for p in people.listing(ctx, actor)}
    context = {"nav_active": "Audit", "entries": entries, "names": names}
    return render_page(request, "audit.html", context)


async def audit_csv(request: Request) -> Response:
    actor = signed_in(request)
    entries = audit.entries(base_context(request), actor, limit=100_000)
    return Response(
        audit.as_csv(entries),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": 'attachment; filename="soleus-audit.csv"'},
    )


def routes() -> list[BaseRoute]:
    """The People and Audit pages (accounts mode)."""
    return [
        PageRoute("/people", people_page, name="people"),
        PageRoute("/people/{action}", people_action, name="people_action", methods=["POST"]),
        PageRoute("/audit", audit_page, name="audit"),
        PageRoute("/audit.csv", audit_csv, name="audit_csv"),
    ]
