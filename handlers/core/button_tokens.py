"""Button payloads longer than Telegram's 64-byte callback_data, kept server-side.

A core handler may put any payload (up to ``MAX_BUTTON_PAYLOAD`` bytes) in a button. Before
replies leave the core, :func:`shorten` swaps every payload that does not fit for
``~:<token>`` and stores the payload with the Telegram user and chat it was issued to and
an expiry. On a press, :func:`resolve` hands the payload back only to that user in that
chat before the expiry; a tampered, foreign, expired or unknown token resolves to None and
the assistant answers "this button has expired". Payloads that fit travel as they are.

Nothing here knows a framework: every front end (both Telegram libraries and the console)
sees the same short data and gets the same behaviour.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from handlers.core.domain import IssuedButton
from handlers.core.ports import UnitOfWork
from handlers.core.types import Button, Reply, TextReply

#: Button data of a stored payload: ``~:<token>`` (reserved: no handler may use it).
TOKEN_PREFIX = "~"
#: Random bytes per token (16 URL-safe characters: unguessable, and 19 bytes of data).
TOKEN_BYTES = 12
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16}")


def new_token() -> str:
    """A fresh random token."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def is_token_data(data: str) -> bool:
    """True when button data names a stored payload."""
    return data.startswith(TOKEN_PREFIX + ":")


def _owner(reply: TextReply, user_id: int, chat_id: int) -> tuple[int, int]:
    """(user, chat) a reply's buttons are issued to.

    A reply to the requester's chat belongs to the requester; a message sent to another
    person's private chat (positive chat id) belongs to that person.
    """
    if reply.chat_id is None or reply.chat_id == chat_id:
        return user_id, chat_id
    return (reply.chat_id if reply.chat_id > 0 else user_id), reply.chat_id


async def shorten(
    uow: UnitOfWork,
    replies: Sequence[Reply],
    user_id: int,
    chat_id: int,
    now: datetime,
    ttl: timedelta,
    make_token: Callable[[], str] = new_token,
) -> list[Reply]:
    """The replies with every over-long button payload stored and replaced by a token.

    Runs inside the request's unit of work, so tokens are committed with the request.
    Issuing also removes the owner's expired tokens (cleanup on write; the reminder
    dispatcher purges everyone's periodically).
    """
    out: list[Reply] = []
    purged: set[int] = set()
    for reply in replies:
        if not isinstance(reply, TextReply) or all(b.fits for row in reply.buttons for b in row):
            out.append(reply)
            continue
        owner, chat = _owner(reply, user_id, chat_id)
        if owner not in purged:
            await uow.buttons.purge_expired(now, owner)
            purged.add(owner)
        issued: dict[str, str] = {}  # the same payload twice in one keyboard gets one token
        rows = []
        for row in reply.buttons:
            new_row = []
            for b in row:
                if b.fits:
                    new_row.append(b)
                    continue
                token = issued.get(b.data)
                if token is None:
                    token = make_token()
                    await uow.buttons.add(IssuedButton(token, b.data, owner, chat, now, now + ttl))
                    issued[b.data] = token
                new_row.append(Button(b.text, f"{TOKEN_PREFIX}:{token}"))
            rows.append(tuple(new_row))
        out.append(replace(reply, buttons=tuple(rows)))
    return out


async def resolve(
    uow: UnitOfWork, data: str, user_id: int, chat_id: int, now: datetime
) -> str | None:
    """The payload behind ``~:<token>`` for this user and chat, or None when the token is
    malformed, unknown, issued to someone else or somewhere else, or expired."""
    token = data.partition(":")[2]
    if not _TOKEN.fullmatch(token):
        return None
    issued = await uow.buttons.get(token)
    if issued is None or issued.expires_at <= now:
        return None
    if issued.user_id != user_id or issued.chat_id != chat_id:
        return None
    return issued.payload
