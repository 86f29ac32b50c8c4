"""Settings: one typed table of name, default and help.

Each value comes from the environment (``SOLEUS_<NAME>``), else from
``config.toml`` in the user config dir, else the default. ``soleus config`` lists them.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

from soleus.errors import SoleusError

ENV_PREFIX = "SOLEUS_"


def _setting(default: Any, help: str, allowed: tuple[float, float] | None = None) -> Any:
    """A setting: its default, its help and (for numbers) the range it must lie in."""
    return field(default=default, metadata={"help": help, "range": allowed})


@dataclass(frozen=True)
class Settings:
    data_dir: Path = _setting(None, "Where the database and recordings live.")
    config_dir: Path = _setting(None, "Where config.toml and your own routines/exercises live.")
    database_url: str = _setting(
        "", "SQLAlchemy URL of the database; empty means SQLite in the data dir."
    )
    timezone: str = _setting("", "IANA time zone for days and streaks; empty means the system's.")
    person: str = _setting("me", "Whose records these are (a shared server has several).")
    sound: bool = _setting(True, "Play cue sounds (terminal bell, Web Audio).")
    speech: bool = _setting(
        True, "Speak cues (espeak-ng in the terminal, Speech Synthesis on the web)."
    )
    get_ready_s: float = _setting(
        5.0, "Seconds of get-ready countdown before the first set.", (0, 60)
    )
    pain_warn: int = _setting(4, "Pain (0-10) at which the coach warns.", (0, 10))
    pain_stop: int = _setting(
        5, "Pain above this (0-10) stops the session and regresses the plan.", (0, 10)
    )
    # Where each value came from (setting name -> "default", a variable or the file).
    sources: Mapping[str, str] = field(
        default_factory=dict, compare=False, repr=False, metadata={"internal": True}
    )

    def __post_init__(self) -> None:
        for f in _fields():
            _check_range(f, getattr(self, f.name), self.sources.get(f.name))

    @classmethod
    def load(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        config_dir = Path(env.get(f"{ENV_PREFIX}CONFIG_DIR") or _default_dir("config")).expanduser()
        data_dir = Path(env.get(f"{ENV_PREFIX}DATA_DIR") or _default_dir("data")).expanduser()
        from_file = _read_config(config_dir / "config.toml")
        values: dict[str, Any] = {"config_dir": config_dir, "data_dir": data_dir}
        sources = {
            name: f"{ENV_PREFIX}{name.upper()}"
            if env.get(f"{ENV_PREFIX}{name.upper()}")
            else "default"
            for name in values
        }
        for f in _fields():
            if f.name in values:
                continue
            raw = env.get(ENV_PREFIX + f.name.upper())
            source = f"{ENV_PREFIX}{f.name.upper()}"
            if raw is None and f.name in from_file:
                raw, source = from_file[f.name], f"{config_dir / 'config.toml'}: {f.name}"
            sources[f.name] = "default"
            if raw is not None:
                values[f.name] = _coerce(raw, f.default, source)
                sources[f.name] = source
        return cls(**values, sources=sources)

    def describe(self) -> list[tuple[str, Any, str, str]]:
        """(name, current value, help, source) for every setting, in table order; the
        source is "default", the environment variable or ``config.toml: name``."""
        return [
            (f.name, getattr(self, f.name), f.metadata["help"], self.sources.get(f.name, "default"))
            for f in _fields()
        ]

    @property
    def tzinfo(self) -> tzinfo:
        """The configured time zone, or the system's."""
        if not self.timezone:
            local = datetime.now().astimezone().tzinfo
            assert local is not None
            return local
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            return ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise SoleusError(
                f"unknown time zone {self.timezone!r} (use an IANA name like Europe/Berlin)"
            ) from None

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'soleus.db'}"

    @property
    def inbox_path(self) -> Path:
        """The append-only journal that quick logs land in before the database."""
        return self.data_dir / "inbox.jsonl"


def _fields() -> tuple[dataclasses.Field[Any], ...]:
    """The settings themselves (not the bookkeeping fields)."""
    return tuple(f for f in dataclasses.fields(Settings) if not f.metadata.get("internal"))


def _check_range(f: dataclasses.Field[Any], value: Any, source: str | None) -> None:
    allowed = f.metadata.get("range")
    if allowed is None or value is None or allowed[0] <= value <= allowed[1]:
        return
    where = f"{source}: " if source and source != "default" else ""
    raise SoleusError(
        f"{where}{f.name} must be from {allowed[0]:g} to {allowed[1]:g}, not {value:g}"
    )


def _default_dir(kind: str) -> str:
    """The platform's per-user folder (imported only when no SOLEUS_*_DIR is set)."""
    import platformdirs

    if kind == "config":
        return platformdirs.user_config_dir("soleus", appauthor=False)
    return platformdirs.user_data_dir("soleus", appauthor=False)


def _read_config(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as error:
        raise SoleusError(f"cannot read config file ({error})", where=str(path)) from None
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise SoleusError(f"not valid TOML: {error}", where=str(path)) from None
    known = {f.name for f in _fields()}
    unknown = sorted(set(data) - known - _EXTRA_SECTIONS)
    if unknown:
        raise SoleusError(f"unknown setting {unknown[0]!r}", where=str(path))
    return data


# Top-level tables of config.toml that belong to a feature's own settings (e.g. [remind]).
_EXTRA_SECTIONS: set[str] = {"remind", "form"}


def _coerce(raw: Any, default: Any, source: str) -> Any:
    if isinstance(default, bool):
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in {"1", "true", "yes", "on"}:
            return True
        if text in {"0", "false", "no", "off"}:
            return False
        raise SoleusError(f"{source}: expected yes/no, got {raw!r}")
    if isinstance(default, int | float):
        try:
            return type(default)(raw)
        except (TypeError, ValueError):
            kind = "a whole number" if isinstance(default, int) else "a number"
            raise SoleusError(f"{source}: expected {kind}, got {raw!r}") from None
    return str(raw)
