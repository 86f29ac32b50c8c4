"""The custom-exercise builder's form, turned into the same TOML file the CLI reads, and
back.

An :class:`ExerciseDraft` holds what the person typed: name, position, steps and cues
(one a line), a picture from the built-in drawings, and the dosage as the routine
builder's :class:`~soleus.services.routines.builder.DraftBlock` (reps with tempo, hold
seconds, bout minutes x cycles a minute). Keys the form does not show (muscles, safety
notes, sources...) ride along unchanged, so TOML -> form -> TOML keeps them.
:func:`check` validates the text with :func:`userfiles.validate_text`, as the CLI does,
and reports every problem, each next to its field (``d-<field>`` for the dosage).
"""

from __future__ import annotations

import copy
import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from soleus.content import drawings
from soleus.domain.catalog import Exercise
from soleus.errors import SoleusError
from soleus.services.context import Context
from soleus.services.routines import userfiles
from soleus.services.routines.builder import (
    BLOCK_FIELDS,
    TEMPO_PHASES,
    DraftBlock,
    FieldError,
    bad_dosage,
    dosage_data,
    draft_block,
    slug,
)

POSITIONS = {"seated": "Seated", "standing": "Standing", "floor": "On the floor"}
# The fields of the form itself; every other key of a file is kept as it was.
FORM_KEYS = ("id", "name", "summary", "position", "picture", "steps", "cues", "dosage")
DOSE_PREFIX = "d-"


@dataclass
class ExerciseDraft:
    id: str = ""
    name: str = ""
    summary: str = ""
    position: str = "seated"
    picture: str = ""
    steps: str = ""  # one a line
    cues: str = ""  # one a line
    dose: DraftBlock = field(default_factory=lambda: DraftBlock(exercise="", kind="hold"))
    extra: str = "{}"  # JSON: the file's keys the form does not show


@dataclass(frozen=True)
class CheckedExercise:
    toml: str
    exercise: Exercise | None
    errors: tuple[FieldError, ...] = ()

    @property
    def error(self) -> FieldError | None:
        return self.errors[0] if self.errors else None


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def from_exercise(exercise: Exercise, data: Mapping[str, Any]) -> ExerciseDraft:
    """The form for an exercise, ``data`` being its file's parsed TOML (for the rest)."""
    extra = {k: v for k, v in data.items() if k not in FORM_KEYS}
    return ExerciseDraft(
        exercise.id, exercise.name, exercise.summary, exercise.position, exercise.picture,
        "\n".join(exercise.steps), "\n".join(exercise.cues),
        draft_block("", exercise.dosage), json.dumps(extra, ensure_ascii=False),
    )  # fmt: skip


def draft_of_text(ctx: Context, text: str) -> ExerciseDraft:
    """The form for a TOML text, validated first (a SoleusError says what is wrong)."""
    item = userfiles.validate_text(ctx, "exercises", text)
    assert isinstance(item, Exercise)
    return from_exercise(item, tomllib.loads(text))


def from_form(form: Mapping[str, str]) -> ExerciseDraft:
    """The draft from the plain form (dosage fields are ``d-<field>``)."""
    plain = ExerciseDraft()
    values = {f: form.get(DOSE_PREFIX + f, getattr(plain.dose, f)) for f in BLOCK_FIELDS}
    values["exercise"] = ""
    text = {k: form.get(k, getattr(plain, k)).strip() for k in ("id", "name", "summary")}
    return ExerciseDraft(
        **text,
        position=form.get("position", plain.position),
        picture=form.get("picture", ""),
        steps=form.get("steps", "").replace("\r\n", "\n"),
        cues=form.get("cues", "").replace("\r\n", "\n"),
        dose=DraftBlock(**values),
        extra=form.get("extra", "{}") or "{}",
    )


def _extra(draft: ExerciseDraft) -> dict[str, Any]:
    try:
        extra = json.loads(draft.extra)
    except ValueError:
        raise SoleusError("the form's hidden fields were changed; reload the page") from None
    if not isinstance(extra, dict):
        raise SoleusError("the form's hidden fields were changed; reload the page")
    return {k: v for k, v in extra.items() if k not in FORM_KEYS}


def to_data(draft: ExerciseDraft) -> dict[str, Any]:
    """The exercise file's contents (a dosage problem raises the routine builder's _Bad)."""
    data: dict[str, Any] = {
        "id": draft.id or slug(draft.name),
        "name": draft.name,
        "summary": draft.summary,
        "position": draft.position,
    }
    if draft.picture:
        data["picture"] = draft.picture
    data["steps"] = _lines(draft.steps)
    if _lines(draft.cues):
        data["cues"] = _lines(draft.cues)
    data.update(_extra(draft))
    data["dosage"] = dosage_data(draft.dose)
    return data


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):  # a TOML basic string: JSON's escapes, and DEL escaped
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007F")
    if isinstance(value, list):
        if not value:
            return "[]"
        return "[\n" + "".join(f"  {_value(v)},\n" for v in value) + "]"
    if isinstance(value, int | float):
        return str(value)
    raise SoleusError(f"cannot write {type(value).__name__} values in an exercise file")


