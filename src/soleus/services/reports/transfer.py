"""Export everything as JSON or as a zip of one CSV per table, and import it back
without loss (idempotently)."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError

from soleus.domain.limits import MAX_LOGGED_REPS, MAX_LOGGED_SECONDS
from soleus.errors import SoleusError
from soleus.services.context import Context
from soleus.store import checks, nudges
from soleus.store import sessions as repo

FORMAT = "soleus-export"
VERSION = 1
MAX_IMPORT_BYTES = 200 * 1024 * 1024


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SessionRecord(_Record):
    id: str = Field(min_length=1, max_length=36)
    source: Literal["player", "quick", "import", "recording"]
    status: Literal["active", "finished", "abandoned"]
    routine_id: str | None = None
    routine_name: str | None = None
    routine: dict[str, Any] | None = None
    started_at: datetime
    ended_at: datetime | None = None
    local_date: date
    effort: int | None = Field(default=None, ge=0, le=10)
    pain: int | None = Field(default=None, ge=0, le=10)
    note: str = ""
    recording: str | None = None


class SetRecord(_Record):
    id: str = Field(min_length=1, max_length=36)
    session_id: str
    plan_index: int | None = Field(default=None, ge=0)
    exercise_id: str = Field(min_length=1, max_length=40)
    kind: Literal["reps", "hold", "bout"]
    side: Literal["left", "right", "both"]
    set_number: int = Field(ge=1, le=100)
    target_reps: int | None = Field(default=None, ge=0, le=MAX_LOGGED_REPS)
    actual_reps: int | None = Field(default=None, ge=0, le=MAX_LOGGED_REPS)
    target_seconds: float | None = Field(default=None, ge=0, le=MAX_LOGGED_SECONDS)
    actual_seconds: float | None = Field(default=None, ge=0, le=MAX_LOGGED_SECONDS)
    skipped: bool = False
    completed_at: datetime
    local_date: date


class PainRecord(_Record):
    id: str = Field(min_length=1, max_length=36)
    at: datetime
    local_date: date
    score: int = Field(ge=0, le=10)
    context: Literal["during", "after", "morning", "other"]
    session_id: str | None = None


class ScreenRecord(_Record):
    id: str = Field(min_length=1, max_length=36)
    at: datetime
    local_date: date
    answers: dict[str, bool]
    passed: bool


class NudgeRecord(_Record):
    id: str = Field(min_length=1, max_length=36)
    local_date: date
    prompted_at: datetime
    number: int = Field(ge=0, le=10_000)
    reason: str = Field(max_length=16)
    routine: str = Field(max_length=40)
    suggestion: str = ""
    sitting_s: float = Field(ge=0, le=86_400 * 7)
    outcome: str = Field(max_length=16)
    answered_at: datetime | None = None
    snoozes: int = Field(ge=0, le=1000)
    skip_reason: str = ""


class SpanRecord(_Record):
    id: str = Field(min_length=1, max_length=36)
    local_date: date
    kind: Literal["sitting", "break"]
    started_at: datetime
    ended_at: datetime
    seconds: float = Field(ge=0, le=86_400 * 7)


class Export(_Record):
    format: Literal["soleus-export"]
    version: Literal[1]
    exported_at: datetime | None = None
    person: str | None = None
    sessions: list[SessionRecord] = []
    sets: list[SetRecord] = []
    pain: list[PainRecord] = []
    screens: list[ScreenRecord] = []
    nudges: list[NudgeRecord] = []
    activity_spans: list[SpanRecord] = []
    _where: str = PrivateAttr(default="import")


TABLES: dict[str, type[_Record]] = {
    "sessions": SessionRecord,
    "sets": SetRecord,
    "pain": PainRecord,
    "screens": ScreenRecord,
    "nudges": NudgeRecord,
    "activity_spans": SpanRecord,
}
# Columns that hold JSON text in the CSV files.
_NESTED = {("sessions", "routine"), ("screens", "answers")}
# Tables exported row for row by the reminders' repository.
_RAW_TABLES = ("nudges", "activity_spans")


def collect(ctx: Context) -> dict[str, Any]:
    """Everything this person has, as JSON-ready data."""
    pid = ctx.person_id
    with ctx.store.begin() as conn:
        tables = {
            "sessions": repo.list_sessions(conn, person_id=pid),
            "sets": repo.list_sets(conn, person_id=pid),
            "pain": checks.list_pain(conn, person_id=pid),
            "screens": checks.list_screens(conn, person_id=pid),
        }
        for name in _RAW_TABLES:
            tables[name] = nudges.export_rows(conn, table=name, person_id=pid)
    out: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": ctx.now().isoformat(),
        "person": ctx.person_name,
    }
    for name, rows in tables.items():
        fields = TABLES[name].model_fields
        out[name] = [
            TABLES[name]
            .model_validate({k: v for k, v in row.items() if k in fields})
            .model_dump(mode="json")
            for row in rows
        ]
    return out


def to_json(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


MANIFEST = "soleus-export.json"
ExportFormat = Literal["json", "csv"]


def encode(data: dict[str, Any], fmt: ExportFormat) -> tuple[bytes, str, str]:
    """An export as (bytes, media type, file name): JSON, or a zip of one CSV per table."""
    if fmt == "json":
        return to_json(data).encode("utf-8"), "application/json", "soleus-export.json"
    return to_zip(data), "application/zip", "soleus-export.zip"


def to_zip(data: dict[str, Any]) -> bytes:
    """One tidy CSV per table (a header row, then one row per record; nested values are
    JSON text) and ``soleus-export.json`` naming the format, version and person."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        manifest = {k: data.get(k) for k in ("format", "version", "exported_at", "person")}
        manifest["tables"] = [f"{name}.csv" for name in TABLES]
        _add(archive, MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        for name, model in TABLES.items():
            _add(archive, f"{name}.csv", _table_csv(list(model.model_fields), data[name]))
    return buffer.getvalue()


def _add(archive: zipfile.ZipFile, name: str, text: str) -> None:
    # A fixed timestamp: the same data gives the same bytes.
    archive.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), text)


