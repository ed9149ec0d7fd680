"""SQLAlchemy models for pledges (see handlers/pledge*.py and handlers/pledges/domain.py).

Pledge items and check-in entries are small lists always read and written whole, so they are
JSON columns (portable on SQLite and PostgreSQL); everything that is filtered on is a column
with an index.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.core.models import Base, BigId, UTCDateTime


class PledgeRow(Base):
    """One cadre's integrity pledge for one year."""

    __tablename__ = "pledges"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    # The unique (person_id, year) constraint also serves lookups by person.
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    # The unit at the time of pledging (views use the person's current unit).
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    year: Mapped[int] = mapped_column(Integer, index=True)
    post_type: Mapped[str] = mapped_column(String(16))
    items: Mapped[list[str]] = mapped_column(JSON)
    publish_via: Mapped[str] = mapped_column(String(16))
    publish_date: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revision: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (UniqueConstraint("person_id", "year", name="uq_pledges_person_year"),)


class PledgeRevisionRow(Base):
    """The old content of a pledge corrected after it was made public."""

    __tablename__ = "pledge_revisions"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    pledge_id: Mapped[int] = mapped_column(ForeignKey("pledges.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    items: Mapped[list[str]] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(String(500))
    by_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        UniqueConstraint("pledge_id", "number", name="uq_pledge_revisions_pledge_number"),
    )


class CheckinRow(Base):
    """A fulfilment report for one pledge and one period."""

    __tablename__ = "pledge_checkins"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    # The unique (pledge_id, period) constraint also serves lookups by pledge.
    pledge_id: Mapped[int] = mapped_column(ForeignKey("pledges.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    period: Mapped[str] = mapped_column(String(16))
    entries: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Optimistic locking: a change based on an older version is refused (two devices).
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __table_args__ = (
        UniqueConstraint("pledge_id", "period", name="uq_pledge_checkins_pledge_period"),
    )


class CheckinPermitRow(Base):
    """Permission for one person to check in before a window opens."""

    __tablename__ = "checkin_permits"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    year: Mapped[int] = mapped_column(Integer)
    period: Mapped[str] = mapped_column(String(16))
    by_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        UniqueConstraint(
            "person_id", "year", "period", name="uq_checkin_permits_person_year_period"
        ),
    )


class AppraisalRow(Base):
    """Mass appraisal and organisational assessment of one pledge's fulfilment."""

    __tablename__ = "pledge_appraisals"
    pledge_id: Mapped[int] = mapped_column(ForeignKey("pledges.id"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    good: Mapped[float | None] = mapped_column()
    fair: Mapped[float | None] = mapped_column()
    poor: Mapped[float | None] = mapped_column()
    score: Mapped[float | None] = mapped_column()
    grade: Mapped[str] = mapped_column(String(16))
    by_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Optimistic locking: two reviewers entering at once do not overwrite each other.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
