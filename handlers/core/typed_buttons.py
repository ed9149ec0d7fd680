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

import unicodedata
from datetime import timedelta

from handlers.core.context import Ctx
from handlers.core.types import TextReply

#: The conversation-store name of the labels kept (no real form has it).
KEYS_FORM = "_keys"
#: Labels older than this are not pressed by typing any more.
KEYS_TTL = timedelta(minutes=30)


def label_key(text: str) -> str:
    """A label or a typed message as compared: letters and digits only, lowered
    (📈 图表 and 图表 match; so do ✓ 关闭 and 关闭, 更正承诺。 and 更正承诺)."""
    kept = (ch for ch in unicodedata.normalize("NFKC", text) if ch.isalnum())
    return "".join(kept).lower()


async def take_typed_button(ctx: Ctx) -> str | None:
    """Forget the labels kept after the last reply; return the payload of the one the
    message types, or None (a command, a button, any other text, or stale labels)."""
    state = await ctx.uow.conversations.load(ctx.req.chat_id, ctx.req.user_id)
    if state is None or state.form != KEYS_FORM:
        return None
    await ctx.clear_form()
    req = ctx.req
    if req.command is not None or req.callback_data is not None or not req.text.strip():
        return None
    if ctx.now - state.updated_at > KEYS_TTL:
        return None
    keys = state.data.get("keys")
    payload = keys.get(label_key(req.text)) if isinstance(keys, dict) else None
    return payload if isinstance(payload, str) and payload else None


async def remember_buttons(ctx: Ctx) -> None:
    """Keep the labels of the last buttons sent to this chat, when no form is open (its
    own typed words come first). Labels that two buttons share are left out: typing one
    could not say which was meant."""
    if not ctx.req.is_private or ctx.person is None:
        return
    last = None
    for reply in ctx.response.replies:
        if isinstance(reply, TextReply) and reply.chat_id is None and reply.buttons:
            last = reply
    if last is None:
        return
    keys: dict[str, str] = {}
    shared: set[str] = set()
    for row in last.buttons:
        for b in row:
            key = label_key(b.text)
            if not key or key.isdecimal():  # a page number or a count is no command word
                continue
            if key in keys and keys[key] != b.data:
                shared.add(key)
            keys[key] = b.data
    keys = {k: v for k, v in keys.items() if k not in shared}
    if not keys:
        return
    if await ctx.uow.conversations.load(ctx.req.chat_id, ctx.req.user_id) is not None:
        return
    await ctx.save_form(KEYS_FORM, "keys", {"keys": keys})
