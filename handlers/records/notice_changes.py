"""What a rectification notice's principals are told when an inspector edits it.

The principal of the notice's unit was told when it was issued, with its deadline; an edit
that moves the deadline or sends the notice to another unit would otherwise leave him
working to the old date, or leave the new unit's principal knowing nothing (the reminders
follow the new dates, but only days later and never for a notice moved away).
"""

from __future__ import annotations

from handlers.core.context import Ctx, button, rows
from handlers.core.domain import Person, Role, Unit
from handlers.core.i18n import N_
from handlers.records.domain import NoticeStatus, RecordQuery, RectificationNotice
from handlers.records.inputs import fmt_date
from handlers.records.notice_reports import notify
from handlers.records.ports import records_of


async def tell_principals_of_edit(
    ctx: Ctx, before: RectificationNotice, rid: int, changed: list[str]
) -> str:
    """Tell the principals what an edit changed for them: a new deadline, or a notice moved
    to another unit (the new unit's principal receives it; the old one is told it is no
    longer theirs). Returns the line the inspector's reply adds (who was told)."""
    if "deadline" not in changed and "unit_id" not in changed:
        return ""
    notice = await records_of(ctx.uow).notices.get(rid)
    unit = await ctx.uow.units.get(notice.unit_id) if notice is not None else None
    if notice is None or unit is None:
        return ""
    told: list[str] = []
    new = await ctx.uow.people.get(notice.recipient_id) if notice.recipient_id else None
    if "unit_id" in changed:
        old_unit = await ctx.uow.units.get(before.unit_id)
        old = await ctx.uow.people.get(before.recipient_id) if before.recipient_id else None
        if old is not None and old_unit is not None and old.id != notice.recipient_id:
            notify(
                ctx,
                old,
                N_("Rectification notice #{id} is no longer addressed to your unit {unit}."),
                notice,
                old_unit,
            )
            told.append(old.name)
        message = N_(
            "Your unit {unit} has received rectification notice #{id}, deadline {deadline}."
        )
    else:
        message = N_(
            "The deadline of rectification notice #{id} for your unit {unit} is now {deadline}."
        )
    if new is not None:
        notify(ctx, new, message, notice, unit)
        told.append(new.name)
    if not told:
        return ctx._("The unit has no registered principal: please tell it on paper.")
    return ctx._("Told: {names}.", names=ctx.t.join(told))


async def tell_new_principal(ctx: Ctx, person: Person, role: Role, unit: Unit) -> None:
    """A person just made principal of ``unit`` is told of its open notices (now his to
    answer), one message with a button for each; nothing when it has none."""
    if role != Role.UNIT_HEAD or person.telegram_user_id is None or person.chat_blocked:
        return
    query = RecordQuery(unit_paths=(unit.path,), limit=500)
    found = await records_of(ctx.uow).notices.search(query)
    waiting = [n for n in found if n.unit_id == unit.id and n.status != NoticeStatus.CLOSED]
    if not waiting:
        return
    waiting.sort(key=lambda n: (n.deadline, n.id))
    t = ctx.t_for(person.language)
    items = t.join(t.aside(f"#{n.id}", fmt_date(n.deadline)) for n in waiting)
    text = t._(
        "You are now the principal of {unit}. Its open rectification notices are yours to answer: {items}.",
        unit=unit.name,
        items=items,
    )
    keyboard = rows(*[[button(t._("Open #{id}", id=n.id), f"nt:o:{n.id}")] for n in waiting[:6]])
    ctx.send_to(person.telegram_user_id, text, keyboard)
