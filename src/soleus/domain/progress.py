"""Today's suggestion: the plan, made lighter when pain says so (pain-monitoring rule).

Rule (Silbernagel 2007): pain during or after a session may reach 5/10 if it has
settled by the next morning. Above 5, or worse the next morning than the evening
before, the next sessions get less load. A stop day means no exercise for the rest of
that local day: a failed red-flag screen, or pain above 5 during or after exercise that
day (the model says stop; the next day's plan is then the lighter one). The model has
one threshold, so 7/10 and 9/10 are treated alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Literal

from soleus.domain.catalog import Catalog, Dosage
from soleus.domain.routine import Block, Routine
from soleus.domain.safety import PAIN_STOP

Level = Literal["normal", "lighter", "rest"]

LIGHTER_FACTOR = 0.6
# Pain reported during or after exercise (not the next morning, not "other").
STOP_CONTEXTS = ("during", "after")


@dataclass(frozen=True)
class PainReport:
    day: date
    score: int
    context: str  # during | after | morning | other


@dataclass(frozen=True)
class Advice:
    level: Level
    reason: str
    routine: Routine | None


def advise(
    routine: Routine,
    catalog: Catalog,
    *,
    today: date,
    pain: Sequence[PainReport],
    screen_failed: bool = False,
    stop: int = PAIN_STOP,
) -> Advice:
    """What to do today, given the recent pain reports (oldest first)."""
    reason = stop_reason(today=today, pain=pain, screen_failed=screen_failed, stop=stop)
    if reason is not None:
        return Advice("rest", reason, None)
    yesterday = today - timedelta(days=1)
    recent = [p for p in pain if p.day in (today, yesterday)]
    high = [p for p in recent if p.score > stop and p.context != "morning"]
    if high:
        worst = max(high, key=lambda p: p.score)
        return Advice(
            "lighter",
            f"Pain was {worst.score}/10 on {worst.day}, above {stop}: a lighter plan today.",
            lighten(routine, catalog),
        )
    morning = [p for p in pain if p.day == today and p.context == "morning"]
    evening = [p for p in pain if p.day == yesterday and p.context in ("during", "after", "other")]
    if morning and evening and morning[-1].score > max(p.score for p in evening):
        return Advice(
            "lighter",
            f"Pain this morning ({morning[-1].score}/10) is worse than after yesterday's"
            " exercise: a lighter plan today.",
            lighten(routine, catalog),
        )
    if morning and morning[-1].score > stop:
        return Advice(
            "lighter",
            f"Pain this morning is {morning[-1].score}/10: a lighter plan today.",
            lighten(routine, catalog),
        )
    return Advice("normal", "No pain warning: the usual plan.", routine)


def stop_reason(
    *, today: date, pain: Sequence[PainReport], screen_failed: bool = False, stop: int = PAIN_STOP
) -> str | None:
    """Why today is a stop day (no more exercise until tomorrow), or None."""
    if screen_failed:
        return "Today's safety questions said stop: no exercise today."
    high = [p for p in pain if p.day == today and p.score > stop and p.context in STOP_CONTEXTS]
    if high:
        worst = max(high, key=lambda p: p.score)
        return (
            f"Pain was {worst.score}/10 {worst.context} exercise today, above {stop}: no more"
            " exercise today. Tomorrow's plan is the lighter one."
        )
    return None


def lighten(routine: Routine, catalog: Catalog, factor: float = LIGHTER_FACTOR) -> Routine:
    """Fewer sets, fewer reps and shorter holds: about ``factor`` of the load."""
    blocks = []
    for block in routine.blocks:
        dosage = block.dosage_in(catalog)
        blocks.append(Block(block.exercise, lighter_dosage(dosage, factor), block.note))
    return replace(routine, blocks=tuple(blocks), name=f"{routine.name} (lighter)")


def lighter_dosage(dosage: Dosage, factor: float) -> Dosage:
    sets = max(1, round(dosage.sets * factor)) if dosage.sets > 1 else 1
    if dosage.kind == "reps":
        reps = max(3, round((dosage.reps or 0) * factor))
        return replace(dosage, sets=sets, reps=min(reps, dosage.reps or reps))
    seconds = max(10.0, round((dosage.seconds or 0) * factor))
    return replace(dosage, sets=sets, seconds=min(seconds, dosage.seconds or seconds))
