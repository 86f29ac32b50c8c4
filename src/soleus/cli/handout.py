"""`soleus handout`: a routine as a printable PDF."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from soleus.cli.common import complete_routine, open_context


@click.command()
@click.argument("routine", shell_complete=complete_routine)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the PDF to this file (atomically); without it, to standard output when"
    " that is not a terminal.",
)
def handout(routine: str, output: Path | None) -> None:
    """Make a printable PDF handout of ROUTINE: each exercise's drawing, its steps in
    plain words, the dosage per side, the tempo and rest, your schedule (the reminder
    target, workdays and hours), the safety notes and the routine's notes. Not medical
    advice."""
    from soleus.cli.transfer import write_atomic
    from soleus.errors import SoleusError
    from soleus.services.handout.render import handout_pdf

    if output is None and sys.stdout.isatty():
        raise SoleusError("a PDF does not belong in the terminal: give -o FILE.pdf")
    ctx = open_context()
    pdf = handout_pdf(ctx, routine, person_id=ctx.person_id)
    if output is None:
        sys.stdout.buffer.write(pdf)
        sys.stdout.flush()
        return
    write_atomic(output, pdf)
    click.echo(f"Wrote {output}", err=True)
