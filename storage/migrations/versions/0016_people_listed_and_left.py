"""when a person was listed and when they left

Who a test was meant for in a past period depends on who was there then: a person listed
after the period, or gone before it began, does not count. People already stored keep both
empty (unknown: counted in every period, as before).
"""

import sqlalchemy as sa
from alembic import op

from storage.migrations import columns as c

revision: str = "0016"
down_revision: str | None = "0015"


# Plain ALTER TABLE on both databases (SQLite has dropped columns in place since 3.35): a
# batch copy of `people` would be refused by the many foreign keys pointing at it.
def upgrade() -> None:
    op.add_column("people", sa.Column("listed_at", c.stamp(), nullable=True))
    op.add_column("people", sa.Column("left_at", c.stamp(), nullable=True))


def downgrade() -> None:
    op.drop_column("people", "left_at")
    op.drop_column("people", "listed_at")
