"""Open forms: one row of form state per (chat, user) in ``conversations``."""

from __future__ import annotations

from sqlalchemy import bindparam, delete, select

from handlers.core.domain import FormState
from storage.core.models import ConversationRow
from storage.core.sql import SqlRepository

# Read on every request: built once (see storage/core/people.py).
_CONVERSATION = select(
    ConversationRow.__table__.c.form,
    ConversationRow.__table__.c.step,
    ConversationRow.__table__.c.data,
    ConversationRow.__table__.c.updated_at,
).where(
    ConversationRow.__table__.c.chat_id == bindparam("chat"),
    ConversationRow.__table__.c.user_id == bindparam("user"),
)


class SqlConversationStore(SqlRepository):
    """Form state rows."""

    async def load(self, chat_id: int, user_id: int) -> FormState | None:
        """The open form, or None."""
        row = (await self.s.execute(_CONVERSATION, {"chat": chat_id, "user": user_id})).first()
        if row is None:
            return None
        form, step, data, updated_at = row
        return FormState(form, step, dict(data or {}), updated_at)

    async def save(self, chat_id: int, user_id: int, state: FormState) -> None:
        """Upsert the form state."""
        row = await self.s.get(ConversationRow, (chat_id, user_id))
        if row is None:
            row = ConversationRow(chat_id=chat_id, user_id=user_id)
            self.s.add(row)
        row.form, row.step, row.data, row.updated_at = (
            state.form,
            state.step,
            dict(state.data),
            state.updated_at,
        )
        await self.s.flush()

    async def clear(self, chat_id: int, user_id: int) -> None:
        """Delete the form state."""
        await self.s.execute(
            delete(ConversationRow).where(
                ConversationRow.chat_id == chat_id, ConversationRow.user_id == user_id
            )
        )
