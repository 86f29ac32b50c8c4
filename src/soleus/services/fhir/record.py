"""What the person did and felt as Observations: each session (LOINC 73985-4, its
duration as 55411-3, reps and hold seconds per exercise and side as components in the
soleus measure code system), each pain report (LOINC 72514-3, 0-10) and each red-flag
screen (flagged critical when any answer was yes)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from soleus.domain.safety import RED_FLAGS
from soleus.services.fhir import codes

STATUS = {"finished": "final", "active": "preliminary", "abandoned": "final"}
PAIN_CONTEXT = {
    "during": "during exercise",
    "after": "after exercise",
    "morning": "in the morning",
    "other": "at another time",
}
QUESTIONS = {q.id: q.text for q in RED_FLAGS}


def instant(moment: datetime) -> str:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat(timespec="seconds")


def _quantity(value: float, unit: str, code: str) -> dict[str, Any]:
    return {"value": value, "unit": unit, "system": codes.UCUM, "code": code}


def _totals(sets: Iterable[Mapping[str, Any]]) -> dict[tuple[str, str, str], float]:
    """Reps and hold seconds done per (exercise, measure, side), skipped sets left out."""
    out: dict[tuple[str, str, str], float] = {}
    for s in sets:
        if s["skipped"]:
            continue
        if s["actual_reps"] is not None:
            key = (s["exercise_id"], "reps", s["side"])
            out[key] = out.get(key, 0) + s["actual_reps"]
        elif s["kind"] == "hold" and s["actual_seconds"] is not None:
            key = (s["exercise_id"], "seconds", s["side"])
            out[key] = out.get(key, 0) + s["actual_seconds"]
    return out


def session(
    row: Mapping[str, Any],
    sets: Iterable[Mapping[str, Any]],
    *,
    patient: str,
    plan: str | None,
    names: Mapping[str, str],
) -> tuple[str, dict[str, Any]]:
    """One session as an exercise-activity Observation."""
    start = instant(row["started_at"])
    obs: dict[str, Any] = {
        "resourceType": "Observation",
        "id": codes.fhir_id(f"session-{row['id']}"),
        "status": STATUS.get(row["status"], "final"),
        "category": codes.category("activity", "Activity"),
        "code": {
            "coding": [codes.EXERCISE_ACTIVITY],
            "text": codes.text(row.get("routine_name") or "") or "Exercise",
        },
        "subject": {"reference": patient},
    }
    source = row.get("source") or ""
    if source in codes.SOURCES:
        display = codes.SOURCES[source]
        obs["method"] = {
            "coding": [{"system": codes.SOURCE_SYSTEM, "code": source, "display": display}]
        }
    if plan is not None:
        obs["basedOn"] = [{"reference": plan}]
    if row["ended_at"] is not None:
        obs["effectivePeriod"] = {"start": start, "end": instant(row["ended_at"])}
    else:
        obs["effectiveDateTime"] = start
    components: list[dict[str, Any]] = []
    if row["ended_at"] is not None:
        minutes = round((row["ended_at"] - row["started_at"]).total_seconds() / 60, 2)
        components.append(
            {
                "code": {"coding": [codes.EXERCISE_DURATION]},
                "valueQuantity": _quantity(max(minutes, 0.0), "min", "min"),
            }
        )
    for (exercise, what, side), amount in _totals(sets).items():
        code, display = (codes.REPS if what == "reps" else codes.HOLD)[side]
        concept = codes.measure(code, display)
        concept["text"] = codes.text(f"{names.get(exercise, exercise)}, {codes.SIDE_WORDS[side]}")
        value = (
            _quantity(int(amount), "repetitions", "{repetitions}")
            if what == "reps"
            else _quantity(round(amount, 2), "s", "s")
        )
        components.append(
            {
                "extension": [{"url": codes.EXERCISE_EXT, "valueCode": exercise}],
                "code": concept,
                "valueQuantity": value,
            }
        )
    if row.get("effort") is not None:
        components.append({"code": codes.measure(*codes.EFFORT), "valueInteger": row["effort"]})
    if components:
        obs["component"] = components
    notes = []
    if row["status"] == "abandoned":
        notes.append("Abandoned before the end of the plan.")
    if codes.text(row.get("note") or ""):
        notes.append(codes.text(row["note"]))
    if notes:
        obs["note"] = [{"text": text} for text in notes]
    return codes.full_url("Observation", f"session/{row['id']}"), obs


def pain(row: Mapping[str, Any], *, patient: str) -> tuple[str, dict[str, Any]]:
    """One pain report: a 0-10 numeric rating."""
    obs: dict[str, Any] = {
        "resourceType": "Observation",
        "id": codes.fhir_id(f"pain-{row['id']}"),
        "status": "final",
        "category": codes.category("survey", "Survey"),
        "code": {"coding": [codes.PAIN_SCORE], "text": "Calf pain 0-10"},
        "subject": {"reference": patient},
        "effectiveDateTime": instant(row["at"]),
        "valueInteger": row["score"],
        "note": [{"text": f"Felt {PAIN_CONTEXT.get(row['context'], row['context'])}."}],
    }
    return codes.full_url("Observation", f"pain/{row['id']}"), obs


def screen(row: Mapping[str, Any], *, patient: str) -> tuple[str, dict[str, Any]]:
    """One red-flag screen; any yes makes it a critical (flagged) Observation."""
    answers: Mapping[str, bool] = row["answers"]
    flagged = not row["passed"]
    obs: dict[str, Any] = {
        "resourceType": "Observation",
        "id": codes.fhir_id(f"screen-{row['id']}"),
        "status": "final",
        "category": codes.category("survey", "Survey"),
        "code": {"coding": [codes.RED_FLAG_SCREEN], "text": "Red-flag screen"},
        "subject": {"reference": patient},
        "effectiveDateTime": instant(row["at"]),
        "valueBoolean": flagged,
        "interpretation": [{"coding": [codes.CRITICAL if flagged else codes.NORMAL]}],
    }
    if flagged:  # every answer of a screen with a yes; a passed one is all no
        obs["component"] = [
            {
                "code": {
                    **codes.measure(f"red-flag-{qid}", QUESTIONS.get(qid, qid)),
                    "text": QUESTIONS.get(qid, qid),
                },
                "valueBoolean": bool(answer),
            }
            for qid, answer in answers.items()
        ]
    if flagged:
        yes = [QUESTIONS.get(q, q) for q, a in answers.items() if a]
        obs["note"] = [{"text": "Answered yes: " + " ".join(yes)}]
    return codes.full_url("Observation", f"screen/{row['id']}"), obs
