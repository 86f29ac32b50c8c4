"""Domain objects to the JSON shapes of the API (the player codes against these)."""

from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime
from typing import Any

from starlette.responses import JSONResponse

from soleus.domain.catalog import Dosage, Exercise
from soleus.domain.player import SetSchedule, plan_schedules, session_json
from soleus.domain.routine import Plan, PlannedSet, Routine
from soleus.services.sessions.player import player_settings
from soleus.settings import Settings


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, frozenset | set | tuple):
        return list(value)
    raise TypeError(f"cannot encode {type(value).__name__}")


class Json(JSONResponse):
    """JSON that knows dates and dataclasses."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, default=_default, ensure_ascii=False).encode("utf-8")


def illustration_url(exercise_id: str) -> str:
    return f"/illustrations/{exercise_id}.svg"


def exercise_brief(exercise: Exercise) -> dict[str, Any]:
    return {
        "id": exercise.id,
        "name": exercise.name,
        "summary": exercise.summary,
        "steps": list(exercise.steps),
        "cues": list(exercise.cues),
        "cue_up": exercise.cue_up,
        "cue_down": exercise.cue_down,
        "cue_hold": exercise.cue_hold,
        "illustration": illustration_url(exercise.id),
    }


def exercise_full(exercise: Exercise) -> dict[str, Any]:
    data = dataclasses.asdict(exercise)
    data["dosage"] = dosage(exercise.dosage)
    data["dosage_text"] = exercise.dosage.describe()
    data["illustration"] = illustration_url(exercise.id)
    return data


def dosage(d: Dosage) -> dict[str, Any]:
    tempo = None
    if d.kind != "hold":
        pace = d.pace
        tempo = {"up": pace.up, "top": pace.top, "down": pace.down, "floor": pace.floor}
    return {
        "kind": d.kind,
        "sets": d.sets,
        "reps": d.reps,
        "seconds": d.seconds,
        "sides": d.sides,
        "rest_s": d.rest_s,
        "tempo": tempo,
    }


def routine(r: Routine) -> dict[str, Any]:
    return dataclasses.asdict(r)


def planned_set(item: PlannedSet, schedule: SetSchedule) -> dict[str, Any]:
    return {
        "index": item.index,
        "block": item.block,
        "set_number": item.set_number,
        "side": item.side,
        "target_reps": item.target_reps,
        "target_seconds": item.target_seconds,
        "exercise": exercise_brief(item.exercise),
        "dosage": dosage(item.dosage),
        "schedule": schedule.to_json(),
    }


def plan(p: Plan, settings: Settings) -> dict[str, Any]:
    """The plan with what the browser player plays: each set's schedule (stages, cues,
    tempo spans) and the person's player settings, all worked out by the domain."""
    player = player_settings(settings)
    schedules = plan_schedules(p, player)
    return {
        "routine": routine(p.routine),
        "estimated_seconds": round(p.estimated_seconds(), 1),
        "sets": [planned_set(item, schedules[item.index]) for item in p.sets],
        "player": session_json(player),
    }


def session(s: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in s.items() if k not in ("routine", "person_id")}
    if "sets" in out:
        out["sets"] = [{k: v for k, v in st.items() if k != "person_id"} for st in out["sets"]]
    return out
