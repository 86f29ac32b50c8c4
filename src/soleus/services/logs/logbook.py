"""Quick logs without the player: sets, holds and pain scores.

``record_*`` builds an inbox entry (cheap: no database import) and appends it to
the inbox; :func:`apply_entry` replays an entry into the store. The CLI's quick
log therefore returns as soon as the entry is on disk.
"""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from soleus.domain.limits import MAX_REPS, MAX_SECONDS, MAX_SETS
from soleus.errors import SoleusError

if TYPE_CHECKING:
    from soleus.services.context import Context
    from soleus.store.lite import Writing

ENTRY_VERSION = 1
PAIN_CONTEXTS = ("during", "after", "morning", "other")
LOG_SIDES = ("left", "right", "both", "each")

_AMOUNT = re.compile(
    r"^\s*(?:(?P<sets>\d+)\s*[x×*]\s*)?(?P<value>\d+(?:\.\d+)?)\s*(?P<unit>s|sec|min|m)?\s*$",
    re.IGNORECASE,
)


class Amount(NamedTuple):  # a NamedTuple: `dataclasses` costs the quick-log start-up 3 ms
    """What a quick log says was done: ``sets`` × ``reps`` or × ``seconds``."""

    sets: int
    reps: int | None = None
    seconds: float | None = None

    @property
    def kind(self) -> Literal["reps", "hold"]:
        return "reps" if self.reps is not None else "hold"

    def describe(self) -> str:
        each = f"{self.reps}" if self.reps is not None else f"{self.seconds:g} s"
        return f"{self.sets} × {each}"


def parse_amount(text: str, *, kind: str | None = None, exercise_id: str = "") -> Amount:
    """``2x10`` (2 sets of 10 reps), ``10``, ``3x30s``, ``45s``, ``1x5min``.

    With the exercise's dosage ``kind``, the amount must be of that kind: reps for a
    reps exercise, seconds for a hold or bout (a bare number is refused with a hint, not
    guessed), so what is logged is counted as what it is.
    """
    amount = _parse_amount(text)
    name = exercise_id or "this exercise"
    if kind == "reps" and amount.reps is None:
        raise SoleusError(
            f"{name} is counted in reps, not seconds: log reps like 2x10, not {text.strip()!r}"
        )
    if kind in ("hold", "bout") and amount.seconds is None:
        raise SoleusError(f"{name} is a {kind} timed in seconds: did you mean {text.strip()}s?")
    return amount


def _parse_amount(text: str) -> Amount:
    match = _AMOUNT.match(text)
    if not match:
        raise SoleusError(
            f"cannot read {text!r} as an amount: use REPS, SETSxREPS or SETSxSECONDSs"
            " (e.g. 10, 2x10, 3x30s)"
        )
    sets = int(match["sets"] or 1)
    if not 1 <= sets <= MAX_SETS:
        raise SoleusError(f"sets must be between 1 and {MAX_SETS}, not {sets}")
    value = float(match["value"])
    unit = (match["unit"] or "").lower()
    if unit in ("min", "m"):
        value *= 60
    if unit:
        if not 1 <= value <= MAX_SECONDS:
            raise SoleusError(f"seconds must be between 1 and {MAX_SECONDS:g}, not {value:g}")
        return Amount(sets=sets, seconds=value)
    if value != int(value) or not 1 <= value <= MAX_REPS:
        raise SoleusError(f"reps must be a whole number between 1 and {MAX_REPS}, not {value:g}")
    return Amount(sets=sets, reps=int(value))


def parse_pain(text: str) -> int:
    try:
        score = int(text)
    except ValueError:
        raise SoleusError(f"pain must be a whole number from 0 to 10, not {text!r}") from None
    if not 0 <= score <= 10:
        raise SoleusError(f"pain must be from 0 to 10, not {score}")
    return score


# A per-leg exercise (dosage sides "each") is logged for one leg or for each; one that
# works both legs at once ("both", or "alternate": the legs take turns within one set)
# is logged for both.
PER_LEG_SIDES = ("left", "right", "each")


def sides_taken(sides: str) -> tuple[str, ...]:
    """The ``--side`` values an exercise whose dosage has ``sides`` takes (completion
    offers these): one leg at a time -> left, right, each; both legs -> both."""
    return ("left", "right", "each") if sides == "each" else ("both",)


