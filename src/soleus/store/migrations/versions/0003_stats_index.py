"""covering index for the statistics queries

Revision ID: 0003
Revises: 0002
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

COLUMNS = ["person_id", "skipped", "local_date", "exercise_id", "actual_reps", "actual_seconds"]


def upgrade() -> None:
    with op.batch_alter_table("set_logs", schema=None) as batch_op:
        batch_op.create_index("ix_set_logs_stats", COLUMNS, unique=False)


def downgrade() -> None:
    with op.batch_alter_table("set_logs", schema=None) as batch_op:
        batch_op.drop_index("ix_set_logs_stats")
