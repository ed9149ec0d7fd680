"""The answer to a rectification notice: the unit head's rectification report, and the
inspector's decision on it — accepted (the notice is closed) or returned (open again).
Each side is told in a private chat, with ids, unit and dates only."""

from __future__ import annotations

from typing import Any

from handlers.core.context import Ctx, button, rows
from handlers.core.domain import Person, Role, Unit
from handlers.core.errors import UserError
from handlers.core.forms import Data, StepForm
from handlers.core.i18n import N_
from handlers.org.people import person_label
from handlers.records.common import (
    WRITE_ROLES,
    add_revision,
    open_button,
    require,
    save_changes,
    stale_message,
)
from handlers.records.domain import (
    NoticeStatus,
    RecordType,
    RectificationNotice,
    RectificationReport,
    ReportDecision,
    ReportVerdict,
)
from handlers.records.inputs import fmt_date, fmt_time
from handlers.records.kind import KINDS, RecordKind, load_readable, load_writable
from handlers.records.ports import records_of
from handlers.records.steps import action_form, step, text_parser, text_step

PREFIX = "nt"


def _kind() -> RecordKind:
    return KINDS[RecordType.NOTICE]


def may_report(ctx: Ctx, notice: RectificationNotice) -> bool:
    """A principal of exactly that unit answers a notice: the addressee while still its
    principal (one whose role was taken back reads it, but the report form is for the role
    and had refused him only after he typed the report), or whoever holds the role now."""
    return any(g.role == Role.UNIT_HEAD and g.unit_id == notice.unit_id for g in ctx.me.grants)


def notify(
    ctx: Ctx,
    person: Person,
    message: str,
    notice: RectificationNotice,
    unit: Unit,
    **values: str,
) -> None:
    """Tell someone about a notice in a private chat (only ids, unit and dates: no content);
    ``values`` fill further placeholders of ``message``, as given."""
    if person.telegram_user_id is None or person.chat_blocked or not person.active:
        return
    t = ctx.t_for(person.language)
    ctx.send_to(
        person.telegram_user_id,
        t._(message, unit=unit.name, id=notice.id, deadline=fmt_date(notice.deadline), **values),
        rows([button(t._("Open"), f"{PREFIX}:o:{notice.id}")]),
    )


async def report_lines(ctx: Ctx, i: int, r: RectificationReport) -> list[str]:
    """A report on the notice and, once decided, the decision."""
    name = await person_label(ctx, r.submitted_by)
    at = fmt_time(ctx, r.submitted_at)
    lines = [ctx._("Report {n} by {name}, {at}:", n=i, name=name, at=at), r.text]
    if r.decision is not None:
        accepted = r.decision == ReportDecision.ACCEPTED
        verdict = ctx._("accepted") if accepted else ctx._("returned")
        lines.append(
            ctx._(
                "→ {verdict} by {name}, {at}",
                verdict=verdict,
                name=await person_label(ctx, r.decided_by),
                at=fmt_time(ctx, r.decided_at),
            )
            + (f"{ctx.t.colon}{r.decision_note}" if r.decision_note else "")
        )
    return lines


# -- the unit head's rectification report --------------------------------------------------------
async def _reporting(ctx: Ctx, rid: int) -> RectificationNotice:
    """The notice, if this person answers it and it is open."""
    loaded, access = await load_readable(ctx, _kind(), rid)
    notice: RectificationNotice = loaded.record
    require(ctx, access.own and may_report(ctx, notice))
    if notice.status != NoticeStatus.OPEN:
        raise UserError(ctx._("A report can be submitted only while the notice is open."))
    return notice


async def start_report(ctx: Ctx, rid: int) -> None:
    """The notice's "Submit rectification report" button."""
    notice = await _reporting(ctx, rid)
    await REPORT_FORM.start(ctx, {"_edit": rid, "_version": notice.version})


async def _finish_report(ctx: Ctx, data: Data) -> None:
    rid = int(data["_edit"])
    notice = await _reporting(ctx, rid)
    if not await records_of(ctx.uow).notices.update(
        rid, int(data["_version"]), {"status": NoticeStatus.SUBMITTED}, ctx.now
    ):
        ctx.reply(stale_message(ctx))
        return
    report = await records_of(ctx.uow).notices.add_report(
        RectificationReport(0, rid, ctx.me.id, ctx.now, data["text"])
    )
    await add_revision(
        ctx, RecordType.NOTICE, rid, "report", {"status": (notice.status, NoticeStatus.SUBMITTED)}
    )
    await ctx.audit("notice.report_submitted", "notice", rid, notice.unit_id, report=report.id)
    unit = await ctx.uow.units.get(notice.unit_id)
    issuer = await ctx.uow.people.get(notice.issued_by)
    if issuer is not None and unit is not None:
        notify(
            ctx,
            issuer,
            N_("{unit} submitted a rectification report on notice #{id}; please review it."),
            notice,
            unit,
        )
    ctx.reply(
        ctx._("Your rectification report on notice #{id} has been submitted for review.", id=rid),
        open_button(ctx, PREFIX, rid),
    )


