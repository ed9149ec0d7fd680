"""The append-only audit log in ``audit_log``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select

from handlers.core.domain import AuditEntry
from storage.core.models import AuditRow, UnitRow
from storage.core.sql import SqlRepository, in_subtrees


class SqlAuditLog(SqlRepository):
    """Append-only audit log."""

    async def append(self, entry: AuditEntry) -> None:
        """Insert one entry."""
        assert entry.at is not None
        self.s.add(
            AuditRow(
                at=entry.at,
                actor_id=entry.actor_id,
                chat_id=entry.chat_id,
                action=entry.action,
                object_type=entry.object_type,
                object_id=entry.object_id,
                unit_id=entry.unit_id,
                details=entry.details,
            )
        )
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
            AuditEntry(
                id=r.id,
                at=r.at,
                actor_id=r.actor_id,
                chat_id=r.chat_id,
                action=r.action,
                object_type=r.object_type,
                object_id=r.object_id,
                unit_id=r.unit_id,
                details=dict(r.details or {}),
            )
            for r in await self.s.scalars(stmt)
        ]
