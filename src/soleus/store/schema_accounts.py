"""The accounts tables (issue 14): organisations, memberships, accounts, web sessions,
access tokens, one-time links, rate-limit counters, the audit log and passkeys.

Secrets (session ids, tokens, link tokens) are stored only as SHA-256 hex digests; a
leaked database does not let anyone sign in. Emails are stored lower-cased, so the
unique constraint is case-insensitive on every database.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    UniqueConstraint,
)

from soleus.store.schema import ID, metadata

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
rate_limits = Table(
    "rate_limits",
    metadata,
    Column("key", String(300), primary_key=True),
    Column("window_start", DateTime, primary_key=True),
    Column("count", Integer, nullable=False),
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
