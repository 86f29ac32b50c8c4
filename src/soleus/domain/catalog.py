"""Exercises and their dosage: what to do, how many, how fast, how long.

Plain frozen dataclasses. ``soleus.content`` validates the data files against
these same classes (pydantic reads stdlib dataclasses), so there is one model.
Invariants live in ``__post_init__`` so that any way of building an object checks them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal

from soleus.domain.limits import MAX_REPS, MAX_REST, MAX_SECONDS, MAX_SETS
from soleus.errors import NotFound

Position = Literal["seated", "standing", "floor"]
DoseKind = Literal["reps", "hold", "bout"]
Sides = Literal["each", "both", "alternate"]
Side = Literal["left", "right", "both"]


_FORBID = {"extra": "forbid"}

# Red-flag tags an exercise can be ruled out by (see soleus.domain.safety).
RED_FLAG_TAGS = frozenset({"clot", "rupture", "strain"})


@dataclass(frozen=True)
class Tempo:
    """Seconds per phase of one repetition (heel up, top, release, on the floor)."""

    __pydantic_config__ = _FORBID

    up: float = 1.0
    top: float = 0.0
    down: float = 1.0
    floor: float = 0.0

    def __post_init__(self) -> None:
        for name in ("up", "top", "down", "floor"):
            value = getattr(self, name)
            if not 0 <= value <= 30:
                raise ValueError(f"tempo {name} must be between 0 and 30 seconds, not {value}")
        if self.cycle < 0.3:
            raise ValueError(f"a repetition must last at least 0.3 s, not {self.cycle:g}")

    @property
    def cycle(self) -> float:
        return self.up + self.top + self.down + self.floor

    @property
    def per_minute(self) -> float:
        return 60.0 / self.cycle

    @classmethod
    def for_cadence(cls, per_minute: float) -> Tempo:
        """A passive-release cycle at a given cadence: half rising, half falling."""
        half = 30.0 / per_minute
        return cls(up=half, top=0.0, down=half, floor=0.0)


@dataclass(frozen=True)
class Dosage:
    """How much of an exercise: sets of reps, timed holds, or one sustained bout.

    - ``reps``: ``sets`` × ``reps`` per side at ``tempo``.
    - ``hold``: ``sets`` × ``seconds`` per side.
    - ``bout``: ``sets`` × ``seconds`` of continuous cycles at ``tempo``.

    ``sides`` is ``each`` (left, then right), ``both`` (both legs together) or
    ``alternate`` (legs take turns within the set).
    """

    __pydantic_config__ = _FORBID

    kind: DoseKind
    sets: int = 1
    reps: int | None = None
    seconds: float | None = None
    sides: Sides = "each"
    rest_s: float = 30.0
    tempo: Tempo | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.sets <= MAX_SETS:
            raise ValueError(f"sets must be between 1 and {MAX_SETS}, not {self.sets}")
        if not 0 <= self.rest_s <= MAX_REST:
            raise ValueError(f"rest_s must be between 0 and {MAX_REST:g}, not {self.rest_s}")
        if self.kind == "reps":
            if self.reps is None:
                raise ValueError("a reps dosage needs reps")
            if not 1 <= self.reps <= MAX_REPS:
                raise ValueError(f"reps must be between 1 and {MAX_REPS}, not {self.reps}")
            if self.seconds is not None:
                raise ValueError("a reps dosage takes no seconds")
        else:
            if self.seconds is None:
                raise ValueError(f"a {self.kind} needs seconds")
            if not 1 <= self.seconds <= MAX_SECONDS:
                raise ValueError(
                    f"seconds must be between 1 and {MAX_SECONDS:g}, not {self.seconds}"
                )
            if self.reps is not None:
                raise ValueError(f"a {self.kind} dosage takes seconds, not reps")
        if self.kind == "hold" and self.tempo is not None:
            raise ValueError("tempo: a hold has no tempo")
        if self.kind == "hold" and self.sides == "alternate":
            raise ValueError("sides: a hold is per side (each) or both, not alternate")

    @property
    def pace(self) -> Tempo:
        """The tempo of a reps or bout dosage (a default when none was given)."""
        if self.tempo is not None:
            return self.tempo
        return Tempo.for_cadence(50) if self.kind == "bout" else Tempo()

    @property
    def side_order(self) -> tuple[Side, ...]:
        return ("left", "right") if self.sides == "each" else ("both",)

    @property
    def target_cycles(self) -> int | None:
        """Repetitions aimed for in one set on one side (a bout: seconds / cycle)."""
        if self.kind == "reps":
            return self.reps
        if self.kind == "bout":
            return round((self.seconds or 0) / self.pace.cycle)
        return None

    def describe(self) -> str:
        """Short human form: ``3 × 10 per leg``, ``3 × 30 s per side``, ``1 × 5 min bout``."""
        side = {"each": " per leg", "both": " both legs", "alternate": " alternating"}[self.sides]
        if self.kind == "reps":
            return f"{self.sets} × {self.reps}{side}"
        seconds = self.seconds or 0
        amount = f"{seconds / 60:g} min" if seconds >= 120 else f"{seconds:g} s"
        if self.kind == "bout":
            return f"{self.sets} × {amount} bout at {self.pace.per_minute:.0f}/min{side}"
        return f"{self.sets} × {amount}{side}"


@dataclass(frozen=True)
class Exercise:
    """One exercise of the catalog, in our own words."""

    __pydantic_config__ = _FORBID

    id: str
    name: str
    summary: str
    position: Position
    steps: tuple[str, ...]
    dosage: Dosage
    muscles: tuple[str, ...] = ()
    equipment: tuple[str, ...] = ()
    cues: tuple[str, ...] = ()
    mistakes: tuple[str, ...] = ()
    safety: tuple[str, ...] = ()
    contraindications: tuple[str, ...] = ()
    # Red-flag tags (see soleus.domain.safety) that rule this exercise out.
    avoid_if: tuple[str, ...] = ()
    variants: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    # What the player says at each phase of a repetition.
    cue_up: str = "up"
    cue_down: str = "down"
    cue_hold: str = "hold"
    # A built-in drawing shown for this exercise (an exercise id); "": its own, if any.
    picture: str = ""

    def __post_init__(self) -> None:
        if not is_valid_id(self.id):
            raise ValueError(f"id {self.id!r} must be 1-40 lowercase letters, digits and dashes")
        if not self.name.strip():
            raise ValueError("name must not be empty")
        if not self.steps:
            raise ValueError("steps: an exercise needs at least one step")
        if self.picture and not is_valid_id(self.picture):
            raise ValueError(f"picture {self.picture!r} must be the id of a built-in drawing")
        unknown = sorted(set(self.avoid_if) - RED_FLAG_TAGS)
        if unknown:
            raise ValueError(
                f"avoid_if: unknown tag {unknown[0]!r} (known: {', '.join(sorted(RED_FLAG_TAGS))})"
            )


def unknown_id(kind: str, name: str, known: Iterable[str]) -> str:
    """One line for a name that matches nothing: the close matches, then every known id.

    ``unknown routine 'dsk': did you mean 'desk'? (known: desk, full, spu-bout)``
    """
    from difflib import get_close_matches

    known = list(known)
    close = get_close_matches(name, known, n=3)
    hint = f": did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    return f"unknown {kind} {name!r}{hint} (known: {', '.join(known)})"


def is_valid_id(value: str) -> bool:
    return (
        0 < len(value) <= 40
        and value[0].isalnum()
        and all(c.isdigit() or ("a" <= c <= "z") or c == "-" for c in value)
    )


@dataclass(frozen=True)
class Catalog(Mapping[str, Exercise]):
    """Exercises by id, in display order."""

    exercises: tuple[Exercise, ...] = field(default=())

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for exercise in self.exercises:
            if exercise.id in seen:
                raise ValueError(f"exercise id {exercise.id!r} appears twice")
            seen.add(exercise.id)

    def __getitem__(self, key: str) -> Exercise:
        for exercise in self.exercises:
            if exercise.id == key:
                return exercise
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return (e.id for e in self.exercises)

    def __len__(self) -> int:
        return len(self.exercises)

    def get_exercise(self, exercise_id: str) -> Exercise:
        """The exercise, or a :class:`NotFound` naming the known ids."""
        try:
            return self[exercise_id]
        except KeyError:
            raise NotFound(unknown_id("exercise", exercise_id, self)) from None

    def merged(self, extra: Iterable[Exercise]) -> Catalog:
        """This catalog with ``extra`` added; an extra with a known id replaces it."""
        extra = tuple(extra)
        replaced = {e.id for e in extra}
        kept = tuple(e for e in self.exercises if e.id not in replaced)
        return Catalog(kept + extra)
