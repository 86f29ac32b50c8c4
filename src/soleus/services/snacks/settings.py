"""The ``[remind]`` settings as a form: read, check with the same rules, write back.

A form becomes a ``[remind]`` table that :class:`RemindConfig` validates and
:meth:`RemindPolicy.check` accepts, or a one-line error and nothing is written. The
table is written into config.toml atomically; the rest of the file (other settings,
other tables, their comments) is kept byte for byte, and the result is parsed back and
compared before it replaces the old file.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from soleus.domain.snacks.policy import DAY_NAMES
from soleus.errors import SoleusError
from soleus.files import write_atomic
from soleus.remind.config import ENV_PREFIX, RemindConfig, _parse_days

CONFIG_NAME = "config.toml"
NUMBERS = {
    "interval_min": "interval (minutes)",
    "break_min": "natural break (minutes)",
    "snooze_min": "snooze (minutes)",
}
WHOLE = {"target": "daily target", "snooze_limit": "snooze limit"}
FLAGS = ("strict", "can_stand", "stop_at_target")
FORM_KEYS = (*NUMBERS, *WHOLE, *FLAGS, "workdays", "hours", "days", "quiet")


def config_path(config_dir: Path) -> Path:
    return config_dir / CONFIG_NAME


def _read(path: Path) -> tuple[str, dict[str, Any]]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return "", {}
    except (OSError, UnicodeDecodeError) as error:
        raise SoleusError(f"cannot read {path} ({error})") from None
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise SoleusError(f"{path} is not valid TOML ({error}); fix it by hand first") from None


def current(config_dir: Path) -> tuple[RemindConfig, str | None]:
    """The ``[remind]`` settings of the file (environment overrides aside), or the
    defaults and the reason the file's settings cannot be used."""
    try:
        _, data = _read(config_path(config_dir))
        table = data.get("remind", {})
        if not isinstance(table, dict):
            raise SoleusError("[remind] in config.toml must be a table")
        return RemindConfig.model_validate(table), None
    except SoleusError as error:
        return RemindConfig(), str(error)
    except ValidationError as error:
        return RemindConfig(), _first(error)


def env_overrides(env: Mapping[str, str]) -> list[str]:
    """Names of ``SOLEUS_REMIND_*`` variables that override the file."""
    return sorted(k for k in env if k.startswith(ENV_PREFIX))


def _first(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(p) for p in first["loc"])
    return f"remind.{where}: {first['msg']}"


# -- form <-> table -------------------------------------------------------------------


def _num(text: str) -> str:
    return f"{float(text):g}"


def form_values(config: RemindConfig) -> dict[str, Any]:
    """What the form shows for ``config``."""
    try:
        workdays = _parse_days(config.workdays)
    except SoleusError:
        workdays = set(range(5))
    days = {name[:3].lower(): text for name, text in config.days.items()}
    quiet = config.quiet if isinstance(config.quiet, str) else ", ".join(config.quiet)
    return {
        "interval_min": _num(str(config.interval_min)),
        "break_min": _num(str(config.break_min)),
        "target": str(config.target),
        "snooze_min": _num(str(config.snooze_min)),
        "snooze_limit": str(config.snooze_limit),
        "hours": config.hours,
        "quiet": quiet,
        "strict": config.strict,
        "can_stand": config.can_stand,
        "stop_at_target": config.stop_at_target,
        "week": [
            {
                "name": name,
                "works": (i in workdays and days.get(name) != "")
                or bool(days.get(name, "").strip()),
                "hours": days.get(name, ""),
            }
            for i, name in enumerate(DAY_NAMES)
        ],
    }


