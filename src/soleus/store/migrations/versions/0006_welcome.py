"""the first-run welcome: done or skipped, per person

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.add_column(sa.Column("welcome", sa.String(8), nullable=True))
        batch_op.add_column(sa.Column("welcomed_at", sa.DateTime(), nullable=True))
    # A person from before this revision has used soleus already: no first-run welcome
    # (Today still offers the tour).
    persons = sa.table(
        "persons",
        sa.column("welcome", sa.String),
        sa.column("welcomed_at", sa.DateTime),
        sa.column("created_at", sa.DateTime),
    )
    op.execute(persons.update().values(welcome="skipped", welcomed_at=persons.c.created_at))


def downgrade() -> None:
    # Not by copying the table: sessions and every other record point at persons.
    with op.batch_alter_table("persons", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("welcomed_at")
        batch_op.drop_column("welcome")