def _table_csv(columns: list[str], rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    # \r\n (the CSV standard) makes the writer quote any field holding \r or \n.
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return out.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def read_file(path: Path) -> Export:
    return parse_bytes(read_raw(path), where=str(path))


def read_raw(path: Path) -> bytes:
    """A file to import, as bytes (any export: soleus JSON, the CSV zip, a FHIR bundle)."""
    where = str(path)
    try:
        if path.stat().st_size > MAX_IMPORT_BYTES:
            raise SoleusError("file is too large to be a soleus export", where=where)
        return path.read_bytes()
    except OSError as error:
        raise SoleusError(f"cannot read file ({error.strerror})", where=where) from None


def parse_bytes(raw: bytes, *, where: str) -> Export:
    """Validate a whole export (JSON, the zip of CSVs, or an older single soleus CSV)."""
    if raw.startswith(b"PK\x03\x04"):
        return _validate(_from_zip(raw, where), where)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise SoleusError("not a UTF-8 text file, so not a soleus export", where=where) from None
    return parse_text(text, where=where)


def parse_text(text: str, *, where: str) -> Export:
    """Validate a whole export (JSON or an older single soleus CSV) before anything is
    written."""
    data = _from_csv(text, where) if text.startswith("record,") else _from_json(text, where)
    return _validate(data, where)


def _validate(data: dict[str, Any], where: str) -> Export:
    try:
        export = Export.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        raise SoleusError(f"{loc}: {first['msg']}", where=where) from None
    export._where = where
    return export


def _from_zip(raw: bytes, where: str) -> dict[str, Any]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        members = {info.filename: info for info in archive.infolist()}
        if MANIFEST not in members:
            raise SoleusError(
                f"not a soleus export: the zip has no {MANIFEST} (only zips written by"
                " `soleus export --format csv` can be imported)",
                where=where,
            )
        if sum(info.file_size for info in members.values()) > MAX_IMPORT_BYTES:
            raise SoleusError("the zip unpacks too large to be a soleus export", where=where)
        unknown = sorted(set(members) - {MANIFEST, *(f"{name}.csv" for name in TABLES)})
        if unknown:
            raise SoleusError(f"unknown file {unknown[0]} in the export zip", where=where)
        manifest = json.loads(archive.read(MANIFEST))
        texts = {
            name: archive.read(f"{name}.csv").decode("utf-8")
            for name in TABLES
            if f"{name}.csv" in members
        }
    except SoleusError:
        raise
    except (zipfile.BadZipFile, EOFError, ValueError, UnicodeDecodeError) as error:
        raise SoleusError(
            f"the export zip is damaged or cut short ({error})", where=where
        ) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise SoleusError(
            f'not a soleus export ({MANIFEST} has no "format": "{FORMAT}")', where=where
        )
    data: dict[str, Any] = {k: manifest.get(k) for k in ("format", "version", "person")}
    for name, text in texts.items():
        reader = csv.DictReader(io.StringIO(text, newline=""))
        data[name] = [_row(name, row, f"{where}:{name}.csv:{reader.line_num}") for row in reader]
    return data


def _row(table: str, row: dict[str, Any], where: str) -> dict[str, Any]:
    fields = TABLES[table].model_fields
    item: dict[str, Any] = {}
    for key, value in row.items():
        if key is None or value is None:  # more or fewer cells than the header
            raise SoleusError("the row does not match the header row", where=where)
        if key not in fields:
            raise SoleusError(f"unknown column {key!r}", where=where)
        if value != "":
            item[key] = json.loads(value) if (table, key) in _NESTED else value
    return item


def _from_json(text: str, where: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except ValueError as error:
        raise SoleusError(
            f"not a soleus export: not JSON or soleus CSV ({error})", where=where
        ) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise SoleusError(
            f'not a soleus export (no "format": "{FORMAT}"); only files written by'
            " `soleus export` can be imported",
            where=where,
        )
    return data


def _from_csv(text: str, where: str) -> dict[str, Any]:
    reader = csv.DictReader(io.StringIO(text))
    data: dict[str, Any] = {name: [] for name in TABLES}
    header_seen = False
    for row in reader:
        record = row.pop("record", "")
        line = reader.line_num
        if record.startswith(FORMAT):
            version = record.removeprefix(FORMAT).strip()
            data.update(
                format=FORMAT,
                version=int(version) if version.isdigit() else version,
                person=row.get("id") or None,
            )
            header_seen = True
            continue
        if record not in TABLES:
            raise SoleusError(f"unknown record type {record!r}", where=f"{where}:{line}")
        fields = TABLES[record].model_fields
        item: dict[str, Any] = {}
        for key, value in row.items():
            if key not in fields or value in ("", None):
                continue
            item[key] = json.loads(value) if (record, key) in _NESTED else value
        data[record].append(item)
    if not header_seen:
        raise SoleusError("not a soleus export: the CSV has no soleus-export row", where=where)
    return data


def import_export(ctx: Context, export: Export) -> dict[str, int]:
    """Add every record not already present, all in one transaction. Counts what was added."""
    pid = ctx.person_id
    added = dict.fromkeys(TABLES, 0)
    known_sessions = {s.id for s in export.sessions}
    with ctx.store.begin() as conn:
        for s in export.sessions:
            if repo.exists(conn, session_id=s.id):
                continue
            repo.create(
                conn,
                session_id=s.id,
                person_id=pid,
                source=s.source,
                status=s.status,
                routine_id=s.routine_id,
                routine_name=s.routine_name,
                routine=s.routine,
                started_at=_aware(s.started_at),
                local_date=s.local_date,
                ended_at=_aware(s.ended_at) if s.ended_at else None,
                effort=s.effort,
                pain=s.pain,
                note=s.note,
                recording=s.recording,
            )
            added["sessions"] += 1
        for st in export.sets:
            if st.session_id not in known_sessions and not repo.exists(
                conn, session_id=st.session_id
            ):
                raise SoleusError(
                    f"set {st.id} names an unknown session {st.session_id}", where=export._where
                )
            if repo.set_exists(conn, set_id=st.id):
                continue
            repo.add_set(
                conn,
                set_id=st.id,
                session_id=st.session_id,
                person_id=pid,
                plan_index=st.plan_index,
                exercise_id=st.exercise_id,
                kind=st.kind,
                side=st.side,
                set_number=st.set_number,
                target_reps=st.target_reps,
                actual_reps=st.actual_reps,
                target_seconds=st.target_seconds,
                actual_seconds=st.actual_seconds,
                skipped=st.skipped,
                completed_at=_aware(st.completed_at),
                local_date=st.local_date,
            )
            added["sets"] += 1
        for p in export.pain:
            if checks.pain_exists(conn, report_id=p.id):
                continue
            checks.add_pain(
                conn,
                report_id=p.id,
                person_id=pid,
                at=_aware(p.at),
                local_date=p.local_date,
                score=p.score,
                context=p.context,
                session_id=p.session_id,
            )
            added["pain"] += 1
        for sc in export.screens:
            if checks.screen_exists(conn, screen_id=sc.id):
                continue
            checks.add_screen(
                conn,
                screen_id=sc.id,
                person_id=pid,
                at=_aware(sc.at),
                local_date=sc.local_date,
                answers=sc.answers,
                passed=sc.passed,
            )
            added["screens"] += 1
        for name in _RAW_TABLES:
            for record in getattr(export, name):
                row = record.model_dump()
                row = {k: _aware(v) if isinstance(v, datetime) else v for k, v in row.items()}
                added[name] += nudges.import_row(conn, table=name, person_id=pid, row=row)
    if added["pain"] or added["screens"]:
        from soleus.services.safety.advice import refresh

        refresh(ctx)  # the day-state cache of `soleus log` sees what came in
    return added


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def import_bytes(ctx: Context, raw: bytes, *, name: str = "upload") -> dict[str, int]:
    """Validate a whole export sent as bytes (the web upload), then add it."""
    return import_export(ctx, parse_bytes(raw, where=name))


def import_text(ctx: Context, text: str, *, name: str = "upload") -> dict[str, int]:
    """Validate a whole export sent as text, then add it."""
    return import_bytes(ctx, text.encode("utf-8"), name=name)
