"""One person's plan and record as one FHIR R4B Bundle, validated before it is written.

The plan is the person's routines in use (those of their sessions and their own routine
files; the default routine when there are none), each a CarePlan whose note says what
today is (normal, lighter, rest or stopped) and, on a lighter day, today's dosages.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from soleus.domain.routine import Routine
from soleus.errors import NotFound, SoleusError
from soleus.services.context import Context
from soleus.services.fhir import codes, plan, record
from soleus.store import checks
from soleus.store import sessions as repo


def routines_in_use(ctx: Context, sessions: list[dict[str, Any]]) -> list[Routine]:
    """The routines of the person's sessions (most recent first), then their own
    routine files; the default routine if that leaves none."""
    from soleus.services.routines import userfiles
    from soleus.services.safety.advice import DEFAULT_ROUTINE

    ids: list[str] = []
    for row in reversed(sessions):
        rid = row.get("routine_id")
        if rid and rid not in ids and rid in ctx.routines:
            ids.append(rid)
    for f in userfiles.list_files(ctx, "routines"):
        if f.error is None and f.id not in ids and f.id in ctx.routines:
            ids.append(f.id)
    if not ids and DEFAULT_ROUTINE in ctx.routines:
        ids.append(DEFAULT_ROUTINE)
    return [ctx.routines[rid] for rid in ids]


def bundle(ctx: Context, *, person_id: str) -> dict[str, Any]:
    """The person's Bundle as JSON-ready data (not yet validated: see :func:`to_json`)."""
    from soleus.services.safety.advice import day_state

    if person_id != ctx.person_id:
        raise NotFound(f"no person {person_id!r} here (local mode has one person)")
    with ctx.store.begin() as conn:
        sessions = repo.list_sessions(conn, person_id=person_id)
        sets = repo.list_sets(conn, person_id=person_id)
        pain = checks.list_pain(conn, person_id=person_id)
        screens = checks.list_screens(conn, person_id=person_id)
    now = record.instant(ctx.now())
    patient_url = (
        f"urn:uuid:{person_id}" if _is_uuid(person_id) else codes.full_url("Patient", person_id)
    )
    entries: list[tuple[str, dict[str, Any]]] = [
        (
            patient_url,
            {
                "resourceType": "Patient",
                "id": codes.fhir_id(person_id),
                "name": [{"text": codes.text(ctx.settings.person) or "me"}],
            },
        )
    ]
    plans: dict[str, str] = {}
    for routine in routines_in_use(ctx, sessions):
        state = day_state(ctx, routine.id)
        changed = state.plan if state.plan != routine else None
        notes = plan.today_note(ctx.today(), state.words, changed, ctx.catalog)
        items = plan.care_plan(routine, ctx.catalog, patient=patient_url, created=now, notes=notes)
        plans[routine.id] = items[0][0]
        entries += items
    by_session: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for s in sets:
        by_session[s["session_id"]].append(s)
    names = {e.id: e.name for e in ctx.catalog.values()}
    for row in sessions:
        entries.append(
            record.session(
                row,
                by_session.get(row["id"], []),
                patient=patient_url,
                plan=plans.get(row.get("routine_id") or ""),
                names=names,
            )
        )
    entries += [record.pain(row, patient=patient_url) for row in pain]
    entries += [record.screen(row, patient=patient_url) for row in screens]
    return {
        "resourceType": "Bundle",
        "identifier": {"system": codes.BUNDLE_SYSTEM, "value": codes.fhir_id(person_id)},
        "type": "collection",
        "timestamp": now,
        "entry": [{"fullUrl": url, "resource": resource} for url, resource in entries],
    }


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        return str(uuid.UUID(value)) == value
    except ValueError:
        return False


def validate(text: str) -> None:
    """Check the bundle's JSON against the FHIR R4B model; a failure is a bug, said in
    one line. (Validating the JSON text is faster than validating the data.)"""
    from fhir.resources.R4B.bundle import Bundle
    from pydantic import ValidationError

    try:
        Bundle.model_validate_json(text)
    except ValidationError as error:
        first = error.errors()[0]
        loc = codes.path(tuple(first["loc"]))
        raise SoleusError(f"the FHIR bundle does not validate: {loc}: {first['msg']}") from None


def to_json(ctx: Context, *, person_id: str) -> str:
    """The person's Bundle as validated JSON text (compact: a year is ~1.5 MB)."""
    text = json.dumps(bundle(ctx, person_id=person_id), ensure_ascii=False, separators=(",", ":"))
    validate(text)
    return text + "\n"
