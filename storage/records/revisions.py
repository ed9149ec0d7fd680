"""The append-only history of every record change in ``record_revisions``."""

from __future__ import annotations

from sqlalchemy import select

from handlers.records.domain import Revision
from storage.core.sql import SqlRepository
from storage.records.models import RecordRevisionRow


class SqlRevisionLog(SqlRepository):
    """Append-only ``record_revisions``."""

    async def add(self, revision: Revision) -> None:
        """Insert one revision."""
        self.s.add(
            RecordRevisionRow(
                record_type=str(revision.record_type),
                record_id=revision.record_id,
                at=revision.at,
                actor_id=revision.actor_id,
                action=revision.action,
                changes=dict(revision.changes),
            )
        )
        await self.s.flush()

    async def of(self, record_type: str, record_id: int) -> list[Revision]:
        """A record's revisions, oldest first."""
        stmt = (
            select(RecordRevisionRow)
            .where(
                RecordRevisionRow.record_type == str(record_type),
                RecordRevisionRow.record_id == record_id,
            )
            .order_by(RecordRevisionRow.id)
        )
        return [
            Revision(
                record_type=r.record_type,
                record_id=r.record_id,
                at=r.at,
                actor_id=r.actor_id,
                action=r.action,
                changes=dict(r.changes or {}),
                id=r.id,
            )
            for r in await self.s.scalars(stmt)
        ]
