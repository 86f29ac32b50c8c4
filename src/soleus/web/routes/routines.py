"""Routines: the read-only API (your own files are edited in :mod:`.editor`)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from soleus.domain.routine import Plan
from soleus.services.routines import userfiles
from soleus.web import serialize as out
from soleus.web.routing import ApiRoute
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


def routes() -> list[BaseRoute]:
    """The routine read API."""
    return [
        ApiRoute("/api/routines", routines, "GET", "list_routines", "All routines"),
        ApiRoute("/api/routines/{id}", routine, "GET", "get_routine", "One routine"),
    ]
