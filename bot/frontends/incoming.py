"""Framework-neutral translation of Telegram updates into core requests.

aiogram and python-telegram-bot both model the Bot API objects with its own field names
(``from_user``, ``chat.type``, ``photo``, ``document.file_id`` …), so one translation serves
both front ends; the objects are typed ``Any`` because the two libraries share no base class.
"""

from __future__ import annotations

from typing import Any

from handlers.core.types import Attachment, AttachmentKind, ChatType, PollAnswer, Request


def _chat_type(chat: Any) -> ChatType:
    # Both libraries' chat types compare equal to the Bot API string.
    return ChatType.PRIVATE if chat is None or chat.type == "private" else ChatType.GROUP


def message_request(message: Any, update_id: int | None) -> Request | None:
    """A core request for a message (None when it has no sender, as in channel posts)."""
    user = message.from_user
    if user is None:
        return None
    attachment = None
    if message.photo:
        attachment = Attachment(AttachmentKind.PHOTO, message.photo[-1].file_id)
    elif message.document is not None:
        attachment = Attachment(
            AttachmentKind.DOCUMENT, message.document.file_id, message.document.file_name or ""
        )
    return Request(
        user_id=user.id,
        chat_id=message.chat.id,
        chat_type=_chat_type(message.chat),
        text=message.text or message.caption or "",
        user_language=user.language_code,
        display_name=user.full_name,
        attachment=attachment,
        message_id=message.message_id,
        update_id=update_id,
    )


def callback_request(query: Any, update_id: int | None) -> Request:
    """A core request for a button press."""
    msg = query.message
    chat = msg.chat if msg is not None else None
    return Request(
        user_id=query.from_user.id,
        chat_id=chat.id if chat else query.from_user.id,
        chat_type=_chat_type(chat),
        callback_data=query.data or "",
        user_language=query.from_user.language_code,
        display_name=query.from_user.full_name,
        message_id=msg.message_id if msg is not None else None,
        update_id=update_id,
    )


def poll_request(answer: Any, update_id: int | None) -> Request | None:
    """A core request for a quiz answer (None when it has no user, as for anonymous polls)."""
    if answer.user is None:
        return None
    return Request(
        user_id=answer.user.id,
        chat_id=answer.user.id,
        poll_answer=PollAnswer(answer.poll_id, tuple(answer.option_ids)),
        user_language=answer.user.language_code,
        update_id=update_id,
    )
