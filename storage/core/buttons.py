"""Long button payloads behind short tokens (see handlers/core/button_tokens.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete

from handlers.core.domain import IssuedButton
from storage.core.models import ButtonTokenRow
from storage.core.sql import SqlRepository, rowcount


class SqlButtonTokens(SqlRepository):
    """Issued tokens; a token is looked up by its primary key."""

    async def add(self, issued: IssuedButton) -> None:
        """Store a newly issued token."""
        self.s.add(
            ButtonTokenRow(
                token=issued.token,
                payload=issued.payload,
                user_id=issued.user_id,
                chat_id=issued.chat_id,
                created_at=issued.created_at,
                expires_at=issued.expires_at,
            )
        )
        await self.s.flush()

    async def get(self, token: str) -> IssuedButton | None:
        """The issued button with this token, or None."""
        row = await self.s.get(ButtonTokenRow, token)
        if row is None:
            return None
        return IssuedButton(
            row.token, row.payload, row.user_id, row.chat_id, row.created_at, row.expires_at
        )

    async def purge_expired(self, now: datetime, user_id: int | None = None) -> int:
        """Delete tokens expired at ``now`` (only ``user_id``'s when given)."""
        stmt = delete(ButtonTokenRow).where(ButtonTokenRow.expires_at <= now)
        if user_id is not None:
            stmt = stmt.where(ButtonTokenRow.user_id == user_id)
        result = await self.s.execute(stmt)
        return rowcount(result)
