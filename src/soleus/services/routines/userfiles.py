"""The user's own routines and exercises as TOML files in the config dir.

The same files the CLI reads (``<config>/routines/<id>.toml``,
``<config>/exercises/<id>.toml``): validated before anything is written, written
atomically, so a bad edit never leaves a broken file behind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from soleus.content import (
    MAX_FILE_BYTES,
    builtin_dir,
    check_routine,
    drawings,
    load_file,
    load_routine_file,
    parse_toml,
    validate,
)
from soleus.domain.catalog import Exercise, is_valid_id
from soleus.domain.routine import Routine
from soleus.errors import NotFound, SoleusError
from soleus.files import write_atomic
from soleus.services.context import Context

Kind = Literal["routines", "exercises"]
KINDS: tuple[Kind, ...] = ("routines", "exercises")


@dataclass(frozen=True)
class UserFile:
    kind: Kind
    id: str
    path: Path
    error: str | None  # why the file does not load, if it does not


def folder(ctx: Context, kind: Kind) -> Path:
    return ctx.settings.config_dir / kind


def _check_id(item_id: str) -> None:
    if not is_valid_id(item_id):
        raise SoleusError(f"id {item_id!r} must be 1-40 lowercase letters, digits and dashes")


def list_files(ctx: Context, kind: Kind) -> list[UserFile]:
    """Every user file of a kind, each loaded on its own so one bad file names itself."""
    base = folder(ctx, kind)
    if not base.is_dir():
        return []
    files = []
    for path in sorted(base.glob("*.toml")):
        error = None
        try:
            if kind == "exercises":
                load_file(Exercise, path)
            else:
                load_routine_file(path, ctx.catalog)
        except SoleusError as problem:
            error = str(problem)
        files.append(UserFile(kind, path.stem, path, error))
    return files


def is_user(ctx: Context, kind: Kind, item_id: str) -> bool:
    return is_valid_id(item_id) and (folder(ctx, kind) / f"{item_id}.toml").is_file()


def is_builtin(kind: Kind, item_id: str) -> bool:
    return is_valid_id(item_id) and (builtin_dir(kind) / f"{item_id}.toml").is_file()


def source(ctx: Context, kind: Kind, item_id: str) -> str:
    """The TOML text of an item: the user's file, else the built-in one."""
    _check_id(item_id)
    for path in (folder(ctx, kind) / f"{item_id}.toml", builtin_dir(kind) / f"{item_id}.toml"):
        if path.is_file():
            return path.read_text(encoding="utf-8")
    raise NotFound(f"no {kind[:-1]} {item_id!r}")


_ID_LINE = re.compile(r'^(id\s*=\s*)(["\']).*?\2', re.MULTILINE)
_NAME_LINE = re.compile(r'^(name\s*=\s*)(["\'])(.*?)\2', re.MULTILINE)


def duplicate_text(ctx: Context, kind: Kind, item_id: str, new_id: str) -> str:
    """The source of ``item_id`` with its id (and name) changed for a copy."""
    _check_id(new_id)
    text = source(ctx, kind, item_id)
    text, count = _ID_LINE.subn(lambda m: f'{m[1]}"{new_id}"', text, count=1)
    if not count:
        raise SoleusError(f"{kind[:-1]} {item_id!r} has no id line to change")
    return _NAME_LINE.sub(lambda m: f"{m[1]}{m[2]}{m[3]} (copy){m[2]}", text, count=1)


def free_id(ctx: Context, kind: Kind, base: str) -> str:
    """``base-copy``, ``base-copy-2``... not yet used by a user or built-in file."""
    stem = f"{base}-copy"[:34]
    candidate, n = stem, 2
    while is_user(ctx, kind, candidate) or is_builtin(kind, candidate):
        candidate, n = f"{stem}-{n}", n + 1
    return candidate


