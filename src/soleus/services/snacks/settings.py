"""The ``[remind]`` settings as a form: read, check with the same rules, write back.

The form's fields are the registry's ``[remind]`` rows that have a fieldset
(:func:`soleus.settings.registry.form_rows`): their labels, hints and ranges come from
there. A form becomes a ``[remind]`` table that the settings reader accepts and
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

from soleus.domain.snacks.policy import DAY_NAMES, parse_days
from soleus.errors import SoleusError
from soleus.files import write_atomic
from soleus.settings.load import CONFIG_NAME, in_range, read_text
from soleus.settings.registry import Setting, form_rows, rows
from soleus.settings.remind import SECTION, RemindConfig, from_table
from soleus.settings.show import toml_value

FIELDS = form_rows(SECTION)
NUMBERS = tuple(r for r in FIELDS if r.kind in ("int", "float"))
FLAGS = tuple(r.name for r in FIELDS if r.kind == "bool")
TEXTS = tuple(r.name for r in FIELDS if r.kind in ("text", "texts") and r.name != "workdays")
FORM_KEYS = tuple(r.name for r in FIELDS)


def fieldsets() -> list[tuple[str, list[Setting]]]:
    """(legend, rows) of the form, in registry order."""
    out: dict[str, list[Setting]] = {}
    for r in FIELDS:
        out.setdefault(r.form, []).append(r)
    return list(out.items())


def config_path(config_dir: Path) -> Path:
    return config_dir / CONFIG_NAME


def _read(path: Path) -> tuple[str, dict[str, Any]]:
    try:
        return read_text(path)
    except SoleusError as error:
        raise SoleusError(f"{error}; fix it by hand first") from None


def current(config_dir: Path) -> tuple[RemindConfig, str | None]:
    """The ``[remind]`` settings of the file (environment overrides aside), or the
    defaults and the reason the file's settings cannot be used."""
    path = config_path(config_dir)
    try:
        _, data = read_text(path)
        table = data.get(SECTION, {})
        if not isinstance(table, dict):
            raise SoleusError("[remind] in config.toml must be a table")
        return from_table(table, path), None
    except SoleusError as error:
        return RemindConfig(), str(error)


def env_overrides(env: Mapping[str, str]) -> list[str]:
    """Names of the ``SOLEUS_REMIND_*`` variables set, which override the file."""
    return sorted(r.env_var for r in rows(SECTION) if r.env_var and r.env_var in env)


# -- form <-> table -------------------------------------------------------------------


def _num(value: float) -> str:
    return f"{value:g}"


def form_values(config: RemindConfig) -> dict[str, Any]:
    """What the form shows for ``config``."""
    try:
        workdays = parse_days(config.workdays)
    except SoleusError:
        workdays = set(range(5))
    days = {name[:3].lower(): text for name, text in config.days.items()}
    quiet = config.quiet if isinstance(config.quiet, str) else ", ".join(config.quiet)
    values: dict[str, Any] = {r.name: _num(getattr(config, r.name)) for r in NUMBERS}
    values.update({name: getattr(config, name) for name in (*TEXTS, *FLAGS)})
    values["quiet"] = quiet
    values["week"] = [
        {
            "name": name,
            "works": (i in workdays and days.get(name) != "") or bool(days.get(name, "").strip()),
            "hours": days.get(name, ""),
        }
        for i, name in enumerate(DAY_NAMES)
    ]
    return values


def form_view(form: Mapping[str, str]) -> dict[str, Any]:
    """A submitted form as it was typed, shaped like :func:`form_values`."""
    view: dict[str, Any] = {k: form.get(k, "") for k in (*(r.name for r in NUMBERS), *TEXTS)}
    view.update({k: form.get(k) == "on" for k in FLAGS})
    view["week"] = [
        {"name": n, "works": form.get(f"works_{n}") == "on", "hours": form.get(f"hours_{n}", "")}
        for n in DAY_NAMES
    ]
    return view


def _number(r: Setting, raw: str) -> float:
    if r.kind == "int":
        if not re.fullmatch(r"\d{1,3}", raw):
            raise SoleusError(f"{r.title} must be a whole number, not {raw!r}")
        value = float(raw)
    else:
        try:
            value = float(raw)
        except ValueError:
            raise SoleusError(f"{r.title} must be a number, not {raw!r}") from None
    if not in_range(r, value):
        raise SoleusError(f"{r.title} must be {r.range_text()}, not {raw}")
    return value


def table_from_form(form: Mapping[str, str], old: Mapping[str, Any]) -> dict[str, Any]:
    """The new ``[remind]`` table: the form's settings over the old table's other keys."""
    table: dict[str, Any] = {k: v for k, v in old.items() if k not in FORM_KEYS}
    for r in NUMBERS:
        value = _number(r, form.get(r.name, "").strip())
        table[r.name] = int(value) if value.is_integer() else value
    workdays = [name for name in DAY_NAMES if form.get(f"works_{name}") == "on"]
    hours = form.get("hours", "").strip()
    table["workdays"] = ",".join(workdays)
    for name in TEXTS:
        table[name] = form.get(name, "").strip()
    days = {}
    for name in workdays:
        text = form.get(f"hours_{name}", "").strip()
        if text and text != hours:
            days[name] = text
    for key in FLAGS:
        table[key] = form.get(key) == "on"
    if days:
        table["days"] = days
    return table


def check(table: Mapping[str, Any], path: Path) -> RemindConfig:
    """The same rules as the daemon: the registry's types, then RemindPolicy.check."""
    config = from_table(table, path)
    config.policy()
    return config


def save_form(config_dir: Path, form: Mapping[str, str]) -> RemindConfig:
    """Check the form and write it as ``[remind]``; nothing is written on an error."""
    path = config_path(config_dir)
    _, data = _read(path)
    old = data.get("remind", {})
    table = table_from_form(form, old if isinstance(old, dict) else {})
    config = check(table, path)
    write_remind(path, table)
    return config


def hours_table(config_dir: Path, hours: str) -> dict[str, Any]:
    """The ``[remind]`` table with new usual working hours and every other key as it was,
    checked like the form (the welcome's hours); nothing is written."""
    path = config_path(config_dir)
    _, data = _read(path)
    old = data.get(SECTION, {})
    table = {**(old if isinstance(old, dict) else {}), "hours": hours}
    check(table, path)
    return table


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
    try:
        return toml_value(value)
    except TypeError:
        raise SoleusError(f"cannot write {type(value).__name__} values into [remind]") from None


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
