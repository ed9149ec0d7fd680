"""Accountability cases (责任追究): /case opens one, /cases lists them, and a case is closed
when its people are handled; the people held accountable are added to it one by one with
their handling (handlings.py).

Counting "by case" counts case rows; "by person" counts person-in-case rows, each with its
category, kind, effective date and the person's unit at the time.
"""

from __future__ import annotations

from typing import Any

from handlers.core.choice_match import closest_choices
from handlers.core.context import Ctx, button, rows
from handlers.core.errors import UserError
from handlers.core.forms import Data
from handlers.core.i18n import N_
from handlers.core.types import Button
from handlers.core.yes_no import ask_yes_no
from handlers.records.common import Access, offset_arg, record_buttons, record_id
from handlers.records.domain import (
    CURRENT_CIRCUMSTANCES,
    READ_ROLES,
    AccountabilityCase,
    CaseCircumstance,
    CaseStatus,
    RecordQuery,
    RecordType,
)
from handlers.records.engine import mount, on_record
from handlers.records.handlings import handling_line, people_lines, sees_handling, start_add_person
from handlers.records.inputs import fmt_date
from handlers.records.kind import (
    Detail,
    Listing,
    RecordForm,
    RecordKind,
    audit,
    code_name,
    load_writable,
    stamped,
)
from handlers.records.ports import records_of
from handlers.records.steps import coded, past_date_step, step, text_step, unit_step

PREFIX = "cs"

FIELDS = {
    "unit_id": N_("Unit"),
    "title": N_("Case"),
    "circumstance": N_("Circumstance"),
    "facts": N_("Facts"),
    "opened_on": N_("Opened on"),
    "status": N_("Status"),
    "closed_on": N_("Closed on"),
}


_CIRCUMSTANCES: dict[str, str] = {
    CaseCircumstance.WEAK_LEADERSHIP: N_("weak leadership letting banned practices spread"),
    CaseCircumstance.NOT_IMPLEMENTED: N_("assigned work not carried out"),
    CaseCircumstance.COVER_UP: N_("serious cases hidden or not investigated"),
    CaseCircumstance.LAX_SUPERVISION: N_("lax supervision of subordinates"),
    CaseCircumstance.IMPROPER_APPOINTMENT: N_("improper appointments"),
    CaseCircumstance.FALSE_DATA: N_("falsified data tolerated"),
    CaseCircumstance.PARTY_LEADERSHIP_WEAKENED: N_(
        "party leadership weakened, with serious errors"
    ),
    CaseCircumstance.POLITICAL_BUILDING: N_("party political building not done in earnest"),
    CaseCircumstance.IDEOLOGICAL_BUILDING: N_("party ideological building neglected"),
    CaseCircumstance.ORGANISATIONAL_BUILDING: N_("party organisational building weak"),
    CaseCircumstance.CONDUCT_BUILDING: N_("work-style building lax"),
    CaseCircumstance.DISCIPLINE_BUILDING: N_("discipline building not strict"),
    CaseCircumstance.ANTI_CORRUPTION: N_("clean-government and anti-corruption work not firm"),
    CaseCircumstance.MAIN_AND_SUPERVISORY_DUTY: N_(
        "main and supervisory responsibility for strict party governance not carried out"
    ),
    CaseCircumstance.MANAGEMENT_SUPERVISION: N_(
        "management and supervision duties neglected, with a serious accident or incident"
    ),
    CaseCircumstance.PEOPLES_INTERESTS: N_(
        "inaction or misconduct on matters of people's immediate interests"
    ),
    CaseCircumstance.OTHER: N_("other failures of duty calling for accountability"),
}


def circumstance_name(ctx: Ctx, value: CaseCircumstance | str) -> str:
    """Names of the accountability circumstances."""
    return code_name(ctx, _CIRCUMSTANCES, value)


#: Names of case states.
STATUSES = {"open": N_("open"), "closed": N_("closed")}


def status_name(ctx: Ctx, value: CaseStatus | str) -> str:
    """The name of a case state (as stored if unknown)."""
    return code_name(ctx, STATUSES, value)


async def _hidden_in_history(ctx: Ctx, rid: int, field: str, value: Any) -> bool:
    """A case's history names the people added: not those outside the reader's scope."""
    if field != "person_id" or not isinstance(value, int):
        return False
    rows_ = [r for r in await records_of(ctx.uow).cases.people(rid) if r.person_id == value]
    if rows_:
        return not any([await sees_handling(ctx, r) for r in rows_])
    # The handling was deleted since: judge by the person's present unit.
    person = await ctx.uow.people.get(value)
    unit = await ctx.uow.units.get(person.unit_id) if person else None
    return value != ctx.me.id and not (unit and ctx.me.can_see(unit, *READ_ROLES))


