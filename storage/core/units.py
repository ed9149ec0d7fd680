"""Units: the organisation tree in ``units``, each with its materialised path."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, or_, select

from handlers.core.domain import Unit, UnitLevel
from storage.core.models import UnitRow
from storage.core.sql import SqlRepository, in_subtrees


def _unit(row: UnitRow) -> Unit:
    return Unit(row.id, row.code, row.name, UnitLevel(row.level), row.parent_id, row.path)


class SqlUnitRepository(SqlRepository):
    """Units stored in ``units``."""

    async def add(self, code: str, name: str, level: UnitLevel, parent_id: int | None) -> Unit:
        """Create a unit; its path is derived from the parent's."""
        parent_path = "/"
        if parent_id is not None:
            parent = await self.s.get(UnitRow, parent_id)
            if parent is None:
                raise ValueError(f"no parent unit {parent_id}")
            parent_path = parent.path
        row = UnitRow(code=code, name=name, level=level.value, parent_id=parent_id, path="")
        self.s.add(row)
        await self.s.flush()
        row.path = f"{parent_path}{row.id}/"
        await self.s.flush()
        return _unit(row)

    async def get(self, unit_id: int) -> Unit | None:
        """The unit with this id, or None."""
        return await self._one(UnitRow, unit_id, _unit)

    async def by_code(self, code: str) -> Unit | None:
        """The unit with this code (case-insensitive), or None."""
        row = await self.s.scalar(select(UnitRow).where(func.lower(UnitRow.code) == code.lower()))
        return _unit(row) if row else None

    async def find(self, text: str, within: Sequence[str]) -> list[Unit]:
        """Units matching code or part of the name, inside the given subtrees."""
        stmt = (
            select(UnitRow)
            .where(in_subtrees(UnitRow.path, within))
            .where(
                or_(
                    func.lower(UnitRow.code) == text.lower(),
                    UnitRow.name.contains(text, autoescape=True),
                )
            )
            .order_by(UnitRow.path)
            .limit(20)
        )
        return await self._all(stmt, _unit)

    async def children(self, unit_id: int) -> list[Unit]:
        """Direct children ordered by code."""
        stmt = select(UnitRow).where(UnitRow.parent_id == unit_id).order_by(UnitRow.code)
        return await self._all(stmt, _unit)

    async def within(self, paths: Sequence[str], limit: int) -> list[Unit]:
        """Every unit of the subtrees, in path order, at most ``limit``: one query."""
        stmt = select(UnitRow).where(in_subtrees(UnitRow.path, paths)).order_by(UnitRow.path)
        return await self._all(stmt.limit(limit), _unit)

    async def count(self) -> int:
        """Number of units."""
        return int(await self.s.scalar(select(func.count()).select_from(UnitRow)) or 0)
