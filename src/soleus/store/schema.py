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
    text,
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
    # The first-run welcome: NULL until it is done or skipped ("done" | "skipped").
    Column("welcome", String(8)),
    Column("welcomed_at", DateTime),
    # The person's calibration (soleus.signal.calibration, as JSON): NULL until made.
    Column("calibration", Text),
    Column("calibrated_at", DateTime),
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
    # A caseload reads the last week of hundreds of people: by date, then by person.
    Index("ix_sessions_local_date", "local_date"),
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
    Index("ix_set_logs_local_date", "local_date"),
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
    # A caseload reads the last week of hundreds of people (0009).
    Index("ix_pain_reports_local_date", "local_date"),
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
    # Each patient's last red-flag "yes" without walking back through the passed ones (0009).
    Index(
        "ix_screens_failed",
        "person_id",
        "local_date",
        postgresql_where=text("passed IS false"),
        sqlite_where=text("passed IS false"),
    ),
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

# -- accounts mode (issue 14) ---------------------------------------------------
# Secrets (session ids, tokens, link tokens) are stored only as SHA-256 hex digests; a
# leaked database signs nobody in. Emails are stored lower-cased, so their unique
# constraint is case-insensitive on every database.

HASH = 64  # sha256 hex

organisations = Table(
    "organisations",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("name", String(120), nullable=False, unique=True),
    Column("created_at", DateTime, nullable=False),
)

memberships = Table(
    "memberships",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("person_id", String(ID), ForeignKey("persons.id"), nullable=False),
    Column("org_id", String(ID), ForeignKey("organisations.id"), nullable=False),
    Column("role", String(16), nullable=False),  # admin | clinician | patient
    # A patient's clinician in this organisation ("their patients").
    Column("clinician_id", String(ID), ForeignKey("persons.id")),
    Column("created_at", DateTime, nullable=False),
    UniqueConstraint("person_id", "org_id", "role", name="uq_memberships_person_org_role"),
)

accounts = Table(
    "accounts",
    metadata,
    Column("person_id", String(ID), ForeignKey("persons.id"), primary_key=True),
    Column("email", String(254), nullable=False, unique=True),  # lower case
    Column("password_hash", String(200)),  # argon2id; NULL until set
    Column("disabled", Boolean, nullable=False, default=False),
    Column("created_at", DateTime, nullable=False),
)

web_sessions = Table(
    "web_sessions",
    metadata,
    Column("id_hash", String(HASH), primary_key=True),
    Column("person_id", String(ID), ForeignKey("persons.id"), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("last_seen_at", DateTime, nullable=False),
    Column("expires_at", DateTime, nullable=False),
    Column("revoked_at", DateTime),
    Column("ip", String(64), nullable=False, default=""),
    Column("user_agent", String(200), nullable=False, default=""),
    Index("ix_web_sessions_person", "person_id"),
)

access_tokens = Table(
    "access_tokens",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("person_id", String(ID), ForeignKey("persons.id"), nullable=False),
    Column("name", String(80), nullable=False),
    Column("scope", String(8), nullable=False),  # read | write
    Column("token_hash", String(HASH), nullable=False, unique=True),
    Column("created_at", DateTime, nullable=False),
    Column("last_used_at", DateTime),
    Column("revoked_at", DateTime),
    Index("ix_access_tokens_person", "person_id"),
)

# One-time links: invitations and admin-generated password resets.
invitations = Table(
    "invitations",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("token_hash", String(HASH), nullable=False, unique=True),
    Column("kind", String(8), nullable=False),  # invite | reset
    Column("email", String(254), nullable=False),
    Column("role", String(16)),
    Column("org_id", String(ID), ForeignKey("organisations.id")),
    Column("inviter_id", String(ID), ForeignKey("persons.id")),
    Column("person_id", String(ID), ForeignKey("persons.id")),  # reset: whose password
    Column("created_at", DateTime, nullable=False),
    Column("expires_at", DateTime, nullable=False),
    Column("used_at", DateTime),
)

# Counters shared by every instance: key (e.g. "signin:account:<email>"), window start.
# Every sign-in forgets the windows a day old: by window start, not a scan of the day's.
rate_limits = Table(
    "rate_limits",
    metadata,
    Column("key", String(300), primary_key=True),
    Column("window_start", DateTime, primary_key=True),
    Column("count", Integer, nullable=False),
    Index("ix_rate_limits_window_start", "window_start"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("at", DateTime, nullable=False),
    Column("actor_id", String(ID)),  # NULL: the command line or an anonymous request
    Column("action", String(40), nullable=False),
    Column("target_id", String(ID)),
    Column("org_id", String(ID)),
    Column("ip", String(64), nullable=False, default=""),
    Column("detail", JSON),
    Index("ix_audit_log_at", "at"),
)

passkeys = Table(
    "passkeys",
    metadata,
    Column("credential_id", String(1400), primary_key=True),  # base64url
    Column("person_id", String(ID), ForeignKey("persons.id"), nullable=False),
    Column("public_key", LargeBinary, nullable=False),
    Column("sign_count", Integer, nullable=False),
    Column("name", String(80), nullable=False, default=""),
    Column("created_at", DateTime, nullable=False),
    Column("last_used_at", DateTime),
)

# A clinician's prescribed plan for a patient (soleus.domain.prescription.Prescription as
# JSON in ``plan``). The patient's current plan is their newest with ``ended_at`` NULL.
prescriptions = Table(
    "prescriptions",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("person_id", String(ID), ForeignKey("persons.id"), nullable=False),
    Column("clinician_id", String(ID), ForeignKey("persons.id"), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("start_date", Date, nullable=False),
    Column("end_date", Date),
    Column("plan", JSON, nullable=False),
    Column("ended_at", DateTime),
    Index("ix_prescriptions_person_id", "person_id", "created_at"),
)

ACCOUNT_TABLES = (
    organisations,
    memberships,
    accounts,
    web_sessions,
    access_tokens,
    invitations,
    rate_limits,
    audit_log,
    passkeys,
)

# Missed-session emails (issue 15): who asked for them, and the job queue that sends
# them. A job's ``key`` is unique, so however many instances check, a missed day is
# queued once; a worker takes a job with SELECT ... FOR UPDATE SKIP LOCKED.
mail_prefs = Table(
    "mail_prefs",
    metadata,
    Column("person_id", String(ID), ForeignKey("persons.id"), primary_key=True),
    Column("missed_sessions", Boolean, nullable=False, default=False),
    Column("updated_at", DateTime, nullable=False),
)

jobs = Table(
    "jobs",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("key", String(200), nullable=False, unique=True),
    Column("kind", String(40), nullable=False),
    Column("person_id", String(ID), ForeignKey("persons.id"), nullable=False),
    Column("payload", JSON, nullable=False),
    Column("state", String(8), nullable=False),  # queued | done | failed
    Column("run_at", DateTime, nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("created_at", DateTime, nullable=False),
    Column("done_at", DateTime),
    Column("done_by", String(80)),
    Column("last_error", String(500)),
    Index("ix_jobs_state", "state", "run_at"),
)

# A patient's iCalendar feed of their prescribed plan: the URL's secret, stored hashed
# (sha256); one per person, replaced when made again, gone when revoked.
calendar_feeds = Table(
    "calendar_feeds",
    metadata,
    Column("person_id", String(ID), ForeignKey("persons.id"), primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", DateTime, nullable=False),
)
