"""Tables and indexes of the supervisor summaries.

The summaries group record tables by unit and date (see storage/summary/repository.py); the
composite indexes below let both engines find a subtree's rows for a period from the index
alone. They are declared here, attached to the owning features' tables, and created by
migration 0005, so models and migrations stay equal.

The two snapshot tables (migration 0006) keep the figures of wide scopes pre-aggregated
(see storage/summary/snapshot.py): a whole province is read from a few hundred rows
instead of being aggregated from a million records per request.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, Index, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column

from storage.core.models import Base, PersonRow, UnitRow, UTCDateTime
from storage.pledges.models import AppraisalRow, CheckinRow, PledgeRow
from storage.records.models import (
    AccountabilityCaseRow,
    AssessmentRow,
    CasePersonRow,
    RectificationNoticeRow,
    WarningTalkRow,
)
from storage.reminders.models import QuizAttemptRow, ReminderDeliveryRow

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


class SummarySnapshotRow(Base):
    """The state of the pre-aggregated summary figures (a single row, ``id`` 1).

    ``generation`` names the current set of :class:`SummarySnapshotCellRow` rows; the local
    ``day`` and ``timezone`` are those the figures were computed for; ``first_year`` to
    ``last_year`` are the years kept. ``lease_until`` lets one instance at a time refresh.
    """

    __tablename__ = "summary_snapshot"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    generation: Mapped[int] = mapped_column(Integer, default=0)
    taken_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    day: Mapped[date | None] = mapped_column(Date)
    timezone: Mapped[str] = mapped_column(String(64), default="")
    first_year: Mapped[int] = mapped_column(Integer, default=0)
    last_year: Mapped[int] = mapped_column(Integer, default=-1)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime())


class SummarySnapshotCellRow(Base):
    """One row of a summary as the live statement returns it, kept for a scope and period.

    ``scope_id`` is the summarised unit, ``period`` the period code (``2026``, ``2026Q2``,
    ``2026-05``; ``*`` for the row that marks the scope as kept), ``bucket`` the direct
    sub-unit's path (or the category, for the kinds table), then the section, its keys and
    its values exactly as in storage/summary/sql/. The primary key starts with what a
    summary looks up, so a read is one index range.
    """

    __tablename__ = "summary_snapshot_rows"
    generation: Mapped[int] = mapped_column(Integer, primary_key=True)
    scope_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    period: Mapped[str] = mapped_column(String(8), primary_key=True)
    bucket: Mapped[str] = mapped_column(String(512), primary_key=True)
    sec: Mapped[int] = mapped_column(Integer, primary_key=True)
    k_year: Mapped[int] = mapped_column(Integer, primary_key=True)
    k_period: Mapped[str] = mapped_column(String(32), primary_key=True)
    v0: Mapped[int] = mapped_column(BigInteger, default=0)
    v1: Mapped[int] = mapped_column(BigInteger, default=0)
    v2: Mapped[int] = mapped_column(BigInteger, default=0)
    v3: Mapped[int] = mapped_column(BigInteger, default=0)
    v4: Mapped[int] = mapped_column(BigInteger, default=0)
    v5: Mapped[int] = mapped_column(BigInteger, default=0)


#: Subtree filters (``path LIKE '/1/4/%'``) use a btree index on PostgreSQL only if it
#: compares byte-wise, which the database's collation may not: this one does, whatever the
#: collation, and turns a scan of every unit into a range (migration 0006). SQLite ignores the
#: operator class, so there it is a second plain index on the path (ten thousand short rows).
UNIT_PATH_PREFIX_INDEX = Index(
    "ix_summary_units_path",
    UnitRow.path,
    postgresql_ops={"path": "varchar_pattern_ops"},
)


def reminder_tables() -> tuple[Table, Table, Table] | None:
    """The reminder deliveries, reminder occurrences and quiz attempts tables, or None when
    that feature's schema is absent (the summary then says "no data" for those lines)."""
    import storage.schema  # noqa: F401  (registers every feature's tables)

    tables = Base.metadata.tables
    d, o = tables.get("reminder_deliveries"), tables.get("reminder_occurrences")
    q = tables.get("quiz_attempts")
    return (d, o, q) if d is not None and o is not None and q is not None else None
