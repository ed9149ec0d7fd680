"""``/digest``: a supervisor chooses a weekly or monthly summary digest, or none.

The digest itself is planned and sent by the reminders dispatcher (handlers/digest/plan.py,
handlers/digest/send.py); this module only stores the choice, per person.
"""

from __future__ import annotations

from handlers.core.context import Ctx, button
from handlers.core.errors import UserError
from handlers.core.i18n import N_
from handlers.core.private import private_commands
from handlers.core.router import Router
from handlers.core.types import Keyboard
from handlers.reminders.domain import DigestFrequency, DigestSubscription
from handlers.reminders.ports import digests_of
from handlers.summary import SUMMARY_ROLES

router = Router()
command = private_commands(router, SUMMARY_ROLES)

#: Button prefix: ``dig:w``, ``dig:m``, ``dig:off``.
PREFIX = "dig"
CODES: dict[str, DigestFrequency | None] = {
    "w": DigestFrequency.WEEKLY,
    "m": DigestFrequency.MONTHLY,
    "off": None,
}
#: What may follow /digest (lower-cased), in English and Chinese.
WORDS: dict[str, DigestFrequency | None] = {
    **dict.fromkeys(("weekly", "week", "w", "每周", "周报", "周"), DigestFrequency.WEEKLY),
    **dict.fromkeys(("monthly", "month", "m", "每月", "月报", "月"), DigestFrequency.MONTHLY),
    **dict.fromkeys(("off", "none", "stop", "关闭", "取消", "不要"), None),
}


def _status(ctx: Ctx, sub: DigestSubscription | None) -> str:
    if sub is None:
        return ctx._("You receive no summary digest.")
    if sub.frequency == DigestFrequency.WEEKLY:
        return ctx._(
            "Your summary digest: weekly. On the first working morning of each week you get "
            "the figures of your scope for the week just ended (Monday to Sunday)."
        )
    return ctx._(
        "Your summary digest: monthly. On the first working morning of each month you get "
        "the figures of your scope for the month just ended."
    )


def _keyboard(ctx: Ctx, sub: DigestSubscription | None) -> Keyboard:
    current = sub.frequency if sub else None
    choices = (
        (ctx._("Weekly"), "w", DigestFrequency.WEEKLY),
        (ctx._("Monthly"), "m", DigestFrequency.MONTHLY),
        (ctx._("Off"), "off", None),
    )
    return (
        tuple(
            button(("✓ " if value == current else "") + label, f"{PREFIX}:{code}")
            for label, code, value in choices
        ),
    )


async def _choose(ctx: Ctx, frequency: DigestFrequency | None, edit: bool) -> None:
    before = await digests_of(ctx.uow).get(ctx.me.id)
    sub = await digests_of(ctx.uow).choose(ctx.me.id, frequency, ctx.now)
    changed = (before.frequency if before else None) != frequency
    if changed:
        await ctx.audit("digest.changed", "person", ctx.me.id, None, frequency=frequency or "off")
    turned_off = changed and sub is None
    lines = [ctx._("The summary digest is turned off.") if turned_off else _status(ctx, sub)]
    if changed and sub is not None:
        lines.append(ctx._("The first one covers the period in progress, once it has ended."))
    ctx.reply("\n".join(lines), _keyboard(ctx, sub), edit=edit)


@command("digest", N_("Weekly or monthly summary digest: /digest weekly | monthly | off"), order=62)
async def digest_command(ctx: Ctx) -> None:
    """Show the person's digest choice with buttons, or set it from the argument."""
    arg = ctx.req.args.strip().lower()
    if not arg:
        sub = await digests_of(ctx.uow).get(ctx.me.id)
        ctx.reply(_status(ctx, sub), _keyboard(ctx, sub))
        return
    if arg not in WORDS:
        raise UserError(ctx._("Please write /digest weekly, /digest monthly or /digest off."))
    await _choose(ctx, WORDS[arg], edit=False)


@router.button(PREFIX, roles=SUMMARY_ROLES, private_only=True)
async def digest_button(ctx: Ctx, args: list[str]) -> None:
    """The Weekly / Monthly / Off buttons under /digest."""
    if len(args) != 1 or args[0] not in CODES:
        raise UserError(ctx._("That button is no longer valid."))
    await _choose(ctx, CODES[args[0]], edit=True)
