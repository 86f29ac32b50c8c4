"""Export everything as JSON or CSV, and import it back without loss (idempotently)."""

from __future__ import annotations

import csv
import io
import json
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
        "person": ctx.settings.person,
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


def to_csv(data: dict[str, Any]) -> str:
    """One CSV: a ``record`` column names the table; nested values are JSON text."""
    columns = ["record"]
    for model in TABLES.values():
        columns += [c for c in model.model_fields if c not in columns]
    buffer = io.StringIO()
    # \r\n (the CSV standard) makes the writer quote any field holding \r or \n.
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerow({"record": f"{FORMAT} {VERSION}", "id": data.get("person") or ""})
    for name in TABLES:
        for row in data[name]:
            writer.writerow({"record": name, **{k: _cell(v) for k, v in row.items()}})
    return buffer.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def read_file(path: Path) -> Export:
    where = str(path)
    try:
        if path.stat().st_size > MAX_IMPORT_BYTES:
            raise SoleusError("file is too large to be a soleus export", where=where)
        with path.open(encoding="utf-8", newline="") as handle:  # keep \r inside fields
            text = handle.read()
    except UnicodeDecodeError:
        raise SoleusError("not a UTF-8 text file, so not a soleus export", where=where) from None
    except OSError as error:
        raise SoleusError(f"cannot read file ({error.strerror})", where=where) from None
    return parse_text(text, where=where)


def parse_text(text: str, *, where: str) -> Export:
    """Validate a whole export (JSON or soleus CSV) before anything is written."""
    data = _from_csv(text, where) if text.startswith("record,") else _from_json(text, where)
    try:
        export = Export.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        raise SoleusError(f"{loc}: {first['msg']}", where=where) from None
    export._where = where
    return export


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
            nested = (record, key) in {("sessions", "routine"), ("screens", "answers")}
            item[key] = json.loads(value) if nested else value
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
    return added


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def import_text(ctx: Context, text: str, *, name: str = "upload") -> dict[str, int]:
    """Validate a whole export sent as text (the web upload), then add it."""
    return import_export(ctx, parse_text(text, where=name))
