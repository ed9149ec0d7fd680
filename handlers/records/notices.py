"""Time-limited rectification notices (限期整改通知书): /notice issues one, /notices lists them.

The notice goes to the unit's principal (a holder of ``unit_head`` on exactly that unit),
who answers with a rectification report; the inspector accepts it (the notice is closed) or
returns it (the notice is open again) — see notice_reports.py. "Overdue" is derived from
the deadline, not stored.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from handlers.core.context import Ctx, button
from handlers.core.dates import span_from
from handlers.core.domain import Person, Role, Unit
from handlers.core.errors import UserError
from handlers.core.forms import Data
from handlers.core.i18n import N_
from handlers.core.types import Button
from handlers.records.common import (
    Access,
    open_button,
    record_buttons,
)
from handlers.records.domain import (
    NoticeStatus,
    RecordQuery,
    RecordType,
    RectificationNotice,
    ReportDecision,
)
from handlers.records.engine import form_data, mount, on_record
from handlers.records.inputs import (
    fmt_date,
    from_iso,
    read_coming_date,
    read_date,
    read_past_date,
    show_date,
)
from handlers.records.kind import Detail, Listing, RecordForm, RecordKind
from handlers.records.notice_changes import tell_principals_of_edit
from handlers.records.notice_reports import (
    DECISION_FORM,
    REPORT_FORM,
    may_report,
    notify,
    report_lines,
    start_decision,
    start_report,
)
from handlers.records.ports import records_of
from handlers.records.steps import (
    date_value,
    name_then_date,
    past_date_step,
    step,
    text_step,
    unit_step,
)

PREFIX = "nt"

FIELDS = {
    "unit_id": N_("Unit"),
    "recipient_id": N_("Principal"),
    "problems": N_("Problems to rectify"),
    "issued_on": N_("Issued on"),
    "deadline": N_("Deadline"),
    "status": N_("Status"),
    "closed_on": N_("Closed on"),
}


async def _own(ctx: Ctx, notice: RectificationNotice) -> bool:
    """Principals read the notices sent to units in their subtree (like any other grant)."""
    if notice.recipient_id == ctx.me.id:
        return True
    unit = await ctx.uow.units.get(notice.unit_id)
    return unit is not None and ctx.me.can_see(unit, Role.UNIT_HEAD)


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
    issued = from_iso(data.get("issued_on"))
    after = issued or ctx.local_now.date()
    # 15天 / 两周 / 年底前 count from the issue date, as the buttons do (from today, a
    # back-dated notice silently got a longer deadline than the one it was given).
    spanned = span_from(text.strip(), after)
    if spanned is not None:
        value = spanned
    elif back_entry:
        value = read_date(ctx, text.strip())
    else:
        hint = ctx._("For an old notice entered after the fact, add “back-entry” after the date.")
        value = read_coming_date(ctx, text.strip(), after, hint)
    if issued and value < issued:
        raise UserError(ctx._("The deadline cannot be before the issue date."))
    if value < ctx.local_now.date() and not back_entry:
        # A past deadline is usually a typo; entering an old notice after the fact is
        # allowed, but said explicitly, so an overdue notice is never created by mistake.
        raise UserError(
            ctx._(
                "The deadline {date} has already passed. If you are entering an old notice after the fact, add “back-entry” after the date, e.g. {date} back-entry.",
                date=fmt_date(value),
            )
        )
    return value.isoformat()


def _deadline_choices(ctx: Ctx, data: Data) -> list[tuple[str, str]]:
    start = from_iso(data.get("issued_on")) or ctx.local_now.date()
    today = ctx.local_now.date()
    out = []
    for n in (15, 30, 60):
        day = start + timedelta(days=n)
        if day >= today:
            out.append((ctx.t.aside(ctx._("{n} days", n=n), fmt_date(day)), day.isoformat()))
        else:
            # An old notice entered after the fact: a deadline already passed is offered as
            # a back entry, said on the button (the plain date would be refused as past).
            note = ctx.t.listing([fmt_date(day), ctx._("back entry")])
            out.append((ctx.t.aside(ctx._("{n} days", n=n), note), f"{day.isoformat()} 补录"))
    return out


async def _start_with(ctx: Ctx, text: str) -> tuple[Data, str]:
    """``/notice 岳村镇 [月底前]``: the unit, and a deadline read when the form reaches it."""
    return await name_then_date(ctx, text, STEPS, "deadline")


STEPS = [
    unit_step(FIELDS["unit_id"], N_("Which unit receives the notice? Type its code or name.")),
    text_step(
        "problems",
        FIELDS["problems"],
        N_("Which problems must be rectified, and what is required?"),
        min_len=4,
    ),
    past_date_step("issued_on", FIELDS["issued_on"], N_("Date of issue?"), _parse_issued),
    step(
        "deadline",
        FIELDS["deadline"],
        N_("By which date must the rectification be done?"),
        _parse_deadline,
        _deadline_choices,
        show_date,
        confirm=date_value,
    ),
]


async def _check(ctx: Ctx, data: Data, values: dict[str, Any]) -> None:
    """Checks across the answers; the notice goes to the unit's (first) principal, if any."""
    if values["deadline"] < values["issued_on"]:
        raise UserError(ctx._("The deadline cannot be before the issue date."))
    unit = await ctx.uow.units.get(values["unit_id"])
    assert unit is not None
    if not data.get("_edit"):
        await _refuse_duplicate(ctx, unit, values)
    heads = await principals_of(ctx, unit)
    values["recipient_id"] = heads[0].id if heads else None


