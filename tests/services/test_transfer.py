"""Export and import: lossless JSON and CSV round trips, idempotent, and safe on junk."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from sqlalchemy import func, select

from soleus.domain.clock import FakeClock
from soleus.domain.routine import Plan
from soleus.domain.safety import RED_FLAGS
from soleus.errors import SoleusError
from soleus.services import open_context
from soleus.services.context import Context
from soleus.services.logs import quicklog
from soleus.services.reports import transfer
from soleus.services.reports.transfer import ExportFormat, import_text
from soleus.services.safety import screen as safety
from soleus.services.sessions import guided as sessions
from soleus.settings import Settings
from soleus.store.schema import pain_reports, screens, set_logs
from soleus.store.schema import sessions as sessions_table

START = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)


def make_settings(folder: Path) -> Settings:
    return Settings.load(
        env={
            "SOLEUS_DATA_DIR": str(folder / "data"),
            "SOLEUS_CONFIG_DIR": str(folder / "cfg"),
            "SOLEUS_TIMEZONE": "Europe/Berlin",
        }
    )


def without_stamp(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != "exported_at"}


def row_counts(ctx: Context) -> dict[str, int]:
    with ctx.store.begin() as conn:
        return {
            t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
            for t in (sessions_table, set_logs, pain_reports, screens)
        }


def fill(ctx: Context, clock: FakeClock) -> None:
    """A bit of everything: a finished and an unfinished session, quick logs, pain, screens."""
    no = {q.id: False for q in RED_FLAGS}
    safety.record_screen(ctx, no)
    routine = ctx.routines.get_routine("full")
    plan = Plan.build(routine, ctx.catalog)
    sid = sessions.start(ctx, routine)
    for p in plan.sets[:5]:
        clock.advance(37.25)
        sessions.record(
            ctx,
            sid,
            plan_index=p.index,
            actual_reps=(p.target_reps or 0) - 1 if p.target_reps else None,
            actual_seconds=(p.target_seconds or 0) * 0.9 if p.target_seconds else None,
            skipped=p.index == 2,
        )
    sessions.finish(ctx, sid, effort=5, pain=4)
    clock.advance(3600)
    quicklog.log_sets(ctx, exercise_id="wall-calf-stretch", amount="3x30s", side="left")
    quicklog.log_pain(ctx, score=2, context="morning")
    clock.advance(86400)
    sessions.start(ctx, ctx.routines.get_routine("desk"))  # left unfinished: a "yes" came
    safety.record_screen(ctx, {**no, "breathless": True})  # later; no session after it


@pytest.fixture
def source(tmp_path: Path, clock: FakeClock) -> Iterator[Context]:
    context = open_context(make_settings(tmp_path / "source"), clock)
    fill(context, clock)
    yield context
    context.store.close()


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_round_trip_into_a_fresh_database_loses_nothing(
    source: Context, db_ctx: Context, tmp_path: Path, fmt: ExportFormat
) -> None:
    data = transfer.collect(source)
    assert {k: len(data[k]) for k in transfer.TABLES} == {
        "sessions": 3,
        "sets": 8,
        "pain": 2,
        "screens": 2,
        "nudges": 0,
        "activity_spans": 0,
    }
    path = tmp_path / f"export.{fmt}"
    path.write_bytes(transfer.encode(data, fmt)[0])
    added = transfer.import_export(db_ctx, transfer.read_file(path))
    assert added == {
        "sessions": 3,
        "sets": 8,
        "pain": 2,
        "screens": 2,
        "nudges": 0,
        "activity_spans": 0,
    }
    assert without_stamp(transfer.collect(db_ctx)) == without_stamp(data)


def test_importing_twice_adds_nothing(source: Context, ctx: Context, tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_text(transfer.to_json(transfer.collect(source)))
    transfer.import_export(ctx, transfer.read_file(path))
    before = row_counts(ctx)
    assert transfer.import_export(ctx, transfer.read_file(path)) == dict.fromkeys(
        transfer.TABLES, 0
    )
    assert row_counts(ctx) == before


def test_importing_your_own_export_adds_nothing(source: Context, tmp_path: Path) -> None:
    path = tmp_path / "export.zip"
    path.write_bytes(transfer.to_zip(transfer.collect(source)))
    before = row_counts(source)
    assert sum(transfer.import_export(source, transfer.read_file(path)).values()) == 0
    assert row_counts(source) == before


def test_an_imported_unfinished_session_can_be_resumed(
    source: Context, ctx: Context, tmp_path: Path
) -> None:
    path = tmp_path / "export.json"
    path.write_text(transfer.to_json(transfer.collect(source)))
    transfer.import_export(ctx, transfer.read_file(path))
    found = sessions.resumable(ctx)
    assert found is not None and found[0]["routine_id"] == "desk"


def _valid_export() -> dict[str, Any]:
    sid = "s-1"
    return {
        "format": "soleus-export",
        "version": 1,
        "sessions": [
            {
                "id": sid,
                "source": "quick",
                "status": "finished",
                "started_at": "2026-03-01T10:00:00Z",
                "local_date": "2026-03-01",
            }
        ],
        "sets": [
            {
                "id": "x-1",
                "session_id": sid,
                "exercise_id": "soleus-pushup",
                "kind": "reps",
                "side": "left",
                "set_number": 1,
                "actual_reps": 10,
                "completed_at": "2026-03-01T10:01:00Z",
                "local_date": "2026-03-01",
            }
        ],
    }


JUNK: dict[str, bytes] = {
    "random.json": b'{"name": "bob", "age": 3}',
    "list.json": b"[1, 2, 3]",
    "null.json": b"null",
    "other.csv": b"name,age\nbob,3\nalice,4\n",
    "record-but-other.csv": b"record,id\nfoo,1\n",
    "binary.bin": bytes(range(256)) * 8,
    "empty.json": b"",
    "truncated.json": json.dumps(_valid_export()).encode()[:150],
    "wrong-version.json": json.dumps({**_valid_export(), "version": 99}).encode(),
    "bad-value.json": json.dumps(
        {
            **_valid_export(),
            "pain": [
                {
                    "id": "p",
                    "at": "2026-03-01T10:00:00Z",
                    "local_date": "2026-03-01",
                    "score": 11,
                    "context": "after",
                }
            ],
        }
    ).encode(),
    "orphan-set.json": json.dumps(
        {**_valid_export(), "sets": [{**_valid_export()["sets"][0], "session_id": "nope"}]}
    ).encode(),
    "gpx.xml": b'<?xml version="1.0"?><gpx><trk></trk></gpx>',
}


@pytest.mark.parametrize("name", sorted(JUNK))
def test_a_file_from_another_program_is_refused_and_nothing_is_written(
    ctx: Context, tmp_path: Path, name: str
) -> None:
    path = tmp_path / name
    path.write_bytes(JUNK[name])
    before = row_counts(ctx)
    with pytest.raises(SoleusError) as raised:
        transfer.import_export(ctx, transfer.read_file(path))
    message = str(raised.value)
    assert "\n" not in message
    if name != "orphan-set.json":
        assert str(path) in message
    assert row_counts(ctx) == before


def test_an_orphan_set_error_names_the_file(ctx: Context, tmp_path: Path) -> None:
    path = tmp_path / "orphan-set.json"
    path.write_bytes(JUNK["orphan-set.json"])
    with pytest.raises(SoleusError) as raised:
        transfer.import_export(ctx, transfer.read_file(path))
    assert str(path) in str(raised.value)


def test_a_truncated_export_zip_is_refused(source: Context, ctx: Context, tmp_path: Path) -> None:
    raw = transfer.to_zip(transfer.collect(source))
    path = tmp_path / "cut.zip"
    before = row_counts(ctx)
    for cut in (len(raw) // 2, len(raw) - 10):
        path.write_bytes(raw[:cut])
        with pytest.raises(SoleusError, match=re.escape(str(path))):
            transfer.import_export(ctx, transfer.read_file(path))
    assert row_counts(ctx) == before


def test_a_zip_that_is_not_an_export_is_named(ctx: Context, tmp_path: Path) -> None:
    path = tmp_path / "phyphox.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("Accelerometer.csv", "Time (s),x\n0,1\n")
    with pytest.raises(SoleusError, match=r"phyphox\.zip: not a soleus export: the zip has no"):
        transfer.read_file(path)


def test_a_row_that_does_not_match_its_header_is_named(source: Context, tmp_path: Path) -> None:
    raw = transfer.to_zip(transfer.collect(source))
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    files["pain.csv"] += b"one,two\r\n"
    path = tmp_path / "edited.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    with pytest.raises(SoleusError, match=r"edited\.zip:pain\.csv:4: the row does not match"):
        transfer.read_file(path)


def test_an_older_single_csv_export_still_imports(source: Context, db_ctx: Context) -> None:
    data = transfer.collect(source)
    columns = ["record", *sorted({c for m in transfer.TABLES.values() for c in m.model_fields})]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerow({"record": "soleus-export 1", "id": ""})
    for name in transfer.TABLES:
        for row in data[name]:
            writer.writerow({"record": name, **{k: transfer._cell(v) for k, v in row.items()}})
    added = transfer.import_text(db_ctx, out.getvalue(), name="old.csv")
    assert added["sets"] == len(data["sets"]) and added["pain"] == len(data["pain"])


def test_an_unreadable_or_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(SoleusError, match=r"nothing-here\.json"):
        transfer.read_file(tmp_path / "nothing-here.json")


def test_the_csv_zip_has_one_tidy_file_per_table(source: Context) -> None:
    data = transfer.collect(source)
    with zipfile.ZipFile(io.BytesIO(transfer.to_zip(data))) as archive:
        assert sorted(archive.namelist()) == sorted(
            ["soleus-export.json", *(f"{name}.csv" for name in transfer.TABLES)]
        )
        manifest = json.loads(archive.read("soleus-export.json"))
        assert (manifest["format"], manifest["version"]) == ("soleus-export", 1)
        for name, model in transfer.TABLES.items():
            rows = list(csv.reader(io.StringIO(archive.read(f"{name}.csv").decode())))
            assert rows[0] == list(model.model_fields)  # a header row, then the records
            assert len(rows) - 1 == len(data[name])
    assert transfer.to_zip(data) == transfer.to_zip(data)  # the same data, the same bytes


# -- Hypothesis: generated records survive JSON and CSV --------------------------------

_TEMPLATE: dict[str, Path] = {}


def template_db() -> Path:
    """A migrated SQLite file, copied for each example (migrating each time is slow)."""
    if "db" not in _TEMPLATE:
        folder = Path(tempfile.mkdtemp(prefix="soleus-template-"))
        open_context(make_settings(folder), FakeClock(START)).store.close()
        _TEMPLATE["db"] = folder / "data" / "soleus.db"
    return _TEMPLATE["db"]


@contextmanager
def fresh_ctx() -> Iterator[Context]:
    folder = Path(tempfile.mkdtemp(prefix="soleus-rt-"))
    (folder / "data").mkdir()
    shutil.copy(template_db(), folder / "data" / "soleus.db")
    context = open_context(make_settings(folder), FakeClock(START))
    try:
        yield context
    finally:
        context.store.close()
        shutil.rmtree(folder, ignore_errors=True)


# No NUL: PostgreSQL refuses it (see the NUL test). Carriage returns are in.
texts = st.text(
    st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), max_size=30
)
moments = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2099, 1, 1), timezones=st.just(UTC)
)
odd_floats = st.one_of(
    st.floats(min_value=0, max_value=86400, allow_nan=False, allow_infinity=False),
    st.sampled_from([0.1 + 0.2, 1e-9, 86399.99999999, 30.000000000000004, 5e-324]),
)


@st.composite
def exports(draw: st.DrawFn) -> dict[str, Any]:
    n_sessions = draw(st.integers(1, 3))
    session_ids = [f"s{i}-{draw(st.uuids()).hex[:8]}" for i in range(n_sessions)]
    out: dict[str, Any] = {"format": "soleus-export", "version": 1, "person": "me"}
    out["sessions"] = [
        {
            "id": sid,
            "source": draw(st.sampled_from(["player", "quick", "import", "recording"])),
            "status": draw(st.sampled_from(["active", "finished", "abandoned"])),
            "routine_name": draw(st.none() | texts.filter(bool)),
            "started_at": draw(moments).isoformat(),
            "local_date": draw(st.dates(date(2000, 1, 1), date(2099, 1, 1))).isoformat(),
            "effort": draw(st.none() | st.integers(0, 10)),
            "note": draw(texts),
        }
        for sid in session_ids
    ]
    out["sets"] = [
        {
            "id": f"x{i}-{draw(st.uuids()).hex[:8]}",
            "session_id": draw(st.sampled_from(session_ids)),
            "plan_index": None if i % 2 else i,
            "exercise_id": draw(st.sampled_from(["soleus-pushup", "downward-dog", "my-own"])),
            "kind": draw(st.sampled_from(["reps", "hold", "bout"])),
            "side": draw(st.sampled_from(["left", "right", "both"])),
            "set_number": draw(st.integers(1, 100)),
            "actual_reps": draw(st.none() | st.integers(0, 100000)),
            "actual_seconds": draw(st.none() | odd_floats),
            "target_seconds": draw(st.none() | odd_floats),
            "skipped": draw(st.booleans()),
            "completed_at": draw(moments).isoformat(),
            "local_date": "2026-03-01",
        }
        for i in range(draw(st.integers(0, 4)))
    ]
    out["pain"] = [
        {
            "id": f"p{i}",
            "at": draw(moments).isoformat(),
            "local_date": "2026-03-02",
            "score": draw(st.integers(0, 10)),
            "context": draw(st.sampled_from(["during", "after", "morning", "other"])),
            "session_id": draw(st.none() | st.sampled_from(session_ids)),
        }
        for i in range(draw(st.integers(0, 2)))
    ]
    out["screens"] = [
        {
            "id": f"c{i}",
            "at": draw(moments).isoformat(),
            "local_date": "2026-03-02",
            "answers": draw(
                st.dictionaries(st.sampled_from([q.id for q in RED_FLAGS]), st.booleans())
            ),
            "passed": draw(st.booleans()),
        }
        for i in range(draw(st.integers(0, 2)))
    ]
    return out


def canonical(data: dict[str, Any]) -> dict[str, Any]:
    """Records keyed by id, validated, so that order and spelling of times do not matter."""
    model = transfer.Export.model_validate(data)
    return {name: {r.id: r for r in getattr(model, name)} for name in transfer.TABLES}


@hsettings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=exports(), fmt=st.sampled_from(["json", "csv"]))
def test_generated_records_round_trip(data: dict[str, Any], fmt: ExportFormat) -> None:
    with fresh_ctx() as first:
        import_text(first, json.dumps(data), name="gen.json")
        exported = transfer.collect(first)
        assert canonical(exported) == canonical(data)
        raw, _, name = transfer.encode(exported, fmt)
        with fresh_ctx() as second:
            transfer.import_bytes(second, raw, name=name)
            assert without_stamp(transfer.collect(second)) == without_stamp(exported)


@pytest.mark.parametrize("note", ["line\r\nbreak", "carriage\rreturn", "\r"])
def test_a_note_with_carriage_returns_survives_csv(ctx: Context, tmp_path: Path, note: str) -> None:
    data = _valid_export()
    data["sessions"][0]["note"] = note
    with fresh_ctx() as first:
        import_text(first, json.dumps(data))
        path = tmp_path / "export.zip"
        path.write_bytes(transfer.to_zip(transfer.collect(first)))
    transfer.import_export(ctx, transfer.read_file(path))
    assert transfer.collect(ctx)["sessions"][0]["note"] == note


def test_times_in_other_zones_are_kept_as_the_same_instant(ctx: Context) -> None:
    data = _valid_export()
    data["sessions"][0]["started_at"] = "2026-03-01T11:00:00+01:00"
    import_text(ctx, json.dumps(data))
    got = transfer.collect(ctx)["sessions"][0]["started_at"]
    assert datetime.fromisoformat(got) == datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
    assert datetime.fromisoformat(got) - datetime(2026, 3, 1, 10, tzinfo=UTC) == timedelta(0)


def test_a_nul_character_in_an_import_is_refused_cleanly(db_ctx: Context, tmp_path: Path) -> None:
    data = _valid_export()
    data["sessions"][0]["note"] = "before\u0000after"
    path = tmp_path / "nul.json"
    path.write_text(json.dumps(data))
    before = row_counts(db_ctx)
    try:
        transfer.import_export(db_ctx, transfer.read_file(path))
    except SoleusError:
        assert row_counts(db_ctx) == before
    else:
        assert transfer.collect(db_ctx)["sessions"][0]["note"] == "before\u0000after"


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_reminder_history_round_trips(ctx: Context, tmp_path: Path, fmt: ExportFormat) -> None:
    from soleus.store.schema import nudges

    when = ctx.now()
    with ctx.store.begin() as conn:
        conn.execute(
            nudges.insert().values(
                id="n1",
                person_id=ctx.person_id,
                local_date=ctx.today(),
                prompted_at=when.replace(tzinfo=None),
                number=1,
                reason="sitting",
                routine="desk",
                suggestion="3 x 10 per leg",
                sitting_s=1800.0,
                outcome="taken",
                answered_at=when.replace(tzinfo=None),
                snoozes=1,
                skip_reason="",
            )
        )
    data = transfer.collect(ctx)
    assert [n["routine"] for n in data["nudges"]] == ["desk"]
    raw, _, name = transfer.encode(data, fmt)
    other = open_context(make_settings(tmp_path / "other"), ctx.clock)
    try:
        added = transfer.import_bytes(other, raw, name=name)
        assert added["nudges"] == 1
        again = transfer.collect(other)
        assert again["nudges"] == data["nudges"]
    finally:
        other.store.close()
