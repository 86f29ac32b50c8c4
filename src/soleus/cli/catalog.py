"""`soleus exercises`, `soleus show ID`, `soleus about`."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

import click

from soleus.cli.common import (
    complete_exercise,
    console,
    json_option,
    note_overrides,
    print_json,
    printer,
    warn_skipped,
)

if TYPE_CHECKING:
    from soleus.domain.catalog import Catalog


def _load(named: str | None = None, *, note: bool = False) -> Catalog:
    """The catalog; a broken file of the user's warns and is left out, unless it is the
    exercise ``named``: then its error is the answer. With ``note``, a user exercise that
    replaces a built-in one says so."""
    from soleus.content import Skipped, check_user_file, load_catalog
    from soleus.content.cache import ContentCache
    from soleus.settings import Settings

    settings = Settings.load()
    config_dir = settings.config_dir
    if named is not None:
        check_user_file(config_dir, "exercises", named)
    skipped = Skipped(warn_skipped)
    catalog = load_catalog(config_dir, on_error=skipped, cache=ContentCache.at(settings.data_dir))
    if note:
        note_overrides(config_dir, "exercises", skipped.errors)
    return catalog


@click.command()
@json_option
def exercises(as_json: bool) -> None:
    """List the exercises with their position and default dosage."""
    catalog = _load(note=True)
    if as_json:
        print_json([dataclasses.asdict(e) for e in catalog.values()])
        return
    out = printer()
    rows = [(e.id, e.name, e.position, e.dosage.describe()) for e in catalog.values()]
    out.table("Exercises", ("id", "name", "position", "dosage"), rows)
    out.print("Details: soleus show ID")


@click.command()
@click.argument("exercise_id", metavar="ID", shell_complete=complete_exercise)
@json_option
def show(exercise_id: str, as_json: bool) -> None:
    """Show one exercise: steps, cues, common mistakes, dosage and safety notes."""
    e = _load(exercise_id).get_exercise(exercise_id)
    if as_json:
        print_json(dataclasses.asdict(e))
        return
    out = printer()
    out.print(f"[bold]{e.name}[/bold]  ({e.id})")
    out.print(e.summary)
    out.print(f"Position: {e.position}    Dosage: {e.dosage.describe()}")
    if e.equipment:
        out.print(f"Equipment: {', '.join(e.equipment)}")
    if e.muscles:
        out.print(f"Muscles: {', '.join(e.muscles)}")
    sections = [
        ("Steps", e.steps, True),
        ("Cues", e.cues, False),
        ("Common mistakes", e.mistakes, False),
        ("Variants", e.variants, False),
        ("Safety", e.safety, False),
        ("Don't do it if", e.contraindications, False),
        ("Sources", e.sources, False),
    ]
    for title, items, numbered in sections:
        if not items:
            continue
        out.print(f"\n[bold]{title}[/bold]")
        for i, item in enumerate(items, start=1):
            out.print(f"  {i}. {item}" if numbered else f"  • {item}")
    out.print("\nNot medical advice.")


@click.command()
def about() -> None:
    """What the soleus is, where it is, and why it matters when you sit a lot."""
    from rich.markdown import Markdown

    from soleus.content import about_text

    console().print(Markdown(about_text()))
