"""indexes for the caseload's week: pain reports by date, failed screens by person

Revision ID: 0009
Revises: 0008

The caseload reads the last week of hundreds of patients: pain reports by date (they
were read by a scan of everyone's history), and each patient's last red-flag "yes"
through a small partial index of failed screens only (not by walking back through every
passed one). Indexes only; nothing else changes.
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

FAILED = sa.text("passed IS false")


def upgrade() -> None:
    op.create_index("ix_pain_reports_local_date", "pain_reports", ["local_date"], unique=False)
    op.create_index(
        "ix_screens_failed",
        "screens",
        ["person_id", "local_date"],
        unique=False,
        postgresql_where=FAILED,
        sqlite_where=FAILED,
    )


def downgrade() -> None:
    op.drop_index("ix_screens_failed", table_name="screens")
    op.drop_index("ix_pain_reports_local_date", table_name="pain_reports")
