"""The custom-exercise builder: an exercise made with a plain form (name, position,
steps, cues, dosage in its unit, sides, a picture from the built-in drawings), saved as
the same TOML file the CLI reads. Every button is a form post the server answers;
exercise_builder.js shows the kind's fields, animates the tempo and asks the draft API
for every problem as the person types, so the server stays the one that validates."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute

from soleus.errors import SoleusError
from soleus.services.routines import builder, exercise_form, userfiles
from soleus.services.routines.builder import FieldError
from soleus.services.routines.exercise_form import ExerciseDraft
from soleus.web.errors import ApiError
from soleus.web.requests import form_body, json_object
from soleus.web.routes.builder import advanced_toml
from soleus.web.routing import ApiRoute, PageRoute
from soleus.web.serialize import Json
from soleus.web.state import context_of, render_page


def render_exercise_builder(
    request: Request,
    draft: ExerciseDraft,
    *,
    replaces: str | None = None,
    error: FieldError | None = None,
    toml: str | None = None,
    toml_error: str | None = None,
    status: int = 200,
    fresh: bool = False,
) -> Response:
    """The builder page for ``draft``; ``toml`` is the person's own text when it did not
    parse (shown back as it was); a ``fresh`` form shows no problems yet."""
    ctx = context_of(request)
    checked = exercise_form.check(ctx, draft)
    problems = [error] if error else [] if fresh else list(checked.errors)
    return render_page(
        request,
        "exercise_builder.html",
        {
            "nav_active": "Routines",
            "draft": draft,
            "b": draft.dose,
            "replaces": replaces,
            "errors": {p.key: p.message for p in problems},
            "problems": problems,
            "saving_failed": status == 400 and toml_error is None,
            "toml": toml if toml is not None else checked.toml,
            "toml_error": toml_error,
            "positions": exercise_form.POSITIONS,
            "pictures": exercise_form.picture_choices(ctx),
            "sides": builder.SIDES,
            "kinds": builder.KINDS,
        },
        status=status,
    )


async def build(request: Request) -> Response:
    """Every button of the exercise form, without JavaScript."""
    form = await form_body(request)
    ctx = context_of(request)
    replaces = form.get("replaces") or None
    action = form.get("action", "check")
    if action in ("save-toml", "from-toml"):
        return advanced_toml(
            request,
            form,
            kind="exercise",
            draft_of_text=exercise_form.draft_of_text,
            draft_of_form=_draft,
            render=render_exercise_builder,
        )
    draft = _draft(form)
    if action != "save":
        return render_exercise_builder(request, draft, replaces=replaces)
    checked = exercise_form.check(ctx, draft)
    if checked.error is not None:
        return render_exercise_builder(request, draft, replaces=replaces, status=400)
    try:
        saved = userfiles.save(ctx, "exercises", checked.toml, replaces=replaces)
    except SoleusError as problem:
        error = exercise_form.field_of(problem, draft)
        return render_exercise_builder(request, draft, replaces=replaces, error=error, status=400)
    return RedirectResponse(f"/routines?saved=exercise+{saved}", status_code=303)


def _draft(form: dict[str, str]) -> ExerciseDraft:
    return exercise_form.from_form(form)


async def draft_api(request: Request) -> Response:
    """The TOML an exercise form makes and every problem (next to which field)."""
    data = await json_object(request)
    if len(data) > 60 or not all(isinstance(v, str | int | float) for v in data.values()):
        raise ApiError(400, "the draft is an object of the form's fields, each a string")
    form = {k: str(v)[:20_000] for k, v in data.items()}
    try:
        checked = exercise_form.check(context_of(request), exercise_form.from_form(form))
    except SoleusError as problem:
        raise ApiError(400, str(problem)) from None
    return Json(
        {
            "toml": checked.toml,
            "errors": [{"field": e.key, "message": e.message} for e in checked.errors],
        }
    )


_TEXT = {"type": ["string", "number"]}
DRAFT_BODY: dict[str, Any] = {
    "type": "object",
    "description": "The form's fields: id, name, summary, position, picture, steps and cues"
    " (one a line), extra (JSON of the file's other keys) and the dosage as d-<field>"
    " (d-kind, d-sets, d-reps, d-hold_s, d-minutes, d-per_minute, d-up, d-top, d-down,"
    " d-floor, d-sides, d-rest_s)",
    "maxProperties": 60,
    "additionalProperties": _TEXT,
}


def routes() -> list[BaseRoute]:
    return [
        PageRoute("/exercises/build", build, name="exercise_build", methods=["POST"]),
        ApiRoute(
            "/api/exercises/draft",
            draft_api,
            "POST",
            "check_exercise_draft",
            "Check an exercise being built: its TOML and every problem",
            body=DRAFT_BODY,
        ),
    ]
