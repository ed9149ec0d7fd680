"""summary digest subscriptions; acknowledgeable reminders told apart in the summary index

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The summary's covering index on deliveries, before and after (storage/summary/models.py):
#: occurrence_id lets the acknowledgement rate leave digests out without visiting rows.
DELIVERIES_INDEX = "ix_summary_deliveries"
OLD_COLUMNS = ["person_id", "sent_at", "ack_status"]
NEW_COLUMNS = [*OLD_COLUMNS, "occurrence_id"]


def upgrade() -> None:
    op.create_table(
        "digest_subscriptions",
        sa.Column(
            "person_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("frequency", sa.String(length=16), nullable=False),
        sa.Column("since", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_digest_subscriptions_person_id_people")
        ),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_digest_subscriptions")),
    )
    op.drop_index(op.f(DELIVERIES_INDEX), table_name="reminder_deliveries")
    op.create_index(op.f(DELIVERIES_INDEX), "reminder_deliveries", NEW_COLUMNS, unique=False)


def downgrade() -> None:
    op.drop_index(op.f(DELIVERIES_INDEX), table_name="reminder_deliveries")
    op.create_index(op.f(DELIVERIES_INDEX), "reminder_deliveries", OLD_COLUMNS, unique=False)
    op.drop_table("digest_subscriptions")
