"""Helpers shared by the commands: opening the context, consoles, JSON output."""

from __future__ import annotations

import json
import os
import sys
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

    from rich.console import Console
    from rich.table import Table

    from soleus.services.context import Context

json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")


def open_context() -> Context:
    """The context of this command; a user file that does not load is one warning."""
    from soleus import services

    return services.open_context(on_skip=warn_skipped)


def warn_skipped(problem: str) -> None:
    """One line on stderr for a user file that is left out because it does not load."""
    click.echo(f"soleus: warning: skipped {problem}", err=True)


def note_overrides(config_dir: Path, kind: str, skipped: Iterable[Path] = ()) -> None:
    """One line on stderr for each user file that replaces a built-in one of its id."""
    from soleus.content import builtin_dir

    left_out = set(skipped)
    for path in sorted((config_dir / kind).glob("*.toml")):
        if path not in left_out and (builtin_dir(kind) / path.name).is_file():
            click.echo(
                f"soleus: note: {path} replaces the built-in {kind[:-1]} {path.stem!r}", err=True
            )


def console(stderr: bool = False) -> Console:
    from rich.console import Console

    # NO_COLOR: no escape codes at all (Rich's own no_color keeps bold and dim).
    plain = bool(os.environ.get("NO_COLOR"))
    return Console(stderr=stderr, color_system=None if plain else "auto", highlight=False)


def add_id_column(table: Table, ids: Iterable[str]) -> None:
    """An ``id`` column that is never cut short or wrapped: users type these ids (the
    other columns wrap to make room)."""
    table.add_column("id", no_wrap=True, min_width=max((len(i) for i in ids), default=2))


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=_default) + "\n")
