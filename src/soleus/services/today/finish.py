"""The end of a guided session as the finish screen shows it: reps and holds done vs
planned per exercise and side, the time it took, and what the day's plan says next
(another exercise snack at HH:MM, or rest on a rest or stop day).

Every figure comes from the stored session and plan; the browser only shows them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from soleus.domain.done import Amount, DoneAmount, PlannedAmount, amounts
from soleus.domain.routine import Plan, PlannedSet
from soleus.domain.text import duration_words, plural, span_words
from soleus.services.context import Context
from soleus.services.safety.advice import day_state
from soleus.services.sessions import guided


@dataclass(frozen=True)
class Summary:
    session_id: str
    routine_name: str
    status: str
    amounts: list[Amount]
    names: dict[str, str]
    worked_s: float
    effort: int | None
    pain: int | None
    next_kind: str  # snack | none | rest | stopped
    next_words: str
    next_at: str | None  # HH:MM of the next snack, local time

    def as_dict(self) -> dict[str, Any]:
        return {
            "session_id": self.session_id,
            "routine_name": self.routine_name,
            "status": self.status,
            "exercises": [
                {
                    **a.as_dict(),
                    "name": self.names.get(a.exercise_id, a.exercise_id),
                    "side_words": SIDE_WORDS.get(a.side, a.side),
                    "done_words": _amount_words(a.unit, a.done),
                    "planned_words": _amount_words(a.unit, a.planned),
                }
                for a in self.amounts
            ],
            "worked_s": round(self.worked_s),
            "worked_words": duration_words(self.worked_s),
            "effort": self.effort,
            "pain": self.pain,
            "next": {"kind": self.next_kind, "words": self.next_words, "at": self.next_at},
        }


SIDE_WORDS = {"left": "left", "right": "right", "both": "both legs"}


def _amount_words(unit: str, amount: float) -> str:
    if unit == "reps":
        return plural(round(amount), "rep")
    return span_words(round(amount, 1))


def _planned(item: PlannedSet) -> PlannedAmount:
    if item.dosage.kind == "reps":
        return PlannedAmount(item.exercise.id, item.side, "reps", float(item.target_reps or 0))
    return PlannedAmount(item.exercise.id, item.side, item.dosage.kind, item.target_seconds or 0)


def _done(row: dict[str, Any], plan: Plan) -> DoneAmount:
    item = plan.sets[row["plan_index"]] if row["plan_index"] is not None else None
    if row["kind"] == "reps":
        target = item.target_reps if item is not None else row["target_reps"]
        amount = row["actual_reps"] if row["actual_reps"] is not None else target
    else:
        target = item.target_seconds if item is not None else row["target_seconds"]
        amount = row["actual_seconds"] if row["actual_seconds"] is not None else target
    return DoneAmount(
        row["exercise_id"], row["side"], row["kind"], float(amount or 0), row["skipped"]
    )


def _worked(session: dict[str, Any], now: datetime) -> float:
    """From the start to the end of the session (its last saved set while it runs)."""
    ends: list[datetime] = [s["completed_at"] for s in session["sets"]]
    end: datetime = session["ended_at"] or (max(ends) if ends else now)
    start: datetime = session["started_at"]
    return max(0.0, (end - start).total_seconds())


def next_step(ctx: Context) -> tuple[str, str, str | None]:
    """What the day's plan says next: (kind, words, HH:MM or None)."""
    state = day_state(ctx)
    if not state.allows_exercise:
        return state.level, state.words, None
    from soleus.services.snacks import live

    snacks = live.peek(ctx)
    if snacks["next_due"]:
        at = datetime.fromisoformat(snacks["next_due"]).strftime("%H:%M")
        return "snack", f"Next: another exercise snack at {at}.", at
    if snacks["enabled"] and snacks["target"] and snacks["snacks_done"] >= snacks["target"]:
        return "none", "That's today's snacks done. Well earned.", None
    return "none", "No more snack nudges planned today.", None


def summary(ctx: Context, session_id: str) -> Summary:
    """The finish screen's figures for one of the person's sessions."""
    session, plan, _ = guided.view(ctx, session_id)
    planned = [_planned(item) for item in plan.sets]
    done = [_done(row, plan) for row in session["sets"]]
    kind, words, at = next_step(ctx)
    names = {item.exercise.id: item.exercise.name for item in plan.sets}
    return Summary(
        session_id=session_id,
        routine_name=session["routine_name"] or plan.routine.name,
        status=session["status"],
        amounts=amounts(planned, done),
        names=names,
        worked_s=_worked(session, ctx.now()),
        effort=session["effort"],
        pain=session["pain"],
        next_kind=kind,
        next_words=words,
        next_at=at,
    )
