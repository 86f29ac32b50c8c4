"""Routines and exercises of your own, edited in the browser as the same TOML files the
CLI reads. Every save is validated first; a problem is shown on the page with its line."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute

from soleus.domain.routine import Plan
from soleus.errors import SoleusError
from soleus.services.routines import exercise_form, userfiles
from soleus.services.routines.builder import draft_of_text
from soleus.web.errors import ApiError
from soleus.web.requests import (
    CSRF_HEADER,
    check_csrf,
    form_body,
    json_object,
    req_str,
)
from soleus.web.routes.builder import render_builder, start_draft
from soleus.web.routes.exercise_builder import render_exercise_builder
from soleus.web.routing import ApiRoute, PageRoute
from soleus.web.security import IMPORT_BODY_LIMIT
from soleus.web.serialize import Json
from soleus.web.state import base_context, context_of, get_state, render_page


def _kind(value: str | None) -> userfiles.Kind:
    if value == "routines":
        return "routines"
    if value == "exercises":
        return "exercises"
    raise ApiError(400, f'kind must be "routines" or "exercises", not {value!r}')


def _render_editor(
    request: Request, name: str, context: dict[str, Any], status: int = 200
) -> Response:
    context.setdefault("nav_active", "Routines")
    response: Response = get_state(request).render(request, name, context, status=status)
    return response


async def index(request: Request) -> Response:
    ctx = base_context(request)
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
    return render_page(
        request,
        "routines.html",
        {
            "nav_active": "Routines",
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
    """The editor: new (``?kind=``), duplicate (``?from=``) or edit (``/edit``) a file.

    A routine or exercise opens in its builder's form; a file that does not load opens
    as its text, to be fixed there."""
    ctx = context_of(request)
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
        if kind == "routines" and problem is None:  # a file that loads opens in the form
            return render_builder(request, draft_of_text(ctx, text), replaces=item_id)
        if problem is None:
            draft = exercise_form.draft_of_text(ctx, text)
            return render_exercise_builder(request, draft, replaces=item_id)
    elif kind == "routines":
        return render_builder(request, start_draft(request, source))
    elif source:
        return render_exercise_builder(request, exercise_form.copy_of(ctx, source))
    else:
        return render_exercise_builder(request, exercise_form.new_draft(ctx), fresh=True)
    return render_page(
        request,
        "routine_edit.html",
        {"kind": kind, "text": text, "replaces": replaces, "error": None, "problem": problem},
    )


async def save(request: Request) -> Response:
    form = await form_body(request)
    ctx = context_of(request)
    kind = _kind(form.get("kind"))
    text = form.get("toml", "").replace("\r\n", "\n")
    replaces = form.get("replaces") or None
    try:
        saved = userfiles.save(ctx, kind, text, replaces=replaces)
    except SoleusError as error:
        return render_page(
            request,
            "routine_edit.html",
            {"kind": kind, "text": text, "replaces": replaces, "error": str(error)},
            status=400,
        )
    return RedirectResponse(f"/routines?saved={kind[:-1]}+{saved}", status_code=303)


async def confirm_delete(request: Request) -> Response:
    """The second step before a delete: what goes, and a way to keep it."""
    ctx = context_of(request)
    kind = _kind(request.path_params["kind"])
    item_id = request.path_params["id"]
    if not userfiles.is_user(ctx, kind, item_id):
        raise ApiError(404, f"{item_id!r} is not one of your {kind}")
    return render_page(request, "routine_delete.html", {"kind": kind, "item_id": item_id})


async def delete(request: Request) -> Response:
    form = await form_body(request)
    kind = _kind(form.get("kind"))
    userfiles.delete(context_of(request), kind, form.get("id", ""))
    return RedirectResponse(f"/routines?saved=deleted+{form.get('id', '')}", status_code=303)


async def download(request: Request) -> Response:
    kind = _kind(request.path_params["kind"])
    item_id = request.path_params["id"]
    text = userfiles.source(context_of(request), kind, item_id)
    return Response(
        text,
        media_type="application/toml; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{item_id}.toml"'},
    )


def _save_item(kind: userfiles.Kind) -> Callable[[Request], Any]:
    async def save_item(request: Request) -> Response:
        """Create or replace one of your own items from its TOML text."""
        data = await json_object(request)
        text = req_str(data, "toml", max_len=256 * 1024)
        replaces = data.get("replaces")
        if replaces is not None and not isinstance(replaces, str):
            raise ApiError(400, "replaces must be a string id or null")
        saved = userfiles.save(context_of(request), kind, text, replaces=replaces)
        return Json({"id": saved}, status_code=201)

    return save_item


def _delete_item(kind: userfiles.Kind) -> Callable[[Request], Any]:
    async def delete_item(request: Request) -> Response:
        check_csrf(request, request.headers.get(CSRF_HEADER))
        userfiles.delete(context_of(request), kind, request.path_params["id"])
        return Json({"deleted": request.path_params["id"]})

    return delete_item


def _item_toml(kind: userfiles.Kind) -> Callable[[Request], Any]:
    async def item_toml(request: Request) -> Response:
        text = userfiles.source(context_of(request), kind, request.path_params["id"])
        return Response(text, media_type="application/toml; charset=utf-8")

    return item_toml


SAVE_ROUTINE_BODY = {
    "type": "object",
    "required": ["toml"],
    "properties": {"toml": {"type": "string"}, "replaces": {"type": ["string", "null"]}},
}


def routes() -> list[BaseRoute]:
    """The editor pages and the API that writes your own files (before the read routes:
    ``{id}.toml`` would otherwise be read as an id)."""
    return [
        PageRoute("/routines", index, name="routines"),
        PageRoute("/routines/new", edit, name="routine_new"),
        PageRoute("/routines/save", save, name="routine_save", methods=["POST"]),
        PageRoute(
            "/routines/import",
            save,
            name="routine_import",
            methods=["POST"],
            body_limit=IMPORT_BODY_LIMIT,
        ),
        PageRoute("/routines/delete", delete, name="routine_delete", methods=["POST"]),
        PageRoute("/routines/{kind}/{id}/edit", edit, name="routine_edit"),
        PageRoute("/routines/{kind}/{id}/delete", confirm_delete, name="routine_confirm_delete"),
        PageRoute("/routines/{kind}/{id}.toml", download, name="routine_download"),
        ApiRoute(
            "/api/exercises",
            _save_item("exercises"),
            "POST",
            "save_exercise",
            "Create or replace one of your exercises from TOML",
            body=SAVE_ROUTINE_BODY,
            status=201,
        ),
        ApiRoute(
            "/api/exercises/{id}.toml",
            _item_toml("exercises"),
            "GET",
            "get_exercise_toml",
            "An exercise's TOML file",
        ),
        ApiRoute(
            "/api/exercises/{id}",
            _delete_item("exercises"),
            "DELETE",
            "delete_exercise",
            "Delete one of your exercises",
        ),
        ApiRoute(
            "/api/routines",
            _save_item("routines"),
            "POST",
            "save_routine",
            "Create or replace one of your routines from TOML",
            body=SAVE_ROUTINE_BODY,
            status=201,
        ),
        ApiRoute(
            "/api/routines/{id}.toml",
            _item_toml("routines"),
            "GET",
            "get_routine_toml",
            "A routine's TOML file",
        ),
        ApiRoute(
            "/api/routines/{id}",
            _delete_item("routines"),
            "DELETE",
            "delete_routine",
            "Delete one of your routines",
        ),
    ]
