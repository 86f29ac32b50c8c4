"""prescriptions, missed-session mail preferences, the job queue and calendar feeds
(issue 15)

Revision ID: 0008
Revises: 0007

New tables only; nothing existing changes.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "prescriptions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("clinician_id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("plan", sa.JSON(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["clinician_id"],
            ["persons.id"],
            name=op.f("fk_prescriptions_clinician_id_persons"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_prescriptions_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prescriptions")),
    )
    with op.batch_alter_table("prescriptions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_prescriptions_person_id", ["person_id", "created_at"], unique=False
        )

    op.create_table(
        "mail_prefs",
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("missed_sessions", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_mail_prefs_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_mail_prefs")),
    )
    op.create_table(
        "jobs",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=8), nullable=False),
        sa.Column("run_at", sa.DateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        sa.Column("done_by", sa.String(length=80), nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_jobs_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jobs")),
        sa.UniqueConstraint("key", name=op.f("uq_jobs_key")),
    )
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.create_index("ix_jobs_state", ["state", "run_at"], unique=False)
    op.create_table(
        "calendar_feeds",
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_calendar_feeds_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_calendar_feeds")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_calendar_feeds_token_hash")),
    )
    # The caseload reads the last week of hundreds of people by date.
    op.create_index("ix_sessions_local_date", "sessions", ["local_date"], unique=False)
    op.create_index("ix_set_logs_local_date", "set_logs", ["local_date"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_set_logs_local_date", table_name="set_logs")
    op.drop_index("ix_sessions_local_date", table_name="sessions")
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_index("ix_jobs_state")
    op.drop_table("calendar_feeds")
    op.drop_table("jobs")
    op.drop_table("mail_prefs")
    with op.batch_alter_table("prescriptions", schema=None) as batch_op:
        batch_op.drop_index("ix_prescriptions_person_id")
    op.drop_table("prescriptions")
