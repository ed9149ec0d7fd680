"""Indexes the supervisor summaries need on other features' tables (no tables of its own).

The summaries group record tables by unit and date (see storage/repo_summary.py); these
composite indexes let both engines find a subtree's rows for a period from the index alone.
They are declared here, attached to the owning features' tables, and created by migration
0005, so models and migrations stay equal.
"""

from __future__ import annotations

from sqlalchemy import Index, Table

from storage.models import Base, PersonRow
from storage.models_pledges import AppraisalRow, CheckinRow, PledgeRow
from storage.models_records import (
    AccountabilityCaseRow,
    AssessmentRow,
    CasePersonRow,
    RectificationNoticeRow,
    WarningTalkRow,
)
from storage.models_reminders import QuizAttemptRow, ReminderDeliveryRow

# Each summary query reads a subtree's rows of one table by unit id and date; these indexes
# hold every column the query needs, so both engines answer from the index alone (no visits to
# the wide record rows, which dominated the cost on a province-sized database).
SUMMARY_INDEXES = (
    Index(
        "ix_summary_talks",
        WarningTalkRow.unit_id,
        WarningTalkRow.talk_date,
        WarningTalkRow.deleted_at,
    ),
    Index(
        "ix_summary_notices",
        RectificationNoticeRow.unit_id,
        RectificationNoticeRow.issued_on,
        RectificationNoticeRow.deleted_at,
        RectificationNoticeRow.status,
        RectificationNoticeRow.deadline,
        RectificationNoticeRow.closed_on,
    ),
    Index(
        "ix_summary_cases",
        AccountabilityCaseRow.unit_id,
        AccountabilityCaseRow.id,
        AccountabilityCaseRow.opened_on,
        AccountabilityCaseRow.deleted_at,
    ),
    Index(
        "ix_summary_case_people",
        CasePersonRow.case_id,
        CasePersonRow.deleted_at,
        CasePersonRow.category,
        CasePersonRow.kind,
    ),
    Index(
        "ix_summary_assessments",
        AssessmentRow.unit_id,
        AssessmentRow.year,
        AssessmentRow.deleted_at,
        AssessmentRow.person_id,
        AssessmentRow.result,
        AssessmentRow.commendation,
    ),
    Index("ix_summary_pledges", PledgeRow.unit_id, PledgeRow.year, PledgeRow.id),
    Index("ix_summary_checkins", CheckinRow.pledge_id, CheckinRow.period, CheckinRow.late),
    Index("ix_summary_appraisals", AppraisalRow.pledge_id, AppraisalRow.grade),
    Index(
        "ix_summary_people",
        PersonRow.unit_id,
        PersonRow.id,
        PersonRow.active,
        PersonRow.section_level,
    ),
    # occurrence_id (added by migration 0007) tells acknowledgeable reminders from digests
    # and escalations without visiting the table rows.
    Index(
        "ix_summary_deliveries",
        ReminderDeliveryRow.person_id,
        ReminderDeliveryRow.sent_at,
        ReminderDeliveryRow.ack_status,
        ReminderDeliveryRow.occurrence_id,
    ),
    Index(
        "ix_summary_quiz",
        QuizAttemptRow.person_id,
        QuizAttemptRow.practice,
        QuizAttemptRow.finished_at,
        QuizAttemptRow.score,
    ),
)


def reminder_tables() -> tuple[Table, Table, Table] | None:
    """The reminder deliveries, reminder occurrences and quiz attempts tables, or None when
    that feature's schema is absent (the summary then says "no data" for those lines)."""
    import storage.schema  # noqa: F401  (registers every feature's tables)

    tables = Base.metadata.tables
    d, o = tables.get("reminder_deliveries"), tables.get("reminder_occurrences")
    q = tables.get("quiz_attempts")
    return (d, o, q) if d is not None and o is not None and q is not None else None
