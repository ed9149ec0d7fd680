"""SQLAlchemy model of the summary digest subscriptions (see handlers/digest/)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.core.models import Base, UTCDateTime


class DigestSubscriptionRow(Base):
    """A person's chosen digest frequency; no row means no digest."""

    __tablename__ = "digest_subscriptions"
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id"), primary_key=True, autoincrement=False
    )
    frequency: Mapped[str] = mapped_column(String(16))
    # When this frequency was chosen: planning sends no period that ended before it.
    since: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
