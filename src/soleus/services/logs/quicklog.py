"""Quick logs from the web: same rules, entries and answers as ``soleus log``, written at once."""

from __future__ import annotations

from dataclasses import dataclass

from soleus.domain.day import DayState
from soleus.services.context import Context
from soleus.services.logs import logbook
from soleus.services.safety.advice import day_state


@dataclass(frozen=True)
class Logged:
    message: str
    advice: str | None = None  # today's words (decide_day), when they are to be said
    level: str | None = None  # today's level, with the advice


def _answer(message: str, state: DayState | None) -> Logged:
    if state is None:
        return Logged(message)
    return Logged(message, state.words, state.level)


def log_sets(ctx: Context, *, exercise_id: str, amount: str, side: str | None) -> Logged:
    """Log ``amount`` (``2x10``, ``3x30s``) of an exercise on the side it allows (default:
    each leg for a per-leg exercise, both legs otherwise).

    On a rest or stopped day it is still kept (nothing a person did is lost), marked
    with the day's reason, and answered with the day's words."""
    exercise = ctx.get_exercise(exercise_id)
    side = logbook.resolve_side(exercise_id, exercise.dosage.sides, side)
    parsed = logbook.parse_amount(amount, kind=exercise.dosage.kind, exercise_id=exercise_id)
    state = day_state(ctx)
    now = ctx.now()
    entry = logbook.sets_entry(
        exercise_id=exercise_id,
        amount=parsed,
        side=side,
        at=now,
        local_date=ctx.local_date(now),
        person=ctx.person_name,
        note="" if state.allows_exercise else logbook.day_note(state.level, state.reason),
    )
    logbook.record(ctx, entry)
    legs = {"each": " per leg", "both": " both legs"}.get(side, f" {side} leg")
    message = f"Logged {exercise.name} {parsed.describe()}{legs}."
    return _answer(message, None if state.allows_exercise else state)


def log_pain(ctx: Context, *, score: int | str, context: str) -> Logged:
    value = logbook.parse_pain(str(score))
    now = ctx.now()
    entry = logbook.pain_entry(
        score=value,
        context=context,
        at=now,
        local_date=ctx.local_date(now),
        person=ctx.person_name,
    )
    logbook.record(ctx, entry)
    return _answer(f"Logged pain {value}/10 ({context}).", day_state(ctx))
