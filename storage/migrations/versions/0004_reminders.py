"""reminders, calendar and quiz tables."""

import sqlalchemy as sa
from alembic import op

from storage.migrations import columns as c

revision: str = "0004"
down_revision: str | None = "0003"


def upgrade() -> None:
    op.create_table(
        "calendar_dates", *c.strings(40, "event_code"), *c.cols(sa.Integer, "year"),
        *c.cols(sa.Date, "starts_on"),
        *c.cols(sa.Date, "ends_on", nullable=True), *c.strings(200, "place"),
        *c.cols(sa.BigInteger, "updated_by", nullable=True),
        c.primary("calendar_dates", "event_code", "year"),
    )
    op.create_table(
        "reminder_occurrences", c.serial_id(), *c.strings(120, "key"), *c.strings(16, "kind"),
        *c.strings(40, "topic"),
        *c.stamps("due_at"), *c.stamps("escalate_at", "escalated_at", nullable=True),
        *c.cols(sa.JSON, "params"), *c.stamps("created_at"), c.primary("reminder_occurrences"),
        sa.UniqueConstraint("key", name=op.f("uq_reminder_occurrences_key")),
    )
    c.index("reminder_occurrences", "escalate_at")
    op.create_table(
        "reminder_deliveries", c.serial_id(), *c.ids("occurrence_id", "person_id"),
        *c.stamps("due_at"),
        *c.strings(16, "status"), *c.stamps("lease_until", nullable=True),
        *c.cols(sa.Integer, "attempts", "sends"), *c.stamps("sent_at", nullable=True),
        *c.strings(16, "ack_status"), *c.stamps("ack_at", nullable=True), *c.strings(200, "error"),
        *c.refs("reminder_deliveries",
                ("occurrence_id", "reminder_occurrences"), ("person_id", "people")),
        c.primary("reminder_deliveries"),
    )
    op.create_index("uq_reminder_deliveries_occurrence_person", "reminder_deliveries",
                    ["occurrence_id", "person_id"], unique=True)
    c.index("reminder_deliveries", "status", "due_at", name="ix_reminder_deliveries_status_due")
    c.index("reminder_deliveries", "person_id")
    op.create_table(
        "quiz_attempts", c.serial_id(), *c.ids("person_id"), *c.cols(sa.Integer, "year"),
        *c.cols(sa.Boolean, "practice"), *c.cols(sa.JSON, "question_ids", "answers"),
        *c.stamps("started_at"), *c.stamps("deadline_at", "finished_at", nullable=True),
        *c.cols(sa.Integer, "score", nullable=True),
        *c.refs("quiz_attempts", ("person_id", "people")), c.primary("quiz_attempts"),
    )
    c.index("quiz_attempts", "person_id")
    op.create_table(
        "quiz_allowances", *c.ids("person_id"), *c.cols(sa.Integer, "year", "extra"),
        *c.cols(sa.BigInteger, "updated_by", nullable=True),
        *c.refs("quiz_allowances", ("person_id", "people")),
        c.primary("quiz_allowances", "person_id", "year"),
    )
    op.create_table(
        "quiz_polls", *c.strings(64, "poll_id"), *c.strings(40, "token"), *c.stamps("created_at"),
        c.primary("quiz_polls", "poll_id"),
    )
    c.index("quiz_polls", "created_at")


def downgrade() -> None:
    for table in ("quiz_polls", "quiz_allowances", "quiz_attempts", "reminder_deliveries",
                  "reminder_occurrences", "calendar_dates"):
        op.drop_table(table)
