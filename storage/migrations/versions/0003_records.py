"""records tables: warning talks, rectification notices and reports, assessments,
accountability cases and the people handled in them, and record revisions."""

import sqlalchemy as sa
from alembic import op

from storage.migrations import columns as c

revision: str = "0003"
down_revision: str | None = "0002"


def _tracked(table: str) -> list[sa.schema.SchemaItem]:
    """Author, timestamps, version and tombstone columns shared by every record table."""
    return [
        *c.ids("created_by"), *c.stamps("created_at", "updated_at"), *c.cols(sa.Integer, "version"),
        *c.stamps("deleted_at", nullable=True), *c.ids("deleted_by", nullable=True),
        *c.cols(sa.Text, "delete_reason", nullable=True),
        *c.refs(table, ("created_by", "people"), ("deleted_by", "people")), c.primary(table),
    ]


def _check(table: str, column: str, values: str) -> sa.CheckConstraint:
    return sa.CheckConstraint(f"{column} IN ({values})", name=op.f(f"ck_{table}_{column}"))


def upgrade() -> None:
    op.create_table(
        "warning_talks", c.serial_id(), *c.ids("person_id", "unit_id"),
        *c.cols(sa.Date, "talk_date"),
        *c.cols(sa.Text, "place", "talker", "note_taker"), *c.strings(32, "reason"),
        *c.cols(sa.Text, "summary", "response"), *c.cols(sa.Date, "follow_up_date", nullable=True),
        *c.cols(sa.Text, "follow_up_result", nullable=True), *_tracked("warning_talks"),
        *c.refs("warning_talks", ("person_id", "people"), ("unit_id", "units")),
    )
    for column in ("person_id", "unit_id", "talk_date"):
        c.index("warning_talks", column)

    op.create_table(
        "rectification_notices", c.serial_id(), *c.ids("unit_id"),
        *c.ids("recipient_id", nullable=True),
        *c.cols(sa.Date, "issued_on", "deadline"), *c.cols(sa.Text, "problems"),
        *c.strings(16, "status"), *c.cols(sa.Date, "closed_on", nullable=True),
        *_tracked("rectification_notices"),
        _check("rectification_notices", "status", "'open', 'submitted', 'closed'"),
        *c.refs("rectification_notices", ("recipient_id", "people"), ("unit_id", "units")),
    )
    for column in ("unit_id", "deadline", "status"):
        c.index("rectification_notices", column)

    op.create_table(
        "rectification_reports", c.serial_id(), *c.ids("notice_id", "submitted_by"),
        *c.stamps("submitted_at"),
        *c.cols(sa.Text, "text"), *c.strings(16, "decision", nullable=True),
        *c.ids("decided_by", nullable=True), *c.stamps("decided_at", nullable=True),
        *c.cols(sa.Text, "decision_note", nullable=True),
        *c.refs("rectification_reports", ("decided_by", "people"),
                ("notice_id", "rectification_notices"), ("submitted_by", "people")),
        c.primary("rectification_reports"),
    )
    c.index("rectification_reports", "notice_id")

    op.create_table(
        "assessments", c.serial_id(), *c.ids("unit_id"), *c.ids("person_id", nullable=True),
        *c.cols(sa.Integer, "year"), *c.strings(16, "result"), *c.cols(sa.JSON, "methods"),
        *c.strings(32, "commendation", nullable=True), *c.cols(sa.Text, "notes"),
        *c.cols(sa.Date, "assessed_on"), *_tracked("assessments"),
        _check("assessments", "result", "'excellent', 'passed', 'failed'"),
        *c.refs("assessments", ("person_id", "people"), ("unit_id", "units")),
    )
    for column in ("unit_id", "person_id", "year"):
        c.index("assessments", column)
    for name, columns, where in (
        ("uq_assessments_unit_year_live", ["unit_id", "year"],
         "person_id IS NULL AND deleted_at IS NULL"),
        ("uq_assessments_person_year_live", ["person_id", "year"],
         "person_id IS NOT NULL AND deleted_at IS NULL"),
    ):
        c.partial_index(name, "assessments", columns, where, unique=True)

    op.create_table(
        "accountability_cases", c.serial_id(), *c.ids("unit_id"), *c.cols(sa.Text, "title"),
        *c.strings(32, "circumstance"), *c.cols(sa.Text, "facts"), *c.cols(sa.Date, "opened_on"),
        *c.strings(16, "status"), *c.cols(sa.Date, "closed_on", nullable=True),
        *_tracked("accountability_cases"),
        _check("accountability_cases", "status", "'open', 'closed'"),
        *c.refs("accountability_cases", ("unit_id", "units")),
    )
    for column in ("unit_id", "opened_on", "status"):
        c.index("accountability_cases", column)

    op.create_table(
        "accountability_people", c.serial_id(), *c.ids("case_id", "person_id", "unit_id"),
        *c.strings(16, "category"),
        *c.strings(32, "kind"), *c.cols(sa.Date, "effective_on"), *c.cols(sa.Text, "note"),
        *_tracked("accountability_people"),
        _check("accountability_people", "category", "'organisational', 'discipline'"),
        *c.refs("accountability_people", ("case_id", "accountability_cases"),
                ("person_id", "people"), ("unit_id", "units")),
    )
    for column in ("case_id", "person_id", "unit_id", "effective_on"):
        c.index("accountability_people", column)
    c.partial_index("uq_accountability_people_case_person_live", "accountability_people",
                    ["case_id", "person_id"], "deleted_at IS NULL", unique=True)

    op.create_table(
        "record_revisions", c.serial_id(), *c.strings(16, "record_type"),
        *c.cols(sa.BigInteger, "record_id"),
        *c.stamps("at"), *c.ids("actor_id"), *c.strings(32, "action"), *c.cols(sa.Text, "changes"),
        *c.refs("record_revisions", ("actor_id", "people")), c.primary("record_revisions"),
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
            c.drop_index(table, column)
        op.drop_table(table)
