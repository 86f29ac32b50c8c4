"""The routine builder: a routine made with a plain form, saved as the same TOML file the
CLI reads. Every button is a form submit the server answers (add, move, remove, check,
save, and the "Advanced (TOML)" text both ways); builder.js does the same in place and
asks the draft API for the estimate and every problem, so the server stays the one
place that validates and estimates."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute

from soleus.errors import SoleusError
from soleus.services.context import Context
from soleus.services.routines import builder, userfiles
from soleus.services.routines.builder import Draft, FieldError
from soleus.web.errors import ApiError
from soleus.web.requests import form_body, json_object
from soleus.web.routing import ApiRoute, PageRoute
from soleus.web.serialize import Json
from soleus.web.state import context_of, render_page


def render_builder(
    request: Request,
    draft: Draft,
    *,
    replaces: str | None = None,
    error: FieldError | None = None,
    toml: str | None = None,
    toml_error: str | None = None,
    focus: str | None = None,
    status: int = 200,
) -> Response:
    """The builder page for ``draft``; ``toml`` overrides the text the draft makes (when
    the person's own text did not parse, it is shown back to them as it was)."""
    ctx = context_of(request)
    checked = builder.check(ctx, draft)
    shown = error or checked.error
    problems = [error] if error else list(checked.errors)
    return render_page(
        request,
        "builder.html",
        {
            "nav_active": "Routines",
            "draft": draft,
            "replaces": replaces,
            "errors": {p.key: p.message for p in problems},
            "more_problems": len(problems) - 1,
            "error": shown,
            "error_target": _target(shown, draft) if shown else None,
            "saving_failed": status == 400 and toml_error is None,
            "estimate": checked.estimate,
            "toml": toml if toml is not None else checked.toml,
            "toml_error": toml_error,
            "exercises": list(ctx.catalog.values()),
            "builtins": [
                r for r in ctx.routines.values() if userfiles.is_builtin("routines", r.id)
            ],
            "sides": builder.SIDES,
            "kinds": builder.KINDS,
            "focus": focus,
        },
        status=status,
    )


def _target(error: FieldError, draft: Draft) -> str | None:
    """The id of the element a problem's link goes to."""
    if error.field == "form":
        return None
    if error.field == "blocks":
        return "blocks-title"
    if error.block is not None and error.field in ("sides", "exercise"):
        if error.field == "exercise" or error.block >= len(draft.blocks):
            return f"b{error.block}-title"
        return f"{error.key}-{draft.blocks[error.block].sides}"
    return error.key


def start_draft(request: Request, source: str | None) -> Draft:
    """An empty draft, or a copy of routine ``source`` under a free id."""
    if not source:
        return Draft()
    ctx = context_of(request)
    text = userfiles.duplicate_text(
        ctx, "routines", source, userfiles.free_id(ctx, "routines", source)
    )
    return builder.draft_of_text(ctx, text)


def moved(items: list[Any], action: str) -> str | None:
    """Apply a move or remove button (``up:2``, ``down:0``, ``remove:1``) to a builder's
    list (routine blocks, prescribed exercises); the id to focus after, or None."""
    verb, _, arg = action.partition(":")
    if not (arg.isascii() and arg.isdigit()) or int(arg) >= len(items):
        return None
    i = int(arg)
    if verb == "remove":
        del items[i]
        return f"b{min(i, len(items) - 1)}-title" if items else "add-search"
    j = i - 1 if verb == "up" else i + 1
    if 0 <= j < len(items):
        items[i], items[j] = items[j], items[i]
        return f"b{j}-move-{verb}"
    return f"b{i}-move-{verb}"


_FOLDERS: dict[str, Literal["routines", "exercises"]] = {
    "routine": "routines",
    "exercise": "exercises",
}


def advanced_toml(
    request: Request,
    form: dict[str, str],
    *,
    kind: Literal["routine", "exercise"],
    draft_of_text: Callable[[Context, str], Any],
    draft_of_form: Callable[[dict[str, str]], Any],
    render: Callable[..., Response],
    **shown: Any,
) -> Response:
    """The "Advanced (TOML)" tab's two buttons, for a routine or an exercise form: save
    the text as the person's ``kind`` file, or read it back into the form. Text that does
    not load is shown back as it was, with its one-line error, over the form as posted."""
    ctx = context_of(request)
    replaces = form.get("replaces") or None
    text = form.get("toml", "").replace("\r\n", "\n")
    try:
        if form.get("action") == "save-toml":
            folder: Literal["routines", "exercises"] = (
                "routines" if kind == "routine" else "exercises"
            )
            saved = userfiles.save(ctx, folder, text, replaces=replaces)
            return RedirectResponse(f"/routines?saved={kind}+{saved}", status_code=303)
        draft = draft_of_text(ctx, text)
    except SoleusError as problem:
        return render(
            request,
            draft_of_form(form),
            replaces=replaces,
            toml=text,
            toml_error=str(problem),
            status=400,
        )
    return render(request, draft, replaces=replaces, **shown)


async def build(request: Request) -> Response:
    """Every button of the builder form, without JavaScript."""
    form = await form_body(request)
    ctx = context_of(request)
    replaces = form.get("replaces") or None
    action = form.get("action", "check")
    if action in ("save-toml", "from-toml"):
        return advanced_toml(
            request,
            form,
            kind="routine",
            draft_of_text=builder.draft_of_text,
            draft_of_form=builder.from_form,
            render=render_builder,
            focus="name",
        )
    draft = builder.from_form(form)
    focus = None
    if action.startswith("add:"):
        try:
            draft.blocks.append(builder.new_block(ctx, action[4:]))
        except SoleusError as problem:
            raise ApiError(400, str(problem)) from None
        focus = f"b{len(draft.blocks) - 1}-title"
    elif action.split(":")[0] in ("up", "down", "remove"):
        focus = moved(draft.blocks, action)
    elif action == "save":
        checked = builder.check(ctx, draft)
        if checked.error is None:
            try:
                saved = userfiles.save(ctx, "routines", checked.toml, replaces=replaces)
            except SoleusError as problem:
                error = builder.field_of(problem, draft)
                return render_builder(request, draft, replaces=replaces, error=error, status=400)
            return RedirectResponse(f"/routines?saved=routine+{saved}", status_code=303)
        return render_builder(request, draft, replaces=replaces, status=400)
    return render_builder(request, draft, replaces=replaces, focus=focus)


async def draft_api(request: Request) -> Response:
    """The TOML a draft makes, its estimate, and its problems (next to which fields)."""
    data = await json_object(request)
    try:
        draft = builder.from_json(data)
    except SoleusError as problem:
        raise ApiError(400, str(problem)) from None
    checked = builder.check(context_of(request), draft)
    error = checked.error
    return Json(
        {
            "toml": checked.toml,
            "estimate": None
            if checked.estimate is None
            else {
                "seconds": checked.estimate.seconds,
                "sets": checked.estimate.sets,
                "text": checked.estimate.text,
            },
            "error": None
            if error is None
            else {"block": error.block, "field": error.field, "message": error.message},
            "errors": [
                {"block": e.block, "field": e.field, "message": e.message} for e in checked.errors
            ],
        }
    )


_TEXT = {"type": ["string", "number"]}
DRAFT_BODY: dict[str, Any] = {
    "type": "object",
    "properties": {
        "id": {"type": "string", "description": "empty: made from the name"},
        "name": {"type": "string"},
        "summary": {"type": "string"},
        "blocks": {
            "type": "array",
            "maxItems": 100,
            "items": {
                "type": "object",
                "required": ["exercise"],
                "properties": {
                    "exercise": {"type": "string"},
                    "kind": {"enum": list(builder.KINDS)},
                    "sides": {"enum": list(builder.SIDES)},
                    **{
                        f: _TEXT
                        for f in builder.BLOCK_FIELDS
                        if f not in ("exercise", "kind", "sides")
                    },
                },
            },
        },
    },
}


def routes() -> list[BaseRoute]:
    return [
        PageRoute("/routines/build", build, name="routine_build", methods=["POST"]),
        ApiRoute(
            "/api/routines/draft",
            draft_api,
            "POST",
            "check_routine_draft",
            "Check a routine being built: its TOML, estimated time and every problem",
            body=DRAFT_BODY,
        ),
    ]
