"""Tables and repositories derived from a record kind's storage declaration
(:class:`handlers.records.stored.Stored`): a kind declared that way needs no storage code.

:func:`declared_row` maps the declaration to a table with the columns every record table
shares (:class:`Tracked`); :class:`SqlDeclaredRepository` is the repository of any such
kind — add, get, conditional update and soft delete (versioned.py), its list with the
declared statuses, and a person's records.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Boolean, Date, ForeignKey, Integer, MetaData, String
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeEngine

from handlers.records.domain import RecordQuery
from handlers.records.stored import DECLARED, Column, Empty, Stored
from storage.core.models import NAMING, Base, BigId, UTCDateTime
from storage.crypto import EncryptedText
from storage.records.versioned import VersionedRepository, dated_search, new_row, record_of, scoped

R = TypeVar("R")


class Tracked:
    """Columns every record table shares: author, timestamps, version and tombstone."""

    created_by: Mapped[int] = mapped_column(ForeignKey("people.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, default=1)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    deleted_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    delete_reason: Mapped[str | None] = mapped_column(EncryptedText())


def _type(column: Column) -> TypeEngine[Any]:
    """The SQL type of a declared column that is not a reference."""
    match column.kind:
        case "date":
            return Date()
        case "stamp":
            return UTCDateTime()
        case "code":
            return String(column.length)
        case "text":
            return EncryptedText()
        case "bool":
            return Boolean()
        case _:
            return Integer()


def _mapped(column: Column) -> Any:
    """The mapped column of a declared one: references point at their table's id."""
    if column.kind == "ref":
        target = ForeignKey(f"{column.target}.id")
        return mapped_column(BigId, target, nullable=column.nullable, index=column.indexed)
    return mapped_column(_type(column), nullable=column.nullable, index=column.indexed)


_ROWS: dict[str, type[Any]] = {}


class _Unlisted(DeclarativeBase):
    """Tables of declarations not registered with ``stored`` (a test's own kind): kept on a
    metadata of their own, beside copies of the tables they point at, so the product's
    schema, its migrations and key rotation never see them."""

    metadata = MetaData(naming_convention=NAMING)


def _copy_with_targets(name: str) -> None:
    """Copy the product table ``name``, and the tables it points at, to the unlisted
    metadata (foreign keys are resolved within one metadata)."""
    if name in _Unlisted.metadata.tables:
        return
    table = Base.metadata.tables[name]
    table.to_metadata(_Unlisted.metadata)
    for key in table.foreign_keys:
        _copy_with_targets(key.target_fullname.split(".")[0])


def _base_of(declaration: Stored[Any]) -> type[DeclarativeBase]:
    if DECLARED.get(declaration.table) is declaration:
        return Base
    for target in {"people", *declaration.refs.values()}:
        _copy_with_targets(target)
    return _Unlisted


def declared_row(declaration: Stored[Any]) -> type[Any]:
    """The mapped row class of a declared kind's table (made once): on ``Base.metadata``
    when the kind is registered with ``stored``, else apart (see :class:`_Unlisted`)."""
    row = _ROWS.get(declaration.table)
    if row is None:
        attributes: dict[str, Any] = {
            "__tablename__": declaration.table,
            "__doc__": f"A row of {declaration.table} (declared by {declaration.record.__name__}).",
            "id": mapped_column(BigId, primary_key=True, autoincrement=True),
        }
        attributes |= {c.name: _mapped(c) for c in declaration.columns()}
        name = "".join(part.title() for part in declaration.table.split("_")) + "Row"
        row = _ROWS[declaration.table] = type(name, (Tracked, _base_of(declaration)), attributes)
    return row


def declare_all() -> None:
    """Make the tables of every kind declared so far (storage/schema.py, for migrations)."""
    for declaration in DECLARED.values():
        declared_row(declaration)


class SqlDeclaredRepository(VersionedRepository[R]):
    """The records of one declared kind, in its derived table."""

    def __init__(self, session: AsyncSession, declaration: Stored[R]) -> None:
        super().__init__(session)
        self.declaration = declaration
        self.model = declared_row(declaration)
        self._names = declaration.field_names()

    def _record(self, row: Any) -> R:
        return record_of(self.declaration.record, row, self._names)

    async def add(self, record: R) -> R:
        """Insert a record."""
        return self._record(await self._add(new_row(self.model, record, self._names)))

    async def search(self, query: RecordQuery) -> list[R]:
        """Live records, latest day first, in the query's year, status and units."""
        m, d = self.model, self.declaration
        person = getattr(m, d.person) if d.person else None
        stmt = dated_search(m, query, getattr(m, d.day), person)
        rule = d.statuses.get(query.status or "")
        if rule is not None:
            column = getattr(m, rule.field)
            stmt = stmt.where(column.is_(None) if isinstance(rule, Empty) else column.is_not(None))
        return await self._records(scoped(stmt, m, query))

    async def for_person(self, person_id: int) -> list[R]:
        """Every live record about a person, earliest day first."""
        m, d = self.model, self.declaration
        return await self._live_of_person(person_id, getattr(m, d.day), getattr(m, d.person))


__all__ = ["SqlDeclaredRepository", "Tracked", "declare_all", "declared_row"]
