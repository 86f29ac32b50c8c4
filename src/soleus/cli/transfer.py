"""`soleus export` and `soleus import`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from soleus.cli.common import open_context
from soleus.domain.text import plural

if TYPE_CHECKING:
    from soleus.services.context import Context

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
@click.option(
    "--person",
    metavar="EMAIL",
    help="Accounts mode: export this person's records (with --as: who reads them).",
)
@click.option(
    "--as",
    "reader",
    metavar="EMAIL",
    help="Accounts mode, with --person: the clinician reading the records; they must be"
    " the person's clinician (or the person). The read is audited.",
)
def export(fmt: str, output: Path | None, person: str | None, reader: str | None) -> None:
    """Write all your data (sessions, sets, pain, safety checks, snacks) as JSON, with
    --format csv as a zip holding one CSV file per table, or with --format fhir as a
    FHIR R4B Bundle for a clinic's system (see docs/fhir.md). In accounts mode,
    --person EMAIL --as EMAIL exports a patient's records for their clinician; without
    --person, in local mode, the one local person's."""
    from soleus.errors import SoleusError
    from soleus.services.reports import transfer

    if output is None and fmt == "csv" and sys.stdout.isatty():
        raise SoleusError("--format csv writes a zip of CSV files: give -o FILE.zip")
    ctx = open_context()
    if person is not None or reader is not None:
        ctx = _reader_context(ctx, person, reader)
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


def _reader_context(ctx: Context, person: str | None, reader: str | None) -> Context:
    """The context on --person's records as read by --as (accounts mode only)."""
    from soleus.errors import SoleusError
    from soleus.services.accounts import access, mode

    if not mode.enabled(ctx.settings):
        raise SoleusError(
            "--person and --as are for accounts mode; local mode exports its one person"
        )
    if person is None or reader is None:
        raise SoleusError("give --person EMAIL (whose records) with --as EMAIL (who reads them)")
    return access.reader_context(ctx, reader=reader, person=person)


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
