"""/reminders and the acknowledgement buttons on every reminder (收到 / 已完成 / 明天提醒我).

/reminders groups a person's own reminders by what they ask of him: 需要处理 (fallen due,
not acknowledged), 即将到来 (not sent yet) and 已完成 (acknowledged, no longer needed, or
nothing to acknowledge; only the latest few). Reminders cancelled before they were ever
sent are left out: the person never saw them.

Beside it: ``plan`` (planning rows), ``send`` (what the dispatcher sends, repeats,
escalation), ``text`` (wording), ``timing`` (quiet hours). The deadlines planned and the
digests sent come from other capabilities, wired in :mod:`handlers.registry`.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from enum import Enum

from handlers.calendar.ports import calendar_of
from handlers.core.context import Ctx
from handlers.core.domain import Role
from handlers.core.errors import NotFound
from handlers.core.i18n import N_
from handlers.core.router import Router
from handlers.reminders.deadline_items import DEADLINE_ITEMS, titled_with_items
from handlers.reminders.domain import (
    ACKNOWLEDGEABLE_KINDS,
    ACKNOWLEDGED,
    AckStatus,
    DeliveryStatus,
    DeliveryView,
    Occurrence,
    OccurrenceKind,
    series_of,
)
from handlers.reminders.ports import reminders_of
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
#: Lines shown per group of /reminders; the done group shows only the latest (history is
#: for reassurance, the other two are what the person came for).
MAX_ACTION, MAX_UPCOMING, MAX_DONE = 10, 10, 5
#: Answers that settle a reminder ("remind me tomorrow" does not).
SETTLED = (AckStatus.RECEIVED, AckStatus.DONE)


class Group(Enum):
    """The groups of /reminders, in the order they are shown."""

    ACTION = "action"
    UPCOMING = "upcoming"
    DONE = "done"


def _not_found(ctx: Ctx) -> NotFound:
    return NotFound(ctx._("That reminder was not found."))


@router.command(
    "reminders", N_("Your reminders; unit principals also see who acknowledged"), private_only=True
)
async def reminders_command(ctx: Ctx) -> None:
    """List my reminders grouped (needs action, upcoming, done); overseers get their units'
    status too."""
    mine = [
        v
        for v in await reminders_of(ctx.uow).for_person(ctx.me.id, ctx.now - LOOKBACK)
        # Unsent and cancelled (handed in early, a date moved): nothing the person ever saw.
        if not (v.status == DeliveryStatus.CANCELLED and v.sends == 0)
    ]
    if mine:
        lines = [ctx._("Your reminders (last 30 days and upcoming):")]
        lines.extend(await _my_groups(ctx, mine))
    else:
        lines = [ctx._("You have no reminders from the last 30 days and none coming up.")]
    if ctx.me.has_role(*OVERSEER_ROLES) and ctx.req.is_private:
        paths = ctx.me.scope_paths(*OVERSEER_ROLES)
        views = await reminders_of(ctx.uow).in_units(paths, ctx.now - LOOKBACK)
        lines.append("")
        lines.extend(_unit_status(ctx, views))
        await ctx.audit("reminders.unit_status_viewed", "reminders", "", None, rows=len(views))
    ctx.reply("\n".join(lines))


def asks_ack(v: DeliveryView) -> bool:
    """True for reminders with acknowledgement buttons (not escalations or digests)."""
    return v.occurrence.kind in ACKNOWLEDGEABLE_KINDS


def settled_series(views: list[DeliveryView]) -> set[str]:
    """Keys of the series (an event date, a deadline) of which some round was acknowledged.

    Acknowledging any round counts for all of them, as for escalation (send.py): after
    收到 on the two-week reminder, the three-day one does not ask for anything again."""
    return {
        s.key for v in views if v.ack in SETTLED and (s := series_of(v.occurrence.key)) is not None
    }


def effective_ack(v: DeliveryView, settled: set[str]) -> AckStatus:
    """The delivery's own answer, or "got it" when another round of its series has one."""
    if v.ack in SETTLED:
        return v.ack
    series = series_of(v.occurrence.key)
    return AckStatus.RECEIVED if series is not None and series.key in settled else v.ack


def group_of(v: DeliveryView, ack: AckStatus, now: datetime) -> Group:
    """Which group of /reminders a delivery belongs in (``ack``: see :func:`effective_ack`).

    Upcoming: not sent yet and not due. Done: answered, no longer needed (the item was
    handed in), or sent without asking anything (a digest). Needs action: everything else,
    i.e. due or sent, asking for an answer and not given one ("remind me tomorrow" and a
    reminder missed while the bot was down included: the matter is still open)."""
    if v.status == DeliveryStatus.CANCELLED:
        return Group.DONE
    if v.sends == 0 and v.status == DeliveryStatus.PENDING and v.due_at > now:
        return Group.UPCOMING
    if not asks_ack(v) or ack in SETTLED:
        return Group.DONE
    return Group.ACTION


