"""SQL helpers every repository shares: the session it works on, the subtree condition on
materialised unit paths, the dialect's ``INSERT … ON CONFLICT``, row counts of an UPDATE
or DELETE, flushing a new row under a unique key, and copying same-named fields between rows
and domain objects."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, false, or_
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from handlers.core.errors import Conflict

T = TypeVar("T")


class SqlRepository:
    """A repository on the unit of work's session. Repositories never commit."""

    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def _one(self, model: Any, key: Any, mapper: Callable[[Any], T]) -> T | None:
        """The domain object of ``model``'s row with the primary key ``key``, if any."""
        row = await self.s.get(model, key)
        return None if row is None else mapper(row)

    async def _all(self, stmt: Select[Any], mapper: Callable[[Any], T]) -> list[T]:
        """The domain objects of the rows ``stmt`` selects, in its order."""
        return [mapper(r) for r in await self.s.scalars(stmt)]

    async def _insert(self, row: T) -> T:
        """``row`` inserted (flushed, so its generated id is set)."""
        self.s.add(row)
        await self.s.flush()
        return row


def in_subtrees(
    column: ColumnElement[str] | InstrumentedAttribute[str], paths: Sequence[str]
) -> ColumnElement[bool]:
    """SQL condition: a materialised path lies under one of ``paths`` (prefix match)."""
    if not paths:
        return false()
    return or_(*[column.startswith(p, autoescape=True) for p in paths])


def dialect_name(session: AsyncSession) -> str:
    """``postgresql`` or ``sqlite``: the database the session is bound to."""
    return session.bind.dialect.name if session.bind is not None else "sqlite"


def dialect_insert(session: AsyncSession) -> Any:
    """The dialect's ``insert`` (the one with ``on_conflict_do_nothing``)."""
    return pg_insert if dialect_name(session) == "postgresql" else sqlite_insert


def rowcount(result: Any) -> int:
    """Rows an UPDATE or DELETE matched (0 when the driver does not say)."""
    return int(getattr(result, "rowcount", 0) or 0)


async def flush_new(session: AsyncSession) -> None:
    """Flush an insert; a unique key taken meanwhile (a concurrent writer) is a Conflict."""
    try:
        await session.flush()
    except IntegrityError as exc:
        raise Conflict(str(exc.orig)) from None


def values_of(obj: Any, names: Sequence[str]) -> dict[str, Any]:
    """``{name: obj.name}`` for each of ``names`` (a row's columns, a record's fields)."""
    return {n: getattr(obj, n) for n in names}


def built(cls: Callable[..., T], source: Any, names: str, **converted: Any) -> T:
    """``cls`` made of ``source``'s attributes ``names`` (space-separated) under the same
    names, and ``converted`` besides: a domain object of a row whose columns need no
    conversion but those, or a row of a domain object."""
    return cls(**values_of(source, names.split()), **converted)
