"""The code systems, the soleus extension and the fixed codes of the FHIR export.

Everything here is documented in docs/fhir.md; change both together. The soleus URLs
live under ``https://soleus.example.org/fhir``: canonical names, not web pages.
"""

from __future__ import annotations

import uuid
from typing import Any

BASE = "https://soleus.example.org/fhir"
# Bundle.identifier.system: marks a bundle written by soleus (the import looks for it).
BUNDLE_SYSTEM = f"{BASE}/bundle"
# CodeSystem of soleus exercise ids (ServiceRequest.code, Observation component extension).
EXERCISE_SYSTEM = f"{BASE}/CodeSystem/exercise"
# CodeSystem of the measures soleus records (reps and hold seconds per side, effort,
# red-flag questions).
MEASURE_SYSTEM = f"{BASE}/CodeSystem/measure"
# CodeSystem of how a session was recorded (Observation.method): verified or self-reported.
SOURCE_SYSTEM = f"{BASE}/CodeSystem/source"
SOURCES = {
    "player": "Guided by the soleus player, set by set",
    "quick": "Self-reported (quick log)",
    "recording": "Counted from a phone motion recording",
    "import": "Imported from another soleus",
}
# Extensions (StructureDefinition URLs).
DOSAGE_EXT = f"{BASE}/StructureDefinition/dosage"
ROUTINE_EXT = f"{BASE}/StructureDefinition/routine"
EXERCISE_EXT = f"{BASE}/StructureDefinition/exercise"

SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"

EXERCISE_THERAPY = {"system": SNOMED, "code": "229065009", "display": "Exercise therapy"}
EXERCISE_ACTIVITY = {"system": LOINC, "code": "73985-4", "display": "Exercise activity"}
EXERCISE_DURATION = {"system": LOINC, "code": "55411-3", "display": "Exercise duration"}
PAIN_SCORE = {
    "system": LOINC,
    "code": "72514-3",
    "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
}
RED_FLAG_SCREEN = {
    "system": MEASURE_SYSTEM,
    "code": "red-flag-screen",
    "display": "Red-flag screen",
}
CRITICAL = {"system": INTERPRETATION, "code": "AA", "display": "Critical abnormal"}
NORMAL = {"system": INTERPRETATION, "code": "N", "display": "Normal"}

SIDE_WORDS = {"left": "left leg", "right": "right leg", "both": "both legs"}
# Measures per side: (code, display).
REPS = {side: (f"reps-{side}", f"Repetitions, {SIDE_WORDS[side]}") for side in SIDE_WORDS}
HOLD = {side: (f"seconds-{side}", f"Seconds held, {SIDE_WORDS[side]}") for side in SIDE_WORDS}
EFFORT = ("effort", "Effort (0-10, as the person rated the session)")

# Stable urn:uuid full URLs: the same record always gets the same one.
_NAMESPACE = uuid.UUID("6d1f4a52-5b1c-4c59-9a8e-2f0d6b7e3c11")


def full_url(kind: str, local_id: str) -> str:
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'{kind}/{local_id}')}"


def category(code: str, display: str) -> list[dict[str, Any]]:
    return [{"coding": [{"system": CATEGORY, "code": code, "display": display}]}]


def measure(code: str, display: str) -> dict[str, Any]:
    return {"coding": [{"system": MEASURE_SYSTEM, "code": code, "display": display}]}


_CONTROL = {c: None for c in range(32) if chr(c) not in "\t\r\n"}


def text(value: str) -> str:
    """Free text as a FHIR string: no control characters below U+0020 but tab, CR and
    LF (the spec forbids them), no leading or trailing whitespace."""
    return value.translate(_CONTROL).strip()


def fhir_id(local_id: str) -> str:
    """A FHIR resource id ([A-Za-z0-9-.]{1,64}) from a soleus record id."""
    cleaned = "".join(c if c.isalnum() or c in "-." else "-" for c in local_id)
    return cleaned[:64] or "x"


def path(loc: tuple[int | str, ...]) -> str:
    """A pydantic error location as a field path: ``entry[2].resource.authoredOn``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
