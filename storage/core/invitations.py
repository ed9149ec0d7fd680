"""Invitation codes in ``invitations``: single use, with an expiry."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select, update

from handlers.core.domain import Invitation, Role
from storage.core.models import InvitationRow, UnitRow
from storage.core.sql import SqlRepository, built, in_subtrees, rowcount

#: The columns an invitation keeps as they are (the role is stored as its value).
_SAME = "code unit_id name person_id expires_at"


def _invitation(row: InvitationRow) -> Invitation:
    return built(Invitation, row, f"{_SAME} used_at used_by", role=Role(row.role))


class SqlInvitationRepository(SqlRepository):
    """Invitation codes."""

    async def add(self, invitation: Invitation) -> None:
        """Store an invitation."""
        self.s.add(built(InvitationRow, invitation, _SAME, role=invitation.role.value))
        await self.s.flush()

    async def get_for_update(self, code: str) -> Invitation | None:
        """Fetch and (on PostgreSQL) row-lock the invitation."""
        row = await self.s.scalar(
            select(InvitationRow).where(InvitationRow.code == code).with_for_update()
        )
        return _invitation(row) if row else None

    async def open_in(self, unit_paths: Sequence[str], now: datetime) -> list[Invitation]:
        """Unused, unexpired invitations inside the subtrees, soonest expiry first."""
        stmt = (
            select(InvitationRow)
            .join(UnitRow, UnitRow.id == InvitationRow.unit_id)
            .where(
                in_subtrees(UnitRow.path, unit_paths),
                InvitationRow.used_at.is_(None),
                InvitationRow.expires_at > now,
            )
            .order_by(InvitationRow.expires_at, InvitationRow.code)
        )
        return [_invitation(r) for r in (await self.s.scalars(stmt)).all()]

    async def cancel(self, code: str) -> bool:
        """Delete the invitation if it was never used (a used one stays as the record of
        who registered with it)."""
        result = await self.s.execute(
            delete(InvitationRow).where(InvitationRow.code == code, InvitationRow.used_at.is_(None))
        )
        return rowcount(result) == 1

    async def mark_used(self, code: str, person_id: int, at: datetime) -> bool:
        """Consume the code atomically: only an unused code is updated."""
        result = await self.s.execute(
            update(InvitationRow)
            .where(InvitationRow.code == code, InvitationRow.used_at.is_(None))
            .values(used_at=at, used_by=person_id)
        )
        return rowcount(result) == 1
