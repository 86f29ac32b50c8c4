"""Every setting with its value and source, as ``soleus config`` shows them."""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from soleus.settings import Settings
from soleus.settings import remind as remind_settings
from soleus.settings.load import DEFAULT, Resolved
from soleus.settings.registry import Setting


def everything(env: Mapping[str, str] | None = None) -> tuple[Settings, list[Resolved]]:
    """The settings object and every row of the registry, ``[remind]`` included."""
    env = os.environ if env is None else env
    settings = Settings.load(env)
    rows = [*settings.resolved(), *remind_settings.resolved(settings.config_dir, env)]
    return settings, [_hidden(r) for r in rows]


def _hidden(r: Resolved) -> Resolved:
    """A secret's value (a password) is shown as set, never as itself."""
    if r.row.secret and r.value:
        return dataclasses.replace(r, value="(set, hidden)")
    return r


def source(r: Resolved) -> str:
    """``default``, ``config.toml`` or the environment variable's name."""
    if r.source == DEFAULT:
        return DEFAULT
    return "config.toml" if r.from_file else r.source


def json_value(r: Resolved) -> Any:
    """The value as JSON: numbers, booleans, lists and tables as such, null if unset."""
    value = r.value
    if value is None or (r.row.optional and value == ""):
        return None
    return str(value) if isinstance(value, Path) else value


def toml_value(value: Any) -> str:
    """``value`` written as config.toml would have it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, Path):
        value = str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # JSON's escapes are TOML's
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"cannot write {type(value).__name__} values into config.toml")


def allowed(row: Setting) -> str:
    """The values a row allows, as a short phrase (empty if any of its type)."""
    if row.choices:
        return f"One of {', '.join(row.choices)}."
    text = row.range_text()
    return f"{text[0].upper()}{text[1:]}." if text else ""


def as_json(settings: Settings, rows: list[Resolved]) -> dict[str, Any]:
    return {
        "config_file": str(settings.config_path),
        "settings": {r.row.key: {"value": json_value(r), "source": source(r)} for r in rows},
    }