async def _involved(ctx: Ctx, case: AccountabilityCase) -> bool:
    """A cadre involved in a case reads it (his or her own handling only)."""
    return any(p.person_id == ctx.me.id for p in await records_of(ctx.uow).cases.people(case.id))


# -- the case form -------------------------------------------------------------------------------
async def _parse_circumstance(ctx: Ctx, text: str, data: Data) -> str:
    value = text.strip()
    match = next(
        (c for c in CURRENT_CIRCUMSTANCES if value in (c.value, circumstance_name(ctx, c))), None
    )
    if match is None:
        near = closest_choices(value, _circumstance_choices(ctx, data))
        if not near:
            raise UserError(ctx._("Please choose with the buttons."))
        raise UserError(
            ctx._(
                "“{text}” is not one of the circumstances. Is it one of these? Tap it, or choose from the full list.",
                text=value[:40],
            ),
            tuple((button(label, f"f:c:{code}"),) for label, code in near),
        )
    return match.value


def _circumstance_choices(ctx: Ctx, data: Data) -> list[tuple[str, str]]:
    return [(circumstance_name(ctx, c), c.value) for c in CURRENT_CIRCUMSTANCES]


STEPS = [
    unit_step(FIELDS["unit_id"], N_("In which unit did the case arise? Type its code or name.")),
    text_step("title", FIELDS["title"], N_("A short title for the case."), 200, 4),
    step(
        "circumstance",
        FIELDS["circumstance"],
        N_("Which circumstance calls for accountability?"),
        _parse_circumstance,
        _circumstance_choices,
        circumstance_name,
        confirm=coded(CaseCircumstance),
    ),
    text_step("facts", FIELDS["facts"], N_("Briefly, the facts of the case."), min_len=4),
    past_date_step("opened_on", FIELDS["opened_on"], N_("On which day was the case opened?")),
]


async def _check(ctx: Ctx, data: Data, values: dict[str, Any]) -> None:
    """An edit may not move the opening (立案) after a decision of the case took effect:
    adding a person refuses the same order the other way round. A new case the unit already
    has (same title and opening day) is refused: the form confirmed twice had opened it twice,
    and the summaries counted both."""
    if not data.get("_edit"):
        await _refuse_duplicate(ctx, values)
        return
    handled = await records_of(ctx.uow).cases.people(int(data["_edit"]))
    earliest = min((row.effective_on for row in handled), default=None)
    if earliest is not None and values["opened_on"] > earliest:
        raise UserError(
            ctx._(
                "The case cannot have been opened ({opened}) after a decision in it took effect ({date}); please check the date.",
                opened=fmt_date(values["opened_on"]),
                date=fmt_date(earliest),
            )
        )


async def _refuse_duplicate(ctx: Ctx, values: dict[str, Any]) -> None:
    unit = await ctx.uow.units.get(values["unit_id"])
    if unit is None:
        return
    query = RecordQuery(unit_paths=(unit.path,), year=values["opened_on"].year, limit=500)
    title = " ".join(str(values["title"]).split())
    for case in await records_of(ctx.uow).cases.search(query):
        same = " ".join(case.title.split()) == title and case.opened_on == values["opened_on"]
        if case.unit_id == unit.id and same:
            raise UserError(
                ctx._(
                    "This case is already recorded as #{id} (the same unit, title and opening day), so nothing was saved. Open #{id} to change it.",
                    id=case.id,
                )
            )


async def _opened(ctx: Ctx, case: AccountabilityCase, data: Data) -> None:
    await ctx.audit("case.opened", "case", case.id, case.unit_id)
    ctx.reply(
        ctx._("Accountability case #{id} opened. Now add the people held accountable.", id=case.id),
        rows(
            [
                button(ctx._("➕ Add a person"), f"{PREFIX}:p:{case.id}"),
                button(ctx._("Open"), f"{PREFIX}:o:{case.id}"),
            ]
        ),
    )


# -- list, detail and closing --------------------------------------------------------------------
async def _line(ctx: Ctx, c: AccountabilityCase) -> tuple[str, str]:
    unit = await ctx.uow.units.get(c.unit_id)
    handled = await records_of(ctx.uow).cases.people(c.id)
    # One person may be given a party sanction and a government sanction: count people.
    involved = ctx._("{n} involved", n=len({row.person_id for row in handled}))
    return (
        f"#{c.id} {fmt_date(c.opened_on)} {unit.name if unit else '—'}{ctx.t.colon}"
        + ctx.t.aside(c.title, ctx.t.listing([involved, status_name(ctx, c.status)])),
        f"#{c.id} {c.title}",
    )


