"""rate-limit counters by window start: forgetting a day-old window is an index range

Revision ID: 0011
Revises: 0010

Every sign-in deletes the counters' windows a day old (store.accounts.attempts). By the
primary key (key, window start) that was a scan of the whole day's counters; with
this index it reads only the rows it deletes. Index only; nothing else changes.
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_rate_limits_window_start", "rate_limits", ["window_start"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_rate_limits_window_start", table_name="rate_limits")
