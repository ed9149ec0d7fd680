"""The last reply's buttons, pressed by typing their label.

On a phone people type what a button says (更正承诺, 每周, 返回名单) instead of tapping it; a
typed label cannot press an inline button on Telegram, so such words went to the rule base
("not covered"). After a request that leaves no form open, the labels of the last reply's
buttons are kept in the conversation store (as a pseudo-form no form handler owns, as
yes/no questions are); the next message typed that is exactly one of those labels is
handled as that button. Every request takes the labels away first, so only the message
right after the buttons can press them, and a form or a yes/no question always wins.

The payloads are the assistant's own, kept server-side: pressing one this way goes through
the same permission checks as a tap.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import timedelta

from handlers.core.context import Ctx
from handlers.core.typed_words import label_key
from handlers.core.types import Keyboard, Reply, TextReply
from handlers.core.yes_no import YES_NO_FORM

#: The conversation-store name of the labels kept (no real form has it).
KEYS_FORM = "_keys"
#: Labels older than this are not pressed by typing any more.
KEYS_TTL = timedelta(minutes=30)
#: What a two-button clash is kept as: typing it is answered "tap the one you mean".
SHARED = ""
#: A list number before a label (3. 高峰) and a note in brackets after it (高峰（岳村镇）,
#: 2026年年中（逾期）): people type the label without them.
_ORDINAL = re.compile(r"^\s*\d{1,2}[.、]\s*")
_NOTE = re.compile(r"\s*[（(][^（）()]*[）)]\s*$")
#: Labels of digits alone that are worth typing: a year (2025) and a record number (#4).
_YEAR_OR_NUMBER = re.compile(r"(?:19|20)\d\d|#\d+")


def label_keys(label: str) -> list[str]:
    """The keys a label may be typed as: whole, and without its list number or its note
    in brackets. A key of digits alone only for a year or a record number (a page number
    or a count is no command word)."""
    keys = []
    unnumbered = _ORDINAL.sub("", label)
    for variant in (label, unnumbered, _NOTE.sub("", unnumbered)):
        key = label_key(variant)
        if key and (not key.isdecimal() or _YEAR_OR_NUMBER.fullmatch(variant.strip())):
            keys.append(key)
    return list(dict.fromkeys(keys))


async def take_typed_button(ctx: Ctx) -> str | None:
    """Forget the labels kept after the last reply; return the payload of the one the
    message types, or None (a command, a button, any other text, or stale labels).

    A command or a button also moves on from a pending yes/no question (one read of the
    store for both): a later typed 好 must not answer it."""
    state = await ctx.uow.conversations.load(ctx.req.chat_id, ctx.req.user_id)
    req = ctx.req
    moving_on = req.command is not None or req.callback_data is not None
    if state is not None and state.form == YES_NO_FORM and moving_on:
        await ctx.clear_form()
    if state is None or state.form != KEYS_FORM:
        return None
    await ctx.clear_form()
    if moving_on or not req.text.strip():
        return None
    if ctx.now - state.updated_at > KEYS_TTL:
        return None
    keys = state.data.get("keys")
    payload = keys.get(label_key(req.text)) if isinstance(keys, dict) else None
    if payload == SHARED:
        ctx.reply(
            ctx._(
                "Several buttons say “{text}”: please tap the one you mean.", text=req.text.strip()
            )
        )
        return SHARED
    return payload if isinstance(payload, str) and payload else None


async def remember_buttons(ctx: Ctx, replies: Sequence[Reply] | None = None) -> None:
    """Keep the labels of the last buttons sent to this chat (of ``replies``, by default
    the request's), when no form is open: its own typed words come first. A label two
    buttons share is kept as :data:`SHARED`, to be told apart by tapping."""
    last: Keyboard = ()
    for reply in ctx.response.replies if replies is None else replies:
        if isinstance(reply, TextReply) and reply.chat_id is None and reply.buttons:
            last = reply.buttons
    await _keep(ctx, last)


async def _keep(ctx: Ctx, keyboard: Keyboard) -> None:
    """Store the keys of ``keyboard`` in a private chat with no form open."""
    if not ctx.req.is_private or ctx.person is None:
        return
    keys = keys_of(keyboard)
    if not keys:
        return
    if await ctx.uow.conversations.load(ctx.req.chat_id, ctx.req.user_id) is not None:
        return
    await ctx.save_form(KEYS_FORM, "keys", {"keys": keys})


def keys_of(keyboard: Keyboard) -> dict[str, str]:
    """Each key a label of ``keyboard`` may be typed as, with its button's payload, or
    :data:`SHARED` where two buttons that do different things share it."""
    keys: dict[str, str] = {}
    for b in (b for row in keyboard for b in row):
        for key in label_keys(b.text):
            keys[key] = b.data if keys.get(key, b.data) == b.data else SHARED
    return keys


async def after_failure(ctx: Ctx, buttons: Keyboard) -> None:
    """After a request was refused and rolled back: the labels it had taken away are back
    in the store, so take them away again (a stale label had changed a setting), and keep
    the refusal's own buttons instead (您是指岳村镇吗 [岳村镇])."""
    state = await ctx.uow.conversations.load(ctx.req.chat_id, ctx.req.user_id)
    if state is not None and state.form == KEYS_FORM:
        await ctx.clear_form()
    await _keep(ctx, buttons)