async def _detail(ctx: Ctx, case: AccountabilityCase, access: Access) -> Detail:
    """A case; staff see everyone handled, an involved cadre only his or her handling."""
    rid = case.id
    status = status_name(ctx, case.status)
    if case.closed_on:
        status = ctx.t.aside(status, fmt_date(case.closed_on))
    lines = [ctx._("Accountability case #{id}", id=rid)]
    lines += await KIND.lines(ctx, case, ("title", "unit_id", "opened_on", "status"), status=status)
    keyboard: list[list[Button]] = []
    if access.staff:
        lines += await KIND.lines(ctx, case, ("circumstance", "facts"))
        keyboard += await people_lines(ctx, rid, lines)
    else:
        people = await records_of(ctx.uow).cases.people(rid)
        lines += ["", ctx._("Your handling in this case:")]
        lines += [await handling_line(ctx, r) for r in people if r.person_id == ctx.me.id]
    if access.write and case.status == CaseStatus.OPEN:
        keyboard.append(
            [
                button(ctx._("➕ Add a person"), f"{PREFIX}:p:{rid}"),
                button(ctx._("🔒 Close the case"), f"{PREFIX}:c:{rid}"),
            ]
        )
    return lines, keyboard + record_buttons(ctx, PREFIX, rid, access)


# -- closing -------------------------------------------------------------------------------------
async def _ask_close(ctx: Ctx, rid: int) -> None:
    case: AccountabilityCase = (await load_writable(ctx, KIND, rid)).record
    if case.status != CaseStatus.OPEN:
        raise UserError(ctx._("This case is already closed."))
    people = await records_of(ctx.uow).cases.people(rid)
    held = len({row.person_id for row in people})
    note = ctx._("People held accountable: {n}.", n=held)
    if not held:
        # Closing with nobody recorded is right only for a case ended without holding anyone
        # accountable; otherwise the figures would count a case and no person.
        note += "\n⚠️ " + ctx._(
            "Nobody is recorded as held accountable in this case. Close it only if it ends without holding anyone accountable (不予或免予问责); otherwise add the people first."
        )
    # 确认 / 好的 / 是 typed under it close the case as the button does.
    await ask_yes_no(
        ctx,
        ctx._("Close accountability case #{id} ({title})?", id=rid, title=case.title) + "\n" + note,
        (ctx._("🔒 Close the case"), f"{PREFIX}:cc:{rid}:{case.version}"),
        (ctx._("Cancel"), f"{PREFIX}:o:{rid}"),
    )


async def _close(ctx: Ctx, rid: int, version: int) -> None:
    loaded = await load_writable(ctx, KIND, rid)
    if loaded.record.status != CaseStatus.OPEN:
        raise UserError(ctx._("This case is already closed."))
    new = {"status": CaseStatus.CLOSED, "closed_on": ctx.local_now.date()}
    if await KIND.save(ctx, loaded, rid, version, new, "close") is None:
        return
    await audit(ctx, KIND, "closed", loaded, rid, loaded.unit_id)
    ctx.reply(ctx._("Accountability case #{id} is closed.", id=rid), edit=True)


async def _confirm_close(ctx: Ctx, args: list[str]) -> None:
    await _close(ctx, record_id(ctx, args), offset_arg(ctx, args, 2))


KIND = RecordKind(
    RecordType.CASE,
    PREFIX,
    N_("Accountability case"),
    FIELDS,
    lambda uow: records_of(uow).cases,
    own=_involved,
    display={"circumstance": circumstance_name, "status": status_name},
    hidden=_hidden_in_history,
    listing=Listing(
        "cases",
        N_("Accountability cases: /cases [UNIT] [YEAR] [open|closed]"),
        47,
        N_("Accountability cases"),
        N_("➕ New case"),
        STATUSES,
        _line,
    ),
    detail=_detail,
    form=RecordForm(
        "rec_case",
        (N_("New accountability case"), N_("Edit accountability case #{id}")),
        STEPS,
        stamped(AccountabilityCase, status=CaseStatus.OPEN),
        N_("Accountability case #{id} saved."),
        command=("case", N_("Open an accountability case (责任追究)"), 46),
        check=_check,
        prefill=True,
        after_create=_opened,
    ),
    actions={
        "p": on_record(start_add_person),
        "c": on_record(_ask_close),
        "cc": _confirm_close,
    },
)
router = mount(KIND)
