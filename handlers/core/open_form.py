"""A command run while a form is open leaves the form open: said after the command's reply,
or the next message (前天, meant for the form) is read as the form's answer without the
person knowing it is still waiting, or they think the form was lost."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from handlers.core.context import Ctx
from handlers.core.types import TextReply
from handlers.core.yes_no import YES_NO_FORM


async def run_noting_open_form(ctx: Ctx, handler: Callable[[Ctx], Awaitable[None]]) -> None:
    """Run a command's or button's ``handler``; when a form was open before it and still
    waits at the same step after it, say so (a command that starts, ends or moves a form
    says itself); when another form, or the same one started again, replaced it, say first
    that the one open was left unsaved."""
    before = await ctx.uow.conversations.load(ctx.req.chat_id, ctx.req.user_id)
    first = len(ctx.response.replies)
    await handler(ctx)
    if before is None or before.form == YES_NO_FORM:
        return
    after = await ctx.uow.conversations.load(ctx.req.chat_id, ctx.req.user_id)
    restarted = (
        after is not None
        and after.form == before.form
        and (after.step, after.data) != (before.step, before.data)
    )  # /talk typed again mid-talk: the same form from its start, the answers gone
    if after is not None and (after.form not in (before.form, YES_NO_FORM) or restarted):
        # Another form opened over it (/pledge 2027 during a check-in), or the same one
        # started again: the first is gone, which had happened without a word. Said before
        # the new form's question (after it, it read as about the new one).
        left = ctx._("The form you had open before was left unfinished; nothing of it was saved.")
        ctx.response.replies.insert(first, TextReply(text=left))
        return
    if after is not None and (after.form, after.step) == (before.form, before.step):
        ctx.reply(
            ctx._(
                "Your form is still open where you left it: your next message is taken as its answer. Type “cancel” to leave it."
            )
        )
