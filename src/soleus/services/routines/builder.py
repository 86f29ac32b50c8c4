"""The routine builder's form, turned into the same TOML file the CLI reads, and back.

A :class:`Draft` holds what the person typed, as text, field by field. :func:`check`
writes it as TOML and validates that text exactly as ``soleus routine validate`` and
the loader do (:func:`soleus.services.routines.userfiles.validate_text`), so the form
can say nothing the CLI would not; a problem comes back as a :class:`FieldError` naming
the form field it belongs next to.
"""

from __future__ import annotations

import copy
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

from pydantic import TypeAdapter, ValidationError

from soleus.domain.catalog import Catalog, Dosage
from soleus.domain.routine import Plan, Routine
from soleus.domain.text import plural
from soleus.errors import SoleusError
from soleus.services.context import Context
from soleus.services.routines import userfiles

# The words the form uses for the three ways of doing the legs.
SIDES = {
    "each": "Per leg: all of the set on the left leg, then on the right",
    "both": "Both legs together, at the same time",
    "alternate": "Alternating: the legs take turns within the set",
}
KINDS = {"reps": "Repetitions", "hold": "A timed hold", "bout": "A non-stop bout"}
TEMPO_PHASES = ("up", "top", "down", "floor")


@dataclass
class DraftBlock:
    """One block as typed; every kind's fields are kept so switching kind loses nothing."""

    exercise: str
    kind: str = "reps"
    sets: str = "1"
    reps: str = "10"
    hold_s: str = "30"
    minutes: str = "5"
    per_minute: str = "50"
    up: str = "1"
    top: str = "0"
    down: str = "1"
    floor: str = "0"
    sides: str = "each"
    rest_s: str = "30"
    note: str = ""


BLOCK_FIELDS = tuple(f.name for f in fields(DraftBlock))


@dataclass
class Draft:
    id: str = ""
    name: str = ""
    summary: str = ""
    blocks: list[DraftBlock] = field(default_factory=list)


@dataclass(frozen=True)
class FieldError:
    """A problem and the form field it belongs to: ``block`` is the block's position
    (None for the routine's own fields), ``field`` a :class:`DraftBlock` field name or
    one of ``id``, ``name``, ``summary``, ``blocks``."""

    field: str
    message: str
    block: int | None = None

    @property
    def key(self) -> str:
        return self.field if self.block is None else f"b{self.block}-{self.field}"


@dataclass(frozen=True)
class Estimate:
    seconds: float
    sets: int

    @property
    def text(self) -> str:
        minutes = max(1, round(self.seconds / 60))
        return f"about {minutes} min, {plural(self.sets, 'set')}"


@dataclass(frozen=True)
class Checked:
    """The draft's TOML and routine, or its problems: ``error`` is the first of
    ``errors``, which holds every problem found (one per field)."""

    toml: str
    routine: Routine | None
    estimate: Estimate | None
    error: FieldError | None
    errors: tuple[FieldError, ...] = ()


def _num(value: float) -> str:
    return f"{value:g}" if not math.isnan(value) else ""


def draft_block(exercise_id: str, dosage: Dosage, note: str = "") -> DraftBlock:
    """A block of the form showing ``dosage``; the other kinds keep their defaults."""
    block = DraftBlock(exercise=exercise_id, kind=dosage.kind, sets=str(dosage.sets))
    block.sides, block.rest_s, block.note = dosage.sides, _num(dosage.rest_s), note
    if dosage.kind == "reps":
        block.reps = str(dosage.reps)
        pace = dosage.pace
        block.up, block.top, block.down, block.floor = (
            _num(round(getattr(pace, p), 2)) for p in TEMPO_PHASES
        )
    elif dosage.kind == "hold":
        block.hold_s = _num(dosage.seconds or 0)
    else:
        pace = dosage.pace  # its own top and floor pauses are kept through the form
        block.minutes = _num(round((dosage.seconds or 0) / 60, 2))
        block.per_minute = _num(round(pace.per_minute, 1))
        block.up, block.top, block.down, block.floor = (
            _num(round(getattr(pace, p), 3)) for p in TEMPO_PHASES
        )
    return block


