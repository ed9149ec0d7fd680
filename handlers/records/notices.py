"""Time-limited rectification notices (限期整改通知书): /notice issues one, /notices lists them.

The notice goes to the unit's principal (a holder of ``unit_head`` on exactly that unit),
who answers with a rectification report; the inspector accepts it (the notice is closed) or
returns it (the notice is open again). "Overdue" is derived from the deadline, not stored.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from handlers.core.context import Ctx, button, rows
from handlers.core.domain import Person, Role, Unit
from handlers.core.errors import UserError
from handlers.core.forms import Data, Step, StepForm
from handlers.core.i18n import N_
from handlers.core.router import Router
from handlers.core.types import Button
from handlers.org.people import record_number
from handlers.records.common import (
    WRITE_ROLES,
    Access,
    add_revision,
    label,
    live_unit_in_scope,
    person_label,
    record_buttons,
    require,
    save_changes,
    show_ref,
    stale_message,
    unit_ref,
)
from handlers.records.domain import (
    NoticeStatus,
    RecordType,
    RectificationNotice,
    RectificationReport,
    ReportDecision,
)
from handlers.records.engine import list_command, on_record, open_record, press
from handlers.records.inputs import (
    fmt_date,
    fmt_time,
    from_iso,
    read_date,
    read_past_date,
    read_text,
    show_date,
    today_choice,
)
from handlers.records.kind import (
    Detail,
    Listing,
    RecordKind,
    load_readable,
    register,
)

router = Router()
PREFIX = "nt"
STATUSES = ("open", "overdue", "submitted", "closed")

FIELDS = {
    "unit_id": N_("Unit"),
    "recipient_id": N_("Principal"),
    "problems": N_("Problems to rectify"),
    "issued_on": N_("Issued on"),
    "deadline": N_("Deadline"),
    "status": N_("Status"),
    "closed_on": N_("Closed on"),
}


def _label(ctx: Ctx, key: str) -> str:
    """The translated label of a field (keeps message extraction to the N_() above)."""
    return ctx._(FIELDS[key])


def _own(ctx: Ctx, notice: RectificationNotice, unit: Unit | None) -> bool:
    """Principals read the notices sent to units in their subtree (like any other grant)."""
    if notice.recipient_id == ctx.me.id:
        return True
    return unit is not None and ctx.me.can_see(unit, Role.UNIT_HEAD)


def may_report(ctx: Ctx, notice: RectificationNotice) -> bool:
    """Only the addressee, or a principal of exactly that unit, answers a notice."""
    if notice.recipient_id == ctx.me.id:
        return True
    return any(g.role == Role.UNIT_HEAD and g.unit_id == notice.unit_id for g in ctx.me.grants)


async def _own_notice(ctx: Ctx, notice: RectificationNotice) -> bool:
    return _own(ctx, notice, await ctx.uow.units.get(notice.unit_id))


def status_names(ctx: Ctx) -> dict[str, str]:
    """Display names of notice states (and list filters)."""
    return {
        "open": ctx._("awaiting rectification"),
        "overdue": ctx._("overdue"),
        "submitted": ctx._("report awaiting review"),
        "closed": ctx._("rectified and closed"),
    }


def display_status(ctx: Ctx, notice: RectificationNotice) -> str:
    """The state as shown, with "overdue" derived from the deadline."""
    names = status_names(ctx)
    if notice.is_overdue(ctx.local_now.date()):
        if notice.status == NoticeStatus.SUBMITTED:
            # Still overdue until accepted, but the unit has acted: say both.
            return "⚠️ " + ctx._("overdue, report awaiting review")
        return "⚠️ " + names["overdue"]
    return names[notice.status.value]


async def principals_of(ctx: Ctx, unit: Unit) -> list[Person]:
    """Active holders of ``unit_head`` on exactly this unit (not on an ancestor)."""
    heads = await ctx.uow.people.in_units([unit.path], Role.UNIT_HEAD)
    return [
        p for p in heads if any(g.role == Role.UNIT_HEAD and g.unit_id == unit.id for g in p.grants)
    ]


# -- the notice form -----------------------------------------------------------------------------
async def _parse_unit(ctx: Ctx, text: str, data: Data) -> dict[str, Any]:
    return unit_ref(await ctx.unit_in_scope(text, *WRITE_ROLES))


async def _parse_problems(ctx: Ctx, text: str, data: Data) -> str:
    return read_text(ctx, text, max_len=2000, min_len=4)


async def _parse_issued(ctx: Ctx, text: str, data: Data) -> str:
    value = read_past_date(ctx, text)
    deadline = from_iso(data.get("deadline"))
    if deadline and deadline < value:
        raise UserError(ctx._("The deadline cannot be before the issue date."))
    return value.isoformat()


#: Typed after a past deadline to say the notice is entered after the fact (补录).
BACK_ENTRY_WORDS = ("补录", "back-entry", "back entry")


async def _parse_deadline(ctx: Ctx, text: str, data: Data) -> str:
    back_entry = any(w in text.lower() for w in BACK_ENTRY_WORDS)
    for word in BACK_ENTRY_WORDS:
        text = text.replace(word, " ")
    value = read_date(ctx, text.strip())
    issued = from_iso(data.get("issued_on"))
    if issued and value < issued:
        raise UserError(ctx._("The deadline cannot be before the issue date."))
    if value < ctx.local_now.date() and not back_entry:
        # A past deadline is usually a typo; entering an old notice after the fact is
        # allowed, but said explicitly, so an overdue notice is never created by mistake.
        raise UserError(
            ctx._(
                "The deadline {date} has already passed. If you are entering an old notice after the fact, add 补录 after the date, e.g. {date} 补录.",
                date=fmt_date(value),
            )
        )
    return value.isoformat()


def _deadline_choices(ctx: Ctx, data: Data) -> list[tuple[str, str]]:
    start = from_iso(data.get("issued_on")) or ctx.local_now.date()
    return [
        (
            ctx._("{n} days", n=n) + f"（{fmt_date(start + timedelta(days=n))}）",
            (start + timedelta(days=n)).isoformat(),
        )
        for n in (15, 30, 60)
    ]


NOTICE_STEPS = [
    Step(
        "unit",
        label(FIELDS["unit_id"]),
        label(N_("Which unit receives the notice? Type its code or name.")),
        _parse_unit,
        show=show_ref,
    ),
    Step(
        "problems",
        label(FIELDS["problems"]),
        label(N_("Which problems must be rectified, and what is required?")),
        _parse_problems,
    ),
    Step(
        "issued_on",
        label(FIELDS["issued_on"]),
        label(N_("Date of issue?")),
        _parse_issued,
        choices=today_choice,
        show=show_date,
    ),
    Step(
        "deadline",
        label(FIELDS["deadline"]),
        label(N_("By which date must the rectification be done?")),
        _parse_deadline,
        choices=_deadline_choices,
        show=show_date,
    ),
]


async def _validate(ctx: Ctx, data: Data) -> tuple[Unit, dict[str, Any]]:
    unit = await live_unit_in_scope(ctx, int(data["unit"]["id"]), *WRITE_ROLES)
    issued, deadline = from_iso(data["issued_on"]), from_iso(data["deadline"])
    assert issued is not None and deadline is not None
    if issued > ctx.local_now.date():
        raise UserError(
            ctx._("That date is in the future; please give the date on which it happened.")
        )
    if deadline < issued:
        raise UserError(ctx._("The deadline cannot be before the issue date."))
    values = {
        "unit_id": unit.id,
        "problems": data["problems"],
        "issued_on": issued,
        "deadline": deadline,
    }
    return unit, values


async def _finish(ctx: Ctx, data: Data) -> None:
    unit, values = await _validate(ctx, data)
    heads = await principals_of(ctx, unit)
    recipient = heads[0] if heads else None
    if data.get("_edit"):
        await _finish_edit(ctx, data, values, recipient)
        return
    notice = await ctx.uow.records.notices.add(
        RectificationNotice(
            id=0,
            recipient_id=recipient.id if recipient else None,
            status=NoticeStatus.OPEN,
            issued_by=ctx.me.id,
            created_at=ctx.now,
            **values,
        )
    )
    await add_revision(ctx, RecordType.NOTICE, notice.id, "create")
    await ctx.audit("notice.issued", "notice", notice.id, unit.id, notified=bool(recipient))
    if recipient is None:
        ctx.reply(
            ctx._(
                "Rectification notice #{id} issued to {unit}. The unit has no registered principal: please deliver the notice on paper.",
                id=notice.id,
                unit=unit.name,
            ),
            rows([button(ctx._("Open"), f"{PREFIX}:o:{notice.id}")]),
        )
        return
    _notify(
        ctx,
        recipient,
        N_("Your unit {unit} has received rectification notice #{id}, deadline {deadline}."),
        notice,
        unit,
    )
    ctx.reply(
        ctx._(
            "Rectification notice #{id} issued to {unit}; {name} has been notified.",
            id=notice.id,
            unit=unit.name,
            name=recipient.name,
        ),
        rows([button(ctx._("Open"), f"{PREFIX}:o:{notice.id}")]),
    )


def _notify(
    ctx: Ctx, person: Person, message: str, notice: RectificationNotice, unit: Unit
) -> None:
    """Tell someone about a notice in a private chat (only ids, unit and dates: no content)."""
    if person.telegram_user_id is None or person.chat_blocked or not person.active:
        return
    t = ctx.t_for(person.language)
    ctx.send_to(
        person.telegram_user_id,
        t._(message, unit=unit.name, id=notice.id, deadline=fmt_date(notice.deadline)),
        rows([button(t._("Open"), f"{PREFIX}:o:{notice.id}")]),
    )


async def _finish_edit(
    ctx: Ctx, data: Data, values: dict[str, Any], recipient: Person | None
) -> None:
    rid = int(data["_edit"])
    loaded, access = await load_readable(ctx, KIND, rid)
    require(ctx, access.write)
    notice: RectificationNotice = loaded.record
    if notice.status == NoticeStatus.CLOSED:
        raise UserError(ctx._("This notice is closed and can no longer be changed."))
    if values["unit_id"] != notice.unit_id:
        values["recipient_id"] = recipient.id if recipient else None
    old = {k: getattr(notice, k) for k in FIELDS}
    changed = await save_changes(
        ctx,
        RecordType.NOTICE,
        rid,
        int(data["_version"]),
        old,
        values,
        ctx.uow.records.notices.update,
    )
    if changed is None:
        return
    await ctx.audit("notice.edited", "notice", rid, values["unit_id"], fields=changed)
    ctx.reply(
        ctx._("Rectification notice #{id} saved.", id=rid)
        if changed
        else ctx._("Nothing was changed."),
        rows([button(ctx._("Open"), f"{PREFIX}:o:{rid}")]),
    )


def _title(ctx: Ctx, data: Data) -> str:
    if data.get("_edit"):
        return ctx._("Edit rectification notice #{id}", id=data["_edit"])
    return ctx._("New rectification notice")


NOTICE_FORM = StepForm("rec_notice", _title, NOTICE_STEPS, _finish, roles=WRITE_ROLES)
router.add_form(NOTICE_FORM)


# -- the unit head's rectification report --------------------------------------------------------
async def _parse_report(ctx: Ctx, text: str, data: Data) -> str:
    return read_text(ctx, text, max_len=2000, min_len=10)


async def _finish_report(ctx: Ctx, data: Data) -> None:
    rid = int(data["_edit"])
    loaded, access = await load_readable(ctx, KIND, rid)
    notice: RectificationNotice = loaded.record
    require(ctx, access.own and may_report(ctx, notice))
    if notice.status != NoticeStatus.OPEN:
        raise UserError(ctx._("A report can be submitted only while the notice is open."))
    if not await ctx.uow.records.notices.update(
        rid, int(data["_version"]), {"status": NoticeStatus.SUBMITTED}, ctx.now
    ):
        ctx.reply(stale_message(ctx))
        return
    report = await ctx.uow.records.notices.add_report(
        RectificationReport(0, rid, ctx.me.id, ctx.now, data["text"])
    )
    await add_revision(
        ctx, RecordType.NOTICE, rid, "report", {"status": (notice.status, NoticeStatus.SUBMITTED)}
    )
    await ctx.audit("notice.report_submitted", "notice", rid, notice.unit_id, report=report.id)
    unit = await ctx.uow.units.get(notice.unit_id)
    issuer = await ctx.uow.people.get(notice.issued_by)
    if issuer is not None and unit is not None:
        _notify(
            ctx,
            issuer,
            N_("{unit} submitted a rectification report on notice #{id}; please review it."),
            notice,
            unit,
        )
    ctx.reply(
        ctx._("Your rectification report on notice #{id} has been submitted for review.", id=rid),
        rows([button(ctx._("Open"), f"{PREFIX}:o:{rid}")]),
    )


REPORT_FORM = StepForm(
    "rec_report",
    lambda ctx, d: ctx._("Rectification report on notice #{id}", id=d.get("_edit", "")),
    [
        Step(
            "text",
            label(N_("Rectification report")),
            label(N_("Describe what was done to rectify each problem, with results and dates.")),
            _parse_report,
        ),
    ],
    _finish_report,
    roles=(Role.UNIT_HEAD,),
)
router.add_form(REPORT_FORM)


# -- the inspector's decision --------------------------------------------------------------------
async def _parse_note(ctx: Ctx, text: str, data: Data) -> str:
    return read_text(ctx, text, max_len=1000)


def _accepting(data: Data) -> bool:
    return data.get("decision") == ReportDecision.ACCEPTED.value


async def _finish_decision(ctx: Ctx, data: Data) -> None:
    rid = int(data["_edit"])
    loaded, access = await load_readable(ctx, KIND, rid)
    notice: RectificationNotice = loaded.record
    require(ctx, access.write)
    decision = ReportDecision(data["decision"])
    note = data.get("note")
    if decision == ReportDecision.RETURNED and not note:
        raise UserError(ctx._("Please say why the report is returned."))
    reports = await ctx.uow.records.notices.reports(rid)
    pending = next((r for r in reports if r.id == int(data["report"])), None)
    if notice.status != NoticeStatus.SUBMITTED or pending is None or pending.decision:
        ctx.reply(stale_message(ctx))
        return
    today = ctx.local_now.date()
    new: dict[str, Any] = (
        {"status": NoticeStatus.CLOSED, "closed_on": today}
        if decision == ReportDecision.ACCEPTED
        else {"status": NoticeStatus.OPEN}
    )
    action = "accept" if decision == ReportDecision.ACCEPTED else "return"
    old = {k: getattr(notice, k) for k in new}
    changed = await save_changes(
        ctx,
        RecordType.NOTICE,
        rid,
        int(data["_version"]),
        old,
        new,
        ctx.uow.records.notices.update,
        action=action,
    )
    if changed is None:
        return
    if not await ctx.uow.records.notices.decide_report(
        pending.id, decision, ctx.me.id, ctx.now, note
    ):
        # Someone decided it concurrently: undo the status change with the whole request.
        raise UserError(stale_message(ctx))
    await ctx.audit(
        f"notice.report_{decision.value}", "notice", rid, notice.unit_id, report=pending.id
    )
    submitter = await ctx.uow.people.get(pending.submitted_by)
    unit = await ctx.uow.units.get(notice.unit_id)
    if submitter is not None and unit is not None:
        if decision == ReportDecision.ACCEPTED:
            message = N_(
                "Your rectification report on notice #{id} was accepted; the notice is closed."
            )
        elif notice.is_overdue(ctx.local_now.date()):
            # Never ask for something "by" a day that has passed: say it is overdue.
            message = N_(
                "Your rectification report on notice #{id} was returned; please see the note. The deadline ({deadline}) has passed: submit it again as soon as possible."
            )
        else:
            message = N_(
                "Your rectification report on notice #{id} was returned; please see the note and submit it again by {deadline}."
            )
        _notify(ctx, submitter, message, notice, unit)
    ctx.reply(
        ctx._("Notice #{id} is closed.", id=rid)
        if decision == ReportDecision.ACCEPTED
        else ctx._("The report on notice #{id} was returned to the unit.", id=rid),
        rows([button(ctx._("Open"), f"{PREFIX}:o:{rid}")]),
    )


DECISION_FORM = StepForm(
    "rec_decide",
    lambda ctx, d: (
        ctx._("Accept the report on notice #{id} and close it", id=d.get("_edit", ""))
        if d.get("decision") == ReportDecision.ACCEPTED.value
        else ctx._("Return the report on notice #{id}", id=d.get("_edit", ""))
    ),
    [
        Step(
            "note",
            label(N_("Note to the unit")),
            lambda ctx, d: (
                ctx._("A note to the unit, if any (or press Skip).")
                if _accepting(d)
                else ctx._("Why is the report returned? Tell the unit what is missing.")
            ),
            _parse_note,
            # A returned report needs its reason, so the step cannot be skipped: asking here
            # (not on the review screen) lets the person simply type it.
            skippable=lambda d: _accepting(d),
        ),
    ],
    _finish_decision,
    roles=WRITE_ROLES,
)
router.add_form(DECISION_FORM)


# -- commands and buttons ------------------------------------------------------------------------
@router.command(
    "notice",
    N_("Issue a time-limited rectification notice (限期整改通知书)"),
    roles=WRITE_ROLES,
    private_only=True,
    order=42,
)
async def notice_command(ctx: Ctx) -> None:
    """Start the notice form, pre-filling the unit when one is given."""
    number = record_number(ctx.req.args)
    if number is not None:  # "#13" is a record number everywhere: open that record
        await open_record(ctx, KIND, number)
        return
    if ctx.req.args:
        unit = await _parse_unit(ctx, ctx.req.args, {})
        await NOTICE_FORM.start(ctx, {"unit": unit}, at="problems")
        return
    await NOTICE_FORM.start(ctx)


@router.command(
    "notices",
    N_("Rectification notices: /notices [UNIT] [YEAR] [open|overdue|closed]"),
    private_only=True,
    order=43,
)
async def notices_command(ctx: Ctx) -> None:
    """Staff: notices in the scope; unit heads: notices sent to their units."""
    await list_command(ctx, KIND)


def _head_paths(ctx: Ctx) -> list[str]:
    return [g.unit_path for g in ctx.me.grants if g.role == Role.UNIT_HEAD]


async def _line(ctx: Ctx, n: RectificationNotice) -> tuple[str, str]:
    unit = await ctx.uow.units.get(n.unit_id)
    name = unit.name if unit else "—"
    due = ctx._("deadline {date}", date=fmt_date(n.deadline))
    return (
        f"#{n.id} {name} {due} · {display_status(ctx, n)}",
        f"#{n.id} {name} {fmt_date(n.deadline)}",
    )


@router.button(PREFIX, private_only=True)
async def notice_button(ctx: Ctx, args: list[str]) -> None:
    """o open, e edit, r report, a accept, x return, h history, d delete, l page, n new."""
    await press(ctx, KIND, args)


async def _new(ctx: Ctx, args: list[str]) -> None:
    require(ctx, ctx.me.has_role(*WRITE_ROLES))
    await NOTICE_FORM.start(ctx)


async def _detail(ctx: Ctx, notice: RectificationNotice, access: Access) -> Detail:
    """A notice, its reports and the buttons the person's access allows."""
    unit = await ctx.uow.units.get(notice.unit_id)
    lines = [
        ctx._("Rectification notice #{id}", id=notice.id),
        f"{_label(ctx, 'unit_id')}: {unit.name if unit else '—'}",
        f"{_label(ctx, 'recipient_id')}: {await person_label(ctx, notice.recipient_id)}",
        f"{_label(ctx, 'issued_on')}: {fmt_date(notice.issued_on)}",
        f"{_label(ctx, 'deadline')}: {fmt_date(notice.deadline)}",
        f"{_label(ctx, 'status')}: {display_status(ctx, notice)}"
        + (f"（{fmt_date(notice.closed_on)}）" if notice.closed_on else ""),
        f"{_label(ctx, 'problems')}: {notice.problems}",
    ]
    for i, r in enumerate(await ctx.uow.records.notices.reports(notice.id), 1):
        lines += ["", *await _report_lines(ctx, i, r)]
    return lines, _buttons(ctx, notice, access)


