"""The one reader of config.toml and the ``SOLEUS_*`` variables, driven by the registry.

Each value comes from its environment variable, else from config.toml, else the
registry's default. Every problem is one line naming the file (or the variable), the
setting and what is wrong; an unknown key or section says which known one is close
("did you mean ...").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from soleus.errors import SoleusError
from soleus.settings.registry import ROWS, SECTIONS, Setting, rows

CONFIG_NAME = "config.toml"
DEFAULT = "default"


@dataclass(frozen=True)
class Resolved:
    """A setting's value and where it came from: ``default``, the environment
    variable, or ``<path>: <key>`` for config.toml."""

    row: Setting
    value: Any
    source: str

    @property
    def from_file(self) -> bool:
        return self.source not in (DEFAULT, self.row.env_var)


def read(path: Path) -> dict[str, Any]:
    """config.toml as parsed TOML ({} if there is none)."""
    return read_text(path)[1]


def read_text(path: Path) -> tuple[str, dict[str, Any]]:
    """config.toml's text and its parsed TOML (``""`` and {} if there is none)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return "", {}
    except (OSError, UnicodeDecodeError) as error:
        raise SoleusError(f"cannot read config file ({error})", where=str(path)) from None
    import tomllib

    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise SoleusError(f"not valid TOML: {error}", where=str(path)) from None


def _suggest(name: str, known: list[str]) -> str:
    import difflib  # only on an error

    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def check_top_level(data: Mapping[str, Any], path: Path) -> None:
    """Every top-level key is a setting or a section of the registry."""
    top = {r.name: r for r in rows("")}
    sections = [s for s in SECTIONS if s]
    for key, value in data.items():
        if key in sections:
            if not isinstance(value, dict):
                raise SoleusError(f"[{key}] must be a table, not a value", where=str(path))
            continue
        found = top.get(key)
        if found is not None and not found.in_file:
            raise SoleusError(
                f"{key} cannot be set in config.toml (use {found.env_var})", where=str(path)
            )
        if found is not None:
            continue
        known = [n for n, r in top.items() if r.in_file] + sections
        known += [r.key for r in ROWS if r.section and r.in_file]
        what = f"section [{key}]" if isinstance(value, dict) else f"setting {key!r}"
        raise SoleusError(f"unknown {what}{_suggest(key, known)}", where=str(path))


def resolve(
    section: str, data: Mapping[str, Any], env: Mapping[str, str], path: Path
) -> list[Resolved]:
    """Every row of ``section`` with its value: environment, then file, then default.

    ``data`` is the whole parsed file; only ``section``'s table is read (and its
    unknown keys refused)."""
    table: Mapping[str, Any] = data.get(section, {}) if section else data
    if not isinstance(table, dict):
        raise SoleusError(f"[{section}] must be a table, not a value", where=str(path))
    mine = rows(section)
    if section:
        names = [r.name for r in mine if r.in_file]
        for key in table:
            if key not in names:
                raise SoleusError(
                    f"unknown setting {section}.{key}{_suggest(key, names)}", where=str(path)
                )
    out = []
    for r in mine:
        raw, source = None, DEFAULT
        if r.env_var is not None and env.get(r.env_var) is not None:
            raw, source = env[r.env_var], r.env_var
        elif r.in_file and r.name in table:
            raw, source = table[r.name], f"{path}: {r.key}"
        value = r.default if raw is None else coerce(r, raw, source)
        out.append(Resolved(r, value, source))
    return out


def coerce(r: Setting, raw: Any, source: str) -> Any:
    """``raw`` (a TOML value or an environment string) as the row's type, in range."""
    value = _typed(r, raw, source)
    check_range(r, value, source)
    return value


def in_range(r: Setting, value: float) -> bool:
    return (r.lo is None or r.lo <= value) and (r.hi is None or value <= r.hi)


def check_range(r: Setting, value: Any, source: str | None = None) -> None:
    if value is None or r.kind not in ("int", "float") or in_range(r, value):
        return
    # "<path>: key: must be ...", "SOLEUS_KEY: key must be ...", "key must be ..."
    if source and source.endswith(f": {r.key}"):
        what = f"{source}:"
    else:
        what = f"{source}: {r.key}" if source and source != DEFAULT else r.key
    raise SoleusError(f"{what} must be {r.range_text()}, not {value:g}")


def _typed(r: Setting, raw: Any, source: str) -> Any:
    def bad(expected: str) -> SoleusError:
        return SoleusError(f"{source}: expected {expected}, got {raw!r}")

    kind = r.kind
    if kind == "bool":
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in {"1", "true", "yes", "on"}:
            return True
        if text in {"0", "false", "no", "off"}:
            return False
        raise bad("yes/no")
    if kind in ("int", "float"):
        expected = "a whole number" if kind == "int" else "a number"
        if isinstance(raw, bool) or not isinstance(raw, int | float | str):
            raise bad(expected)
        try:
            number = float(raw)
        except ValueError:
            raise bad(expected) from None
        if kind == "float":
            return number
        if not number.is_integer():
            raise bad(expected)
        return int(number)
    if kind == "path":
        if not isinstance(raw, str):
            raise bad("a folder")
        return Path(raw).expanduser()
    if kind == "texts" and isinstance(raw, list):
        if not all(isinstance(item, str) for item in raw):
            raise bad("a list of strings")
        return list(raw)
    if kind == "table":
        if not isinstance(raw, dict) or not all(isinstance(v, str) for v in raw.values()):
            raise bad("a table of strings")
        return dict(raw)
    if not isinstance(raw, str):
        raise bad("a string" if kind != "texts" else "a string or a list of strings")
    if kind == "choice" and raw not in r.choices:
        raise bad(f"one of {', '.join(r.choices)}")
    return raw
