"""Routines: the read-only API and the PDF handout (your own files are edited in
:mod:`.editor`)."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from soleus.domain.routine import Plan
from soleus.services.routines import userfiles
from soleus.web import serialize as out
from soleus.web.routing import ApiRoute, PageRoute
from soleus.web.serialize import Json
from soleus.web.state import context_of


async def routines(request: Request) -> Response:
    ctx = context_of(request)
    items = []
    for r in ctx.routines.values():
        data = out.routine(r)
        data["own"] = userfiles.is_user(ctx, "routines", r.id)
        data["estimated_seconds"] = round(Plan.build(r, ctx.catalog).estimated_seconds(), 1)
        items.append(data)
    return Json({"routines": items})


async def routine(request: Request) -> Response:
    ctx = context_of(request)
    r = ctx.routines.get_routine(request.path_params["id"])
    data = out.routine(r)
    data["own"] = userfiles.is_user(ctx, "routines", r.id)
    return Json(data)


async def handout(request: Request) -> Response:
    from soleus.services.handout.render import handout_pdf

    ctx = context_of(request)
    routine_id = request.path_params["id"]
    pdf = await run_in_threadpool(handout_pdf, ctx, routine_id, person_id=ctx.person_id)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"content-disposition": f'attachment; filename="{routine_id}-handout.pdf"'},
    )


def routes() -> list[BaseRoute]:
    """The routine read API and the printable handout."""
    return [
        PageRoute("/routines/{id}/handout.pdf", handout, name="routine_handout"),
        ApiRoute("/api/routines", routines, "GET", "list_routines", "All routines"),
        ApiRoute("/api/routines/{id}", routine, "GET", "get_routine", "One routine"),
    ]
