"""`soleus session [ROUTINE]` and `soleus resume`: the guided terminal player."""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

import click

from soleus.cli.common import complete_routine, console, open_context
from soleus.domain.text import plural

if TYPE_CHECKING:
    from datetime import datetime

    from soleus.domain.day import DayState
    from soleus.domain.player import SetResult
    from soleus.domain.routine import Plan
    from soleus.services.context import Context
    from soleus.settings import Settings


def _sound_options(command: Callable[..., None]) -> Callable[..., None]:
    """``--quiet`` and ``--no-speech``: this session only, over the sound/speech settings."""
    command = click.option(
        "--no-speech", is_flag=True, help="Do not speak the cues (the bell still rings)."
    )(command)
    return click.option(
        "--quiet", "-q", is_flag=True, help="No sound at all: no bell and no speech."
    )(command)


@click.command()
@_sound_options
@click.argument("routine_arg", metavar="[ROUTINE]", required=False, shell_complete=complete_routine)
@click.option(
    "--routine",
    "routine_opt",
    metavar="NAME",
    help="The same as ROUTINE.",
    shell_complete=complete_routine,
)
@click.option(
    "--new",
    "start_new",
    is_flag=True,
    help="Start over without asking when ROUTINE has an unfinished session today"
    " (that one ends as abandoned; its sets are kept).",
)
def session(
    routine_arg: str | None,
    routine_opt: str | None,
    start_new: bool,
    quiet: bool,
    no_speech: bool,
) -> None:
    """Do ROUTINE (default: desk), guided rep by rep.

    Keys: space pause/resume, → or s skip, ← or b back, q quit (what you did is kept;
    `soleus resume` continues); Ctrl-Z pauses it too, and `fg` comes back to it.
    Every completed set is saved the moment it completes. If ROUTINE has an unfinished
    session today you are asked whether to resume it or start over; without a terminal
    nothing is started and you are told how.
    """
    from soleus.errors import SoleusError
    from soleus.services.sessions import guided as sessions

    if routine_arg and routine_opt and routine_arg != routine_opt:
        raise SoleusError(f"two routines given ({routine_arg!r} and --routine {routine_opt!r})")
    routine_id = routine_arg or routine_opt or "desk"
    ctx = open_context()
    ctx.get_routine(routine_id)  # an unknown routine is bad input, before any question
    _drop_typeahead()
    state = _safety_gate(ctx, routine_id)
    out = console()
    assert state.plan is not None  # the gate refused a day without exercise
    if state.level != "normal":
        out.print(state.words, style="yellow", markup=False)
    routine = state.plan
    same = sessions.resumable(ctx, routine_id)
    if same is not None and not start_new and _resume_or_new(ctx, same) == "resume":
        _resume(ctx, same, quiet=quiet, no_speech=no_speech)
        return
    other = sessions.resumable(ctx)
    if other is not None and other[0]["routine_id"] != routine_id:
        out.print(
            f"[dim]An unfinished {other[0]['routine_name']} from"
            f" {_when(ctx, other[0]['started_at'])} is kept;"
            f" `soleus resume {other[0]['routine_id']}` continues it.[/dim]",
            highlight=False,
        )
    session_id, plan = sessions.start_over(ctx, routine)  # ends `same` as abandoned
    _play(ctx, session_id, plan, frozenset(), quiet=quiet, no_speech=no_speech)


def _when(ctx: Context, moment: datetime) -> str:
    from soleus.domain.text import time_words

    return time_words(moment, ctx.tz, today=ctx.today())