def table_from_form(form: Mapping[str, str], old: Mapping[str, Any]) -> dict[str, Any]:
    """The new ``[remind]`` table: the form's settings over the old table's other keys."""
    table: dict[str, Any] = {k: v for k, v in old.items() if k not in FORM_KEYS}
    for key, label in NUMBERS.items():
        raw = form.get(key, "").strip()
        try:
            value = float(raw)
        except ValueError:
            raise SoleusError(f"{label} must be a number, not {raw!r}") from None
        table[key] = int(value) if value.is_integer() else value
    for key, label in WHOLE.items():
        raw = form.get(key, "").strip()
        if not re.fullmatch(r"\d{1,3}", raw):
            raise SoleusError(f"{label} must be a whole number, not {raw!r}")
        table[key] = int(raw)
    workdays = [name for name in DAY_NAMES if form.get(f"works_{name}") == "on"]
    hours = form.get("hours", "").strip()
    table["workdays"] = ",".join(workdays)
    table["hours"] = hours
    days = {}
    for name in workdays:
        text = form.get(f"hours_{name}", "").strip()
        if text and text != hours:
            days[name] = text
    table["quiet"] = form.get("quiet", "").strip()
    for key in FLAGS:
        table[key] = form.get(key) == "on"
    if days:
        table["days"] = days
    return table


def check(table: Mapping[str, Any]) -> RemindConfig:
    """The same rules as the daemon: RemindConfig's types, then RemindPolicy.check."""
    try:
        config = RemindConfig.model_validate(dict(table))
    except ValidationError as error:
        raise SoleusError(_first(error)) from None
    config.policy()
    return config


def save_form(config_dir: Path, form: Mapping[str, str]) -> RemindConfig:
    """Check the form and write it as ``[remind]``; nothing is written on an error."""
    path = config_path(config_dir)
    _, data = _read(path)
    old = data.get("remind", {})
    table = table_from_form(form, old if isinstance(old, dict) else {})
    config = check(table)
    write_remind(path, table)
    return config


# -- writing --------------------------------------------------------------------------

_HEADER = re.compile(r"^\s*\[\[?([^\[\]]+)\]\]?\s*(#.*)?$")
_BARE = re.compile(r"^[A-Za-z0-9_-]+$")


def _is_remind(header: str) -> bool:
    first = header.split(".")[0].strip().strip("\"'")
    return first == "remind"


def _without_remind(text: str) -> str:
    out: list[str] = []
    skipping = False
    for line in text.splitlines(keepends=True):
        match = _HEADER.match(line)
        if match:
            skipping = _is_remind(match[1])
        if not skipping:
            out.append(line)
    return "".join(out)


def _key(name: str) -> str:
    return name if _BARE.match(name) else json.dumps(name, ensure_ascii=False)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # JSON's escapes are TOML's
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    raise SoleusError(f"cannot write {type(value).__name__} values into [remind]")


def dump_remind(table: Mapping[str, Any]) -> str:
    lines = ["[remind]"]
    subtables = {k: v for k, v in table.items() if isinstance(v, dict)}
    lines += [f"{_key(k)} = {_value(v)}" for k, v in table.items() if k not in subtables]
    for name, sub in subtables.items():
        lines += ["", f"[remind.{_key(name)}]"]
        lines += [f"{_key(k)} = {_value(v)}" for k, v in sub.items()]
    return "\n".join(lines) + "\n"


def write_remind(path: Path, table: Mapping[str, Any]) -> None:
    """Replace ``[remind]`` (and its subtables) in ``path``, keeping everything else."""
    old_text, old = _read(path)
    kept = _without_remind(old_text).rstrip()
    new_text = (kept + "\n\n" if kept else "") + dump_remind(table)
    try:
        new = tomllib.loads(new_text)
    except tomllib.TOMLDecodeError as error:
        raise SoleusError(
            f"could not rewrite {path} safely ({error}); edit it by hand; nothing saved"
        ) from None
    others = {k: v for k, v in old.items() if k != "remind"}
    if {k: v for k, v in new.items() if k != "remind"} != others or new.get("remind") != table:
        raise SoleusError(
            f"{path} keeps [remind] in a form this page cannot rewrite safely"
            " (dotted keys or an inline table?); edit it by hand; nothing saved"
        )
    _atomic_write(path, new_text)


def _atomic_write(path: Path, text: str) -> None:
    try:
        write_atomic(path, text)
    except OSError as error:
        raise SoleusError(f"cannot write {path} ({error.strerror}); nothing saved") from None