def from_routine(routine: Routine, catalog: Catalog) -> Draft:
    blocks = [draft_block(b.exercise, b.dosage_in(catalog), b.note) for b in routine.blocks]
    return Draft(routine.id, routine.name, routine.summary, blocks)


def from_form(form: Mapping[str, str]) -> Draft:
    """The draft from the builder's plain form: ``b<k>-<field>`` in the ``order`` of keys."""
    keys = [k for k in form.get("order", "").split(",") if k.strip().isdigit()]
    blocks = []
    for k in keys:
        exercise = form.get(f"b{k}-exercise")
        if exercise is None:
            continue
        values = {f: form[f"b{k}-{f}"] for f in BLOCK_FIELDS if f"b{k}-{f}" in form}
        blocks.append(DraftBlock(**values))
    return Draft(
        form.get("id", "").strip(), form.get("name", "").strip(), form.get("summary", "").strip(),
        blocks,
    )  # fmt: skip


def from_json(data: Mapping[str, Any]) -> Draft:
    """The draft from the API's JSON (the same fields, blocks as a list)."""

    def text(obj: Mapping[str, Any], key: str, default: str = "") -> str:
        value = obj.get(key, default)
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise SoleusError(f"{key} must be a string or a number")
        return str(value).strip()[:2000]

    raw_blocks = data.get("blocks", [])
    if not isinstance(raw_blocks, list) or len(raw_blocks) > 100:
        raise SoleusError("blocks must be a list of at most 100 blocks")
    blocks = []
    for raw in raw_blocks:
        if not isinstance(raw, dict):
            raise SoleusError("each block must be an object")
        defaults = DraftBlock(exercise="")
        values = {f: text(raw, f, getattr(defaults, f)) for f in BLOCK_FIELDS}
        blocks.append(DraftBlock(**values))
    return Draft(text(data, "id"), text(data, "name"), text(data, "summary"), blocks)


