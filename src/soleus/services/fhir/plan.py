"""A routine as a CarePlan with one ServiceRequest per exercise, and back.

The dosage travels twice: in words in ``patientInstruction`` (for people) and in the
soleus dosage extension (for soleus): kind, sets, reps or seconds, sides, rest, tempo,
and whether the block follows its exercise's own dosage.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from soleus.domain.catalog import Catalog, Dosage, Tempo
from soleus.domain.routine import Block, Routine
from soleus.domain.text import dosage_words, tempo_words
from soleus.errors import SoleusError
from soleus.services.fhir import codes

TEMPO_PHASES = ("up", "top", "down", "floor")


def instruction(name: str, dosage: Dosage, note: str = "") -> str:
    """The block in words: what, how much per side, how fast, how long to rest."""
    tempo = f"Tempo: {tempo_words(dosage)}" if dosage.kind != "hold" else ""
    text = f"{name}: {dosage_words(dosage)}, resting {dosage.rest_s:g} s between sets. {tempo}"
    return f"{text.strip()} {note}".strip()


def dosage_extension(dosage: Dosage, *, own: bool) -> dict[str, Any]:
    """The soleus dosage extension (documented in docs/fhir.md)."""
    ext: list[dict[str, Any]] = [
        {"url": "kind", "valueCode": dosage.kind},
        {"url": "sets", "valuePositiveInt": dosage.sets},
        {"url": "sides", "valueCode": dosage.sides},
        {"url": "rest", "valueDecimal": dosage.rest_s},
        {"url": "from-exercise", "valueBoolean": not own},
    ]
    if dosage.reps is not None:
        ext.append({"url": "reps", "valuePositiveInt": dosage.reps})
    if dosage.seconds is not None:
        ext.append({"url": "seconds", "valueDecimal": dosage.seconds})
    if dosage.kind != "hold":
        pace = dosage.pace
        ext += [{"url": f"tempo-{p}", "valueDecimal": getattr(pace, p)} for p in TEMPO_PHASES]
    return {"url": codes.DOSAGE_EXT, "extension": ext}


def care_plan(
    routine: Routine,
    catalog: Catalog,
    *,
    patient: str,
    created: str,
    notes: list[str],
) -> list[tuple[str, dict[str, Any]]]:
    """The CarePlan of a routine and its ServiceRequests, as (full URL, resource)."""
    requests: list[tuple[str, dict[str, Any]]] = []
    plan_id = codes.fhir_id(f"careplan-{routine.id}")
    plan_url = codes.full_url("CarePlan", routine.id)
    for i, block in enumerate(routine.blocks):
        exercise = catalog.get_exercise(block.exercise)
        dosage = block.dosage_in(catalog)
        request: dict[str, Any] = {
            "resourceType": "ServiceRequest",
            "id": codes.fhir_id(f"sr-{routine.id}-{i + 1}"),
            "extension": [dosage_extension(dosage, own=block.dosage is not None)],
            "status": "active",
            "intent": "plan",
            "code": {
                "coding": [
                    codes.EXERCISE_THERAPY,
                    {
                        "system": codes.EXERCISE_SYSTEM,
                        "code": exercise.id,
                        "display": exercise.name,
                    },
                ],
                "text": exercise.name,
            },
            "subject": {"reference": patient},
            "basedOn": [{"reference": plan_url}],
            "authoredOn": created,
            "patientInstruction": codes.text(instruction(exercise.name, dosage, block.note)),
        }
        if codes.text(block.note):
            request["note"] = [{"text": codes.text(block.note)}]
        requests.append((codes.full_url("ServiceRequest", f"{routine.id}/{i}"), request))
    plan: dict[str, Any] = {
        "resourceType": "CarePlan",
        "id": plan_id,
        "extension": [{"url": codes.ROUTINE_EXT, "valueId": codes.fhir_id(routine.id)}],
        "status": "active",
        "intent": "plan",
        "title": codes.text(routine.name),
        "subject": {"reference": patient},
        "created": created,
        "activity": [{"reference": {"reference": url}} for url, _ in requests],
    }
    if codes.text(routine.summary):
        plan["description"] = codes.text(routine.summary)
    if notes:
        plan["note"] = [{"text": codes.text(note)} for note in notes]
    return [(plan_url, plan), *requests]


class Bad(SoleusError):
    """A field of the bundle that does not make a soleus plan (its path leads the line)."""


def _sub(ext: dict[str, Any], where: str) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for i, item in enumerate(ext.get("extension") or []):
        value = [v for k, v in item.items() if k.startswith("value")]
        if "url" not in item or len(value) != 1:
            raise Bad(f"{where}.extension[{i}]: needs a url and one value")
        values[item["url"]] = value[0]
    return values


def dosage_of(ext: dict[str, Any], where: str) -> tuple[Dosage, bool]:
    """The dosage in a soleus dosage extension, and whether the block sets its own."""
    values = _sub(ext, where)
    tempo = None
    if all(f"tempo-{p}" in values for p in TEMPO_PHASES):
        try:
            tempo = Tempo(**{p: float(values[f"tempo-{p}"]) for p in TEMPO_PHASES})
        except (TypeError, ValueError) as error:
            raise Bad(f"{where} (tempo): {error}") from None
    try:
        dosage = Dosage(
            kind=values["kind"],
            sets=int(values["sets"]),
            reps=int(values["reps"]) if "reps" in values else None,
            seconds=float(values["seconds"]) if "seconds" in values else None,
            sides=values.get("sides", "each"),
            rest_s=float(values.get("rest", 30.0)),
            tempo=tempo,
        )
    except KeyError as missing:
        raise Bad(f"{where}: the soleus dosage has no {missing.args[0]!r}") from None
    except (TypeError, ValueError) as error:
        raise Bad(f"{where}: {error}") from None
    if dosage.kind not in ("reps", "hold", "bout") or dosage.sides not in (
        "each",
        "both",
        "alternate",
    ):
        raise Bad(f"{where}: unknown kind {dosage.kind!r} or sides {dosage.sides!r}")
    return dosage, values.get("from-exercise") is not True


def block_of(request: dict[str, Any], where: str, catalog: Catalog) -> Block:
    """One routine block from a soleus ServiceRequest."""
    coding = (request.get("code") or {}).get("coding") or []
    ids = [c.get("code") for c in coding if c.get("system") == codes.EXERCISE_SYSTEM]
    if not ids:
        raise Bad(f"{where}.code.coding: no soleus exercise code ({codes.EXERCISE_SYSTEM})")
    exercise_id = str(ids[0])
    if exercise_id not in catalog:
        raise Bad(f"{where}.code.coding: exercise {exercise_id!r} is not in this catalog")
    exts = [e for e in request.get("extension") or [] if e.get("url") == codes.DOSAGE_EXT]
    if len(exts) != 1:
        raise Bad(f"{where}.extension: needs one soleus dosage ({codes.DOSAGE_EXT})")
    dosage, own = dosage_of(exts[0], f"{where}.extension[{codes.DOSAGE_EXT}]")
    if not own and dosage != fixed(catalog[exercise_id].dosage):
        own = True  # the exercise's own dosage has changed here: keep the plan's numbers
    notes = request.get("note") or []
    note = str(notes[0].get("text", "")) if notes else ""
    return Block(exercise_id, dosage if own else None, note)


def fixed(dosage: Dosage) -> Dosage:
    """The dosage with its pace written out (a default tempo made explicit)."""
    return dosage if dosage.kind == "hold" else replace(dosage, tempo=dosage.pace)


def today_note(day: date, words: str, plan: Routine | None, catalog: Catalog) -> list[str]:
    """The day's state in words and, if it changes the plan, today's dosages."""
    notes = [f"{day.isoformat()}: {words}"]
    if plan is not None:
        lines = [
            f"{catalog[b.exercise].name} {b.dosage_in(catalog).describe()}" for b in plan.blocks
        ]
        notes.append(f"Plan for {day.isoformat()}: " + "; ".join(lines) + ".")
    return notes