async def _my_groups(ctx: Ctx, mine: list[DeliveryView]) -> list[str]:
    """The grouped lines of the person's own reminders; empty groups are left out."""
    tz = ctx.services.config.timezone
    settled = settled_series(mine)
    groups: dict[Group, list[tuple[DeliveryView, AckStatus]]] = defaultdict(list)
    for v in mine:  # oldest first (the repository's order)
        ack = effective_ack(v, settled)
        groups[group_of(v, ack, ctx.now)].append((v, ack))
    # Needs action: the oldest first, it has waited longest. Upcoming: the next first.
    # Done: the most recent first, and only a few.
    done = groups[Group.DONE][::-1]
    sections = (
        (
            ctx._("⚠️ Needs action ({n})", n=len(groups[Group.ACTION])),
            groups[Group.ACTION],
            MAX_ACTION,
        ),
        (
            ctx._("📅 Upcoming ({n})", n=len(groups[Group.UPCOMING])),
            groups[Group.UPCOMING],
            MAX_UPCOMING,
        ),
        (ctx._("✅ Done ({n})", n=len(done)), done, MAX_DONE),
    )
    lines: list[str] = []
    for heading, items, limit in sections:
        if not items:
            continue
        lines += ["", heading]
        # Upcoming: one line per matter, at its next reminder (a deadline is reminded before,
        # on and after its day: three lines of the same deadline crowded the list out).
        upcoming = items is groups[Group.UPCOMING]
        shown = _one_per_matter(ctx, items) if upcoming else [(*x, 0) for x in items]
        for v, ack, later in shown[:limit]:
            state = status_label(ctx.t, v.status, v.due_at, tz, v.sends)
            numbers = await DEADLINE_ITEMS.numbers(ctx.uow, ctx.me.id, v.occurrence)
            title = titled_with_items(ctx.t, topic_title(ctx.t, v.occurrence), numbers)
            line = f"· {title} — {state}"
            if v.sends > 0 and asks_ack(v):
                line = ctx.t.listing([line, ack_label(ctx.t, ack)])  # "，" or ", "
            if later:
                line += ctx._(" (then {n} more)", n=later)
            lines.append(line)
        if len(shown) > limit:
            lines.append(ctx._("…and {n} more.", n=len(shown) - limit))
    return lines


def _one_per_matter(
    ctx: Ctx, items: list[tuple[DeliveryView, AckStatus]]
) -> list[tuple[DeliveryView, AckStatus, int]]:
    """Reminders about the same matter (same title) as one: the first, with how many of the
    same follow it."""
    firsts: dict[str, tuple[DeliveryView, AckStatus]] = {}
    later: dict[str, int] = defaultdict(int)
    for v, ack in items:
        title = topic_title(ctx.t, v.occurrence)
        if title in firsts:
            later[title] += 1
        else:
            firsts[title] = (v, ack)
    return [(v, ack, later[title]) for title, (v, ack) in firsts.items()]


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
        # "Remind me tomorrow" is no acknowledgement (the summary does not count it either):
        # the person stays among those not yet, with a note (高峰 had been hidden).
        acked = [v for v in group if v.ack in ACKNOWLEDGED]
        missing = [
            ctx._("{name} (snoozed)", name=v.person_name)
            if v.ack == AckStatus.SNOOZED
            else v.person_name
            for v in group
            if v.ack not in ACKNOWLEDGED
        ]
        line = ctx._(
            "· {title}: {acked}/{total} acknowledged",
            title=topic_title(ctx.t, group[0].occurrence),
            acked=len(acked),
            total=len(group),
        )
        if missing:
            shown = ctx.t.join(missing[:15]) + ("…" if len(missing) > 15 else "")
            line += "\n  " + ctx._("Not yet: {names}", names=shown)
        lines.append(line)
    return lines


async def _place(ctx: Ctx, occ: Occurrence) -> str:
    """Where an event takes place, so the edited reminder keeps what the original said."""
    if occ.kind != OccurrenceKind.EVENT:
        return ""
    dates = await calendar_of(ctx.uow).dates(int(occ.params.get("year", 0)))
    date = dates.get(occ.topic)
    return date.place if date else ""


@router.button(ACK_PREFIX)
async def ack_button(ctx: Ctx, args: list[str]) -> None:
    """收到 / 已完成 / 明天提醒我 on a reminder; only its recipient may answer it."""
    if len(args) != 2 or args[0] not in ACK_CODES or not args[1].isdecimal():
        raise _not_found(ctx)
    view = await reminders_of(ctx.uow).delivery(int(args[1]))
    if view is None or view.person_id != ctx.me.id:
        raise _not_found(ctx)
    ack = ACK_CODES[args[0]]
    cfg, tz = ctx.services.config.reminders, ctx.services.config.timezone
    snooze = None
    if ack == AckStatus.SNOOZED:
        tomorrow = ctx.local_now.date() + timedelta(days=1)
        snooze = schedule(local_at(tomorrow, cfg.send_time, tz), cfg, tz).astimezone(ctx.now.tzinfo)
    await reminders_of(ctx.uow).acknowledge(view.id, ack, ctx.now, snooze)
    place = await _place(ctx, view.occurrence)
    body = reminder_text(ctx.t, view.occurrence, place, today=ctx.local_now.date())
    if ack == AckStatus.SNOOZED and snooze is not None:
        when = snooze.astimezone(tz).strftime("%m-%d %H:%M")
        status = ctx._("⏰ I will remind you again on {when}.", when=when)
    elif ack == AckStatus.DONE and view.occurrence.kind == OccurrenceKind.DEADLINE:
        # The reminder is answered, not the deadline: a rectification report, a pledge or a
        # check-in counts only once it is recorded (已完成 had read as "the job is done").
        status = ctx._(
            "✅ Marked as done. Note: this answers the reminder only; the deadline counts as met once the pledge, check-in or rectification report is recorded in the assistant."
        )
    elif ack == AckStatus.DONE:
        status = ctx._("✅ Marked as done. Thank you.")
    else:
        status = ctx._("✅ Acknowledged. Thank you.")
    ctx.reply(f"{body}\n\n{status}", edit=True)
