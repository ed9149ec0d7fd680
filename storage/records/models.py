"""SQLAlchemy models for discipline records (see handlers/records*).

Shaped for aggregation in plain SQL: one row per case, one row per person-in-case with the
handling category, kind, effective date and unit, so "cases and people by category for a
unit subtree and period" is a join on ``units.path`` and a GROUP BY.
Rows are never deleted: ``deleted_at``/``deleted_by``/``delete_reason`` form a tombstone,
and ``version`` guards against overwriting a newer change.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from handlers.records.domain import TALKS, handling_track
from storage.core.models import Base, BigId, UTCDateTime, partial_index
from storage.crypto import EncryptedJSON, EncryptedText
from storage.records.declared import Tracked, declared_row

#: Warning talks: the table derived from their storage declaration (handlers.records.domain.TALKS).
WarningTalkRow = declared_row(TALKS)


class RectificationNoticeRow(Tracked, Base):
    """A time-limited rectification notice (限期整改通知书)."""

    __tablename__ = "rectification_notices"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    recipient_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    issued_on: Mapped[date] = mapped_column(Date)
    deadline: Mapped[date] = mapped_column(Date, index=True)
    problems: Mapped[str] = mapped_column(EncryptedText())
    status: Mapped[str] = mapped_column(String(16), index=True)
    closed_on: Mapped[date | None] = mapped_column(Date)

    __table_args__ = (CheckConstraint("status IN ('open', 'submitted', 'closed')", name="status"),)


class RectificationReportRow(Base):
    """A rectification report submitted on a notice, with the inspector's decision."""

    __tablename__ = "rectification_reports"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("rectification_notices.id"), index=True)
    submitted_by: Mapped[int] = mapped_column(ForeignKey("people.id"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    text: Mapped[str] = mapped_column(EncryptedText())
    decision: Mapped[str | None] = mapped_column(String(16))
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision_note: Mapped[str | None] = mapped_column(EncryptedText())


class AssessmentRow(Tracked, Base):
    """An assessment result of a unit (``person_id`` NULL) or a person for one year."""

    __tablename__ = "assessments"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    result: Mapped[str] = mapped_column(String(16))
    methods: Mapped[list[str]] = mapped_column(JSON, default=list)
    commendation: Mapped[str | None] = mapped_column(String(32))
    notes: Mapped[str] = mapped_column(EncryptedText(), default="")
    assessed_on: Mapped[date] = mapped_column(Date)
    # Rated 优秀/先进 although an effect period barred it, on a knowing confirmation
    # (counted in the summaries).
    rated_despite_bar: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    __table_args__ = (
        CheckConstraint("result IN ('excellent', 'passed', 'failed')", name="result"),
        # One live result per unit (or per person) and year, even with two instances racing.
        partial_index(
            "uq_assessments_unit_year_live",
            ["unit_id", "year"],
            where="person_id IS NULL AND deleted_at IS NULL",
            unique=True,
        ),
        partial_index(
            "uq_assessments_person_year_live",
            ["person_id", "year"],
            where="person_id IS NOT NULL AND deleted_at IS NULL",
            unique=True,
        ),
    )


class AccountabilityCaseRow(Tracked, Base):
    """One accountability case (责任追究); counted "by case"."""

    __tablename__ = "accountability_cases"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    title: Mapped[str] = mapped_column(EncryptedText())
    circumstance: Mapped[str] = mapped_column(String(32))
    facts: Mapped[str] = mapped_column(EncryptedText())
    opened_on: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    closed_on: Mapped[date | None] = mapped_column(Date)

    __table_args__ = (CheckConstraint("status IN ('open', 'closed')", name="status"),)


def _track_of_row(context: Any) -> str:
    """The ``track`` of a row being inserted, from its category and kind."""
    params = context.get_current_parameters()
    return handling_track(params["category"], params["kind"])


class CasePersonRow(Tracked, Base):
    """One person handled in a case; counted "by person" and split by ``category``."""

    __tablename__ = "accountability_people"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("accountability_cases.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    category: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(32))
    # handlers.records.domain.handling_track: one party sanction, one government sanction
    # and each kind of organisational handling per person and case. Derived from category
    # and kind when an insert does not give it.
    track: Mapped[str] = mapped_column(String(40), default=_track_of_row)
    effective_on: Mapped[date] = mapped_column(Date, index=True)
    note: Mapped[str] = mapped_column(EncryptedText(), default="")
    # Revoked on review (复核/申诉) from this day: the row stays as history, but the
    # handling bars nothing and counts in no figure; the track is free for a new decision.
    revoked_on: Mapped[date | None] = mapped_column(Date)
    revoke_reason: Mapped[str | None] = mapped_column(EncryptedText())

    __table_args__ = (
        CheckConstraint("category IN ('organisational', 'discipline')", name="category"),
        partial_index(
            "uq_accountability_people_case_person_track_live",
            ["case_id", "person_id", "track"],
            where="deleted_at IS NULL AND revoked_on IS NULL",
            unique=True,
        ),
    )


class RecordRevisionRow(Base):
    """Append-only history of changes to the records above (``changes``: field -> [old, new])."""

    __tablename__ = "record_revisions"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    record_type: Mapped[str] = mapped_column(String(16))
    record_id: Mapped[int] = mapped_column(BigInteger)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    action: Mapped[str] = mapped_column(String(32))
    changes: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON(), default=dict)

    __table_args__ = (Index("ix_record_revisions_record", "record_type", "record_id"),)


__all__ = [
    "AccountabilityCaseRow",
    "AssessmentRow",
    "Base",
    "CasePersonRow",
    "RecordRevisionRow",
    "RectificationNoticeRow",
    "RectificationReportRow",
    "WarningTalkRow",
]
