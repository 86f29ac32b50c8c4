"""`soleus today`, `soleus screen`."""

from __future__ import annotations

import dataclasses
import sys
from typing import TYPE_CHECKING

import click

from soleus.cli.common import json_option, open_context, print_json, printer
from soleus.domain.text import day_words, plural

if TYPE_CHECKING:
    from soleus.domain.safety import ScreenResult
    from soleus.services.context import Context
    from soleus.services.today.dashboard import DayProgress


@click.command()
@click.option(
    "--routine", "routine_id", default="desk", show_default=True, help="The routine you follow."
)
@json_option
def today(routine_id: str, as_json: bool) -> None:
    """What to do today: your routine, made lighter or replaced by rest when pain or
    the safety questions say so (the same words as `soleus log` and the web), and what is
    done of it so far (sets per exercise and side, snacks, an unfinished session)."""
    from soleus.domain.routine import Plan
    from soleus.services.safety import advice as progress
    from soleus.services.today.dashboard import day_progress

    ctx = open_context()
    state = progress.day_state(ctx, routine_id)
    plan = Plan.build(state.plan, ctx.catalog) if state.plan is not None else None
    day = day_progress(ctx, plan)
    if as_json:
        print_json(
            {
                "level": state.level,
                "reason": state.reason,
                "advice": state.advice,
                "routine": dataclasses.asdict(state.plan) if state.plan else None,
                "today": day.as_dict(),
            }
        )
        return
    out = printer()
    out.print(f"[bold]Today[/bold] — {day_words(ctx.today())}")
    style = {"normal": "", "lighter": "yellow", "rest": "bold red", "stopped": "bold red"}
    out.print(state.words, style=style[state.level] or None, markup=False)
    if state.level == "stopped":
        from soleus.services.safety.screen import screen_due

        if screen_due(ctx):  # a yes of an earlier day: only a new check can clear it
            out.print("Take the safety check again when you are ready: soleus screen")
    if state.plan is not None and plan is not None:
        out.print(f"\n{state.plan.name}: about {plan.estimated_seconds() / 60:.0f} min")
        for block in state.plan.blocks:
            exercise = ctx.catalog.get_exercise(block.exercise)
            line = f"  • {exercise.name}: {block.dosage_in(ctx.catalog).describe()}"
            out.print(line + _done_words(day, exercise.id), markup=False, highlight=False)
    out.print("")
    for line in _day_lines(ctx, day, routine_id, planned=plan is not None):
        out.print(line, markup=False, highlight=False)


SIDE_WORDS = {"left": "left", "right": "right", "both": "both legs"}


def _done_words(day: DayProgress, exercise_id: str) -> str:
    """`` — done: left 1/3, right 1/3`` for an exercise of the plan with sets done."""
    parts = [
        f"{SIDE_WORDS.get(t.side, t.side)} {t.done}/{t.planned}"
        for t in day.tallies
        if t.exercise_id == exercise_id and t.planned
    ]
    if not any(t.done for t in day.tallies if t.exercise_id == exercise_id and t.planned):
        return ""
    return " — done: " + ", ".join(parts)


def _day_lines(ctx: Context, day: DayProgress, routine_id: str, *, planned: bool) -> list[str]:
    """What is done today, what is unfinished and how to go on, in plain lines."""
    from soleus.domain.text import time_words

    done = sum(t.done for t in day.tallies)
    lines = [
        f"Done today: {plural(done, 'set')}"
        + (f" ({plural(day.quick_logs, 'quick log')})" if day.quick_logs else "")
        + f" · snacks {day.snacks_done} of {day.snack_target}"
    ]
    extra = [t for t in day.tallies if not t.planned]
    if extra:
        lines.append(
            "  beyond the plan: "
            + ", ".join(f"{t.exercise_id} {SIDE_WORDS.get(t.side, t.side)} {t.done}" for t in extra)
        )
    for n, u in enumerate(day.unfinished):
        how = "soleus resume" if n == 0 else f"soleus session {u.routine_id}"
        lines.append(
            f"Unfinished: {u.routine_name}, {u.done} of {plural(u.planned, 'set')} done"
            f" (started {time_words(u.started_at, ctx.tz, today=day.day)})."
        )
        if planned:  # not on a rest or stopped day: a resume would be refused
            lines.append(f"  Go on at set {u.next_set} of {u.planned}: {how}")
    if not planned:
        return lines
    ours = any(u.routine_id == routine_id for u in day.unfinished)
    if day.planned and not day.sets_left:
        lines.append("Today's plan is done.")
    elif not ours:
        left = f"Left of today's plan: {plural(day.sets_left, 'set')}. " if done else ""
        lines.append(f"{left}Start: soleus session {routine_id}")
    return lines


def ask_screen(ctx: Context) -> ScreenResult:
    """Ask the red-flag questions; returns the result (recorded)."""
    from soleus.domain.safety import RED_FLAGS, SCREEN_INTRO
    from soleus.services.safety.screen import record_screen

    out = printer()
    out.print(f"[bold]Safety check.[/bold] {SCREEN_INTRO} Answer y or n.")
    answers = {}
    for question in RED_FLAGS:
        answer = _yes_or_no(question.text)
        if answer is None:  # end of input: unanswered is not a pass
            out.print(
                "\n[bold red]The safety questions were not answered: no exercise until they"
                " are.[/bold red]"
            )
            out.print("Answer them with: soleus screen")
            out.print("soleus cannot judge this for you. Not medical advice.")
            sys.exit(3)
        answers[question.id] = answer
    result = record_screen(ctx, answers)
    if result.passed:
        out.print("Thanks, nothing that stops you today.")
    else:
        print_stop(ctx)
    return result


def _yes_or_no(text: str) -> bool | None:
    """An explicit y or n (asked again on anything else); None at the end of input."""
    while True:
        try:
            reply = click.prompt(f"{text} [y/n]", default="", show_default=False)
        except click.Abort:
            return None
        reply = reply.strip().lower()
        if reply in ("y", "yes"):
            return True
        if reply in ("n", "no"):
            return False
        click.echo("Please answer y or n.")


def print_stop(ctx: Context) -> None:
    """The stop after a "yes": the day's words (the care advice for every "yes", and
    when the check can be taken again), as `soleus today` and the web say them."""
    from soleus.services.safety.advice import day_state

    state = day_state(ctx)
    out = printer()
    out.print(state.reason, style="bold red", markup=False)
    out.print(state.advice, markup=False)


@click.command()
def screen() -> None:
    """Answer the red-flag safety questions (asked before the first session of a day).

    A yes stands for the rest of the day: later in the same day this only repeats the
    advice. It stands on the days after too, until you answer again (from the next day)
    with no to every question.
    """
    from soleus.services.safety.screen import failed_today

    ctx = open_context()
    if failed_today(ctx):
        print_stop(ctx)
        sys.exit(3)
    if not sys.stdin.isatty():
        click.echo("soleus screen asks questions: run it in a terminal.", err=True)
    result = ask_screen(ctx)
    sys.exit(0 if result.passed else 3)
