"""a person's calibration: their own rep height and rhythm, from three reps

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.add_column(sa.Column("calibration", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("calibrated_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    # Not by copying the table: sessions and every other record point at persons.
    with op.batch_alter_table("persons", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("calibrated_at")
        batch_op.drop_column("calibration")
