"""`soleus config`: every setting, its value and where the value comes from."""

from __future__ import annotations

import click

from soleus.cli.common import console, json_option, print_json


@click.command()
@json_option
def config(as_json: bool) -> None:
    """Show every setting, its value, what it does and where the value comes from.

    Each value comes from the environment variable SOLEUS_<NAME> (for [remind],
    SOLEUS_REMIND_<NAME>), else from config.toml in the config dir, else the default.
    --json gives each setting's typed value (null if unset) and its source.
    """
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    from soleus.settings import show
    from soleus.settings.registry import SECTIONS

    settings, rows = show.everything()
    if as_json:
        print_json(show.as_json(settings, rows))
        return
    out = console()
    out.print(
        Text.assemble(
            "Each value comes from its environment variable, else ",
            (str(settings.config_path), "bold"),
            ", else the default.",
        )
    )
    for section, title in SECTIONS.items():
        out.print()
        out.print(Text(f"[{section}]  {title}" if section else title, style="bold"))
        for r in (r for r in rows if r.row.section == section):
            # One line "name = value ... source", then the help under it at full width.
            grid = Table.grid(padding=(0, 1), expand=True)
            grid.add_column(ratio=1, overflow="fold")
            grid.add_column(justify="right", no_wrap=True)
            where = show.source(r)
            grid.add_row(
                Text.assemble("  ", (r.row.name, "bold"), f" = {show.toml_value(r.value)}"),
                Text(where, style="dim" if where == "default" else "cyan"),
            )
            out.print(grid)
            help_ = " ".join(t for t in (r.row.help, show.allowed(r.row)) if t)
            out.print(Padding(Text(help_, style="dim"), (0, 0, 0, 6)))
