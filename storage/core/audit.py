"""The append-only audit log in ``audit_log``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select

from handlers.core.domain import AuditEntry
from storage.core.models import AuditRow, UnitRow
from storage.core.sql import SqlRepository, built, in_subtrees

#: The columns an entry keeps as they are (besides its id and details).
_COLUMNS = "at actor_id chat_id action object_type object_id unit_id"


class SqlAuditLog(SqlRepository):
    """Append-only audit log."""

    async def append(self, entry: AuditEntry) -> None:
        """Insert one entry."""
        assert entry.at is not None
        self.s.add(built(AuditRow, entry, f"{_COLUMNS} details"))
        await self.s.flush()

    async def since(
        self, at: datetime, unit_paths: Sequence[str] | None = None
    ) -> list[AuditEntry]:
        """Entries from ``at`` on, oldest first."""
        stmt = select(AuditRow).where(AuditRow.at >= at).order_by(AuditRow.id)
        if unit_paths is not None:
            stmt = stmt.join(UnitRow, UnitRow.id == AuditRow.unit_id).where(
                in_subtrees(UnitRow.path, unit_paths)
            )
        return [
            built(AuditEntry, r, f"id {_COLUMNS}", details=dict(r.details or {}))
            for r in await self.s.scalars(stmt)
        ]
