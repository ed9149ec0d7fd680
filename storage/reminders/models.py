"""SQLAlchemy models for the calendar, reminders and the quiz (see handlers/reminders*)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.core.models import Base, BigId, UTCDateTime, partial_index


class CalendarDateRow(Base):
    """An event's actual date and place for one year, set by an administrator."""

    __tablename__ = "calendar_dates"
    event_code: Mapped[str] = mapped_column(String(40), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(200), default="")
    updated_by: Mapped[int | None] = mapped_column(BigInteger)


class ReminderOccurrenceRow(Base):
    """One thing to remind of at one moment; ``key`` makes planning idempotent."""

    __tablename__ = "reminder_occurrences"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    topic: Mapped[str] = mapped_column(String(40))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    escalate_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ReminderDeliveryRow(Base):
    """One occurrence for one recipient: the unit of durable, exactly-once sending."""

    __tablename__ = "reminder_deliveries"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    occurrence_id: Mapped[int] = mapped_column(ForeignKey("reminder_occurrences.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(16), default="pending")
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    sends: Mapped[int] = mapped_column(Integer, default=0)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ack_status: Mapped[str] = mapped_column(String(16), default="none")
    ack_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    error: Mapped[str] = mapped_column(String(200), default="")

    __table_args__ = (
        Index(
            "uq_reminder_deliveries_occurrence_person", "occurrence_id", "person_id", unique=True
        ),
        # The dispatcher's claim query: due rows by status.
        Index("ix_reminder_deliveries_status_due", "status", "due_at"),
    )


class QuizAttemptRow(Base):
    """A quiz attempt; answers are a JSON list (None for unanswered)."""

    __tablename__ = "quiz_attempts"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    practice: Mapped[bool] = mapped_column(Boolean, default=False)
    question_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    answers: Mapped[list[int | None]] = mapped_column(JSON, default=list)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    score: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        # The dispatcher's pass for abandoned timed tests: only open ones, by deadline.
        partial_index(
            "ix_quiz_attempts_open_deadline",
            ["deadline_at"],
            where="finished_at IS NULL AND deadline_at IS NOT NULL",
        ),
    )


class QuizAllowanceRow(Base):
    """Extra scored attempts an administrator allowed a person in a year."""

    __tablename__ = "quiz_allowances"
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    extra: Mapped[int] = mapped_column(Integer, default=0)
    updated_by: Mapped[int | None] = mapped_column(BigInteger)


class QuizPollRow(Base):
    """Which Telegram poll carries which quiz question token."""

    __tablename__ = "quiz_polls"
    poll_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    token: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
