"""Entry point. Subcommands are imported only when they run, so ``--help`` is fast."""

from __future__ import annotations

import importlib
import sys
from typing import Any, NamedTuple

import click

from soleus import __version__
from soleus.cli.common import SuggestingGroup
from soleus.errors import SafetyRefusal, SoleusError


class Entry(NamedTuple):
    target: str  # "module:attribute"
    short: str
    examples: tuple[str, ...] = ()


# The command table, in the order of the README: what runs, its one line, its examples.
COMMANDS: dict[str, Entry] = {
    "exercises": Entry(
        "soleus.cli.catalog:exercises", "List the exercises.", ("soleus exercises",)
    ),
    "show": Entry(
        "soleus.cli.catalog:show",
        "Show one exercise: steps, cues, mistakes, safety.",
        ("soleus show soleus-pushup", "soleus show wall-calf-stretch --json"),
    ),
    "about": Entry(
        "soleus.cli.catalog:about",
        "What the soleus is and why it matters when you sit.",
        ("soleus about",),
    ),
    "routines": Entry("soleus.cli.routines:routines", "List the routines.", ("soleus routines",)),
    "routine": Entry(
        "soleus.cli.routines:routine",
        "Show or validate a routine file.",
        ("soleus routine show desk", "soleus routine validate my-routine.toml"),
    ),
    "handout": Entry(
        "soleus.cli.handout:handout",
        "A routine as a printable PDF: drawings, steps, dosage, schedule, safety.",
        ("soleus handout desk -o desk.pdf",),
    ),
    "today": Entry(
        "soleus.cli.today:today", "What to do today, adjusted for pain.", ("soleus today",)
    ),
    "session": Entry(
        "soleus.cli.session:session",
        "Do a routine, guided rep by rep in the terminal.",
        ("soleus session", "soleus session full --new"),
    ),
    "resume": Entry(
        "soleus.cli.session:resume", "Continue an interrupted session.", ("soleus resume",)
    ),
    "screen": Entry(
        "soleus.cli.today:screen", "Answer the red-flag safety questions.", ("soleus screen",)
    ),
    "log": Entry("soleus.cli.log:log", "Quick log: sets, holds or pain without the player."),
    "history": Entry(
        "soleus.cli.history:history",
        "What you did, day by day.",
        ("soleus history", "soleus history --days 30 --json"),
    ),
    "stats": Entry(
        "soleus.cli.history:stats",
        "Streak, weekly volume, left/right balance, pain trend.",
        ("soleus stats",),
    ),
    "export": Entry(
        "soleus.cli.transfer:export",
        "Write all your data as JSON, CSV or a FHIR bundle.",
        (
            "soleus export",
            "soleus export --format csv -o soleus-export.zip",
            "soleus export --format fhir -o bundle.json",
        ),
    ),
    "import": Entry(
        "soleus.cli.transfer:import_",
        "Read data written by `soleus export`.",
        ("soleus import soleus-export.zip", "soleus import bundle.json"),
    ),
    "config": Entry(
        "soleus.cli.config:config",
        "Show the settings and where they come from.",
        ("soleus config", "soleus config --json"),
    ),
    "analyze": Entry(
        "soleus.cli.analyze:analyze",
        "Count soleus pushups in a phone recording and check their form.",
        (
            "soleus analyze recording.csv",
            "soleus analyze recording.csv --side left --json",
            "soleus analyze --calibrate three-reps.csv",
        ),
    ),
    "serve": Entry(
        "soleus.cli.serve:serve",
        "Start the web app (browser player, history, routines).",
        ("soleus serve --open", "soleus serve --port 8765"),
    ),
    "remind": Entry(
        "soleus.cli.remind:remind",
        "Exercise-snack reminders while you sit at the computer.",
        ("soleus remind status", "soleus remind preview"),
    ),
    "calendar": Entry(
        "soleus.cli.remind:calendar",
        "Export planned snack times as iCalendar.",
        ("soleus calendar export snacks.ics --days 7",),
    ),
    "org": Entry(
        "soleus.cli.accounts:org",
        "Organisations of accounts mode (a clinic, a company).",
        ('soleus org create "Praxis Süd"',),
    ),
    "user": Entry(
        "soleus.cli.accounts:user",
        "Accounts: invite (prints the link), list, disable, reset.",
        ('soleus user invite doc@example.org --role clinician --org "Praxis Süd"',),
    ),
    "mail-worker": Entry(
        "soleus.cli.mailwork:mail_worker",
        "Queue and send missed-session emails (accounts mode).",
        ("soleus mail-worker --once",),
    ),
    "completion": Entry(
        "soleus.cli.main:completion",
        "Print the shell completion script for bash, zsh or fish.",
        ('eval "$(soleus completion bash)"   # in ~/.bashrc',),
    ),
    "help": Entry(
        "soleus.cli.main:help_command",
        "Show the help of soleus or of one of its commands.",
        ("soleus help log", "soleus help remind status"),
    ),
}


