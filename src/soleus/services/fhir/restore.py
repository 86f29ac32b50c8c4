"""A CarePlan bundle written by soleus back into routines (the person's own routine
files). The whole bundle is checked first, against FHIR R4B and then as a soleus plan;
a malformed or foreign bundle is one line naming the field, and nothing is written."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any

from soleus.domain.routine import Block, Routine
from soleus.errors import SoleusError
from soleus.services.context import Context
from soleus.services.fhir import codes
from soleus.services.fhir.plan import Bad, block_of, fixed

MAX_BYTES = 200 * 1024 * 1024


def looks_like_fhir(raw: bytes) -> bool:
    """True for JSON whose top-level object names a FHIR resource type."""
    head = raw[:4096].lstrip()
    return head.startswith(b"{") and b'"resourceType"' in head


@dataclass(frozen=True)
class Restored:
    """What an import did: routines written, and those already here as they were."""

    written: tuple[str, ...]
    unchanged: tuple[str, ...]


def parse(raw: bytes, *, where: str) -> dict[str, Any]:
    """The bundle as data, validated against the FHIR R4B model."""
    from fhir.resources.R4B.bundle import Bundle
    from pydantic import ValidationError

    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as error:
        raise SoleusError(f"not a FHIR JSON bundle ({error})", where=where) from None
    if not isinstance(data, dict) or data.get("resourceType") != "Bundle":
        kind = data.get("resourceType") if isinstance(data, dict) else type(data).__name__
        raise SoleusError(
            f"resourceType: a soleus FHIR file is a Bundle, not {kind!r}", where=where
        )
    try:
        Bundle.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        loc = codes.path(tuple(first["loc"]))
        raise SoleusError(f"{loc}: {first['msg']}", where=where) from None
    identifier = data.get("identifier") or {}
    if identifier.get("system") != codes.BUNDLE_SYSTEM:
        raise SoleusError(
            f"identifier.system: not a bundle written by soleus (expected {codes.BUNDLE_SYSTEM})",
            where=where,
        )
    return data


def routines_of(ctx: Context, data: dict[str, Any], *, where: str) -> list[Routine]:
    """Every CarePlan of the bundle as a routine, checked against this catalog."""
    by_url: dict[str, tuple[int, dict[str, Any]]] = {}
    for i, entry in enumerate(data.get("entry") or []):
        if "fullUrl" in entry:
            by_url[entry["fullUrl"]] = (i, entry.get("resource") or {})
    routines: list[Routine] = []
    try:
        for i, entry in enumerate(data.get("entry") or []):
            resource = entry.get("resource") or {}
            if resource.get("resourceType") == "CarePlan":
                routine = _routine(ctx, resource, f"entry[{i}].resource", by_url)
                if any(r.id == routine.id for r in routines):
                    raise Bad(f"entry[{i}].resource.extension: routine {routine.id!r} twice")
                routines.append(routine)
    except Bad as bad:
        raise SoleusError(str(bad), where=where) from None
    if not routines:
        raise SoleusError("entry: the bundle holds no CarePlan, so no plan", where=where)
    return routines


def _routine(
    ctx: Context, plan: dict[str, Any], where: str, by_url: dict[str, tuple[int, dict[str, Any]]]
) -> Routine:
    ids = [
        e.get("valueId") for e in plan.get("extension") or [] if e.get("url") == codes.ROUTINE_EXT
    ]
    if not ids or not ids[0]:
        raise Bad(f"{where}.extension: no soleus routine id ({codes.ROUTINE_EXT})")
    blocks: list[Block] = []
    for a, activity in enumerate(plan.get("activity") or []):
        ref = (activity.get("reference") or {}).get("reference")
        found = by_url.get(ref or "")
        if found is None or found[1].get("resourceType") != "ServiceRequest":
            raise Bad(f"{where}.activity[{a}].reference: no ServiceRequest {ref!r} in the bundle")
        blocks.append(block_of(found[1], f"entry[{found[0]}].resource", ctx.catalog))
    try:
        return Routine(
            id=str(ids[0]),
            name=str(plan.get("title") or ids[0]),
            blocks=tuple(blocks),
            summary=str(plan.get("description") or ""),
        )
    except ValueError as error:
        raise Bad(f"{where}: {error}") from None


def restore(ctx: Context, raw: bytes, *, person_id: str, where: str = "upload") -> Restored:
    """Check the whole bundle, then write each routine that differs from the one here
    as the person's own routine file."""
    from soleus.services.routines import builder, userfiles

    if person_id != ctx.person_id:
        raise SoleusError(f"no person {person_id!r} here (local mode has one person)")
    if len(raw) > MAX_BYTES:
        raise SoleusError("file is too large to be a soleus FHIR bundle", where=where)
    routines = routines_of(ctx, parse(raw, where=where), where=where)
    texts: list[tuple[str, str]] = []
    unchanged: list[str] = []
    for routine in routines:
        here = ctx.routines.get(routine.id)
        if here is not None and _same(here, routine):
            unchanged.append(routine.id)
            continue
        body = builder.to_toml(_data(routine)).split("\n", 1)[1]  # not "made with the builder"
        text = f"# Restored by `soleus import` from a soleus FHIR bundle.\n{body}"
        userfiles.validate_text(ctx, "routines", text)  # checked before anything is written
        texts.append((routine.id, text))
    for rid, text in texts:
        userfiles.save(
            ctx, "routines", text, replaces=rid if userfiles.is_user(ctx, "routines", rid) else None
        )
    return Restored(tuple(rid for rid, _ in texts), tuple(unchanged))


def _same(a: Routine, b: Routine) -> bool:
    """Equal routines, a tempo left to its default counting as that default."""

    def spelled(r: Routine) -> Routine:
        blocks = tuple(replace(x, dosage=fixed(x.dosage)) if x.dosage else x for x in r.blocks)
        return replace(r, blocks=blocks)

    return spelled(a) == spelled(b)


def _data(routine: Routine) -> dict[str, Any]:
    data: dict[str, Any] = {"id": routine.id, "name": routine.name}
    if routine.summary:
        data["summary"] = routine.summary
    blocks = []
    for b in routine.blocks:
        block: dict[str, Any] = {"exercise": b.exercise}
        if b.note:
            block["note"] = b.note
        if b.dosage is not None:
            d = b.dosage
            dosage: dict[str, Any] = {"kind": d.kind, "sets": d.sets}
            if d.reps is not None:
                dosage["reps"] = d.reps
            if d.seconds is not None:
                dosage["seconds"] = d.seconds
            dosage["sides"] = d.sides
            dosage["rest_s"] = d.rest_s
            if d.kind != "hold":
                p = d.pace
                dosage["tempo"] = {"up": p.up, "top": p.top, "down": p.down, "floor": p.floor}
            block["dosage"] = dosage
        blocks.append(block)
    data["blocks"] = blocks
    return data
