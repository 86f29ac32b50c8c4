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
    "--format",
    "fmt",
    type=click.Choice(["json", "csv", "fhir"]),
    default="json",
    show_default=True,
    help="json: everything as soleus JSON; csv: a zip of CSV files; fhir: one FHIR R4B"
    " Bundle (your plan as CarePlans, sessions, pain and safety checks as Observations).",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write to this file (atomically) instead of standard output.",
)
def export(fmt: str, output: Path | None) -> None:
    """Write all your data (sessions, sets, pain, safety checks, snacks) as JSON, with
    --format csv as a zip holding one CSV file per table, or with --format fhir as a
    FHIR R4B Bundle for a clinic's system (see docs/fhir.md)."""
    from soleus.errors import SoleusError
    from soleus.services.reports import transfer

    if output is None and fmt == "csv" and sys.stdout.isatty():
        raise SoleusError("--format csv writes a zip of CSV files: give -o FILE.zip")
    ctx = open_context()
    if fmt == "fhir":
        from soleus.services.fhir import export as fhir_export

        raw = fhir_export.to_json(ctx, person_id=ctx.person_id).encode("utf-8")
    else:
        raw, _, _ = transfer.encode(transfer.collect(ctx), "csv" if fmt == "csv" else "json")
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
    are kept. A FHIR bundle written by `soleus export --format fhir` restores its plan:
    each routine that differs from yours is written as your own routine file."""
    from soleus.services.fhir import restore
    from soleus.services.reports import transfer

    raw = transfer.read_raw(file)
    if restore.looks_like_fhir(raw):
        ctx = open_context()
        done = restore.restore(ctx, raw, person_id=ctx.person_id, where=str(file))
        for rid in done.written:
            click.echo(f"Restored routine {rid}")
        for rid in done.unchanged:
            click.echo(f"Routine {rid} is already here as in the bundle")
        return
    export_ = transfer.parse_bytes(raw, where=str(file))
    added = transfer.import_export(open_context(), export_)
    click.echo("Imported " + ", ".join(plural(n, *NOUNS[name]) for name, n in added.items()))