async def _report_lines(ctx: Ctx, i: int, r: RectificationReport) -> list[str]:
    """A report on the notice and, once decided, the decision."""
    lines = [
        ctx._(
            "Report {n} by {name}, {at}:",
            n=i,
            name=await person_label(ctx, r.submitted_by),
            at=fmt_time(ctx, r.submitted_at),
        ),
        r.text,
    ]
    if r.decision is not None:
        verdict = ctx._("accepted") if r.decision == ReportDecision.ACCEPTED else ctx._("returned")
        lines.append(
            ctx._(
                "→ {verdict} by {name}, {at}",
                verdict=verdict,
                name=await person_label(ctx, r.decided_by),
                at=fmt_time(ctx, r.decided_at),
            )
            + (f"：{r.decision_note}" if r.decision_note else "")
        )
    return lines


def _buttons(ctx: Ctx, notice: RectificationNotice, access: Access) -> list[list[Button]]:
    keyboard = []
    if access.own and notice.status == NoticeStatus.OPEN and may_report(ctx, notice):
        keyboard.append(
            [button(ctx._("📤 Submit rectification report"), f"{PREFIX}:r:{notice.id}")]
        )
    if access.write and notice.status == NoticeStatus.SUBMITTED:
        keyboard.append(
            [
                button(ctx._("✅ Accept and close"), f"{PREFIX}:a:{notice.id}"),
                button(ctx._("↩️ Return"), f"{PREFIX}:x:{notice.id}"),
            ]
        )
    editable = Access(
        write=access.write and notice.status != NoticeStatus.CLOSED,
        delete=access.delete,
        staff=access.staff,
        own=access.own,
    )
    return keyboard + record_buttons(ctx, PREFIX, notice.id, editable)