def slug(name: str) -> str:
    """An id from a name: ``My desk break!`` -> ``my-desk-break``."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40].strip("-")


class _Bad(Exception):
    def __init__(self, error: FieldError) -> None:
        self.error = error


bad_dosage = _Bad  # what dosage_data raises


def _number(block: int, name: str, value: str, *, whole: bool = False) -> float:
    if not value.strip():
        raise _Bad(FieldError(name, "enter a number", block))
    try:
        number = float(value) if not whole else int(value)
    except ValueError:
        wanted = "a whole number" if whole else "a number"
        raise _Bad(FieldError(name, f"must be {wanted}, not {value!r}", block)) from None
    if not math.isfinite(number):
        raise _Bad(FieldError(name, f"must be a number, not {value!r}", block))
    return number


def _tidy(value: float) -> int | float:
    return int(value) if value == int(value) else round(value, 3)


def dosage_data(b: DraftBlock) -> dict[str, Any]:
    """A dosage table from the form's fields (an exercise's own; a problem raises
    :data:`bad_dosage` carrying the FieldError)."""
    return _dosage(0, b)


def _dosage(i: int, b: DraftBlock) -> dict[str, Any]:
    d: dict[str, Any] = {"kind": b.kind, "sets": int(_number(i, "sets", b.sets, whole=True))}
    if b.kind == "reps":
        d["reps"] = int(_number(i, "reps", b.reps, whole=True))
    elif b.kind == "hold":
        d["seconds"] = _tidy(_number(i, "hold_s", b.hold_s))
    elif b.kind == "bout":
        d["seconds"] = _tidy(_number(i, "minutes", b.minutes) * 60)
    d["sides"] = b.sides
    d["rest_s"] = _tidy(_number(i, "rest_s", b.rest_s))
    if b.kind == "reps":
        d["tempo"] = {p: _tidy(_number(i, p, getattr(b, p))) for p in TEMPO_PHASES}
    elif b.kind == "bout":
        d["tempo"] = _bout_tempo(i, b)
    return d


def _phase(value: str, default: float) -> float:
    try:
        number = float(value)
    except ValueError:
        return default
    return number if math.isfinite(number) and number >= 0 else default


def _bout_tempo(i: int, b: DraftBlock) -> dict[str, int | float]:
    """A bout's tempo from its pace: the block's own phases while the pace is theirs;
    at another pace the top and floor pauses stay and the lift and drop share the rest
    of the cycle equally."""
    per_minute = _number(i, "per_minute", b.per_minute)
    if per_minute <= 0:
        raise _Bad(FieldError("per_minute", "must be more than 0 a minute", i))
    up, top, down, floor = (
        _phase(getattr(b, p), d) for p, d in zip(TEMPO_PHASES, (1, 0, 1, 0), strict=True)
    )
    cycle = up + top + down + floor
    if cycle > 0 and round(60 / cycle, 1) == round(per_minute, 1):
        return {"up": _tidy(up), "top": _tidy(top), "down": _tidy(down), "floor": _tidy(floor)}
    moving = 60 / per_minute - top - floor
    if moving <= 0:
        pauses = f"{top + floor:g}"
        raise _Bad(
            FieldError("per_minute", f"too fast: the pauses alone take {pauses} s a cycle", i)
        )
    half = _tidy(round(moving / 2, 3))
    return {"up": half, "top": _tidy(top), "down": half, "floor": _tidy(floor)}


def _same_as_default(dosage: dict[str, Any], default: Dosage) -> bool:
    try:
        given = TypeAdapter(Dosage).validate_python(dosage)
    except ValidationError:
        return False

    def fixed(d: Dosage) -> Dosage:
        return d if d.kind == "hold" else replace(d, tempo=d.pace)

    return fixed(given) == fixed(default)


def to_data(draft: Draft, catalog: Catalog) -> dict[str, Any]:
    """The routine file's contents; a block whose dosage is its exercise's own gets none,
    like the built-in files, so it follows that exercise's file."""
    data: dict[str, Any] = {"id": draft.id or slug(draft.name), "name": draft.name}
    if draft.summary:
        data["summary"] = draft.summary
    blocks = []
    for i, b in enumerate(draft.blocks):
        block: dict[str, Any] = {"exercise": b.exercise}
        if b.note.strip():
            block["note"] = b.note.strip()
        dosage = _dosage(i, b)
        known = catalog.get(b.exercise)
        if known is None or not _same_as_default(dosage, known.dosage):
            block["dosage"] = dosage
        blocks.append(block)
    data["blocks"] = blocks
    return data


def _value(value: Any) -> str:
    if isinstance(value, str):  # a TOML basic string: JSON's escapes, and DEL escaped
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007F")
    return str(value)


def to_toml(data: Mapping[str, Any]) -> str:
    lines = ["# Made with the routine builder: the same file `soleus` reads in the terminal."]
    lines += [f"{k} = {_value(data[k])}" for k in ("id", "name", "summary") if k in data]
    for block in data["blocks"]:
        lines += ["", "[[blocks]]"]
        lines += [f"{k} = {_value(v)}" for k, v in block.items() if k != "dosage"]
        dosage = block.get("dosage")
        if dosage:
            lines += ["", "[blocks.dosage]"]
            lines += [f"{k} = {_value(v)}" for k, v in dosage.items() if k != "tempo"]
            if "tempo" in dosage:
                lines += ["", "[blocks.dosage.tempo]"]
                lines += [f"{k} = {_value(v)}" for k, v in dosage["tempo"].items()]
    return "\n".join(lines) + "\n"


