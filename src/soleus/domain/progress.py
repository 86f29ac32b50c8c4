"""The lighter plan: fewer sets, fewer reps and shorter holds (about 60 % of the load).

Which days are lighter is decided in :mod:`soleus.domain.day`; this module only says
what "lighter" does to a routine.
"""

from __future__ import annotations

from dataclasses import replace

from soleus.domain.catalog import Catalog, Dosage
from soleus.domain.routine import Block, Routine

LIGHTER_FACTOR = 0.6


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
