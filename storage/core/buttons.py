"""Long button payloads behind short tokens (see handlers/core/button_tokens.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete

from handlers.core.domain import IssuedButton
from storage.core.models import ButtonTokenRow
from storage.core.sql import SqlRepository, built, rowcount

#: An issued button's fields, each in the column of the same name.
_COLUMNS = "token payload user_id chat_id created_at expires_at"


class SqlButtonTokens(SqlRepository):
    """Issued tokens; a token is looked up by its primary key."""

    async def add(self, issued: IssuedButton) -> None:
        """Store a newly issued token."""
        self.s.add(built(ButtonTokenRow, issued, _COLUMNS))
        await self.s.flush()

    async def get(self, token: str) -> IssuedButton | None:
        """The issued button with this token, or None."""
        row = await self.s.get(ButtonTokenRow, token)
        if row is None:
            return None
        return built(IssuedButton, row, _COLUMNS)

    async def purge_expired(self, now: datetime, user_id: int | None = None) -> int:
        """Delete tokens expired at ``now`` (only ``user_id``'s when given)."""
        stmt = delete(ButtonTokenRow).where(ButtonTokenRow.expires_at <= now)
        if user_id is not None:
            stmt = stmt.where(ButtonTokenRow.user_id == user_id)
        result = await self.s.execute(stmt)
        return rowcount(result)