async def _start_edit(ctx: Ctx, rid: int) -> None:
    loaded, access = await load_readable(ctx, KIND, rid)
    require(ctx, access.write)
    notice: RectificationNotice = loaded.record
    if notice.status == NoticeStatus.CLOSED:
        raise UserError(ctx._("This notice is closed and can no longer be changed."))
    unit = await ctx.uow.units.get(notice.unit_id)
    assert unit is not None
    data: Data = {
        "unit": unit_ref(unit),
        "problems": notice.problems,
        "issued_on": notice.issued_on.isoformat(),
        "deadline": notice.deadline.isoformat(),
        "_edit": rid,
        "_version": notice.version,
    }
    await ctx.audit("notice.viewed", "notice", rid, notice.unit_id, purpose="edit")
    await NOTICE_FORM.open_review(ctx, data)


async def _start_report(ctx: Ctx, rid: int) -> None:
    loaded, access = await load_readable(ctx, KIND, rid)
    require(ctx, access.own and may_report(ctx, loaded.record))
    notice: RectificationNotice = loaded.record
    if notice.status != NoticeStatus.OPEN:
        raise UserError(ctx._("A report can be submitted only while the notice is open."))
    await REPORT_FORM.start(ctx, {"_edit": rid, "_version": notice.version})


async def _start_decision(ctx: Ctx, rid: int, accept: bool) -> None:
    loaded, access = await load_readable(ctx, KIND, rid)
    require(ctx, access.write)
    notice: RectificationNotice = loaded.record
    reports = await ctx.uow.records.notices.reports(rid)
    pending = [r for r in reports if r.decision is None]
    if notice.status != NoticeStatus.SUBMITTED or not pending:
        raise UserError(ctx._("There is no report awaiting review on this notice."))
    decision = ReportDecision.ACCEPTED if accept else ReportDecision.RETURNED
    data = {
        "_edit": rid,
        "_version": notice.version,
        "report": pending[-1].id,
        "decision": decision.value,
    }
    await DECISION_FORM.start(ctx, data)


KIND = register(
    RecordKind(
        RecordType.NOTICE,
        PREFIX,
        N_("Rectification notice"),
        FIELDS,
        lambda uow: uow.records.notices,
        own=_own_notice,
        display=lambda ctx, field, value: (
            status_names(ctx).get(value) if field == "status" else None
        ),
        listing=Listing(
            "notices",
            N_("Rectification notices: /notices [UNIT] [YEAR] [open|overdue|closed]"),
            43,
            N_("Rectification notices"),
            N_("➕ New notice"),
            STATUSES,
            status_names,
            _line,
            own_paths=_head_paths,
        ),
        detail=_detail,
        actions={
            "n": _new,
            "e": on_record(_start_edit),
            "r": on_record(_start_report),
            "a": on_record(lambda ctx, rid: _start_decision(ctx, rid, True)),
            "x": on_record(lambda ctx, rid: _start_decision(ctx, rid, False)),
        },
    )
)


__all__ = ["NOTICE_FORM", "router"]
