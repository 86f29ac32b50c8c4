"""Routines and exercises of your own, edited in the browser as the same TOML files the
CLI reads. Every save is validated first; a problem is shown on the page with its line."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from soleus.domain.routine import Plan
from soleus.errors import SoleusError
from soleus.services.routines import userfiles
from soleus.web.errors import ApiError
from soleus.web.requests import form_body
from soleus.web.state import get_state

TEMPLATES = {"routines": userfiles.ROUTINE_TEMPLATE, "exercises": userfiles.EXERCISE_TEMPLATE}


def _kind(value: str | None) -> userfiles.Kind:
    if value == "routines":
        return "routines"
    if value == "exercises":
        return "exercises"
    raise ApiError(400, f'kind must be "routines" or "exercises", not {value!r}')


def _render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    context.setdefault("nav_active", "Routines")
    response: Response = get_state(request).render(request, name, context, status=status)
    return response


async def index(request: Request) -> Response:
    state = get_state(request)
    ctx = state.ctx()
    try:
        book = list(ctx.routines.values())
        load_error = None
    except SoleusError as error:  # a broken built-in file (our bug): still show the editor
        book, load_error = [], str(error)
    plans = {}
    for r in book:
        try:
            plans[r.id] = Plan.build(r, ctx.catalog)
        except SoleusError:
            continue
    return _render(
        request,
        "routines.html",
        {
            "routines": book,
            "plans": plans,
            "own_routines": userfiles.list_files(ctx, "routines"),
            "own_exercises": userfiles.list_files(ctx, "exercises"),
            "load_error": load_error,
            "skipped": ctx.skipped.messages(),
            "message": request.query_params.get("saved"),
            "config_dir": ctx.settings.config_dir,
        },
    )


async def edit(request: Request) -> Response:
    """The editor: new (``?kind=``), duplicate (``?from=``) or edit (``/edit``) a file."""
    ctx = get_state(request).ctx()
    kind = _kind(request.path_params.get("kind") or request.query_params.get("kind"))
    item_id = request.path_params.get("id")
    source = request.query_params.get("from")
    problem = None
    if item_id is not None:
        if not userfiles.is_user(ctx, kind, item_id):
            raise ApiError(
                404 if not userfiles.is_builtin(kind, item_id) else 400,
                f"{item_id!r} is not one of your {kind}; duplicate it to change a copy",
            )
        text, replaces = userfiles.source(ctx, kind, item_id), item_id
        # A file that does not load is opened to be fixed: say what is wrong with it.
        problem = next((f.error for f in userfiles.list_files(ctx, kind) if f.id == item_id), None)
    elif source:
        text = userfiles.duplicate_text(ctx, kind, source, userfiles.free_id(ctx, kind, source))
        replaces = None
    else:
        text, replaces = TEMPLATES[kind], None
    return _render(
        request,
        "routine_edit.html",
        {"kind": kind, "text": text, "replaces": replaces, "error": None, "problem": problem},
    )


async def save(request: Request) -> Response:
    form = await form_body(request)
    ctx = get_state(request).ctx()
    kind = _kind(form.get("kind"))
    text = form.get("toml", "").replace("\r\n", "\n")
    replaces = form.get("replaces") or None
    try:
        saved = userfiles.save(ctx, kind, text, replaces=replaces)
    except SoleusError as error:
        return _render(
            request,
            "routine_edit.html",
            {"kind": kind, "text": text, "replaces": replaces, "error": str(error)},
            status=400,
        )
    return RedirectResponse(f"/routines?saved={kind[:-1]}+{saved}", status_code=303)


async def confirm_delete(request: Request) -> Response:
    """The second step before a delete: what goes, and a way to keep it."""
    ctx = get_state(request).ctx()
    kind = _kind(request.path_params["kind"])
    item_id = request.path_params["id"]
    if not userfiles.is_user(ctx, kind, item_id):
        raise ApiError(404, f"{item_id!r} is not one of your {kind}")
    return _render(request, "routine_delete.html", {"kind": kind, "item_id": item_id})


async def delete(request: Request) -> Response:
    form = await form_body(request)
    kind = _kind(form.get("kind"))
    userfiles.delete(get_state(request).ctx(), kind, form.get("id", ""))
    return RedirectResponse(f"/routines?saved=deleted+{form.get('id', '')}", status_code=303)


async def download(request: Request) -> Response:
    kind = _kind(request.path_params["kind"])
    item_id = request.path_params["id"]
    text = userfiles.source(get_state(request).ctx(), kind, item_id)
    return Response(
        text,
        media_type="application/toml; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{item_id}.toml"'},
    )


def routes() -> list[Route]:
    return [
        Route("/routines", index, name="routines"),
        Route("/routines/new", edit, name="routine_new"),
        Route("/routines/save", save, methods=["POST"], name="routine_save"),
        Route("/routines/import", save, methods=["POST"], name="routine_import"),
        Route("/routines/delete", delete, methods=["POST"], name="routine_delete"),
        Route("/routines/{kind}/{id}/edit", edit, name="routine_edit"),
        Route("/routines/{kind}/{id}/delete", confirm_delete, name="routine_confirm_delete"),
        Route("/routines/{kind}/{id}.toml", download, name="routine_download"),
    ]
