"""Tables (SQLAlchemy Core). Every record belongs to a person.

Times are stored as naive UTC; ``local_date`` is the person's calendar day at the
time of the record, so day-based statistics never re-derive time zones.
Schema changes go through an Alembic migration in ``migrations/versions``.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_name)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

ID = 36  # uuid4 text

persons = Table(
    "persons",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("name", String(80), nullable=False, unique=True),
    Column("created_at", DateTime, nullable=False),
)

sessions = Table(
    "sessions",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("person_id", String(ID), ForeignKey("persons.id"), nullable=False),
    # player | quick | import | recording
    Column("source", String(16), nullable=False),
    # active | finished | abandoned
    Column("status", String(16), nullable=False),
    Column("routine_id", String(40)),
    Column("routine_name", String(120)),
    # The routine as it was when the session started (for resume and history).
    Column("routine", JSON),
    # The plan as it was resolved when the session started (soleus.domain.routine.StoredPlan):
    # a resume plays exactly this. NULL for quick logs and sessions from before 0005.
    Column("plan", JSON),
    Column("started_at", DateTime, nullable=False),
    Column("ended_at", DateTime),
    Column("local_date", Date, nullable=False),
    Column("effort", Integer),
    Column("pain", Integer),
    Column("note", Text, nullable=False, default=""),
    # A source recording kept with the session (path relative to the data dir).
    Column("recording", String(300)),
    Index("ix_sessions_person_date", "person_id", "local_date"),
)

set_logs = Table(
    "set_logs",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("session_id", String(ID), ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
    Column("person_id", String(ID), ForeignKey("persons.id"), nullable=False),
    # Position in the session's plan; NULL for quick logs. A redone set replaces the old row.
    Column("plan_index", Integer),
    Column("exercise_id", String(40), nullable=False),
    Column("kind", String(8), nullable=False),  # reps | hold | bout
    Column("side", String(8), nullable=False),  # left | right | both
    Column("set_number", Integer, nullable=False),
    Column("target_reps", Integer),
    Column("actual_reps", Integer),
    Column("target_seconds", Float),
    Column("actual_seconds", Float),
    Column("skipped", Boolean, nullable=False, default=False),
    Column("completed_at", DateTime, nullable=False),
    Column("local_date", Date, nullable=False),
    UniqueConstraint("session_id", "plan_index", name="uq_set_logs_session_plan"),
    Index("ix_set_logs_person_date", "person_id", "local_date"),
    # Covers the statistics queries (active days, per-exercise totals) without the table.
    Index(
        "ix_set_logs_stats",
        "person_id",
        "skipped",
        "local_date",
        "exercise_id",
        "actual_reps",
        "actual_seconds",
    ),
)

pain_reports = Table(
    "pain_reports",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("person_id", String(ID), ForeignKey("persons.id"), nullable=False),
    Column("at", DateTime, nullable=False),
    Column("local_date", Date, nullable=False),
    Column("score", Integer, nullable=False),
    # during | after | morning | other
    Column("context", String(16), nullable=False),
    Column("session_id", String(ID), ForeignKey("sessions.id", ondelete="SET NULL")),
    Index("ix_pain_reports_person_date", "person_id", "local_date"),
)

screens = Table(
    "screens",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("person_id", String(ID), ForeignKey("persons.id"), nullable=False),
    Column("at", DateTime, nullable=False),
    Column("local_date", Date, nullable=False),
    # {"question id": true/false}
    Column("answers", JSON, nullable=False),
    Column("passed", Boolean, nullable=False),
    Index("ix_screens_person_date", "person_id", "local_date"),
)

# Reminders (issue 4): each nudge and what became of it, and the sitting/break spans
# the daemon saw. ``outcome``: prompted (no answer yet) | taken | skipped | expired;
# ``snoozes`` counts postponements of that nudge.
nudges = Table(
    "nudges",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("person_id", String(ID), ForeignKey("persons.id"), nullable=False),
    Column("local_date", Date, nullable=False),
    Column("prompted_at", DateTime, nullable=False),
    Column("number", Integer, nullable=False),
    Column("reason", String(16), nullable=False),  # sitting | target
    Column("routine", String(40), nullable=False),
    Column("suggestion", Text, nullable=False, default=""),
    Column("sitting_s", Float, nullable=False, default=0.0),
    Column("outcome", String(16), nullable=False, default="prompted"),
    Column("answered_at", DateTime),
    Column("snoozes", Integer, nullable=False, default=0),
    Column("skip_reason", Text, nullable=False, default=""),
    Index("ix_nudges_person_date", "person_id", "local_date"),
)

activity_spans = Table(
    "activity_spans",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("person_id", String(ID), ForeignKey("persons.id"), nullable=False),
    Column("local_date", Date, nullable=False),
    Column("kind", String(8), nullable=False),  # sitting | break
    Column("started_at", DateTime, nullable=False),
    Column("ended_at", DateTime, nullable=False),
    Column("seconds", Float, nullable=False),
    Index("ix_activity_spans_person_date", "person_id", "local_date"),
)

# Recordings and live counting (issue 5). A person's ingest token lets a phone app push
# sensor data without a browser session (Sensor Logger's HTTP push). A live stream is one
# run of live counting; its raw samples are kept as chunks, so any app instance can
# recompute the count, and ``state`` holds the latest result for cheap polling.
ingest_tokens = Table(
    "ingest_tokens",
    metadata,
    Column("person_id", String(ID), ForeignKey("persons.id"), primary_key=True),
    Column("token", String(64), nullable=False, unique=True),
    Column("created_at", DateTime, nullable=False),
)

live_streams = Table(
    "live_streams",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("person_id", String(ID), ForeignKey("persons.id"), nullable=False),
    Column("source", String(16), nullable=False),  # sensorlogger | phyphox
    Column("status", String(16), nullable=False),  # active | stopped | failed
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    # phyphox: the phone's base URL; Sensor Logger: its deviceId
    Column("device", String(200), nullable=False, default=""),
    Column("remote_session", String(100), nullable=False, default=""),
    Column("side", String(8)),
    Column("style", String(8), nullable=False, default="sets"),
    # Sensor Logger: epoch ns of the first sample (time 0 of the stream)
    Column("t0_ns", BigInteger),
    Column("last_t", Float, nullable=False, default=-1.0),
    # phyphox: seconds added to the phone's clock after its experiment was cleared
    Column("t_offset", Float, nullable=False, default=0.0),
    # phyphox: the instance polling the phone holds this lease and renews it
    Column("lease_until", DateTime),
    Column("error", Text, nullable=False, default=""),
    Column("state", JSON),
    Column("session_id", String(ID), ForeignKey("sessions.id", ondelete="SET NULL")),
    Index("ix_live_streams_person_created", "person_id", "created_at"),
)

live_chunks = Table(
    "live_chunks",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "stream_id",
        String(ID),
        ForeignKey("live_streams.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("seq", Integer, nullable=False),
    Column("received_at", DateTime, nullable=False),
    Column("n_acc", Integer, nullable=False),
    Column("n_gyro", Integer, nullable=False),
    # float64 little-endian: t_acc, acc (n×3), t_gyro, gyro (n×3); times in stream seconds
    Column("data", LargeBinary, nullable=False),
    UniqueConstraint("stream_id", "seq", name="uq_live_chunks_stream_seq"),
)

# The accounts tables live in their own module; importing it here puts them on ``metadata``.
from soleus.store import schema_accounts as _accounts  # noqa: E402

__all__ = ["_accounts", "metadata"]
