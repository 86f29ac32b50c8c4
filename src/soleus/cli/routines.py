"""`soleus routines`, `soleus routine show NAME`, `soleus routine validate FILE`."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING

import click

from soleus.cli.common import (
    SuggestingGroup,
    add_id_column,
    complete_routine,
    console,
    json_option,
    note_overrides,
    print_json,
    warn_skipped,
)
from soleus.domain.text import plural

if TYPE_CHECKING:
    from soleus.domain.catalog import Catalog
    from soleus.domain.routine import RoutineBook
    from soleus.settings import Settings


def _load(named: str | None = None, *, note: bool = False) -> tuple[Settings, Catalog, RoutineBook]:
    """Settings, catalog and routines; a broken file of the user's warns and is left out,
    unless it is the routine ``named``: then its error is the answer. With ``note``, a
    user routine that replaces a built-in one says so."""
    from soleus.content import Skipped, check_user_file, load_catalog, load_routines
    from soleus.settings import Settings

    settings = Settings.load()
    skipped = Skipped(warn_skipped)
    catalog = load_catalog(settings.config_dir, on_error=skipped)
    if named is not None:
        check_user_file(settings.config_dir, "routines", named, catalog)
    book = load_routines(settings.config_dir, catalog, on_error=skipped)
    if note:
        note_overrides(settings.config_dir, "routines", skipped.errors)
    return settings, catalog, book


@click.command()
@json_option
def routines(as_json: bool) -> None:
    """List the routines: built-in ones and your own (TOML files in the config dir)."""
    from soleus.domain.routine import Plan

    settings, catalog, book = _load(note=True)
    if as_json:
        print_json([dataclasses.asdict(r) for r in book.values()])
        return
    from rich.table import Table

    table = Table(title="Routines", title_justify="left")
    add_id_column(table, book)
    for col in ("name", "exercises", "about"):
        table.add_column(col)
    for r in book.values():
        minutes = Plan.build(r, catalog).estimated_seconds() / 60
        table.add_row(r.id, r.name, str(len(r.blocks)), f"~{minutes:.0f} min. {r.summary}")
    out = console()
    out.print(table)
    out.print(f"Your own routines: {settings.config_dir / 'routines'}/NAME.toml")


@click.group(cls=SuggestingGroup)
def routine() -> None:
    """Show a routine, or check a routine file before you use it."""


@routine.command("show")
@click.argument("name", shell_complete=complete_routine)
@json_option
def routine_show(name: str, as_json: bool) -> None:
    """Show the blocks and dosage of routine NAME."""
    from soleus.domain.routine import Plan

    _, catalog, book = _load(name)
    r = book.get_routine(name)
    if as_json:
        print_json(dataclasses.asdict(r))
        return
    out = console()
    plan = Plan.build(r, catalog)
    out.print(f"[bold]{r.name}[/bold] ({r.id}) — about {plan.estimated_seconds() / 60:.0f} min")
    if r.summary:
        out.print(r.summary)
    for i, block in enumerate(r.blocks, start=1):
        exercise = catalog.get_exercise(block.exercise)
        dosage = block.dosage_in(catalog)
        out.print(f"  {i}. {exercise.name}: {dosage.describe()}, rest {dosage.rest_s:g} s")


@routine.command("validate")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
def routine_validate(file: Path) -> None:
    """Check a routine TOML file; errors name the file and line."""
    from soleus.content import Skipped, load_catalog, load_routine_file
    from soleus.settings import Settings

    catalog = load_catalog(Settings.load().config_dir, on_error=Skipped(warn_skipped))
    r = load_routine_file(file, catalog)
    click.echo(f"{file}: ok — routine {r.id!r}, {plural(len(r.blocks), 'block')}")
