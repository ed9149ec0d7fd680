"""summary digest subscriptions; acknowledgeable reminders told apart in the summary index."""

import sqlalchemy as sa
from alembic import op

from storage.migrations import columns as c

revision: str = "0007"
down_revision: str | None = "0006"

#: The summary's covering index on deliveries, before and after (storage/summary/models.py):
#: occurrence_id lets the acknowledgement rate leave digests out without visiting rows.
DELIVERIES_INDEX = "ix_summary_deliveries"
OLD_COLUMNS = ["person_id", "sent_at", "ack_status"]
NEW_COLUMNS = [*OLD_COLUMNS, "occurrence_id"]


def upgrade() -> None:
    op.create_table(
        "digest_subscriptions",
        sa.Column("person_id", c.big_id(), autoincrement=False, nullable=False),
        *c.strings(16, "frequency"), *c.stamps("since", "updated_at"),
        *c.refs("digest_subscriptions", ("person_id", "people")),
        c.primary("digest_subscriptions", "person_id"),
    )
    op.drop_index(op.f(DELIVERIES_INDEX), table_name="reminder_deliveries")
    op.create_index(op.f(DELIVERIES_INDEX), "reminder_deliveries", NEW_COLUMNS, unique=False)


def downgrade() -> None:
    op.drop_index(op.f(DELIVERIES_INDEX), table_name="reminder_deliveries")
    op.create_index(op.f(DELIVERIES_INDEX), "reminder_deliveries", OLD_COLUMNS, unique=False)
    op.drop_table("digest_subscriptions")
