"""`soleus log`: quick logging that returns as soon as the entry is safely on disk."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING

import click

from soleus.cli.common import (
    DAY_HELP,
    DAY_METAVAR,
    StrictOptions,
    complete_exercise,
    complete_side,
    day_value,
)
from soleus.errors import SoleusError

if TYPE_CHECKING:
    from soleus.domain.day import DayState
    from soleus.settings import Settings

# Earlier days are typing mistakes (1900-01-01), not training logs.
EARLIEST_DAY = date(2000, 1, 1)


@click.command(cls=StrictOptions, context_settings={"ignore_unknown_options": True})
@click.argument("what", metavar="EXERCISE|pain", shell_complete=complete_exercise)
@click.argument("amount", metavar="AMOUNT|SCORE", required=False)
@click.option(
    "--side",
    type=click.Choice(["left", "right", "both", "each"]),
    shell_complete=complete_side,
    help="Which leg. Default: left and right for per-leg exercises, else both.",
)
@click.option(
    "--context",
    type=click.Choice(["during", "after", "morning", "other"]),
    help="For pain only: when it was felt (default: other).",
)
@click.option(
    "--date", "on_date", metavar=DAY_METAVAR, help=f"Log it on an earlier day ({DAY_HELP})."
)
def log(
    what: str, amount: str | None, side: str | None, context: str | None, on_date: str | None
) -> None:
    """Log sets, holds or pain without the player.

    AMOUNT is reps for a reps exercise (10, 2x10) and seconds for a hold (30s, 3x30s,
    1x5min); SCORE is pain from 0 to 10. --side is for exercises (left, right or each
    for one done a leg at a time; both for one that works both legs), --context for
    pain. Every log answers with today's advice, the same words as `soleus today`; on a
    rest or stopped day an exercise is still logged, marked as done on that day.

    \b
    Examples:
      soleus log soleus-pushup 2x10 --side left
      soleus log wall-calf-stretch 3x30s --side left
      soleus log pain 3 --context morning
    """
    from soleus.clock import SystemClock
    from soleus.domain.text import day_words
    from soleus.services.logs import inbox, logbook
    from soleus.settings import Settings

    if amount is None:
        raise click.UsageError(f"Missing argument '{'SCORE' if what == 'pain' else 'AMOUNT'}'.")
    settings = Settings.load()
    tz = settings.tzinfo
    now = SystemClock().now()  # the one clock the tests set (tests/cli/cli_helpers.py)
    day = now_day = now.astimezone(tz).date()
    if on_date is not None:
        day = _past_day(on_date, today=day)
        now = datetime.combine(day, time(12, 0), tzinfo=tz).astimezone(UTC)

    if what == "pain":
        if side is not None:
            raise SoleusError("--side is for exercises, not pain: leave it out")
        score = logbook.parse_pain(amount)
        context = context or "other"
        entry = logbook.pain_entry(
            score=score, context=context, at=now, local_date=day, person=settings.person
        )
        inbox.append(settings.inbox_path, entry)
        click.echo(f"Logged pain {score}/10 ({context}) on {day_words(day)}.")
        click.echo(day_state(settings, today=now_day).words)
        return
    if context is not None:
        raise SoleusError(f"--context is for pain only (when it was felt), not for {what}")

    from soleus.content import exercise_ids, loggable_dosage

    dosage = loggable_dosage(what, settings.config_dir)
    if dosage is None:
        from soleus.domain.catalog import unknown_id  # only on this error path: start-up

        known = exercise_ids(settings.config_dir)
        raise SoleusError(unknown_id("exercise", what, [*sorted(known), "pain"]))
    kind, sides = dosage
    side = logbook.resolve_side(what, sides, side)
    parsed = logbook.parse_amount(amount, kind=kind, exercise_id=what)
    state = day_state(settings, today=now_day)
    # Kept whatever the day (nothing a person did is lost), marked on a day without exercise.
    marked = day == now_day and not state.allows_exercise
    entry = logbook.sets_entry(
        exercise_id=what,
        amount=parsed,
        side=side,
        at=now,
        local_date=day,
        person=settings.person,
        note=logbook.day_note(state.level, state.reason) if marked else "",
    )
    inbox.append(settings.inbox_path, entry)
    legs = {"each": " per leg", "both": " both legs"}.get(side, f" {side} leg")
    click.echo(f"Logged {what} {parsed.describe()}{legs} on {day_words(day)}.")
    if not state.allows_exercise:
        click.echo(state.words)


def day_state(settings: Settings, *, today: date) -> DayState:
    """Today's state as `soleus today` decides it, without opening the store when the
    day-state cache is there: its facts plus the pain entries waiting in the inbox."""
    from soleus.domain.day import decide_day
    from soleus.domain.safety import screened_today
    from soleus.services.logs import inbox
    from soleus.services.safety import daycache

    # The inbox first, then the cache: a drain in between writes the cache before it
    # empties the inbox, so every entry is in one or the other (counted once, by id).
    entries = inbox.read(settings.inbox_path)
    facts = daycache.read(daycache.path_in(settings.data_dir), person=settings.person)
    if facts is None:  # no cache yet: decide from the store, once (this writes the cache)
        from soleus.cli.common import open_context
        from soleus.services.safety.advice import day_state as decided

        return decided(open_context())
    facts = facts.with_inbox(entries, person=settings.person)
    return decide_day(
        today=today,
        pain=facts.pain,
        screen=screened_today(facts.screens_on(today)),
        earlier=facts.last_screened(today),
        warn=settings.pain_warn,
        stop=settings.pain_stop,
    )


def _past_day(text: str, *, today: date) -> date:
    day = day_value(text, today=today, option="--date")
    if day > today:
        raise SoleusError(f"--date {day} is in the future")
    if day < EARLIEST_DAY:
        raise SoleusError(f"--date {day} is before {EARLIEST_DAY}: give a day from then on")
    return day
