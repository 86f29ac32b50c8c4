"""Entry point. Subcommands are imported only when they run, so ``--help`` is fast."""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from soleus import __version__
from soleus.errors import SoleusError

# name -> ("module:attribute", short help). Keep in the order of the README.
COMMANDS: dict[str, tuple[str, str]] = {
    "exercises": ("soleus.cli.catalog:exercises", "List the exercises."),
    "show": ("soleus.cli.catalog:show", "Show one exercise: steps, cues, mistakes, safety."),
    "about": ("soleus.cli.catalog:about", "What the soleus is and why it matters when you sit."),
    "routines": ("soleus.cli.routines:routines", "List the routines."),
    "routine": ("soleus.cli.routines:routine", "Show or validate a routine file."),
    "today": ("soleus.cli.today:today", "What to do today, adjusted for pain."),
    "session": ("soleus.cli.session:session", "Do a routine, guided rep by rep in the terminal."),
    "resume": ("soleus.cli.session:resume", "Continue an interrupted session."),
    "screen": ("soleus.cli.today:screen", "Answer the red-flag safety questions."),
    "log": ("soleus.cli.log:log", "Quick log: sets, holds or pain without the player."),
    "history": ("soleus.cli.history:history", "What you did, day by day."),
    "stats": ("soleus.cli.history:stats", "Streak, weekly volume, left/right balance, pain trend."),
    "export": ("soleus.cli.transfer:export", "Write all your data as JSON or CSV."),
    "import": ("soleus.cli.transfer:import_", "Read data written by `soleus export`."),
    "config": ("soleus.cli.today:config", "Show the settings and where they come from."),
    "analyze": (
        "soleus.cli.analyze:analyze",
        "Count soleus pushups in a phone recording and check their form.",
    ),
    "serve": ("soleus.cli.serve:serve", "Start the web app (browser player, history, routines)."),
    "remind": (
        "soleus.cli.remind:remind",
        "Exercise-snack reminders while you sit at the computer.",
    ),
    "calendar": ("soleus.cli.remind:calendar", "Export planned snack times as iCalendar."),
}


class LazyGroup(click.Group):
    """A group whose commands are loaded from COMMANDS on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module_name, attr = COMMANDS[cmd_name][0].split(":")
        command = getattr(importlib.import_module(module_name), attr)
        assert isinstance(command, click.Command)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, short) for name, (_, short) in COMMANDS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="soleus")
def cli() -> None:
    """soleus: learn the seated soleus pushup and a short calf routine, do it rep by
    rep, log it and see your progress.

    Not medical advice. Stop and seek care if a calf is swollen, warm or red, if you
    are suddenly short of breath, or if you felt a pop at the heel.
    """


def main(argv: list[str] | None = None) -> Any:
    """Run the CLI: user errors print one line and exit 2, never a traceback."""
    try:
        return cli.main(args=argv, prog_name="soleus", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.UsageError as error:
        hint = f" (see: {error.ctx.command_path} --help)" if error.ctx else ""
        click.echo(f"soleus: error: {_one_line(error.format_message())}{hint}", err=True)
        sys.exit(2)
    except click.ClickException as error:
        click.echo(f"soleus: error: {_one_line(error.format_message())}", err=True)
        sys.exit(2 if error.exit_code == 2 else error.exit_code)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except SoleusError as error:
        click.echo(f"soleus: error: {error}", err=True)
        sys.exit(error.exit_code)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)


def _one_line(message: str) -> str:
    return " ".join(message.split())