def validate_text(ctx: Context, kind: Kind, text: str) -> Routine | Exercise:
    """Parse and check a file's text as it would load; errors name the line."""
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        raise SoleusError(f"the file is larger than {MAX_FILE_BYTES // 1024} KiB")
    if not text.strip():
        raise SoleusError("the file is empty")
    probe = parse_toml(text, where=f"{kind}/(new).toml")
    raw_id = probe.get("id")
    where = f"{kind}/{raw_id}.toml" if isinstance(raw_id, str) else f"{kind}/(new).toml"
    data = parse_toml(text, where=where)
    if kind == "routines":
        routine = validate(Routine, data, text=text, where=where)
        check_routine(routine, ctx.catalog, where=where, text=text)
        return routine
    exercise = validate(Exercise, data, text=text, where=where)
    if exercise.picture and exercise.picture not in drawings():
        raise SoleusError(
            f"picture: no built-in drawing {exercise.picture!r} (known: {', '.join(drawings())})",
            where=where,
        )
    return exercise


def save(ctx: Context, kind: Kind, text: str, *, replaces: str | None = None) -> str:
    """Validate and write a user file; ``replaces`` is the id being edited (renames it).

    Returns the id saved. Nothing is written if the text has any problem.
    """
    item = validate_text(ctx, kind, text)
    new_id = item.id
    base = folder(ctx, kind)
    if replaces is not None:
        _check_id(replaces)
        if replaces != new_id and kind == "exercises":
            _refuse_if_used(ctx, replaces)
    if (replaces is None or replaces != new_id) and (base / f"{new_id}.toml").exists():
        raise SoleusError(
            f"you already have a {kind[:-1]} with id {new_id!r}: edit that one or pick another id"
        )
    base.mkdir(parents=True, exist_ok=True)
    write_atomic(base / f"{new_id}.toml", text if text.endswith("\n") else text + "\n")
    if replaces is not None and replaces != new_id:
        (base / f"{replaces}.toml").unlink(missing_ok=True)
    return new_id


def delete(ctx: Context, kind: Kind, item_id: str) -> None:
    _check_id(item_id)
    path = folder(ctx, kind) / f"{item_id}.toml"
    if not path.is_file():
        if is_builtin(kind, item_id):
            raise SoleusError(f"{item_id!r} is built in and cannot be deleted")
        raise NotFound(f"no {kind[:-1]} {item_id!r} of yours")
    if kind == "exercises" and not is_builtin(kind, item_id):
        _refuse_if_used(ctx, item_id)
    path.unlink()


def _refuse_if_used(ctx: Context, exercise_id: str) -> None:
    users = []
    for f in list_files(ctx, "routines"):
        try:
            data: dict[str, Any] = parse_toml(f.path.read_text(encoding="utf-8"), where=str(f.path))
        except (SoleusError, OSError):
            continue
        blocks = data.get("blocks")
        if isinstance(blocks, list) and any(
            isinstance(b, dict) and b.get("exercise") == exercise_id for b in blocks
        ):
            users.append(f.id)
    if users:
        raise SoleusError(
            f"exercise {exercise_id!r} is used by your routine(s) {', '.join(users)}:"
            " change or delete them first"
        )


ROUTINE_TEMPLATE = """\
# Your own routine. Each [[blocks]] is one exercise; [blocks.dosage] overrides its default.
id = "my-routine"
name = "My routine"
summary = "Two sets of seated soleus pushups."

[[blocks]]
exercise = "soleus-pushup"

[blocks.dosage]
kind = "reps"      # reps | hold | bout
sets = 2
reps = 10
sides = "each"     # each | both | alternate
rest_s = 30
"""

EXERCISE_TEMPLATE = """\
# Your own exercise. The player reads dosage and cues; the Exercises page shows the rest.
id = "my-exercise"
name = "My exercise"
summary = "What it is, in one line."
position = "seated"   # seated | standing | floor
steps = [
  "Sit with your feet flat.",
  "Do the movement slowly.",
]
cues = ["Slow and steady."]

[dosage]
kind = "hold"     # reps | hold | bout
sets = 2
seconds = 30
sides = "each"
rest_s = 20
"""
