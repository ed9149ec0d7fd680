"""question counts kept after the retention period

Chat questions are now written encrypted (the column type stays TEXT; existing plain rows
keep reading as they are and are encrypted by ``lianzheng keys rotate``) and are deleted
after QUESTION_RETENTION_DAYS. What the curators' gap list keeps of them is a count per
month, decision and entry, without the text.
"""

import sqlalchemy as sa
from alembic import op

from storage.migrations import columns as c

revision: str = "0012"
down_revision: str | None = "0011"


def upgrade() -> None:
    op.create_table(
        "question_counts",
        *c.strings(7, "month"), *c.strings(16, "status"), *c.strings(100, "entry_id"),
        *c.cols(sa.Integer, "asked", "unhelpful", "escalated"),
        c.primary("question_counts", "month", "status", "entry_id"),
    )


def downgrade() -> None:
    op.drop_table("question_counts")
