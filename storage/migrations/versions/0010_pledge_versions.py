"""version columns on check-ins and appraisals (optimistic locking)

Check-ins and appraisals used to be last-write-wins: two reviewers (or two devices)
saving at once silently overwrote each other. Like the discipline records, they now carry a
version that every change bumps; a change based on an older version is refused. Existing
rows start at version 1.
"""

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0008"

TABLES = ("pledge_checkins", "pledge_appraisals")


def upgrade() -> None:
    for table in TABLES:
        # batch mode: SQLite cannot alter tables in place; a no-op wrapper on PostgreSQL.
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))


def downgrade() -> None:
    for table in reversed(TABLES):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("version")
