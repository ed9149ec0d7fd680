"""records tables: warning talks, rectification notices and reports, assessments,
accountability cases and the people handled in them, and record revisions.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _id_type() -> sa.types.TypeEngine:
    # Same as storage.core.models.BigId: BIGINT, but INTEGER on SQLite for autoincrement keys.
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _pk() -> sa.Column:
    return sa.Column("id", _id_type(), autoincrement=True, nullable=False)


def _tracked(table: str) -> list[sa.schema.SchemaItem]:
    """Author, timestamps, version and tombstone columns shared by every record table."""
    return [
        sa.Column("created_by", _id_type(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_by", _id_type(), nullable=True),
        sa.Column("delete_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by"], ["people.id"], name=op.f(f"fk_{table}_created_by_people")
        ),
        sa.ForeignKeyConstraint(
            ["deleted_by"], ["people.id"], name=op.f(f"fk_{table}_deleted_by_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def _index(table: str, *columns: str) -> None:
    op.create_index(op.f(f"ix_{table}_{columns[0]}"), table, list(columns), unique=False)


def upgrade() -> None:
    op.create_table(
        "warning_talks",
        _pk(),
        sa.Column("person_id", _id_type(), nullable=False),
        sa.Column("unit_id", _id_type(), nullable=False),
        sa.Column("talk_date", sa.Date(), nullable=False),
        sa.Column("place", sa.Text(), nullable=False),
        sa.Column("talker", sa.Text(), nullable=False),
        sa.Column("note_taker", sa.Text(), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("response", sa.Text(), nullable=False),
        sa.Column("follow_up_date", sa.Date(), nullable=True),
        sa.Column("follow_up_result", sa.Text(), nullable=True),
        *_tracked("warning_talks"),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_warning_talks_person_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_warning_talks_unit_id_units")
        ),
    )
    for column in ("person_id", "unit_id", "talk_date"):
        _index("warning_talks", column)

    op.create_table(
        "rectification_notices",
        _pk(),
        sa.Column("unit_id", _id_type(), nullable=False),
        sa.Column("recipient_id", _id_type(), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("problems", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        *_tracked("rectification_notices"),
        sa.CheckConstraint(
            "status IN ('open', 'submitted', 'closed')",
            name=op.f("ck_rectification_notices_status"),
        ),
        sa.ForeignKeyConstraint(
            ["recipient_id"],
            ["people.id"],
            name=op.f("fk_rectification_notices_recipient_id_people"),
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_rectification_notices_unit_id_units")
        ),
    )
    for column in ("unit_id", "deadline", "status"):
        _index("rectification_notices", column)

    op.create_table(
        "rectification_reports",
        _pk(),
        sa.Column("notice_id", _id_type(), nullable=False),
        sa.Column("submitted_by", _id_type(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=True),
        sa.Column("decided_by", _id_type(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["people.id"], name=op.f("fk_rectification_reports_decided_by_people")
        ),
        sa.ForeignKeyConstraint(
            ["notice_id"],
            ["rectification_notices.id"],
            name=op.f("fk_rectification_reports_notice_id_rectification_notices"),
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by"],
            ["people.id"],
            name=op.f("fk_rectification_reports_submitted_by_people"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rectification_reports")),
    )
    _index("rectification_reports", "notice_id")

    op.create_table(
        "assessments",
        _pk(),
        sa.Column("unit_id", _id_type(), nullable=False),
        sa.Column("person_id", _id_type(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("result", sa.String(length=16), nullable=False),
        sa.Column("methods", sa.JSON(), nullable=False),
        sa.Column("commendation", sa.String(length=32), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        *_tracked("assessments"),
        sa.CheckConstraint(
            "result IN ('excellent', 'passed', 'failed')", name=op.f("ck_assessments_result")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_assessments_person_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_assessments_unit_id_units")
        ),
    )
    for column in ("unit_id", "person_id", "year"):
        _index("assessments", column)
    for name, columns, where in (
        ("uq_assessments_unit_year_live", ["unit_id", "year"],
         "person_id IS NULL AND deleted_at IS NULL"),
        ("uq_assessments_person_year_live", ["person_id", "year"],
         "person_id IS NOT NULL AND deleted_at IS NULL"),
    ):
        op.create_index(name, "assessments", columns, unique=True,
                        sqlite_where=sa.text(where), postgresql_where=sa.text(where))

    op.create_table(
        "accountability_cases",
        _pk(),
        sa.Column("unit_id", _id_type(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("circumstance", sa.String(length=32), nullable=False),
        sa.Column("facts", sa.Text(), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        *_tracked("accountability_cases"),
        sa.CheckConstraint(
            "status IN ('open', 'closed')", name=op.f("ck_accountability_cases_status")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_accountability_cases_unit_id_units")
        ),
    )
    for column in ("unit_id", "opened_on", "status"):
        _index("accountability_cases", column)

    op.create_table(
        "accountability_people",
        _pk(),
        sa.Column("case_id", _id_type(), nullable=False),
        sa.Column("person_id", _id_type(), nullable=False),
        sa.Column("unit_id", _id_type(), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        *_tracked("accountability_people"),
        sa.CheckConstraint(
            "category IN ('organisational', 'discipline')",
            name=op.f("ck_accountability_people_category"),
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["accountability_cases.id"],
            name=op.f("fk_accountability_people_case_id_accountability_cases"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_accountability_people_person_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_accountability_people_unit_id_units")
        ),
    )
    for column in ("case_id", "person_id", "unit_id", "effective_on"):
        _index("accountability_people", column)
    op.create_index(
        "uq_accountability_people_case_person_live", "accountability_people",
        ["case_id", "person_id"], unique=True,
        sqlite_where=sa.text("deleted_at IS NULL"), postgresql_where=sa.text("deleted_at IS NULL"),
    )

    op.create_table(
        "record_revisions",
        _pk(),
        sa.Column("record_type", sa.String(length=16), nullable=False),
        sa.Column("record_id", sa.BigInteger(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", _id_type(), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("changes", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["people.id"], name=op.f("fk_record_revisions_actor_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_revisions")),
    )
    op.create_index(
        "ix_record_revisions_record", "record_revisions", ["record_type", "record_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("uq_accountability_people_case_person_live", table_name="accountability_people")
    op.drop_index("uq_assessments_person_year_live", table_name="assessments")
    op.drop_index("uq_assessments_unit_year_live", table_name="assessments")
    op.drop_index("ix_record_revisions_record", table_name="record_revisions")
    op.drop_table("record_revisions")
    for table, columns in (
        ("accountability_people", ("case_id", "person_id", "unit_id", "effective_on")),
        ("accountability_cases", ("unit_id", "opened_on", "status")),
        ("assessments", ("unit_id", "person_id", "year")),
        ("rectification_reports", ("notice_id",)),
        ("rectification_notices", ("unit_id", "deadline", "status")),
        ("warning_talks", ("person_id", "unit_id", "talk_date")),
    ):
        for column in columns:
            op.drop_index(op.f(f"ix_{table}_{column}"), table_name=table)
        op.drop_table(table)
