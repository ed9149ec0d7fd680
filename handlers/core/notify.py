"""Telling someone else something in their private chat and their language."""

from __future__ import annotations

from typing import Any

from handlers.core.context import Ctx
from handlers.core.domain import Person


def tell(ctx: Ctx, person: Person, message: str, **values: Any) -> None:
    """Send ``person`` the message id ``message`` (marked with N_()) translated into their
    language and formatted with ``values``; nothing when they cannot be reached (no Telegram
    account known yet, or they blocked the assistant)."""
    if person.telegram_user_id and not person.chat_blocked:
        text = ctx.t_for(person.language)._(message, **values)
        ctx.send_to(person.telegram_user_id, text)
