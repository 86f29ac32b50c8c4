"""Exercises: the catalog pages, their drawings, and the read-only API."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import BaseRoute

from soleus.content import ILLUSTRATIONS
from soleus.domain.catalog import is_valid_id
from soleus.errors import NotFound
from soleus.services.routines import userfiles
from soleus.web import serialize as out
from soleus.web.routing import ApiRoute, PageRoute
from soleus.web.serialize import Json
from soleus.web.state import STATIC_DIR, context_of, render_page

SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


async def exercises_page(request: Request) -> Response:
    ctx = context_of(request)
    own = {f.id for f in userfiles.list_files(ctx, "exercises")}
    return render_page(
        request,
        "exercises.html",
        {"nav_active": "Exercises", "exercises": list(ctx.catalog.values()), "own": own},
    )


async def exercise_page(request: Request) -> Response:
    ctx = context_of(request)
    item = ctx.catalog.get_exercise(request.path_params["id"])
    return render_page(
        request,
        "exercise.html",
        {
            "nav_active": "Exercises",
            "exercise": item,
            "own": userfiles.is_user(ctx, "exercises", item.id),
            "routines": [
                r for r in ctx.routines.values() if any(b.exercise == item.id for b in r.blocks)
            ],
        },
    )


async def illustration(request: Request) -> Response:
    exercise_id = request.path_params["id"]
    if not is_valid_id(exercise_id):
        raise NotFound(f"no illustration {exercise_id!r}")
    path = ILLUSTRATIONS / f"{exercise_id}.svg"
    if not path.is_file():  # one of the person's exercises: the drawing it chose
        exercise = context_of(request).catalog.get(exercise_id)
        picture = exercise.picture if exercise is not None else ""
        path = ILLUSTRATIONS / f"{picture}.svg" if picture else path
    if not path.is_file():
        path = STATIC_DIR / "img" / "exercise.svg"
    return FileResponse(
        path,
        media_type="image/svg+xml",
        headers={"content-security-policy": SVG_CSP, "cache-control": "max-age=300"},
    )


async def exercises(request: Request) -> Response:
    ctx = context_of(request)
    return Json({"exercises": [out.exercise_full(e) for e in ctx.catalog.values()]})


async def exercise(request: Request) -> Response:
    ctx = context_of(request)
    return Json(out.exercise_full(ctx.catalog.get_exercise(request.path_params["id"])))


def routes() -> list[BaseRoute]:
    """The exercise pages and read API."""
    return [
        PageRoute("/exercises", exercises_page, name="exercises"),
        PageRoute("/exercises/{id}", exercise_page, name="exercise"),
        PageRoute("/illustrations/{id}.svg", illustration, name="illustration"),
        ApiRoute(
            "/api/exercises",
            exercises,
            "GET",
            "list_exercises",
            "All exercises (built in and your own)",
        ),
        ApiRoute("/api/exercises/{id}", exercise, "GET", "get_exercise", "One exercise"),
    ]
