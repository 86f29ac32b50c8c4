"""What a snack offers: a routine to start, with a title and a text rendered from it.

The texts are never written by hand: they say what the routine's resolved plan does
(sets × reps, hold and bout lengths, tempo), so a routine or an exercise edited in the
catalog or the user's own files changes the nudge, the preview and the calendar alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from soleus.domain.catalog import Catalog, Dosage, Exercise
from soleus.domain.routine import Plan, PlannedSet, Routine
from soleus.domain.snacks.policy import RemindPolicy
from soleus.domain.text import dosage_words
from soleus.errors import SoleusError

# Seated snacks alternate between these routines; a person who can stand is offered,
# every third snack, one of the standing exercises of STRETCH_ROUTINE.
SEATED_ROUTINES = ("spu-bout", "desk")
STRETCH_ROUTINE = "full"

LEADS = {"seated": "At your desk", "standing": "Stand up", "floor": "On the floor"}


@dataclass(frozen=True)
class Suggestion:
    """A concrete snack: which routine to start and what to tell the user."""

    routine: str  # desk | spu-bout | full
    title: str
    text: str
    exercise: str | None = None


@dataclass(frozen=True)
class Menu:
    """The snacks on offer. Without routines (a bare engine in a test) the seated ones
    name their routine only."""

    seated: tuple[Suggestion, ...] = tuple(Suggestion(r, r, "") for r in SEATED_ROUTINES)
    stretches: tuple[Suggestion, ...] = ()


def snack_text(exercise: Exercise, dosage: Dosage, note: str = "") -> str:
    """``At your desk: seated soleus pushup, 3 sets of 10 per leg.`` and the block's note."""
    text = f"{LEADS[exercise.position]}: {exercise.name.lower()}, {dosage_words(dosage)}."
    return f"{text} {note}" if note else text


def routine_suggestion(routine: Routine, catalog: Catalog) -> Suggestion:
    """A snack that starts ``routine``, its text from the routine's resolved plan."""
    plan = Plan.build(routine, catalog)
    firsts: dict[int, PlannedSet] = {}
    for item in plan.sets:
        firsts.setdefault(item.block, item)
    parts = list(firsts.values())
    if len(parts) == 1:
        item = parts[0]
        text = snack_text(item.exercise, item.dosage, routine.blocks[item.block].note)
    else:
        lead = LEADS[parts[0].exercise.position]
        what = "; ".join(f"{p.exercise.name.lower()}, {dosage_words(p.dosage)}" for p in parts)
        text = f"{lead}: {what}."
    return Suggestion(routine.id, routine.name, text, parts[0].exercise.id)


def stretch_suggestions(routine: Routine, catalog: Catalog) -> tuple[Suggestion, ...]:
    """One snack per standing exercise of ``routine`` (first block of each), each saying
    that block's dosage."""
    out: dict[str, Suggestion] = {}
    for item in Plan.build(routine, catalog).sets:
        exercise = item.exercise
        if exercise.position != "standing" or exercise.id in out:
            continue
        note = routine.blocks[item.block].note
        text = snack_text(exercise, item.dosage, note)
        out[exercise.id] = Suggestion(routine.id, exercise.name, text, exercise.id)
    return tuple(out.values())


def snack_menu(routines: Mapping[str, Routine], catalog: Catalog) -> Menu:
    """The snacks the routines offer; a routine missing or not valid against the
    catalog is left out (a routine the user broke must not stop the reminders)."""
    seated = []
    for routine_id in SEATED_ROUTINES:
        try:
            seated.append(routine_suggestion(routines[routine_id], catalog))
        except (KeyError, SoleusError):
            continue
    try:
        stretches = stretch_suggestions(routines[STRETCH_ROUTINE], catalog)
    except (KeyError, SoleusError):
        stretches = ()
    return Menu(tuple(seated), stretches) if seated else Menu(stretches=stretches)


def suggest(policy: RemindPolicy, number: int, menu: Menu | None = None) -> Suggestion:
    """The snack for the ``number``-th nudge of the day (1-based).

    Seated SPU work alternates between a bout and sets; when the user can stand,
    every third nudge offers one of the menu's stretches instead.
    """
    menu = menu or Menu()
    if policy.can_stand and menu.stretches and number % 3 == 0:
        return menu.stretches[(number // 3 - 1) % len(menu.stretches)]
    return menu.seated[(number - 1) % len(menu.seated)]