async def _refuse_duplicate(ctx: Ctx, unit: Unit, values: dict[str, Any]) -> None:
    """Refuse a notice the unit already has (same day, problems and deadline): a form confirmed twice
    would otherwise notify the principal twice and count twice."""
    query = RecordQuery(unit_paths=(unit.path,), year=values["issued_on"].year, limit=500)
    problems = " ".join(str(values["problems"]).split())
    for notice in await records_of(ctx.uow).notices.search(query):
        if (
            notice.unit_id == unit.id
            and notice.issued_on == values["issued_on"]
            and notice.deadline == values["deadline"]
            and " ".join(notice.problems.split()) == problems
        ):
            raise UserError(
                ctx._(
                    "This notice is already recorded as #{id} (the same unit, day, problems and deadline), so nothing was saved. Open #{id} to change it.",
                    id=notice.id,
                )
            )


def _before_save(ctx: Ctx, notice: RectificationNotice, values: dict[str, Any]) -> None:
    _unchangeable(ctx, notice)
    if values["unit_id"] == notice.unit_id:
        del values["recipient_id"]  # the principal changes with the unit only


async def _issued(ctx: Ctx, notice: RectificationNotice, data: Data) -> None:
    """Tell the principal (or say the notice goes on paper) and the issuer."""
    unit = await ctx.uow.units.get(notice.unit_id)
    assert unit is not None
    rid = notice.recipient_id
    recipient = await ctx.uow.people.get(rid) if rid is not None else None
    await ctx.audit("notice.issued", "notice", notice.id, unit.id, notified=bool(recipient))
    open_ = open_button(ctx, PREFIX, notice.id)
    if recipient is None:
        ctx.reply(
            ctx._(
                "Rectification notice #{id} issued to {unit}. The unit has no registered principal: please deliver the notice on paper.",
                id=notice.id,
                unit=unit.name,
            ),
            open_,
        )
        return
    entered_late = notice.deadline < ctx.local_now.date()
    notify(
        ctx,
        recipient,
        N_(
            "Rectification notice #{id} to your unit {unit} was entered after the fact; its deadline, {deadline}, has passed."
        )
        if entered_late
        else N_("Your unit {unit} has received rectification notice #{id}, deadline {deadline}."),
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
        open_,
    )


def _unchangeable(ctx: Ctx, notice: RectificationNotice) -> None:
    if notice.status == NoticeStatus.CLOSED:
        raise UserError(ctx._("This notice is closed and can no longer be changed."))


async def _edit_data(ctx: Ctx, notice: RectificationNotice) -> Data:
    _unchangeable(ctx, notice)
    return await form_data(ctx, notice, STEPS)


# -- list and detail -----------------------------------------------------------------------------
async def _line(ctx: Ctx, n: RectificationNotice) -> tuple[str, str]:
    unit = await ctx.uow.units.get(n.unit_id)
    name = unit.name if unit else "—"
    due = ctx._("deadline {date}", date=fmt_date(n.deadline))
    status = display_status(ctx, n)
    if n.status == NoticeStatus.OPEN:
        # Open again after a report was returned: said, or it reads as never answered.
        reports = await records_of(ctx.uow).notices.reports(n.id)
        if reports and reports[-1].decision == ReportDecision.RETURNED:
            status += ctx._(" (report returned)")
    return (
        f"#{n.id} {name} {due} · {status}",
        f"#{n.id} {name} {fmt_date(n.deadline)}",
    )


async def _detail(ctx: Ctx, notice: RectificationNotice, access: Access) -> Detail:
    """A notice, its reports and the buttons the person's access allows."""
    status = display_status(ctx, notice)
    if notice.closed_on:
        status = ctx.t.aside(status, fmt_date(notice.closed_on))
    lines = [ctx._("Rectification notice #{id}", id=notice.id)]
    shown = ("unit_id", "recipient_id", "issued_on", "deadline", "status", "problems")
    lines += await KIND.lines(ctx, notice, shown, status=status)
    for i, r in enumerate(await records_of(ctx.uow).notices.reports(notice.id), 1):
        lines += ["", *await report_lines(ctx, i, r)]
    return lines, _buttons(ctx, notice, access)


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


KIND = RecordKind(
    RecordType.NOTICE,
    PREFIX,
    N_("Rectification notice"),
    FIELDS,
    lambda uow: records_of(uow).notices,
    own=_own,
    display={"status": lambda ctx, value: status_names(ctx).get(value)},
    listing=Listing(
        "notices",
        N_("Rectification notices: /notices [UNIT] [YEAR] [open|overdue|closed]"),
        43,
        N_("Rectification notices"),
        N_("➕ New notice"),
        status_names,
        _line,
        own_paths=lambda ctx: [g.unit_path for g in ctx.me.grants if g.role == Role.UNIT_HEAD],
    ),
    detail=_detail,
    form=RecordForm(
        "rec_notice",
        (N_("New rectification notice"), N_("Edit rectification notice #{id}")),
        STEPS,
        lambda ctx, values, data: RectificationNotice(
            id=0, status=NoticeStatus.OPEN, issued_by=ctx.me.id, created_at=ctx.now, **values
        ),
        N_("Rectification notice #{id} saved."),
        check=_check,
        command=(
            "notice",
            N_("Issue a time-limited rectification notice (限期整改通知书)"),
            42,
        ),
        start_with=_start_with,
        after_create=_issued,
        after_edit=tell_principals_of_edit,
        edit_data=_edit_data,
        before_save=_before_save,
    ),
    actions={
        "r": on_record(start_report),
        "a": on_record(lambda ctx, rid: start_decision(ctx, rid, True)),
        "x": on_record(lambda ctx, rid: start_decision(ctx, rid, False)),
    },
    forms=[REPORT_FORM, DECISION_FORM],
)
router = mount(KIND)
