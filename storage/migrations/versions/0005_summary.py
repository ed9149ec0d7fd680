"""indexes for supervisor summaries."""

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"

#: (index name, table, columns) — the same as storage/summary/models.py declares (covering
#: indexes: each holds every column its summary query reads).
INDEXES = (
    ("ix_summary_talks", "warning_talks", ["unit_id", "talk_date", "deleted_at"]),
    (
        "ix_summary_notices",
        "rectification_notices",
        ["unit_id", "issued_on", "deleted_at", "status", "deadline", "closed_on"],
    ),
    ("ix_summary_cases", "accountability_cases", ["unit_id", "id", "opened_on", "deleted_at"]),
    (
        "ix_summary_case_people",
        "accountability_people",
        ["case_id", "deleted_at", "category", "kind"],
    ),
    (
        "ix_summary_assessments",
        "assessments",
        ["unit_id", "year", "deleted_at", "person_id", "result", "commendation"],
    ),
    ("ix_summary_pledges", "pledges", ["unit_id", "year", "id"]),
    ("ix_summary_checkins", "pledge_checkins", ["pledge_id", "period", "late"]),
    ("ix_summary_appraisals", "pledge_appraisals", ["pledge_id", "grade"]),
    ("ix_summary_people", "people", ["unit_id", "id", "active", "section_level"]),
    ("ix_summary_deliveries", "reminder_deliveries", ["person_id", "sent_at", "ack_status"]),
    ("ix_summary_quiz", "quiz_attempts", ["person_id", "practice", "finished_at", "score"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(op.f(name), table, columns, unique=False)


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        op.drop_index(op.f(name), table_name=table)
