"""What every record repository shares: rows carry a version and a tombstone, are changed
only by a conditional UPDATE on the version they were read at, and are soft-deleted."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from enum import Enum
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Select, and_, select, update
from sqlalchemy.orm import InstrumentedAttribute

from handlers.records.domain import RecordQuery, Tombstone
from storage.core.models import UnitRow
from storage.core.sql import SqlRepository, flush_new, in_subtrees, rowcount, values_of

#: The domain record a repository returns.
R = TypeVar("R")
T = TypeVar("T")


def plain(value: Any) -> Any:
    """Domain values to column values: enums to their value, tuples to lists (JSON)."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    return value


def new_row(model: Any, record: Any, names: Sequence[str], **columns: Any) -> Any:
    """A new row of ``model`` for ``record``: its fields ``names`` in the columns of the same
    names (as column values, see :func:`plain`), ``columns`` besides, version 1, updated
    when created."""
    values = {n: plain(v) for n, v in values_of(record, names).items()}
    return model(**values, **columns, updated_at=record.created_at, version=1)


def record_of(cls: Callable[..., T], row: Any, names: Sequence[str], **fields: Any) -> T:
    """The domain record ``cls`` of ``row``: its id, version and tombstone, the columns
    ``names`` into the fields of the same names, and ``fields`` besides (converted ones)."""
    return cls(
        id=row.id,
        **values_of(row, names),
        **fields,
        version=row.version,
        deleted=tombstone_of(row),
    )


def tombstone_of(row: Any) -> Tombstone | None:
    """The row's deletion, or None while it is live."""
    if row.deleted_at is None:
        return None
    return Tombstone(row.deleted_at, row.deleted_by, row.delete_reason or "")


def year_range(column: InstrumentedAttribute[date], year: int) -> ColumnElement[bool]:
    """SQL: the date in ``column`` lies in ``year``."""
    # A range instead of EXTRACT(YEAR ...), which SQLite lacks; it can also use the index.
    return and_(column >= date(year, 1, 1), column <= date(year, 12, 31))


def dated_search(
    model: Any, query: RecordQuery, day: InstrumentedAttribute[date], person: Any = None
) -> Select[Any]:
    """Rows of ``model``, latest ``day`` first: in ``query``'s year, and of its person when
    the row names them in the column ``person``."""
    stmt = select(model).order_by(day.desc(), model.id.desc())
    if query.person_id is not None and person is not None:
        stmt = stmt.where(person == query.person_id)
    if query.year is not None:
        stmt = stmt.where(year_range(day, query.year))
    return stmt


def scoped(stmt: Select[Any], model: Any, query: RecordQuery) -> Select[Any]:
    """Apply the live-only, unit-subtree and paging filters common to every record list."""
    stmt = stmt.where(model.deleted_at.is_(None))
    if query.unit_paths is not None:
        stmt = stmt.join(UnitRow, UnitRow.id == model.unit_id).where(
            in_subtrees(UnitRow.path, query.unit_paths)
        )
    return stmt.limit(query.limit).offset(query.offset)


class VersionedRepository(SqlRepository, Generic[R]):
    """One record kind in its table (``model``): get, conditional update and soft delete
    of a record, and the helpers its own queries use. A subclass names the table and
    turns a row into its domain record (:meth:`_record`)."""

    model: Any  # the mapped row class (a class attribute, or per instance when derived)

    def _record(self, row: Any) -> R:
        raise NotImplementedError

    async def get(self, record_id: int) -> R | None:
        """The record, deleted or not."""
        row = await self.s.get(self.model, record_id)
        return self._record(row) if row else None

    async def update(
        self, record_id: int, expected_version: int, changes: dict[str, Any], at: datetime
    ) -> bool:
        """Conditional update: only a live record still at ``expected_version``."""
        return await self._change(self.model, record_id, expected_version, changes, at)

    async def delete(self, record_id: int, expected_version: int, tombstone: Tombstone) -> bool:
        """Soft delete (conditional, as :meth:`update`)."""
        return await self._delete(self.model, record_id, expected_version, tombstone)

    async def _records(self, stmt: Select[Any]) -> list[R]:
        """The records ``stmt`` selects, in its order."""
        return [self._record(r) for r in await self.s.scalars(stmt)]

    async def _live_of_person(self, person_id: int, first: Any, person: Any = None) -> list[R]:
        """The live records about a person (named in the column ``person``, by default
        ``person_id``), by the column ``first``, then in entry order."""
        m = self.model
        live = ((m.person_id if person is None else person) == person_id, m.deleted_at.is_(None))
        return await self._records(select(m).where(*live).order_by(first, m.id))

    async def _update(
        self, model: Any, record_id: int, expected_version: int, values: dict[str, Any]
    ) -> bool:
        result = await self.s.execute(
            update(model)
            .where(
                model.id == record_id,
                model.version == expected_version,
                model.deleted_at.is_(None),
            )
            .values(**values, version=expected_version + 1)
        )
        # The default synchronize_session ("auto") also updates a row this session already
        # loaded, so a later get() in the same request sees the new values.
        return rowcount(result) == 1

    async def _change(
        self,
        model: Any,
        record_id: int,
        expected_version: int,
        changes: dict[str, Any],
        at: datetime,
    ) -> bool:
        values = {k: plain(v) for k, v in changes.items()}
        return await self._update(model, record_id, expected_version, {**values, "updated_at": at})

    async def _delete(
        self, model: Any, record_id: int, expected_version: int, tombstone: Tombstone
    ) -> bool:
        values = {
            "deleted_at": tombstone.at,
            "deleted_by": tombstone.by,
            "delete_reason": tombstone.reason,
            "updated_at": tombstone.at,
        }
        return await self._update(model, record_id, expected_version, values)

    async def _add(self, row: Any) -> Any:
        """Insert ``row``; a unique index catching a duplicate another request wrote
        meanwhile raises :class:`handlers.core.errors.Conflict`."""
        self.s.add(row)
        await flush_new(self.s)
        return row