#: A return says what is missing: at least this many characters (不行 tells the unit nothing).
MIN_RETURN_REASON = 4
_ACCEPT_NOTE = text_parser(1000)
_RETURN_REASON = text_parser(1000, min_len=MIN_RETURN_REASON)


async def _note(ctx: Ctx, text: str, data: Data) -> str:
    """The note of a decision: free, when accepting; a reason the unit can act on, when
    returning."""
    return await (_ACCEPT_NOTE if _accepting(data) else _RETURN_REASON)(ctx, text, data)


REPORT_FORM = action_form(
    "rec_report",
    N_("Rectification report on notice #{id}"),
    [
        text_step(
            "text",
            N_("Rectification report"),
            N_("Describe what was done to rectify each problem, with results and dates."),
            min_len=10,
        ),
    ],
    _finish_report,
    roles=(Role.UNIT_HEAD,),
)


# -- the inspector's decision --------------------------------------------------------------------
def _accepting(data: Data) -> bool:
    return data.get("decision") == ReportDecision.ACCEPTED.value


async def start_decision(ctx: Ctx, rid: int, accept: bool) -> None:
    """The notice's "Accept and close" and "Return" buttons (writers only)."""
    notice: RectificationNotice = (await load_writable(ctx, _kind(), rid)).record
    reports = await records_of(ctx.uow).notices.reports(rid)
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


async def _finish_decision(ctx: Ctx, data: Data) -> None:
    rid = int(data["_edit"])
    notice: RectificationNotice = (await load_writable(ctx, _kind(), rid)).record
    decision = ReportDecision(data["decision"])
    note = data.get("note")
    if decision == ReportDecision.RETURNED and not note:
        raise UserError(ctx._("Please say why the report is returned."))
    reports = await records_of(ctx.uow).notices.reports(rid)
    pending = next((r for r in reports if r.id == int(data["report"])), None)
    if notice.status != NoticeStatus.SUBMITTED or pending is None or pending.decision:
        ctx.reply(stale_message(ctx))
        return
    accepted = decision == ReportDecision.ACCEPTED
    new: dict[str, Any] = (
        {"status": NoticeStatus.CLOSED, "closed_on": ctx.local_now.date()}
        if accepted
        else {"status": NoticeStatus.OPEN}
    )
    old = {k: getattr(notice, k) for k in new}
    update = records_of(ctx.uow).notices.update
    action = "accept" if accepted else "return"
    version = int(data["_version"])
    if await save_changes(ctx, RecordType.NOTICE, rid, version, old, new, update, action) is None:
        return
    verdict = ReportVerdict(decision, ctx.me.id, ctx.now, note)
    if not await records_of(ctx.uow).notices.decide_report(pending.id, verdict):
        # Someone decided it concurrently: undo the status change with the whole request.
        raise UserError(stale_message(ctx))
    await ctx.audit(
        f"notice.report_{decision.value}", "notice", rid, notice.unit_id, report=pending.id
    )
    await _tell_submitter(ctx, notice, pending, accepted)
    await _tell_issuer(ctx, notice, accepted)
    ctx.reply(
        ctx._("Notice #{id} is closed.", id=rid)
        if accepted
        else ctx._("The report on notice #{id} was returned to the unit.", id=rid),
        open_button(ctx, PREFIX, rid),
    )


async def _tell_submitter(
    ctx: Ctx, notice: RectificationNotice, report: RectificationReport, accepted: bool
) -> None:
    submitter = await ctx.uow.people.get(report.submitted_by)
    unit = await ctx.uow.units.get(notice.unit_id)
    if submitter is None or unit is None:
        return
    if accepted:
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
    notify(ctx, submitter, message, notice, unit)


async def _tell_issuer(ctx: Ctx, notice: RectificationNotice, accepted: bool) -> None:
    """The inspector who issued the notice hears when someone else decided its report (a
    lower level's inspector may close it: the issuer had not been told)."""
    if notice.issued_by == ctx.me.id:
        return
    issuer = await ctx.uow.people.get(notice.issued_by)
    unit = await ctx.uow.units.get(notice.unit_id)
    if issuer is None or unit is None:
        return
    message = N_("The report on notice #{id} ({unit}), which you issued, was {verdict} by {name}.")
    t = ctx.t_for(issuer.language)  # the verdict in the issuer's language, as the message
    verdict = t._("accepted") if accepted else t._("returned")
    notify(ctx, issuer, message, notice, unit, verdict=verdict, name=ctx.me.name)


DECISION_FORM = StepForm(
    "rec_decide",
    lambda ctx, d: (
        ctx._("Accept the report on notice #{id} and close it", id=d.get("_edit", ""))
        if _accepting(d)
        else ctx._("Return the report on notice #{id}", id=d.get("_edit", ""))
    ),
    [
        step(
            "note",
            N_("Note to the unit"),
            lambda ctx, d: (
                ctx._("A note to the unit, if any (or press Skip).")
                if _accepting(d)
                else ctx._("Why is the report returned? Tell the unit what is missing.")
            ),
            _note,
            # A returned report needs its reason, so the step cannot be skipped: asking here
            # (not on the review screen) lets the person simply type it.
            skippable=_accepting,
        ),
    ],
    _finish_decision,
    roles=WRITE_ROLES,
)
