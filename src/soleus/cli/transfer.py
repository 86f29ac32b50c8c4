"""`soleus export` and `soleus import`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from soleus.cli.common import open_context
from soleus.domain.text import plural

# What `soleus import` counts, as (one, many).
NOUNS = {
    "sessions": ("session", "sessions"),
    "sets": ("set", "sets"),
    "pain": ("pain report", "pain reports"),
    "screens": ("safety check", "safety checks"),
    "nudges": ("nudge", "nudges"),
    "activity_spans": ("sitting or break span", "sitting or break spans"),
}


@click.command()
@click.option(
    "--format", "fmt", type=click.Choice(["json", "csv"]), default="json", show_default=True
)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write to this file (atomically) instead of standard output.",
)
def export(fmt: str, output: Path | None) -> None:
    """Write all your data (sessions, sets, pain, safety checks, snacks) as JSON, or
    with --format csv as a zip holding one CSV file per table."""
    from soleus.errors import SoleusError
    from soleus.services.reports import transfer

    if output is None and fmt == "csv" and sys.stdout.isatty():
        raise SoleusError("--format csv writes a zip of CSV files: give -o FILE.zip")
    data = transfer.collect(open_context())
    raw, _, _ = transfer.encode(data, "csv" if fmt == "csv" else "json")
    if output is None:
        sys.stdout.buffer.write(raw)
        sys.stdout.flush()
        return
    write_atomic(output, raw)
    click.echo(f"Wrote {output}", err=True)


def write_atomic(path: Path, text: str | bytes) -> None:
    """Write via a temporary file and rename: never a half-written file."""
    from soleus import files
    from soleus.errors import SoleusError

    try:
        files.write_atomic(path.resolve(), text)
    except OSError as error:
        raise SoleusError(f"cannot write {path} ({error.strerror})") from None


@click.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
def import_(file: Path) -> None:
    """Read a file written by `soleus export` (JSON or the CSV zip). Records already here
    are kept."""
    from soleus.services.reports import transfer

    export_ = transfer.read_file(file)
    added = transfer.import_export(open_context(), export_)
    click.echo("Imported " + ", ".join(plural(n, *NOUNS[name]) for name, n in added.items()))
