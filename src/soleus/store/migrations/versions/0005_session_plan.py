"""the resolved plan of a guided session

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing sessions keep NULL: a resume replans them from their routine snapshot.
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("plan", sa.JSON(), nullable=True))


def downgrade() -> None:
    # Not by copying the table: with foreign keys on, dropping the old sessions table would
    # cascade to its sets. SQLite (3.35+) drops a column in place.
    with op.batch_alter_table("sessions", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("plan")
