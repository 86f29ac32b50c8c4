"""`soleus log`: quick logging that returns as soon as the entry is safely on disk."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import click

from soleus.cli.common import DAY_HELP, DAY_METAVAR, StrictOptions, complete_exercise, day_value
from soleus.errors import SoleusError

# Earlier days are typing mistakes (1900-01-01), not training logs.
EARLIEST_DAY = date(2000, 1, 1)


@click.command(cls=StrictOptions, context_settings={"ignore_unknown_options": True})
@click.argument("what", metavar="EXERCISE|pain", shell_complete=complete_exercise)
@click.argument("amount", metavar="AMOUNT|SCORE", required=False)
@click.option(
    "--side",
    type=click.Choice(["left", "right", "both", "each"]),
    help="Which leg. Default: left and right for per-leg exercises, else both.",
)
@click.option(
    "--context",
    type=click.Choice(["during", "after", "morning", "other"]),
    default="other",
    show_default=True,
    help="For pain: when it was felt.",
)
@click.option(
    "--date", "on_date", metavar=DAY_METAVAR, help=f"Log it on an earlier day ({DAY_HELP})."
)
def log(what: str, amount: str | None, side: str | None, context: str, on_date: str | None) -> None:
    """Log sets, holds or pain without the player.

    AMOUNT is reps for a reps exercise (10, 2x10) and seconds for a hold (30s, 3x30s,
    1x5min); SCORE is pain from 0 to 10.

    \b
    Examples:
      soleus log soleus-pushup 2x10 --side both
      soleus log wall-calf-stretch 3x30s --side left
      soleus log pain 3 --context morning
    """
    from soleus.domain.safety import pain_message
    from soleus.domain.text import day_words
    from soleus.services.logs import inbox, logbook
    from soleus.settings import Settings

    if amount is None:
        raise click.UsageError(f"Missing argument '{'SCORE' if what == 'pain' else 'AMOUNT'}'.")
    settings = Settings.load()
    tz = settings.tzinfo
    now = datetime.now(UTC)
    day = now_day = now.astimezone(tz).date()
    if on_date is not None:
        day = _past_day(on_date, today=day)
        now = datetime.combine(day, time(12, 0), tzinfo=tz).astimezone(UTC)

    if what == "pain":
        score = logbook.parse_pain(amount)
        entry = logbook.pain_entry(
            score=score, context=context, at=now, local_date=day, person=settings.person
        )
        inbox.append(settings.inbox_path, entry)
        click.echo(f"Logged pain {score}/10 ({context}) on {day_words(day)}.")
        click.echo(
            pain_message(
                score,
                warn=settings.pain_warn,
                stop=settings.pain_stop,
                felt_on=day if day != now_day else None,
            )
        )
        return

    from soleus.content import exercise_ids, loggable_dosage

    dosage = loggable_dosage(what, settings.config_dir)
    if dosage is None:
        from soleus.domain.catalog import unknown_id  # only on this error path: start-up

        known = exercise_ids(settings.config_dir)
        raise SoleusError(unknown_id("exercise", what, [*sorted(known), "pain"]))
    kind, sides = dosage
    parsed = logbook.parse_amount(amount, kind=kind, exercise_id=what)
    if side is None:
        side = "each" if sides == "each" else "both"
    entry = logbook.sets_entry(
        exercise_id=what, amount=parsed, side=side, at=now, local_date=day, person=settings.person
    )
    inbox.append(settings.inbox_path, entry)
    legs = {"each": " per leg", "both": " both legs"}.get(side, f" {side} leg")
    click.echo(f"Logged {what} {parsed.describe()}{legs} on {day_words(day)}.")


def _past_day(text: str, *, today: date) -> date:
    day = day_value(text, today=today, option="--date")
    if day > today:
        raise SoleusError(f"--date {day} is in the future")
    if day < EARLIEST_DAY:
        raise SoleusError(f"--date {day} is before {EARLIEST_DAY}: give a day from then on")
    return day
