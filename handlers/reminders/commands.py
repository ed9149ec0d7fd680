"""/reminders and the acknowledgement buttons on every reminder (收到 / 已完成 / 明天提醒我).

Sub-modules: ``reminders_plan`` (planning rows), ``reminders_send`` (what the dispatcher
sends, repeats, escalation), ``reminders_text`` (wording), ``reminders_time`` (quiet hours).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from handlers.core.context import Ctx
from handlers.core.domain import Role
from handlers.core.errors import NotFound
from handlers.core.i18n import N_
from handlers.core.router import Router
from handlers.reminders.domain import (
    ACKNOWLEDGEABLE_KINDS,
    AckStatus,
    DeliveryView,
    Occurrence,
    OccurrenceKind,
)
from handlers.reminders.text import (
    ACK_CODES,
    ACK_PREFIX,
    ack_label,
    reminder_text,
    status_label,
    topic_title,
)
from handlers.reminders.timing import local_at, schedule

router = Router()

#: How far back /reminders looks.
LOOKBACK = timedelta(days=30)
#: Roles that see their units' acknowledgement status.
OVERSEER_ROLES = (Role.UNIT_HEAD, Role.SUPERVISOR)


def _not_found(ctx: Ctx) -> NotFound:
    return NotFound(ctx._("That reminder was not found."))


@router.command(
    "reminders", N_("Your reminders; unit principals also see who acknowledged"), private_only=True
)
async def reminders_command(ctx: Ctx) -> None:
    """List my recent and upcoming reminders; overseers get their units' status too."""
    tz = ctx.services.config.timezone
    mine = await ctx.uow.reminders.for_person(ctx.me.id, ctx.now - LOOKBACK)
    lines = [ctx._("Your reminders (last 30 days and upcoming):")]
    if not mine:
        lines.append(ctx._("None."))
    for v in mine[-30:]:
        lines.append(
            f"· {topic_title(ctx.t, v.occurrence)} — {status_label(ctx.t, v.status, v.due_at, tz)}"
            + (f"，{ack_label(ctx.t, v.ack)}" if v.sends > 0 and asks_ack(v) else "")
        )
    if ctx.me.has_role(*OVERSEER_ROLES) and ctx.req.is_private:
        paths = ctx.me.scope_paths(*OVERSEER_ROLES)
        views = await ctx.uow.reminders.in_units(paths, ctx.now - LOOKBACK)
        lines.append("")
        lines.extend(_unit_status(ctx, views))
        await ctx.audit("reminders.unit_status_viewed", "reminders", "", None, rows=len(views))
    ctx.reply("\n".join(lines))


def asks_ack(v: DeliveryView) -> bool:
    """True for reminders with acknowledgement buttons (not escalations or digests)."""
    return v.occurrence.kind in ACKNOWLEDGEABLE_KINDS


def _unit_status(ctx: Ctx, views: list[DeliveryView]) -> list[str]:
    """Per occurrence: acknowledged / sent, and who has not acknowledged."""
    lines = [ctx._("Acknowledgements in your units (last 30 days):")]
    by_occ: dict[int, list[DeliveryView]] = defaultdict(list)
    for v in views:
        if asks_ack(v):
            by_occ[v.occurrence.id].append(v)
    if not by_occ:
        lines.append(ctx._("No reminders were sent."))
    for group in by_occ.values():
        acked = [v for v in group if v.ack != AckStatus.NONE]
        missing = [v.person_name for v in group if v.ack == AckStatus.NONE]
        line = ctx._(
            "· {title}: {acked}/{total} acknowledged",
            title=topic_title(ctx.t, group[0].occurrence),
            acked=len(acked),
            total=len(group),
        )
        if missing:
            shown = "、".join(missing[:15]) + ("…" if len(missing) > 15 else "")
            line += "\n  " + ctx._("Not yet: {names}", names=shown)
        lines.append(line)
    return lines


async def _place(ctx: Ctx, occ: Occurrence) -> str:
    """Where an event takes place, so the edited reminder keeps what the original said."""
    if occ.kind != OccurrenceKind.EVENT:
        return ""
    dates = await ctx.uow.reminders.dates(int(occ.params.get("year", 0)))
    date = dates.get(occ.topic)
    return date.place if date else ""


@router.button(ACK_PREFIX)
async def ack_button(ctx: Ctx, args: list[str]) -> None:
    """收到 / 已完成 / 明天提醒我 on a reminder; only its recipient may answer it."""
    if len(args) != 2 or args[0] not in ACK_CODES or not args[1].isdecimal():
        raise _not_found(ctx)
    view = await ctx.uow.reminders.delivery(int(args[1]))
    if view is None or view.person_id != ctx.me.id:
        raise _not_found(ctx)
    ack = ACK_CODES[args[0]]
    cfg, tz = ctx.services.config.reminders, ctx.services.config.timezone
    snooze = None
    if ack == AckStatus.SNOOZED:
        tomorrow = ctx.local_now.date() + timedelta(days=1)
        snooze = schedule(local_at(tomorrow, cfg.send_time, tz), cfg, tz).astimezone(ctx.now.tzinfo)
    await ctx.uow.reminders.acknowledge(view.id, ack, ctx.now, snooze)
    body = reminder_text(ctx.t, view.occurrence, await _place(ctx, view.occurrence))
    if ack == AckStatus.SNOOZED and snooze is not None:
        when = snooze.astimezone(tz).strftime("%m-%d %H:%M")
        status = ctx._("⏰ I will remind you again on {when}.", when=when)
    elif ack == AckStatus.DONE:
        status = ctx._("✅ Marked as done. Thank you.")
    else:
        status = ctx._("✅ Acknowledged. Thank you.")
    ctx.reply(f"{body}\n\n{status}", edit=True)