def field_of(error: SoleusError, draft: Draft) -> FieldError:
    """The form field a validation message is about (its dotted path), and the message."""
    path, sep, message = error.message.partition(": ")
    if not sep:
        return FieldError("form", error.message)
    parts = path.split(".")
    if parts[0] in ("id", "name", "summary"):
        return FieldError(parts[0], message)
    if parts[0] != "blocks" or len(parts) < 3 or not parts[1].isdigit():
        return FieldError("blocks" if parts[0] == "blocks" else "form", message)
    i = int(parts[1])
    kind = draft.blocks[i].kind if i < len(draft.blocks) else "reps"
    rest = parts[2:]
    if rest[0] in ("exercise", "note"):
        return FieldError(rest[0], message, i)
    name = rest[1] if len(rest) > 1 else "kind"
    if name == "seconds":
        name = "minutes" if kind == "bout" else "hold_s"
    elif name == "tempo":
        phase = rest[2] if len(rest) > 2 else "up"
        name = phase if kind == "reps" else "per_minute"
    return FieldError(name if name in BLOCK_FIELDS else "kind", message, i)


def check(ctx: Context, draft: Draft) -> Checked:
    """The draft's TOML text, and the routine it makes or every problem in it."""
    checked = _check_once(ctx, draft)
    if checked.error is None:
        return checked
    return replace(checked, errors=tuple(_all_problems(ctx, draft, checked.error)))


def _all_problems(ctx: Context, draft: Draft, first: FieldError) -> list[FieldError]:
    """Every problem, one per field: the CLI's validation reports the first, so each
    field found wrong is set to a harmless value in a copy and the copy checked again."""
    work = copy.deepcopy(draft)
    problems = [first]
    for _ in range(4 * len(BLOCK_FIELDS) + 8):
        if not _neutralise(ctx, work, problems[-1]):
            break
        nxt = _check_once(ctx, work).error
        if nxt is None or any(p.key == nxt.key for p in problems):
            break
        problems.append(nxt)
    return problems


def _neutralise(ctx: Context, draft: Draft, error: FieldError) -> bool:
    """Replace the value ``error`` is about with one that passes; False if none will."""
    if error.block is None:
        if error.field not in ("name", "id", "summary"):
            return False
        setattr(draft, error.field, "x" if error.field == "name" else "")
        return True
    if error.block >= len(draft.blocks):
        return False
    block = draft.blocks[error.block]
    plain = DraftBlock(exercise=next(iter(ctx.catalog), ""))
    if error.field in TEMPO_PHASES:
        for phase in TEMPO_PHASES:
            setattr(block, phase, getattr(plain, phase))
    elif error.field == "per_minute":
        block.per_minute, block.top, block.floor = plain.per_minute, "0", "0"
    elif error.field in BLOCK_FIELDS:
        setattr(block, error.field, getattr(plain, error.field))
    else:
        return False
    return True


def _check_once(ctx: Context, draft: Draft) -> Checked:
    catalog = ctx.catalog
    if not draft.name:
        return Checked("", None, None, FieldError("name", "give the routine a name"))
    try:
        data = to_data(draft, catalog)
    except _Bad as bad:
        return Checked("", None, None, bad.error)
    text = to_toml(data)
    if not draft.blocks:
        return Checked(text, None, None, FieldError("blocks", "add at least one exercise"))
    try:
        item = userfiles.validate_text(ctx, "routines", text)
    except SoleusError as error:
        return Checked(text, None, None, field_of(error, draft))
    assert isinstance(item, Routine)
    plan = Plan.build(item, catalog)
    return Checked(text, item, Estimate(plan.estimated_seconds(), len(plan.sets)), None)


def draft_of_text(ctx: Context, text: str) -> Draft:
    """The form for a TOML text, validated first (a SoleusError says what is wrong)."""
    item = userfiles.validate_text(ctx, "routines", text)
    assert isinstance(item, Routine)
    return from_routine(item, ctx.catalog)


def new_block(ctx: Context, exercise_id: str) -> DraftBlock:
    exercise = ctx.catalog.get_exercise(exercise_id)
    return draft_block(exercise.id, exercise.dosage)
