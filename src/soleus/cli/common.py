"""Helpers shared by the commands: opening the context, consoles, JSON output."""

from __future__ import annotations

import json
import os
import re
import sys
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from pathlib import Path

    from click.shell_completion import CompletionItem
    from rich.console import Console
    from rich.table import Table

    from soleus.domain.days import Direction
    from soleus.services.context import Context

json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")


def _suggest(word: str, choices: Iterable[str]) -> str:
    import difflib  # only when a name is unknown: not on every command's start-up

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


class SuggestingGroup(click.Group):
    """A group that answers an unknown command with the nearest one ("did you mean")."""

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            hint = _suggest(name, self.list_commands(ctx))
            raise click.UsageError(f"no command {name!r}{hint}", ctx)
        return super().resolve_command(ctx, args)


class StrictOptions(click.Command):
    """A command that lets values starting with "-" through (``log pain -1`` reaches the
    range check) but still refuses a mistyped option, naming the nearest one."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        known = {name for p in self.get_params(ctx) for name in (*p.opts, *p.secondary_opts)}
        for arg in args:
            if arg == "--":
                break
            name = arg.split("=", 1)[0]
            if name.startswith("--") and name not in known:
                import difflib

                raise click.NoSuchOption(
                    name, possibilities=difflib.get_close_matches(name, known, n=1), ctx=ctx
                )
        return super().parse_args(ctx, args)


DAY_METAVAR = "DAY"
DAY_HELP = "today, yesterday, -2, a weekday or YYYY-MM-DD"


def day_value(text: str, *, today: date, option: str, direction: Direction = "past") -> date:
    """The day an option names (``--date yesterday``); a day that does not exist is a
    usage error that says so."""
    from soleus.domain.days import NotADay, parse_day

    try:
        return parse_day(text, today=today, direction=direction)
    except NotADay as error:
        raise click.BadParameter(str(error), param_hint=option) from None


def _config_dir() -> Path:
    from soleus.settings import Settings

    return Settings.load().config_dir


def complete_exercise(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """Shell completion of exercise ids (built in and the person's own)."""
    from click.shell_completion import CompletionItem

    from soleus.content import load_catalog

    try:
        catalog = load_catalog(_config_dir())
    except Exception:
        return []
    return [
        CompletionItem(e.id, help=e.name) for e in catalog.values() if e.id.startswith(incomplete)
    ]


def complete_side(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """Shell completion of ``--side``: only the values the exercise on the line takes
    (none after ``pain``; all four while the exercise is not known)."""
    from click.shell_completion import CompletionItem

    from soleus.services.logs.logbook import LOG_SIDES, sides_taken

    # Before the value is typed ("--side <TAB>") Click leaves the arguments unparsed.
    what = ctx.params.get("what") or (ctx.args[0] if ctx.args else None)
    if what == "pain":
        return []
    values: tuple[str, ...] = LOG_SIDES
    if what:
        from soleus.content import loggable_dosage

        try:
            dosage = loggable_dosage(what, _config_dir())
        except Exception:
            dosage = None
        if dosage is not None:
            values = sides_taken(dosage[1])
    return [CompletionItem(v) for v in values if v.startswith(incomplete)]


def complete_routine(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """Shell completion of routine ids (built in and the person's own)."""
    from click.shell_completion import CompletionItem

    from soleus.content import load_catalog, load_routines

    try:
        config_dir = _config_dir()
        book = load_routines(config_dir, load_catalog(config_dir))
    except Exception:
        return []
    return [CompletionItem(r.id, help=r.name) for r in book.values() if r.id.startswith(incomplete)]


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


_STYLES = {"bold": "1", "dim": "2", "red": "31", "green": "32", "yellow": "33", "cyan": "36"}


class Printer:
    """Lines of text with Rich's ``[bold]…[/bold]`` markup subset, without loading Rich
    (~50 ms): the read commands print lines, not tables. Colour only on a terminal and
    without NO_COLOR; long lines wrap to the terminal's width there, not in a pipe."""

    def __init__(self, stderr: bool = False) -> None:
        self.stream = sys.stderr if stderr else sys.stdout
        tty = self.stream.isatty()
        self.color = tty and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"
        self.width = 0
        if tty:
            import shutil  # with its compression modules: only on a terminal

            self.width = shutil.get_terminal_size().columns

    def print(
        self, text: str = "", *, style: str | None = None, markup: bool = True, **_: Any
    ) -> None:
        if markup:
            text = re.sub(r"\[(/?)([a-z ]*)\]", self._tag, text)
        if self.width:
            text = "\n".join(_wrap(line, self.width) for line in text.split("\n"))
        if style and self.color:
            text = self._on(style) + text + "\x1b[0m"
        self.stream.write(text + "\n")

    def table(self, title: str, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        """Columns padded to their widest cell, the header in bold; on a narrow terminal
        the last column wraps under itself (the first, the ids people type, never)."""
        widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]
        lead = sum(w + 2 for w in widths[:-1])

        def line(cells: Sequence[str]) -> str:
            head = "".join(f"{c:<{w}}  " for c, w in zip(cells[:-1], widths, strict=False))
            room = self.width - lead
            if self.width and len(cells[-1]) > room >= 12:
                import textwrap

                return head + ("\n" + " " * lead).join(textwrap.wrap(cells[-1], room))
            return head + cells[-1]

        self.print(f"[bold]{title}[/bold]")
        self.print(line(headers), style="bold", markup=False)
        for row in rows:
            self.print(line(row), markup=False)

    def _on(self, style: str) -> str:
        codes = [_STYLES[w] for w in style.split() if w in _STYLES]
        return f"\x1b[{';'.join(codes)}m" if codes else ""

    def _tag(self, match: re.Match[str]) -> str:
        words = match.group(2).split()
        if not all(w in _STYLES for w in words) or (not words and not match.group(1)):
            return match.group(0)  # not markup: "[y/n]", "[3]"
        if not self.color:
            return ""
        return "\x1b[0m" if match.group(1) else self._on(match.group(2))


def _wrap(line: str, width: int) -> str:
    if len(line) <= width:
        return line
    import textwrap

    indent = line[: len(line) - len(line.lstrip())]
    return textwrap.fill(line, width, subsequent_indent=indent, break_on_hyphens=False)


def printer(stderr: bool = False) -> Printer:
    return Printer(stderr)


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