def _with_examples(command: click.Command, examples: tuple[str, ...]) -> click.Command:
    if examples and not (command.epilog or "").startswith("Examples"):
        command.epilog = "\b\nExamples:\n" + "\n".join(f"  {e}" for e in examples)
    return command


class LazyGroup(SuggestingGroup):
    """A group whose commands are loaded from COMMANDS on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module_name, attr = COMMANDS[cmd_name].target.split(":")
        command = getattr(importlib.import_module(module_name), attr)
        assert isinstance(command, click.Command)
        return _with_examples(command, COMMANDS[cmd_name].examples)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, entry.short) for name, entry in COMMANDS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        from soleus import paths

        # Written as is: a folder wrapped over two lines cannot be copied.
        with formatter.section("Your files"):
            formatter.write(f"  data      {paths.data_dir()}  (database, recordings)\n")
            formatter.write(f"  settings  {paths.config_dir()}  (config.toml, your routines)\n")
        formatter.write_paragraph()
        formatter.write_text("`soleus help COMMAND` or `soleus COMMAND --help` for more.")


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="soleus")
def cli() -> None:
    """soleus: learn the seated soleus pushup and a short calf routine, do it rep by
    rep, log it and see your progress.

    Not medical advice. Stop and seek care if a calf is swollen, warm or red, if you
    are suddenly short of breath, or if you felt a pop at the heel.
    """


@click.command("help")
@click.argument("names", nargs=-1, metavar="[COMMAND]...")
@click.pass_context
def help_command(ctx: click.Context, names: tuple[str, ...]) -> None:
    """Show the help of soleus, or of COMMAND (and its subcommands: `help remind status`)."""
    current = ctx.find_root()
    command: click.Command = current.command
    for name in names:
        if not isinstance(command, click.Group):
            raise click.UsageError(f"{current.command_path} has no subcommands", ctx)
        command.resolve_command(current, [name])  # an unknown name says "did you mean"
        found = command.get_command(current, name)
        assert found is not None
        command = found
        current = click.Context(command, info_name=name, parent=current)
    click.echo(current.get_help())


@click.command()
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
def completion(shell: str) -> None:
    """Print the completion script for SHELL; it also completes exercise ids, routine
    names and --side values."""
    from click.shell_completion import get_completion_class

    cls = get_completion_class(shell)
    assert cls is not None
    click.echo(cls(cli, {}, "soleus", "_SOLEUS_COMPLETE").source())


# Commands that only read and print: once their output is flushed nothing is left to do,
# so the process ends without tearing the interpreter down (freeing every module and
# object costs `soleus today` ~10 ms, a sixth of its run; see bench/bench_cli.py).
READ_ONLY = frozenset({"today", "stats", "history", "exercises", "show"})


def main(argv: list[str] | None = None) -> Any:
    """Run the CLI: user errors print one line and exit 2, a refusal on safety grounds
    prints the day's words and exits 3, never a traceback."""
    try:
        result = cli.main(args=argv, prog_name="soleus", standalone_mode=False)
        if argv is None and result is None and sys.argv[1:2] and sys.argv[1] in READ_ONLY:
            _end_now()  # as the `soleus` program only: tests pass argv and carry on
        return result
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.exceptions.NoArgsIsHelpError as error:
        # Bare `soleus` or a group without its subcommand: the normal help, not an error.
        assert error.ctx is not None
        click.echo(error.ctx.get_help())
        sys.exit(0)
    except click.UsageError as error:
        hint = f" (see: {error.ctx.command_path} --help)" if error.ctx else ""
        click.echo(f"soleus: error: {_one_line(error.format_message())}{hint}", err=True)
        sys.exit(2)
    except click.ClickException as error:
        click.echo(f"soleus: error: {_one_line(error.format_message())}", err=True)
        sys.exit(2 if error.exit_code == 2 else error.exit_code)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except SafetyRefusal as error:
        click.echo(str(error), err=True)  # not a mistake: the day's words, no "error:"
        sys.exit(error.exit_code)
    except SoleusError as error:
        click.echo(f"soleus: error: {error}", err=True)
        sys.exit(error.exit_code)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)


def _end_now() -> None:
    """Flush what was printed, then end the process with 0 at once (no interpreter
    teardown). Only for READ_ONLY commands: they leave no file open and nothing unsaved
    (their database reads are finished transactions)."""
    import os

    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # the reader left (`soleus history | head`)
        pass
    os._exit(0)


def _one_line(message: str) -> str:
    return " ".join(message.split())