def resolve_side(exercise_id: str, sides: str, side: str | None) -> str:
    """The side to log for an exercise whose dosage has ``sides``; None is its default
    (each leg for a per-leg exercise, both legs otherwise). A side the exercise is not
    done on is refused, saying which it takes."""
    if side is not None and side not in LOG_SIDES:
        raise SoleusError(f"side must be one of {', '.join(LOG_SIDES)}, not {side!r}")
    if sides == "each":
        if side is not None and side not in sides_taken(sides):
            raise SoleusError(
                f"{exercise_id} is done one leg at a time: its side is left, right or each"
                " (the default), not both"
            )
        return side or "each"
    if side is not None and side not in sides_taken(sides):
        raise SoleusError(
            f"{exercise_id} works both legs at once: its side is both (the default), not {side}"
        )
    return "both"


def day_note(level: str, reason: str) -> str:
    """The note on an exercise logged on a day without exercise (rest or stopped): what
    was done is kept, and the note says what the day was."""
    return f"Logged on a {level} day: {reason}"


def sets_entry(
    *,
    exercise_id: str,
    amount: Amount,
    side: str,
    at: datetime,
    local_date: date,
    person: str,
    note: str = "",
) -> dict[str, Any]:
    """An inbox entry for quick-logged sets; ``side='each'`` logs left and right;
    ``note`` goes on its session (see :func:`day_note`)."""
    if side not in LOG_SIDES:
        raise SoleusError(f"side must be one of {', '.join(LOG_SIDES)}, not {side!r}")
    sides = ["left", "right"] if side == "each" else [side]
    rows = [
        {"id": str(uuid.uuid4()), "set_number": n, "side": s}
        for n in range(1, amount.sets + 1)
        for s in sides
    ]
    return {
        "v": ENTRY_VERSION,
        "type": "sets",
        "person": person,
        "session_id": str(uuid.uuid4()),
        "exercise_id": exercise_id,
        "kind": amount.kind,
        "reps": amount.reps,
        "seconds": amount.seconds,
        "rows": rows,
        "at": at.isoformat(),
        "local_date": local_date.isoformat(),
        **({"note": note} if note else {}),
    }


def pain_entry(
    *, score: int, context: str, at: datetime, local_date: date, person: str
) -> dict[str, Any]:
    if context not in PAIN_CONTEXTS:
        raise SoleusError(
            f"pain context must be one of {', '.join(PAIN_CONTEXTS)}, not {context!r}"
        )
    return {
        "v": ENTRY_VERSION,
        "type": "pain",
        "person": person,
        "id": str(uuid.uuid4()),
        "score": score,
        "context": context,
        "at": at.isoformat(),
        "local_date": local_date.isoformat(),
    }


class BadEntry(Exception):
    """An inbox entry this version cannot read."""


def apply_entry(ctx: Context, conn: Writing, entry: dict[str, Any]) -> None:
    """Replay one inbox entry; entries already in the store are left alone."""
    try:
        _apply(ctx, conn, entry)
    except (KeyError, TypeError, ValueError) as error:
        raise BadEntry(f"unreadable inbox entry ({error!r})") from error


def _apply(ctx: Context, conn: Writing, entry: dict[str, Any]) -> None:
    from soleus.store import checks, people, sessions

    if entry.get("v") != ENTRY_VERSION or entry.get("type") not in ("pain", "sets"):
        raise ValueError(f"unknown entry version or type: {entry.get('v')}/{entry.get('type')}")
    person_id = people.ensure(conn, name=entry.get("person") or ctx.settings.person, now=ctx.now())
    at = datetime.fromisoformat(entry["at"])
    day = date.fromisoformat(entry["local_date"])
    if entry["type"] == "pain":
        if not checks.pain_exists(conn, report_id=entry["id"]):
            checks.add_pain(
                conn,
                report_id=entry["id"],
                person_id=person_id,
                at=at,
                local_date=day,
                score=int(entry["score"]),
                context=entry["context"],
            )
        return
    if not sessions.exists(conn, session_id=entry["session_id"]):
        sessions.create(
            conn,
            session_id=entry["session_id"],
            person_id=person_id,
            source="quick",
            status="finished",
            started_at=at,
            ended_at=at,
            local_date=day,
            note=str(entry.get("note") or ""),
        )
    for row in entry["rows"]:
        if sessions.set_exists(conn, set_id=row["id"]):
            continue
        sessions.add_set(
            conn,
            set_id=row["id"],
            session_id=entry["session_id"],
            person_id=person_id,
            exercise_id=entry["exercise_id"],
            kind=entry["kind"],
            side=row["side"],
            set_number=row["set_number"],
            target_reps=entry["reps"],
            actual_reps=entry["reps"],
            target_seconds=entry["seconds"],
            actual_seconds=entry["seconds"],
            completed_at=at,
            local_date=day,
        )


def record(ctx: Context, entry: dict[str, Any]) -> None:
    """Write an entry straight into the store (for callers that have it open)."""
    with ctx.store.begin() as conn:
        apply_entry(ctx, conn, entry)