def _resume_or_new(
    ctx: Context, found: tuple[dict[str, Any], Plan, frozenset[int]]
) -> Literal["resume", "new"]:
    """Ask whether to resume today's unfinished session of the routine or start over;
    without a terminal nothing is decided: a refusal (exit 2) says both commands."""
    from soleus.errors import SoleusError

    row, plan, done = found
    what = (
        f"{row['routine_name']} has an unfinished session from {_when(ctx, row['started_at'])}"
        f" ({len(done)} of {plural(len(plan.sets), 'set')} done)"
    )
    if not sys.stdin.isatty():
        raise SoleusError(
            f"{what}: continue it with `soleus resume {row['routine_id']}`, or start over with"
            f" `soleus session {row['routine_id']} --new` (the unfinished one ends as abandoned)"
        )
    console().print(f"{what}.", highlight=False)
    while True:
        try:
            reply = click.prompt(
                "Resume it (r) or start over (n)? The unfinished one then ends as abandoned",
                default="r",
            )
        except click.Abort:
            sys.exit(130)
        reply = reply.strip().lower()
        if reply in ("r", "resume"):
            return "resume"
        if reply in ("n", "new", "start over"):
            return "new"
        click.echo("Please answer r (resume) or n (start over).")


@click.command()
@_sound_options
@click.argument("routine_id", metavar="[ROUTINE]", required=False, shell_complete=complete_routine)
def resume(routine_id: str | None, quiet: bool, no_speech: bool) -> None:
    """Continue today's unfinished session (of ROUTINE if given) after its saved sets.

    The set numbers go on from where it stopped: after 2 of 6 it shows set 3 of 6.
    A session left unfinished on an earlier day is abandoned: start a new one.
    """
    from soleus.errors import SoleusError
    from soleus.services.sessions import guided as sessions

    ctx = open_context()
    if routine_id is not None:
        ctx.get_routine(routine_id)
    found = sessions.resumable(ctx, routine_id)
    if found is None:
        of = f" of {routine_id}" if routine_id else ""
        raise SoleusError(
            f"there is no unfinished session{of} today to resume"
            f" (start one: soleus session{' ' + routine_id if routine_id else ''})"
        )
    _drop_typeahead()
    _safety_gate(ctx)
    _resume(ctx, found, quiet=quiet, no_speech=no_speech)


def _resume(
    ctx: Context,
    found: tuple[dict[str, Any], Plan, frozenset[int]],
    *,
    quiet: bool = False,
    no_speech: bool = False,
) -> None:
    session_row, plan, done = found
    left = [p.index for p in plan.sets if p.index not in done]
    at = f", going on at set {min(left) + 1} of {len(plan.sets)}" if left else ""
    console().print(
        f"Resuming {session_row['routine_name']}:"
        f" {len(done)} of {plural(len(plan.sets), 'set')} done{at}.",
        highlight=False,
    )
    earlier = [s for s in session_row["sets"] if s["plan_index"] in done]
    _play(ctx, session_row["id"], plan, done, earlier, quiet=quiet, no_speech=no_speech)


def _safety_gate(ctx: Context, routine_id: str | None = None) -> DayState:
    """Today's state, then the red-flag screen before the first session of a day: on a
    rest or stopped day the session is refused (exit 3, the day's words) without asking
    questions that could not change that; a "yes" now stops it too."""
    from soleus.cli.today import ask_screen
    from soleus.services.safety.advice import StopDay, day_state
    from soleus.services.safety.screen import screen_due

    state = day_state(ctx, routine_id)
    if state.level == "stopped" and screen_due(ctx):
        # A yes on an earlier day stands until the screen is taken again: ask it now;
        # all "no" clears the stop (and the day is decided again), a yes keeps it.
        if not ask_screen(ctx).passed:
            sys.exit(3)  # ask_screen has said the day's words
        state = day_state(ctx, routine_id)
    if not state.allows_exercise:
        raise StopDay(state.words)
    if screen_due(ctx) and not ask_screen(ctx).passed:
        sys.exit(3)  # ask_screen has said the day's words
    return state  # a passed screen changes nothing of the day


