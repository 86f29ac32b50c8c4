"""Settings: the registry's top-level rows as one typed, frozen object.

Each value comes from the environment (``SOLEUS_<NAME>``), else from
``config.toml`` in the user config dir, else the default. The rows themselves (type,
default, range, help) are in :mod:`soleus.settings.registry`; the one reader of the
file and the environment is :mod:`soleus.settings.load`. ``soleus config`` lists them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

from soleus import paths
from soleus.errors import SoleusError
from soleus.settings.load import CONFIG_NAME, Resolved, check_range, check_top_level, read, resolve
from soleus.settings.registry import ENV_PREFIX, row, rows

__all__ = ["CONFIG_NAME", "ENV_PREFIX", "Settings"]


def listed(value: str | list[str]) -> tuple[str, ...]:
    """A ``texts`` value (a list, or one string separated by commas or spaces) as items."""
    items = value if isinstance(value, list) else value.replace(",", " ").split()
    return tuple(item.strip() for item in items if item.strip())


def _default(name: str) -> Any:
    """The registry row's default (one source of truth for it)."""
    return row("", name).default


@dataclass(frozen=True)
class Settings:
    data_dir: Path = field(default=_default("data_dir"))
    config_dir: Path = field(default=_default("config_dir"))
    database_url: str = field(default=_default("database_url"))
    timezone: str = field(default=_default("timezone"))
    person: str = field(default=_default("person"))
    sound: bool = field(default=_default("sound"))
    speech: bool = field(default=_default("speech"))
    get_ready_s: float = field(default=_default("get_ready_s"))
    pain_warn: int = field(default=_default("pain_warn"))
    pain_stop: int = field(default=_default("pain_stop"))
    accounts: bool = field(default=_default("accounts"))
    allow_sqlite: bool = field(default=_default("allow_sqlite"))
    public_url: str = field(default=_default("public_url"))
    signin_max_failures: int = field(default=_default("signin_max_failures"))
    signin_lock_min: int = field(default=_default("signin_lock_min"))
    session_idle_hours: int = field(default=_default("session_idle_hours"))
    smtp_host: str = field(default=_default("smtp_host"))
    smtp_port: int = field(default=_default("smtp_port"))
    smtp_from: str = field(default=_default("smtp_from"))
    smtp_starttls: bool = field(default=_default("smtp_starttls"))
    smtp_user: str = field(default=_default("smtp_user"))
    smtp_password: str = field(default=_default("smtp_password"))
    allowed_hosts: str | list[str] = field(default=_default("allowed_hosts"))
    trusted_proxies: str | list[str] = field(default=_default("trusted_proxies"))
    secret_file: str = field(default=_default("secret_file"))
    # Where each value came from (setting name -> "default", a variable or the file).
    sources: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for r in rows(""):
            check_range(r, getattr(self, r.name), self.sources.get(r.name))

    @classmethod
    def load(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        config_dir, data_dir = paths.config_dir(env), paths.data_dir(env)
        path = config_dir / CONFIG_NAME
        data = read(path)
        check_top_level(data, path)
        resolved = resolve("", data, env, path)
        values: dict[str, Any] = {r.row.name: r.value for r in resolved}
        values.update(config_dir=config_dir, data_dir=data_dir)
        sources = {r.row.name: r.source for r in resolved}
        return cls(**values, sources=sources)

    def describe(self) -> list[tuple[str, Any, str, str]]:
        """(name, current value, help, source) for every setting, in table order; the
        source is "default", the environment variable or ``<path>: name``."""
        return [(r.row.name, r.value, r.row.help, r.source) for r in self.resolved()]

    def resolved(self) -> list[Resolved]:
        """The top-level rows with this object's values and their sources."""
        return [
            Resolved(r, getattr(self, r.name), self.sources.get(r.name, "default"))
            for r in rows("")
        ]

    @property
    def config_path(self) -> Path:
        return self.config_dir / CONFIG_NAME

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
    def host_names(self) -> tuple[str, ...]:
        """``allowed_hosts`` as a list of names."""
        return listed(self.allowed_hosts)

    @property
    def proxy_networks(self) -> tuple[str, ...]:
        """``trusted_proxies`` as addresses or networks, each checked."""
        import ipaddress

        names = listed(self.trusted_proxies)
        for name in names:
            try:
                ipaddress.ip_network(name, strict=False)
            except ValueError:
                source = self.sources.get("trusted_proxies", "default")
                where = "trusted_proxies" if source == "default" else source
                raise SoleusError(
                    f"{where}: {name!r} is not an IP address or network"
                    " (e.g. 127.0.0.1 or 10.0.0.0/8)"
                ) from None
        return names

    @property
    def inbox_path(self) -> Path:
        """The append-only journal that quick logs land in before the database."""
        return self.data_dir / "inbox.jsonl"