def to_toml(data: Mapping[str, Any]) -> str:
    lines = ["# Made with the exercise builder: the same file `soleus` reads in the terminal."]
    lines += [f"{k} = {_value(v)}" for k, v in data.items() if k != "dosage"]
    dosage = data["dosage"]
    lines += ["", "[dosage]"]
    lines += [f"{k} = {_value(v)}" for k, v in dosage.items() if k != "tempo"]
    if "tempo" in dosage:
        lines += ["", "[dosage.tempo]"]
        lines += [f"{k} = {_value(v)}" for k, v in dosage["tempo"].items()]
    return "\n".join(lines) + "\n"


def field_of(error: SoleusError, draft: ExerciseDraft) -> FieldError:
    """The form field a validation message is about (its dotted path), and the message."""
    path, sep, message = error.message.partition(": ")
    if not sep:
        return FieldError("form", error.message)
    parts = path.split(".")
    if parts[0] in ("id", "name", "summary", "position", "picture", "steps", "cues"):
        return FieldError(parts[0], message)
    if parts[0] != "dosage":
        return FieldError("form", error.message)
    name = parts[1] if len(parts) > 1 else "kind"
    if name == "seconds":
        name = "minutes" if draft.dose.kind == "bout" else "hold_s"
    elif name == "tempo":
        phase = parts[2] if len(parts) > 2 else "up"
        name = phase if draft.dose.kind == "reps" else "per_minute"
    return FieldError(DOSE_PREFIX + (name if name in BLOCK_FIELDS else "kind"), message)


def _check_once(ctx: Context, draft: ExerciseDraft) -> CheckedExercise:
    if not draft.name:
        return CheckedExercise("", None, (FieldError("name", "give the exercise a name"),))
    try:
        data = to_data(draft)
    except bad_dosage as bad:
        problem: FieldError = bad.error
        return CheckedExercise(
            "", None, (FieldError(DOSE_PREFIX + problem.field, problem.message),)
        )
    text = to_toml(data)
    try:
        item = userfiles.validate_text(ctx, "exercises", text)
    except SoleusError as error:
        return CheckedExercise(text, None, (field_of(error, draft),))
    assert isinstance(item, Exercise)
    return CheckedExercise(text, item)


def check(ctx: Context, draft: ExerciseDraft) -> CheckedExercise:
    """The draft's TOML, and the exercise it makes or every problem in it (one a field)."""
    checked = _check_once(ctx, draft)
    if checked.error is None:
        return checked
    work = copy.deepcopy(draft)
    problems = [checked.error]
    for _ in range(2 * len(BLOCK_FIELDS) + 10):
        if not _neutralise(work, problems[-1]):
            break
        nxt = _check_once(ctx, work).error
        if nxt is None or any(p.key == nxt.key for p in problems):
            break
        problems.append(nxt)
    return replace(checked, errors=tuple(problems))


_HARMLESS = {"name": "x", "id": "", "summary": "x", "position": "seated", "picture": "",
             "steps": "x", "cues": ""}  # fmt: skip


def _neutralise(draft: ExerciseDraft, error: FieldError) -> bool:
    """Set the value ``error`` is about to one that passes; False if there is none."""
    if error.field in _HARMLESS:
        setattr(draft, error.field, _HARMLESS[error.field])
        return True
    name = error.field.removeprefix(DOSE_PREFIX)
    if name == error.field or name not in BLOCK_FIELDS:
        return False
    plain = ExerciseDraft().dose
    names = TEMPO_PHASES if name in TEMPO_PHASES else ("per_minute", "top", "floor", name)
    for n in names:
        setattr(draft.dose, n, getattr(plain, n) if n not in ("top", "floor") else "0")
    return True


def new_draft(ctx: Context) -> ExerciseDraft:
    """The form for a new exercise: empty, with the CLI template's dosage."""
    template = draft_of_text(ctx, userfiles.EXERCISE_TEMPLATE)
    return ExerciseDraft(dose=template.dose)


def copy_of(ctx: Context, source: str) -> ExerciseDraft:
    """The form for a copy of exercise ``source`` under a free id, showing its drawing."""
    text = userfiles.duplicate_text(
        ctx, "exercises", source, userfiles.free_id(ctx, "exercises", source)
    )
    draft = draft_of_text(ctx, text)
    if not draft.picture and source in drawings():
        draft.picture = source
    return draft


def picture_choices(ctx: Context) -> list[tuple[str, str]]:
    """(drawing id, what it shows) for every built-in drawing."""
    names = {e.id: e.name for e in ctx.catalog.values()}
    return [(d, names.get(d, d.replace("-", " ").capitalize())) for d in drawings()]
