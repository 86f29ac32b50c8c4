"""FHIR R4B: every bundle validates, a golden bundle, and export -> import restores the plan."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle
from sqlalchemy import insert

from soleus.domain.clock import FakeClock
from soleus.domain.safety import RED_FLAGS
from soleus.errors import SoleusError
from soleus.services import open_context
from soleus.services.context import Context
from soleus.services.fhir import codes, export, restore
from soleus.services.reports import transfer
from soleus.services.routines import userfiles
from soleus.settings import Settings
from soleus.store.db import Store
from soleus.store.schema import persons

NOW = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
PERSON = "0b7c6c1e-9a4e-4d4b-8f3e-2a1b3c4d5e6f"
GOLDEN = Path(__file__).parent / "golden" / "fhir_bundle.json"

MY_ROUTINE = """id = "calf-rehab"
name = "Calf rehab"
summary = "Slow pushups, then a stretch."

[[blocks]]
exercise = "soleus-pushup"
note = "Slow and even."

[blocks.dosage]
kind = "reps"
sets = 2
reps = 12
sides = "each"
rest_s = 45

[blocks.dosage.tempo]
up = 2
top = 1
down = 2
floor = 0.5

[[blocks]]
exercise = "wall-calf-stretch"
"""


def settings_in(folder: Path) -> Settings:
    return Settings.load(
        env={
            "SOLEUS_DATA_DIR": str(folder / "data"),
            "SOLEUS_CONFIG_DIR": str(folder / "cfg"),
            "SOLEUS_TIMEZONE": "Europe/Berlin",
        }
    )


def record_fixture() -> dict[str, Any]:
    """One finished session with sets, one abandoned, pain, a passed and a failed screen
    yesterday and a passed one today."""
    day = (NOW - timedelta(days=1)).date().isoformat()
    no = {q.id: False for q in RED_FLAGS}
    t = "2026-03-03T08:"
    sets = [
        ("st-1", "soleus-pushup", "reps", "left", 1, 12, 12, None),
        ("st-2", "soleus-pushup", "reps", "right", 1, 12, 11, None),
        ("st-3", "soleus-pushup", "reps", "left", 2, 12, 10, None),
        ("st-4", "wall-calf-stretch", "hold", "left", 1, None, None, 30.0),
        ("st-5", "wall-calf-stretch", "hold", "right", 1, None, None, 28.5),
    ]
    return {
        "format": "soleus-export",
        "version": 1,
        "sessions": [
            {
                "id": "s-1",
                "source": "player",
                "status": "finished",
                "routine_id": "calf-rehab",
                "routine_name": "Calf rehab",
                "started_at": f"{t}00:00",
                "ended_at": f"{t}09:30",
                "local_date": day,
                "effort": 6,
                "note": "felt good",
            },
            {
                "id": "s-2",
                "source": "player",
                "status": "abandoned",
                "routine_id": "desk",
                "routine_name": "Desk break",
                "started_at": f"{t}30:00",
                "ended_at": f"{t}31:00",
                "local_date": day,
            },
        ],
        "sets": [
            {
                "id": sid,
                "session_id": "s-1",
                "exercise_id": ex,
                "kind": kind,
                "side": side,
                "set_number": n,
                "target_reps": target,
                "actual_reps": reps,
                "target_seconds": 30.0 if secs else None,
                "actual_seconds": secs,
                "completed_at": f"{t}0{i}:00",
                "local_date": day,
            }
            for i, (sid, ex, kind, side, n, target, reps, secs) in enumerate(sets)
        ],
        "pain": [
            {"id": "p-1", "at": f"{t}10:00", "local_date": day, "score": 2, "context": "after"},
            {
                "id": "p-2",
                "at": "2026-03-04T07:00:00",
                "local_date": NOW.date().isoformat(),
                "score": 4,
                "context": "morning",
            },
        ],
        "screens": [
            {"id": "sc-1", "at": f"{t}00:00", "local_date": day, "answers": no, "passed": True},
            {
                "id": "sc-2",
                "at": f"{t}40:00",
                "local_date": day,
                "answers": {**no, "breathless": True},
                "passed": False,
            },
            # Today's screen says no throughout: yesterday's yes no longer stands.
            {
                "id": "sc-3",
                "at": "2026-03-04T08:50:00",
                "local_date": NOW.date().isoformat(),
                "answers": no,
                "passed": True,
            },
        ],
    }


@pytest.fixture
def filled(tmp_path: Path) -> Iterator[Context]:
    """A person with a fixed id, their own routine and the record above."""
    settings = settings_in(tmp_path / "source")
    store = Store.open(settings.resolved_database_url)
    with store.begin() as conn:
        conn.execute(
            insert(persons).values(
                id=PERSON, name=settings.person, created_at=NOW.replace(tzinfo=None)
            )
        )
    store.close()
    (settings.config_dir / "routines").mkdir(parents=True)
    (settings.config_dir / "routines" / "calf-rehab.toml").write_text(MY_ROUTINE)
    ctx = open_context(settings, FakeClock(NOW))
    assert ctx.person_id == PERSON
    transfer.import_text(ctx, json.dumps(record_fixture()))
    yield ctx
    ctx.store.close()


def strings(data: Any) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from strings(value)


def resources(data: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == kind]


def test_the_bundle_matches_the_golden_file(filled: Context) -> None:
    text = export.to_json(filled, person_id=PERSON)
    if os.environ.get("SOLEUS_UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n")
    assert json.loads(text) == json.loads(GOLDEN.read_text())


def test_the_bundle_validates_and_says_what_was_done(filled: Context) -> None:
    data = json.loads(export.to_json(filled, person_id=PERSON))
    Bundle.model_validate(data)
    plans = resources(data, "CarePlan")
    # The routines of the sessions (most recent first), then the person's own files.
    assert [p["title"] for p in plans] == ["Desk break", "Calf rehab"]
    requests = resources(data, "ServiceRequest")
    assert len(requests) == 3
    rehab = requests[1]
    assert rehab["code"]["coding"][0] == codes.EXERCISE_THERAPY
    assert "2 sets of 12 per leg" in rehab["patientInstruction"]
    assert (
        "heel up 2 s, at the top 1 s, release 2 s, on the floor 0.5 s"
        in (rehab["patientInstruction"])
    )
    # Pain 4/10 this morning: a lighter day, said in each plan's note with its dosages.
    notes = " ".join(n["text"] for n in plans[1]["note"])
    assert "2026-03-04: Pain this morning (4/10) is worse" in notes
    assert "Plan for 2026-03-04:" in notes
    observations = resources(data, "Observation")
    session = next(o for o in observations if o["id"] == "session-s-1")
    assert session["code"]["coding"][0]["code"] == "73985-4"
    assert session["method"]["coding"][0]["code"] == "player"
    parts = {
        (c["code"]["coding"][0]["code"], c.get("extension", [{}])[0].get("valueCode")): c
        for c in session["component"]
    }
    assert parts[("55411-3", None)]["valueQuantity"]["value"] == 9.5
    assert parts[("reps-left", "soleus-pushup")]["valueQuantity"]["value"] == 22
    assert parts[("reps-right", "soleus-pushup")]["valueQuantity"]["value"] == 11
    assert parts[("seconds-right", "wall-calf-stretch")]["valueQuantity"]["value"] == 28.5
    pain = [o for o in observations if o["code"]["coding"][0]["code"] == "72514-3"]
    assert [p["valueInteger"] for p in pain] == [2, 4]
    screens = [o for o in observations if o["code"]["coding"][0]["code"] == "red-flag-screen"]
    assert [s["interpretation"][0]["coding"][0]["code"] for s in screens] == ["N", "AA", "N"]


def test_a_bundle_without_any_record_validates(ctx: Context) -> None:
    data = json.loads(export.to_json(ctx, person_id=ctx.person_id))
    Bundle.model_validate(data)
    assert [p["title"] for p in resources(data, "CarePlan")] == ["Desk break"]


def test_round_trip_into_an_empty_data_dir_restores_the_plan(
    filled: Context, tmp_path: Path
) -> None:
    raw = export.to_json(filled, person_id=PERSON).encode()
    fresh = open_context(settings_in(tmp_path / "fresh"), FakeClock(NOW))
    try:
        done = restore.restore(fresh, raw, person_id=fresh.person_id, where="bundle.json")
        assert done.written == ("calf-rehab",)
        assert done.unchanged == ("desk",)
        written = (fresh.settings.config_dir / "routines" / "calf-rehab.toml").read_text()
        assert written.startswith("# Restored by `soleus import` from a soleus FHIR bundle")
        again = open_context(fresh.settings, FakeClock(NOW))
        assert again.routines["calf-rehab"] == filled.routines["calf-rehab"]
        assert again.routines["desk"] == filled.routines["desk"]
        # Importing the same bundle again changes nothing.
        assert restore.restore(again, raw, person_id=again.person_id).written == ()
        again.store.close()
    finally:
        fresh.store.close()


def broken(data: dict[str, Any], how: str) -> dict[str, Any]:
    data = json.loads(json.dumps(data))
    plan = next(e for e in data["entry"] if e["resource"]["resourceType"] == "CarePlan")
    request = next(e for e in data["entry"] if e["resource"]["resourceType"] == "ServiceRequest")
    if how == "foreign":
        del data["identifier"]
    elif how == "date":
        request["resource"]["authoredOn"] = "last week"
    elif how == "routine":
        del plan["resource"]["extension"]
    elif how == "reference":
        plan["resource"]["activity"][0]["reference"]["reference"] = "urn:uuid:nowhere"
    elif how == "exercise":
        request["resource"]["code"]["coding"][1]["code"] = "moon-walk"
    elif how == "reps":
        dosage = request["resource"]["extension"][0]["extension"]
        next(d for d in dosage if d["url"] == "reps")["valuePositiveInt"] = 5000
        next(d for d in dosage if d["url"] == "from-exercise")["valueBoolean"] = False
    elif how == "twice":
        data["entry"].append(json.loads(json.dumps(plan)))
    elif how == "no-plan":
        data["entry"] = [e for e in data["entry"] if e["resource"]["resourceType"] == "Patient"]
    return data


@pytest.mark.parametrize(
    ("how", "field"),
    [
        ("foreign", "identifier.system: not a bundle written by soleus"),
        ("date", "entry[2].resource.authoredOn: Value error, DateTime value string"),
        ("routine", "entry[1].resource.extension: no soleus routine id"),
        ("reference", "entry[1].resource.activity[0].reference: no ServiceRequest"),
        ("exercise", "entry[2].resource.code.coding: exercise 'moon-walk' is not in this catalog"),
        ("reps", "reps must be between 1 and"),
        ("no-plan", "entry: the bundle holds no CarePlan"),
        ("twice", "entry[3].resource.extension: routine 'desk' twice"),
    ],
)
def test_a_bad_bundle_is_one_line_naming_the_field_and_writes_nothing(
    ctx: Context, how: str, field: str
) -> None:
    good = json.loads(export.to_json(ctx, person_id=ctx.person_id))
    raw = json.dumps(broken(good, how)).encode()
    with pytest.raises(SoleusError) as caught:
        restore.restore(ctx, raw, person_id=ctx.person_id, where="b.json")
    message = str(caught.value)
    assert field in message, message
    assert "\n" not in message
    assert userfiles.list_files(ctx, "routines") == []


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        (b"{not json", "not a FHIR JSON bundle"),
        (b'{"resourceType": "Patient"}', "resourceType: a soleus FHIR file is a Bundle"),
        (b'{"resourceType": "Bundle"}', "type: Value for the field 'type' is required"),
    ],
)
def test_a_file_that_is_no_bundle_is_refused(ctx: Context, raw: bytes, field: str) -> None:
    with pytest.raises(SoleusError, match=field):
        restore.restore(ctx, raw, person_id=ctx.person_id)
    assert userfiles.list_files(ctx, "routines") == []


def test_another_person_is_refused_in_local_mode(ctx: Context) -> None:
    with pytest.raises(SoleusError, match="local mode has one person"):
        export.to_json(ctx, person_id="someone-else")


def test_any_record_gives_a_bundle_that_validates(tmp_path: Path) -> None:
    """Random sessions, sets, pain and screens (the export's own record models, so
    anything `soleus import` accepts) always give a bundle fhir.resources accepts."""
    from hypothesis import given
    from hypothesis import settings as hsettings
    from hypothesis import strategies as st

    ctx = open_context(settings_in(tmp_path), FakeClock(NOW))
    moments = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2026, 3, 4)).map(
        lambda d: d.isoformat()
    )
    words = st.text(max_size=30)
    session = st.fixed_dictionaries(
        {
            "source": st.sampled_from(["player", "quick", "import", "recording"]),
            "status": st.sampled_from(["active", "finished", "abandoned"]),
            "routine_id": st.sampled_from([None, "desk", "full", "gone"]),
            "routine_name": st.one_of(st.none(), words),
            "started_at": moments,
            "ended_at": st.one_of(st.none(), moments),
            "local_date": st.dates().map(str),
            "effort": st.one_of(st.none(), st.integers(0, 10)),
            "note": words,
        }
    )
    set_ = st.fixed_dictionaries(
        {
            "exercise_id": st.sampled_from(["soleus-pushup", "wall-calf-stretch", "mine"]),
            "kind": st.sampled_from(["reps", "hold", "bout"]),
            "side": st.sampled_from(["left", "right", "both"]),
            "set_number": st.integers(1, 100),
            "actual_reps": st.one_of(st.none(), st.integers(0, 1000)),
            "actual_seconds": st.one_of(st.none(), st.floats(0, 3600)),
            "skipped": st.booleans(),
            "completed_at": moments,
            "local_date": st.dates().map(str),
        }
    )
    pain = st.fixed_dictionaries(
        {
            "at": moments,
            "local_date": st.dates().map(str),
            "score": st.integers(0, 10),
            "context": st.sampled_from(["during", "after", "morning", "other"]),
        }
    )
    answers = st.fixed_dictionaries({q.id: st.booleans() for q in RED_FLAGS})

    @given(
        st.lists(st.tuples(session, st.lists(set_, max_size=4)), max_size=3),
        st.lists(pain, max_size=3),
        st.lists(answers, max_size=2),
    )
    @hsettings(max_examples=30, deadline=None)
    def check(
        sessions: list[tuple[dict[str, Any], list[dict[str, Any]]]],
        pains: list[dict[str, Any]],
        screens: list[dict[str, bool]],
    ) -> None:
        import uuid

        data: dict[str, Any] = {"format": "soleus-export", "version": 1}
        data["sessions"] = []
        data["sets"] = []
        for s, sets in sessions:
            sid = str(uuid.uuid4())
            data["sessions"].append({**s, "id": sid})
            data["sets"] += [{**x, "id": str(uuid.uuid4()), "session_id": sid} for x in sets]
        data["pain"] = [{**p, "id": str(uuid.uuid4())} for p in pains]
        data["screens"] = [
            {
                "id": str(uuid.uuid4()),
                "at": NOW.isoformat(),
                "local_date": "2026-03-03",
                "answers": a,
                "passed": not any(a.values()),
            }
            for a in screens
        ]
        transfer.import_text(ctx, json.dumps(data))
        text = export.to_json(ctx, person_id=ctx.person_id)
        Bundle.model_validate_json(text)
        for value in strings(json.loads(text)):  # the spec's rule for strings
            assert value and value == value.strip(), repr(value)
            assert not any(ord(c) < 32 and c not in "\t\r\n" for c in value), repr(value)

    try:
        check()
    finally:
        ctx.store.close()


def test_the_same_record_gives_the_same_observations_on_every_database(
    db_ctx: Context, filled: Context
) -> None:
    transfer.import_text(db_ctx, json.dumps(record_fixture()))
    (db_ctx.settings.config_dir / "routines").mkdir(parents=True, exist_ok=True)
    (db_ctx.settings.config_dir / "routines" / "calf-rehab.toml").write_text(MY_ROUTINE)

    def observations(ctx: Context) -> list[dict[str, Any]]:
        text = export.to_json(ctx, person_id=ctx.person_id).replace(ctx.person_id, "PERSON")
        return resources(json.loads(text), "Observation")

    assert observations(db_ctx) == observations(filled)


def test_a_plan_keeps_its_numbers_where_the_exercise_has_changed(
    ctx: Context, tmp_path: Path
) -> None:
    raw = export.to_json(ctx, person_id=ctx.person_id).encode()  # desk: 3 x 10 per leg
    other = open_context(settings_in(tmp_path / "other"), FakeClock(NOW))
    try:
        spu = userfiles.source(other, "exercises", "soleus-pushup")
        userfiles.save(other, "exercises", spu.replace("reps = 10", "reps = 6", 1))
        assert "reps = 6" in userfiles.source(other, "exercises", "soleus-pushup")
        done = restore.restore(other, raw, person_id=other.person_id)
        assert done.written == ("desk",)
        again = open_context(other.settings, FakeClock(NOW))
        block = again.routines["desk"].blocks[0]
        assert block.dosage is not None and block.dosage.reps == 10
        assert block.note == ctx.routines["desk"].blocks[0].note
        again.store.close()
    finally:
        other.store.close()
