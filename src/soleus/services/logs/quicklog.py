"""Quick logs from the web: same rules and entries as ``soleus log``, written at once."""

from __future__ import annotations

from dataclasses import dataclass

from soleus.domain.safety import pain_message
from soleus.services.context import Context
from soleus.services.logs import logbook
from soleus.services.safety.advice import check_not_stopped


@dataclass(frozen=True)
class Logged:
    message: str
    advice: str | None = None


def log_sets(ctx: Context, *, exercise_id: str, amount: str, side: str | None) -> Logged:
    """Log ``amount`` (``2x10``, ``3x30s``) of an exercise; side defaults as in the CLI.

    Refused on a stop day (:class:`soleus.services.safety.advice.StopDay` says why)."""
    exercise = ctx.get_exercise(exercise_id)
    parsed = logbook.parse_amount(amount, kind=exercise.dosage.kind, exercise_id=exercise_id)
    check_not_stopped(ctx)  # after the input checks: a typo is reported as a typo
    if not side:
        side = "each" if exercise.dosage.sides == "each" else "both"
    now = ctx.now()
    entry = logbook.sets_entry(
        exercise_id=exercise_id,
        amount=parsed,
        side=side,
        at=now,
        local_date=ctx.local_date(now),
        person=ctx.settings.person,
    )
    logbook.record(ctx, entry)
    legs = {"each": " per leg", "both": " both legs"}.get(side, f" {side} leg")
    return Logged(f"Logged {exercise.name} {parsed.describe()}{legs}.")


def log_pain(ctx: Context, *, score: int | str, context: str) -> Logged:
    value = logbook.parse_pain(str(score))
    now = ctx.now()
    entry = logbook.pain_entry(
        score=value,
        context=context,
        at=now,
        local_date=ctx.local_date(now),
        person=ctx.settings.person,
    )
    logbook.record(ctx, entry)
    advice = pain_message(value, warn=ctx.settings.pain_warn, stop=ctx.settings.pain_stop)
    return Logged(f"Logged pain {value}/10 ({context}).", advice)
