"""Routines: ordered blocks of exercises with a dosage, and the plan they expand to."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace

from soleus.domain.catalog import Catalog, Dosage, Exercise, Side, is_valid_id, unknown_id
from soleus.errors import NotFound

_FORBID = {"extra": "forbid"}


@dataclass(frozen=True)
class Block:
    """One exercise of a routine; ``dosage`` overrides the exercise's own.

    A block without a dosage does the exercise as its catalog entry says, so editing the
    exercise changes every routine that does not override it.
    """

    __pydantic_config__ = _FORBID

    exercise: str
    dosage: Dosage | None = None
    note: str = ""

    def dosage_in(self, catalog: Catalog) -> Dosage:
        """The dosage this block plans against ``catalog``: its own, else the exercise's."""
        return self.dosage or catalog.get_exercise(self.exercise).dosage


@dataclass(frozen=True)
class Routine:
    __pydantic_config__ = _FORBID

    id: str
    name: str
    blocks: tuple[Block, ...]
    summary: str = ""

    def __post_init__(self) -> None:
        if not is_valid_id(self.id):
            raise ValueError(f"id {self.id!r} must be 1-40 lowercase letters, digits and dashes")
        if not self.blocks:
            raise ValueError("blocks: a routine needs at least one block")

    def check(self, catalog: Catalog) -> None:
        """Raise :class:`NotFound` if a block names an exercise the catalog lacks."""
        for block in self.blocks:
            catalog.get_exercise(block.exercise)


@dataclass(frozen=True)
class PlannedSet:
    """One unit of work: one set of one exercise on one side.

    ``index`` is its position in the plan; ``block`` the routine block it comes
    from; ``set_number`` counts from 1 within that block.
    """

    index: int
    block: int
    exercise: Exercise
    dosage: Dosage
    set_number: int
    side: Side

    @property
    def target_reps(self) -> int | None:
        return self.dosage.target_cycles

    @property
    def target_seconds(self) -> float | None:
        return self.dosage.seconds

    @property
    def is_last_of_block(self) -> bool:
        return self.set_number == self.dosage.sets and self.side == self.dosage.side_order[-1]


@dataclass(frozen=True)
class Plan:
    """A routine resolved against a catalog: the ordered list of sets to do."""

    routine: Routine
    sets: tuple[PlannedSet, ...]

    @classmethod
    def build(cls, routine: Routine, catalog: Catalog) -> Plan:
        items: list[PlannedSet] = []
        for b, block in enumerate(routine.blocks):
            exercise = catalog.get_exercise(block.exercise)
            dosage = block.dosage_in(catalog)
            for set_number in range(1, dosage.sets + 1):
                for side in dosage.side_order:
                    items.append(PlannedSet(len(items), b, exercise, dosage, set_number, side))
        return cls(routine, tuple(items))

    def estimated_seconds(self) -> float:
        """Work plus rests, without the get-ready countdown."""
        total = 0.0
        for item in self.sets:
            d = item.dosage
            if d.kind == "reps":
                total += (d.reps or 0) * d.pace.cycle
            else:
                total += d.seconds or 0
            if not item.is_last_of_block or item.set_number < d.sets:
                total += d.rest_s if item.side == d.side_order[-1] else 0
        return total


# The shape of a stored plan; a session whose plan has another format is replanned.
PLAN_FORMAT = 1


@dataclass(frozen=True)
class StoredSet:
    """One planned set as a session keeps it, its dosage resolved (tempo included)."""

    __pydantic_config__ = _FORBID

    block: int
    exercise: str
    set_number: int
    side: Side
    dosage: Dosage


@dataclass(frozen=True)
class StoredPlan:
    """A plan frozen when its session starts: every set with its dosage, tempo, rest and
    side, and the exercises (names, steps, cues) as they were then. Playing it again
    needs no catalog, so a resumed session is exactly the one that was started."""

    __pydantic_config__ = _FORBID

    format: int
    routine: Routine
    exercises: tuple[Exercise, ...]
    sets: tuple[StoredSet, ...]

    @classmethod
    def of(cls, plan: Plan) -> StoredPlan:
        exercises = {item.exercise.id: item.exercise for item in plan.sets}
        sets = tuple(
            StoredSet(item.block, item.exercise.id, item.set_number, item.side, _fixed(item.dosage))
            for item in plan.sets
        )
        return cls(PLAN_FORMAT, plan.routine, tuple(exercises.values()), sets)

    def plan(self) -> Plan:
        """The plan again, set by set; a set naming an exercise it lacks is a ValueError."""
        exercises = {e.id: e for e in self.exercises}
        items = []
        for i, s in enumerate(self.sets):
            if s.exercise not in exercises:
                raise ValueError(f"sets.{i}.exercise: {s.exercise!r} is not in exercises")
            items.append(
                PlannedSet(i, s.block, exercises[s.exercise], s.dosage, s.set_number, s.side)
            )
        return Plan(self.routine, tuple(items))


def _fixed(dosage: Dosage) -> Dosage:
    """The dosage with its pace written out, so that no default decides it later."""
    return dosage if dosage.kind == "hold" else replace(dosage, tempo=dosage.pace)


@dataclass(frozen=True)
class RoutineBook(Mapping[str, Routine]):
    """Routines by id: the built-in ones plus the user's own."""

    routines: tuple[Routine, ...] = field(default=())

    def __getitem__(self, key: str) -> Routine:
        for routine in self.routines:
            if routine.id == key:
                return routine
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return (r.id for r in self.routines)

    def __len__(self) -> int:
        return len(self.routines)

    def get_routine(self, routine_id: str) -> Routine:
        try:
            return self[routine_id]
        except KeyError:
            raise NotFound(unknown_id("routine", routine_id, self)) from None

    def merged(self, extra: Iterable[Routine]) -> RoutineBook:
        extra = tuple(extra)
        replaced = {r.id for r in extra}
        return RoutineBook(tuple(r for r in self.routines if r.id not in replaced) + extra)