def _play(
    ctx: Context,
    session_id: str,
    plan: Plan,
    done: frozenset[int],
    earlier: Sequence[Mapping[str, Any]] = (),
    *,
    quiet: bool = False,
    no_speech: bool = False,
) -> None:
    """Play what is left of ``plan``; ``earlier`` are the saved rows of the ``done`` sets
    (a resume), counted in the summary with the sets done now; ``quiet`` and
    ``no_speech`` turn the settings' sound or speech off for this session."""

    from soleus.cli.player_view import run_player
    from soleus.services.sessions import guided as sessions

    def save(result: SetResult) -> None:
        sessions.record(
            ctx,
            session_id,
            plan_index=result.index,
            actual_reps=result.reps_done,
            actual_seconds=None if result.seconds_done is None else round(result.seconds_done, 1),
            skipped=result.skipped,
        )

    settings = quieter(ctx.settings, quiet=quiet, no_speech=no_speech)
    outcome = run_player(plan, clock=ctx.clock, settings=settings, on_set=save, done=done)
    out = console()
    if not outcome.finished:
        out.print("Stopped. What you did is saved; `soleus resume` continues.")
        return
    kinds = {s.index: s.dosage.kind for s in plan.sets}
    out.print(_summary(outcome.results, earlier, kinds))
    _flush_input()  # keys pressed during the last set must not answer the questions
    effort = _ask_score("Effort 0-10 (Enter to skip)")
    pain = _ask_score("Calf pain 0-10 (Enter to skip)")
    sessions.finish(ctx, session_id, effort=effort, pain=pain)
    out.print("[bold]Done.[/bold] Saved. See `soleus stats`.")
    if pain is not None:
        from soleus.services.safety.advice import day_state

        out.print(day_state(ctx).words, markup=False)


def quieter(settings: Settings, *, quiet: bool, no_speech: bool) -> Settings:
    """The settings with ``--quiet`` (no bell, no speech) or ``--no-speech`` applied: an
    option only turns a sound off, never on."""
    from dataclasses import replace

    speech = settings.speech and not (quiet or no_speech)
    return replace(settings, sound=settings.sound and not quiet, speech=speech)


def _summary(
    results: Sequence[SetResult],
    earlier: Sequence[Mapping[str, Any]] = (),
    kinds: Mapping[int, str] | None = None,
) -> str:
    """The session in one line: ``results`` of this run plus the ``earlier`` saved rows
    (sets done before a resume; ``kinds`` gives each plan index's dosage kind)."""
    done = [r for r in results if not r.skipped]
    redone = {r.index for r in results}
    before = [e for e in earlier if not e["skipped"] and e["plan_index"] not in redone]
    kinds = kinds or {}
    reps = sum(r.reps_done or 0 for r in done) + sum(e["actual_reps"] or 0 for e in before)
    held = sum(r.seconds_done or 0 for r in done if r.planned.dosage.kind == "hold") + sum(
        e["actual_seconds"] or 0 for e in before if kinds.get(e["plan_index"]) == "hold"
    )
    skipped = len(results) - len(done)
    done_count = len(done) + len(before)
    parts = [plural(reps, "rep")] if reps or not held else []
    parts += [f"{held:.0f} s of holds"] if held else []
    text = f"{plural(done_count, 'set')} done: {', '.join(parts)}"
    return text + (f", {skipped} skipped." if skipped else ".")


def _drop_typeahead() -> None:
    """Keys typed while soleus was starting: dropped (they must not answer the first
    question), and their echo wiped from the line the question is asked on."""
    _flush_input()
    if sys.stdin.isatty() and sys.stdout.isatty():
        sys.stdout.write("\r\x1b[K")
        sys.stdout.flush()


def _flush_input() -> None:
    """Drop keys typed ahead (during the player) so they do not land in the next prompt."""
    try:
        import termios

        if sys.stdin.isatty():
            termios.tcflush(sys.stdin.fileno(), termios.TCIFLUSH)
    except (ImportError, OSError, ValueError):  # no terminal, or not a POSIX one
        pass


def _ask_score(prompt: str) -> int | None:
    """A score from 0 to 10, or None for Enter; without a terminal, the end of the input
    is no answer too (the session still ends as done)."""
    while True:
        try:
            text = click.prompt(prompt, default="", show_default=False).strip()
        except click.Abort:
            if sys.stdin.isatty():  # Ctrl-C or Ctrl-D at the question: as before
                raise
            return None
        if not text:
            return None
        if text.isdigit() and 0 <= int(text) <= 10:
            return int(text)
        click.echo("Please type a whole number from 0 to 10, or press Enter to skip.")
