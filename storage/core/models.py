"""SQLAlchemy ORM models. Portable SQL only: every table works on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from storage.crypto import EncryptedJSON, EncryptedText

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware datetimes on both engines (SQLite drops the offset otherwise)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        from datetime import UTC

        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC) if value is not None else None


# Telegram ids exceed 32 bits; SQLite needs plain INTEGER for autoincrement primary keys.
BigId = BigInteger().with_variant(Integer, "sqlite")


def partial_index(name: str, columns: list[str], where: str, unique: bool = False) -> Index:
    """An index over the rows ``where`` holds for (a partial index on both databases)."""
    return Index(
        name, *columns, unique=unique, sqlite_where=text(where), postgresql_where=text(where)
    )


class Base(DeclarativeBase):
    """Declarative base with a naming convention so migrations get stable constraint names."""

    metadata = MetaData(naming_convention=NAMING)


class UnitRow(Base):
    """A unit of the organisation tree; ``path`` is the chain of ids, e.g. ``/1/4/9/``."""

    __tablename__ = "units"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(16))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    path: Mapped[str] = mapped_column(String(512), default="")

    __table_args__ = (Index("ix_units_path", "path"),)


class PersonRow(Base):
    """An official; ``telegram_user_id`` is set on registration."""

    __tablename__ = "people"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    post: Mapped[str] = mapped_column(String(200), default="")
    section_level: Mapped[bool] = mapped_column(Boolean, default=True)
    telegram_user_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    language: Mapped[str] = mapped_column(String(8), default="zh_CN")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    chat_blocked: Mapped[bool] = mapped_column(Boolean, default=False)
    # When the person was listed or registered, and when deactivated (None: unknown, as for
    # people stored before these were kept): who a past period's test was meant for.
    listed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class RoleGrantRow(Base):
    """A role held by a person over a unit's subtree."""

    __tablename__ = "role_grants"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))

    __table_args__ = (UniqueConstraint("person_id", "role", "unit_id", name="uq_role_grants_pru"),)


class InvitationRow(Base):
    """A single-use, expiring registration code."""

    __tablename__ = "invitations"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    role: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(100), default="")
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    used_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))


class AuditRow(Base):
    """Append-only audit entry (the app has no code path that updates or deletes these)."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    actor_id: Mapped[int | None] = mapped_column(BigInteger)
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    action: Mapped[str] = mapped_column(String(64))
    object_type: Mapped[str] = mapped_column(String(32), default="")
    object_id: Mapped[str] = mapped_column(String(64), default="")
    unit_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class ConversationRow(Base):
    """The multi-step form a person has open in a chat."""

    __tablename__ = "conversations"
    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    form: Mapped[str] = mapped_column(String(32))
    step: Mapped[str] = mapped_column(String(32))
    # Drafts of sensitive records live here until confirmed: encrypted like the records.
    data: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON(), default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class QuestionRow(Base):
    """A question put to the rule base, the decision taken, and feedback."""

    __tablename__ = "questions"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    person_id: Mapped[int | None] = mapped_column(BigInteger)
    # People type names and cases into questions: encrypted like the records they describe,
    # and removed after the retention period (only counts stay, in QuestionCountRow).
    query: Mapped[str] = mapped_column(EncryptedText())
    status: Mapped[str] = mapped_column(String(16))
    entry_id: Mapped[str | None] = mapped_column(String(100))
    score: Mapped[float] = mapped_column(default=0.0)
    helpful: Mapped[bool | None] = mapped_column(Boolean)
    escalated: Mapped[bool] = mapped_column(Boolean, default=False)


class QuestionCountRow(Base):
    """What is kept of questions older than the retention period: counts per month (UTC),
    decision and entry, without the text."""

    __tablename__ = "question_counts"
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), primary_key=True)
    # "" when no entry was chosen (a declined question).
    entry_id: Mapped[str] = mapped_column(String(100), primary_key=True, default="")
    asked: Mapped[int] = mapped_column(default=0)
    unhelpful: Mapped[int] = mapped_column(default=0)
    escalated: Mapped[int] = mapped_column(default=0)


class ProcessedUpdateRow(Base):
    """Telegram update ids already handled, so a redelivered update is processed once."""

    __tablename__ = "processed_updates"
    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    bot_key: Mapped[str] = mapped_column(String(32), primary_key=True, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class ButtonTokenRow(Base):
    """A button payload too long for Telegram's callback_data, behind a short token.

    Honoured only for the Telegram user and chat it was issued to, until ``expires_at``;
    expired rows are purged by the reminder dispatcher and when the same user gets new ones.
    """

    __tablename__ = "button_tokens"
    token: Mapped[str] = mapped_column(String(32), primary_key=True)
    payload: Mapped[str] = mapped_column(Text)
    user_id: Mapped[int] = mapped_column(BigInteger)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)

    __table_args__ = (Index("ix_button_tokens_user_expires", "user_id", "expires_at"),)
