"""reminders, calendar and quiz tables

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _id_type() -> sa.types.TypeEngine:
    # Same as storage.core.models.BigId: BIGINT, but INTEGER on SQLite for autoincrement keys.
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _ts(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "calendar_dates",
        sa.Column("event_code", sa.String(length=40), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("updated_by", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("event_code", "year", name=op.f("pk_calendar_dates")),
    )
    op.create_table(
        "reminder_occurrences",
        sa.Column("id", _id_type(), autoincrement=True, nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("topic", sa.String(length=40), nullable=False),
        _ts("due_at"),
        _ts("escalate_at", True),
        _ts("escalated_at", True),
        sa.Column("params", sa.JSON(), nullable=False),
        _ts("created_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_occurrences")),
        sa.UniqueConstraint("key", name=op.f("uq_reminder_occurrences_key")),
    )
    op.create_index(
        op.f("ix_reminder_occurrences_escalate_at"),
        "reminder_occurrences",
        ["escalate_at"],
        unique=False,
    )
    op.create_table(
        "reminder_deliveries",
        sa.Column("id", _id_type(), autoincrement=True, nullable=False),
        sa.Column("occurrence_id", _id_type(), nullable=False),
        sa.Column("person_id", _id_type(), nullable=False),
        _ts("due_at"),
        sa.Column("status", sa.String(length=16), nullable=False),
        _ts("lease_until", True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("sends", sa.Integer(), nullable=False),
        _ts("sent_at", True),
        sa.Column("ack_status", sa.String(length=16), nullable=False),
        _ts("ack_at", True),
        sa.Column("error", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["occurrence_id"],
            ["reminder_occurrences.id"],
            name=op.f("fk_reminder_deliveries_occurrence_id_reminder_occurrences"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_reminder_deliveries_person_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_deliveries")),
    )
    op.create_index(
        "uq_reminder_deliveries_occurrence_person",
        "reminder_deliveries",
        ["occurrence_id", "person_id"],
        unique=True,
    )
    op.create_index(
        "ix_reminder_deliveries_status_due", "reminder_deliveries", ["status", "due_at"]
    )
    op.create_index(
        op.f("ix_reminder_deliveries_person_id"), "reminder_deliveries", ["person_id"]
    )
    op.create_table(
        "quiz_attempts",
        sa.Column("id", _id_type(), autoincrement=True, nullable=False),
        sa.Column("person_id", _id_type(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("practice", sa.Boolean(), nullable=False),
        sa.Column("question_ids", sa.JSON(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        _ts("started_at"),
        _ts("deadline_at", True),
        _ts("finished_at", True),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_quiz_attempts_person_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quiz_attempts")),
    )
    op.create_index(op.f("ix_quiz_attempts_person_id"), "quiz_attempts", ["person_id"])
    op.create_table(
        "quiz_allowances",
        sa.Column("person_id", _id_type(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("extra", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_quiz_allowances_person_id_people")
        ),
        sa.PrimaryKeyConstraint("person_id", "year", name=op.f("pk_quiz_allowances")),
    )
    op.create_table(
        "quiz_polls",
        sa.Column("poll_id", sa.String(length=64), nullable=False),
        sa.Column("token", sa.String(length=40), nullable=False),
        _ts("created_at"),
        sa.PrimaryKeyConstraint("poll_id", name=op.f("pk_quiz_polls")),
    )
    op.create_index(op.f("ix_quiz_polls_created_at"), "quiz_polls", ["created_at"])


def downgrade() -> None:
    op.drop_table("quiz_polls")
    op.drop_table("quiz_allowances")
    op.drop_table("quiz_attempts")
    op.drop_table("reminder_deliveries")
    op.drop_table("reminder_occurrences")
    op.drop_table("calendar_dates")
