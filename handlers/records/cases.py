"""Accountability cases (责任追究): /case opens one, /cases lists them; people are added to a
case one by one with their handling — organisational handling or party/government
discipline (a kind from knowledge/data/sanctions.yaml) and its effective date.

Counting "by case" counts case rows; "by person" counts person-in-case rows, each with its
category, kind, effective date and the person's unit at the time.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from handlers.core.context import Ctx, button, rows
from handlers.core.errors import Conflict, UserError
from handlers.core.forms import Data, Step, StepForm
from handlers.core.i18n import N_
from handlers.core.ports import UnitOfWork
from handlers.core.router import Router
from handlers.core.types import Button
from handlers.org.people import person_in_scope, record_number
from handlers.records.common import (
    READ_ROLES,
    WRITE_ROLES,
    Access,
    add_revision,
    label,
    live_person_in_scope,
    live_unit_in_scope,
    offset_arg,
    person_label,
    person_ref,
    record_buttons,
    record_id,
    require,
    save_changes,
    show_ref,
    unit_ref,
)
from handlers.records.domain import (
    AccountabilityCase,
    CaseCircumstance,
    CasePerson,
    CaseStatus,
    HandlingCategory,
    OrgHandling,
    RecordType,
    Tombstone,
    handling_track,
)
from handlers.records.engine import list_command, on_record, open_record, press
from handlers.records.inputs import (
    fmt_date,
    from_iso,
    read_past_date,
    read_text,
    show_date,
    today_choice,
)
from handlers.records.kind import (
    AuditAs,
    Detail,
    Listing,
    Loaded,
    RecordKind,
    load_readable,
    register,
)
from handlers.records.ports import Changes
from knowledge.sanctions import load_sanctions

router = Router()
PREFIX = "cs"
PERSON_PREFIX = "cp"
STATUSES = ("open", "closed")

FIELDS = {
    "unit_id": N_("Unit"),
    "title": N_("Case"),
    "circumstance": N_("Circumstance"),
    "facts": N_("Facts"),
    "opened_on": N_("Opened on"),
    "status": N_("Status"),
    "closed_on": N_("Closed on"),
}
PERSON_FIELDS = {
    "person_id": N_("Person"),
    "unit_id": N_("Unit"),
    "category": N_("Handling"),
    "kind": N_("Kind"),
    "effective_on": N_("Effective from"),
    "note": N_("Note"),
}


def _label(ctx: Ctx, key: str) -> str:
    """The translated label of a field (keeps message extraction to the N_() above)."""
    return ctx._(FIELDS[key])


def _plabel(ctx: Ctx, key: str) -> str:
    """The translated label of a person-in-case field."""
    return ctx._(PERSON_FIELDS[key])


async def _hidden_in_history(ctx: Ctx, rid: int, field: str, value: Any) -> bool:
    """A case's history names the people added: not those outside the reader's scope."""
    if field != "person_id" or not isinstance(value, int):
        return False
    rows_ = [r for r in await ctx.uow.records.cases.people(rid) if r.person_id == value]
    if rows_:
        return not any([await sees_handling(ctx, r) for r in rows_])
    # The handling was deleted since: judge by the person's present unit.
    person = await ctx.uow.people.get(value)
    unit = await ctx.uow.units.get(person.unit_id) if person else None
    return value != ctx.me.id and not (unit and ctx.me.can_see(unit, *READ_ROLES))


async def _involved(ctx: Ctx, case: AccountabilityCase) -> bool:
    """A cadre involved in a case reads it (his or her own handling only)."""
    return any(p.person_id == ctx.me.id for p in await ctx.uow.records.cases.people(case.id))


async def sees_handling(ctx: Ctx, row: CasePerson) -> bool:
    """True when the reader may see who this handling is about.

    Cases are handled across units and places (交叉办案、易地办案): a case of one county may
    hold a person of another. Reading the case is not enough to see that person: the
    person's unit (at the time of the handling) must be in the reader's scope too, or the
    handling must be the reader's own.
    """
    if row.person_id == ctx.me.id:
        return True
    unit = await ctx.uow.units.get(row.unit_id)
    return unit is not None and ctx.me.can_see(unit, *READ_ROLES)


async def _load_person(ctx: Ctx, rid: int) -> Loaded | None:
    row = await ctx.uow.records.cases.get_person(rid)
    if row is None:
        return None
    case = await ctx.uow.records.cases.get(row.case_id)
    if case is None or not await sees_handling(ctx, row):
        return None  # out of scope looks the same as missing
    # Scope follows the case's unit; a deleted case hides its people too.
    tomb = row.deleted or case.deleted
    return Loaded(row, case.unit_id, row.version, tomb, own=row.person_id == ctx.me.id)


class _Handlings:
    """The people-in-case rows of the case repository, as the generic record code uses them."""

    def __init__(self, uow: UnitOfWork) -> None:
        self.cases = uow.records.cases

    async def add(self, row: CasePerson, /) -> CasePerson:
        return await self.cases.add_person(row)

    async def get(self, rid: int, /) -> CasePerson | None:
        return await self.cases.get_person(rid)

    async def update(self, rid: int, version: int, changes: Changes, at: datetime, /) -> bool:
        return await self.cases.update_person(rid, version, changes, at)

    async def delete(self, rid: int, version: int, tomb: Tombstone, /) -> bool:
        return await self.cases.delete_person(rid, version, tomb)


def _display(ctx: Ctx, field: str, value: Any) -> str | None:
    """History text of stored codes (resolved when shown, so the functions below exist)."""
    if field == "circumstance":
        return circumstance_name(ctx, value)
    if field == "status":
        return status_names(ctx).get(str(value))
    if field == "category":
        return category_name(ctx, value)
    if field == "kind":
        return any_kind_name(ctx, str(value))
    return None


def circumstance_name(ctx: Ctx, value: CaseCircumstance | str) -> str:
    """Names of the accountability circumstances."""
    names = {
        "weak_leadership": ctx._("weak leadership letting banned practices spread"),
        "not_implemented": ctx._("assigned work not carried out"),
        "cover_up": ctx._("serious cases hidden or not investigated"),
        "lax_supervision": ctx._("lax supervision of subordinates"),
        "improper_appointment": ctx._("improper appointments"),
        "false_data": ctx._("falsified data tolerated"),
        "other": ctx._("other"),
    }
    return names.get(str(value), str(value))


def category_name(ctx: Ctx, value: HandlingCategory | str) -> str:
    """组织处理 / 党纪政务处分."""
    if str(value) == HandlingCategory.ORGANISATIONAL.value:
        return ctx._("organisational handling")
    return ctx._("party or government discipline")


def kind_name(ctx: Ctx, category: HandlingCategory | str, kind: str) -> str:
    """The name of an organisational handling or a sanction kind."""
    if str(category) == HandlingCategory.DISCIPLINE.value:
        sanction = load_sanctions().get(kind)
        return sanction.name(ctx.t.language) if sanction else kind
    names = {
        "circulated_criticism": ctx._("circulated criticism"),
        "warning_talk": ctx._("warning talk"),
        "written_self_criticism": ctx._("written self-criticism"),
        "job_adjustment": ctx._("job adjustment"),
        "ordered_resignation": ctx._("ordered to resign"),
        "removal": ctx._("removal from post"),
        "demotion": ctx._("demotion"),
    }
    return names.get(kind, kind)


def any_kind_name(ctx: Ctx, kind: str) -> str:
    """The name of a kind code without knowing its category (discipline codes first)."""
    sanction = load_sanctions().get(kind)
    category = HandlingCategory.DISCIPLINE if sanction and sanction.is_discipline else "org"
    return kind_name(ctx, category, kind)


def status_names(ctx: Ctx) -> dict[str, str]:
    """Names of case states."""
    return {"open": ctx._("open"), "closed": ctx._("closed")}


# -- the case form -------------------------------------------------------------------------------
async def _parse_unit(ctx: Ctx, text: str, data: Data) -> dict[str, Any]:
    return unit_ref(await ctx.unit_in_scope(text, *WRITE_ROLES))


async def _parse_title(ctx: Ctx, text: str, data: Data) -> str:
    return read_text(ctx, text, max_len=200, min_len=4)


async def _parse_circumstance(ctx: Ctx, text: str, data: Data) -> str:
    value = text.strip()
    match = next(
        (c for c in CaseCircumstance if value in (c.value, circumstance_name(ctx, c))), None
    )
    if match is None:
        raise UserError(ctx._("Please choose with the buttons."))
    return match.value


def _circumstance_choices(ctx: Ctx, data: Data) -> list[tuple[str, str]]:
    return [(circumstance_name(ctx, c), c.value) for c in CaseCircumstance]


async def _parse_facts(ctx: Ctx, text: str, data: Data) -> str:
    return read_text(ctx, text, max_len=2000, min_len=4)


async def _parse_opened(ctx: Ctx, text: str, data: Data) -> str:
    return read_past_date(ctx, text).isoformat()


CASE_STEPS = [
    Step(
        "unit",
        label(FIELDS["unit_id"]),
        label(N_("In which unit did the case arise? Type its code or name.")),
        _parse_unit,
        show=show_ref,
    ),
    Step("title", label(FIELDS["title"]), label(N_("A short title for the case.")), _parse_title),
    Step(
        "circumstance",
        label(FIELDS["circumstance"]),
        label(N_("Which circumstance calls for accountability?")),
        _parse_circumstance,
        choices=_circumstance_choices,
        show=circumstance_name,
    ),
    Step(
        "facts", label(FIELDS["facts"]), label(N_("Briefly, the facts of the case.")), _parse_facts
    ),
    Step(
        "opened_on",
        label(FIELDS["opened_on"]),
        label(N_("On which day was the case opened?")),
        _parse_opened,
        choices=today_choice,
        show=show_date,
    ),
]


async def _finish_case(ctx: Ctx, data: Data) -> None:
    unit = await live_unit_in_scope(ctx, int(data["unit"]["id"]), *WRITE_ROLES)
    opened = from_iso(data["opened_on"])
    assert opened is not None
    if opened > ctx.local_now.date():
        raise UserError(
            ctx._("That date is in the future; please give the date on which it happened.")
        )
    values = {
        "unit_id": unit.id,
        "title": data["title"],
        "circumstance": CaseCircumstance(data["circumstance"]),
        "facts": data["facts"],
        "opened_on": opened,
    }
    if data.get("_edit"):
        rid = int(data["_edit"])
        loaded, access = await load_readable(ctx, KIND, rid)
        require(ctx, access.write)
        old = {k: getattr(loaded.record, k) for k in FIELDS}
        changed = await save_changes(
            ctx,
            RecordType.CASE,
            rid,
            int(data["_version"]),
            old,
            values,
            ctx.uow.records.cases.update,
        )
        if changed is None:
            return
        await ctx.audit("case.edited", "case", rid, unit.id, fields=changed)
        ctx.reply(
            ctx._("Accountability case #{id} saved.", id=rid)
            if changed
            else ctx._("Nothing was changed."),
            rows([button(ctx._("Open"), f"{PREFIX}:o:{rid}")]),
        )
        return
    case = await ctx.uow.records.cases.add(
        AccountabilityCase(
            id=0, status=CaseStatus.OPEN, created_by=ctx.me.id, created_at=ctx.now, **values
        )
    )
    await add_revision(ctx, RecordType.CASE, case.id, "create")
    await ctx.audit("case.opened", "case", case.id, unit.id)
    ctx.reply(
        ctx._("Accountability case #{id} opened. Now add the people held accountable.", id=case.id),
        rows(
            [
                button(ctx._("➕ Add a person"), f"{PREFIX}:p:{case.id}"),
                button(ctx._("Open"), f"{PREFIX}:o:{case.id}"),
            ]
        ),
    )


def _case_title(ctx: Ctx, data: Data) -> str:
    if data.get("_edit"):
        return ctx._("Edit accountability case #{id}", id=data["_edit"])
    return ctx._("New accountability case")


CASE_FORM = StepForm("rec_case", _case_title, CASE_STEPS, _finish_case, roles=WRITE_ROLES)
router.add_form(CASE_FORM)


# -- the person-in-case form ---------------------------------------------------------------------
async def _parse_person(ctx: Ctx, text: str, data: Data) -> dict[str, Any]:
    person = await person_in_scope(ctx, text, *WRITE_ROLES)
    if person.id == ctx.me.id:
        raise UserError(ctx._("You cannot record this about yourself."))
    return await person_ref(ctx, person)


_CATEGORY_WORDS = {
    "organisational": "organisational",
    "组织处理": "organisational",
    "discipline": "discipline",
    "纪律处分": "discipline",
    "党纪政务处分": "discipline",
    "党纪政纪处分": "discipline",
}


async def _parse_category(ctx: Ctx, text: str, data: Data) -> str:
    value = _CATEGORY_WORDS.get(text.strip().lower())
    if value is None:
        raise UserError(ctx._("Please choose with the buttons."))
    if data.get("category") not in (None, value):
        data.pop("kind", None)  # a kind of the other category no longer fits
    return value


def _category_choices(ctx: Ctx, data: Data) -> list[tuple[str, str]]:
    return [(category_name(ctx, c), c.value) for c in HandlingCategory]


async def _parse_kind(ctx: Ctx, text: str, data: Data) -> str:
    return _kind_code(ctx, str(data.get("category")), text)


def _kind_code(ctx: Ctx, category: str, text: str) -> str:
    """The stored code for what the person chose or typed; refuses kinds that do not exist."""
    value = text.strip()
    if category == HandlingCategory.DISCIPLINE.value:
        sanction = load_sanctions().find_discipline(value)
        if sanction is None:
            raise UserError(
                ctx._(
                    "Unknown sanction kind “{kind}”. Please choose with the buttons.",
                    kind=value[:40],
                )
            )
        return sanction.code
    match = next(
        (k for k in OrgHandling if value in (k.value, kind_name(ctx, category, k.value))), None
    )
    if match is None:
        raise UserError(
            ctx._("Unknown handling “{kind}”. Please choose with the buttons.", kind=value[:40])
        )
    return match.value


def _kind_choices(ctx: Ctx, data: Data) -> list[tuple[str, str]]:
    category = str(data.get("category"))
    if category == HandlingCategory.DISCIPLINE.value:
        return [(k.name(ctx.t.language), k.code) for k in load_sanctions().discipline_kinds()]
    return [(kind_name(ctx, category, k.value), k.value) for k in OrgHandling]


async def _parse_effective(ctx: Ctx, text: str, data: Data) -> str:
    effective = read_past_date(ctx, text)
    await _not_before_opening(ctx, effective, data)
    return effective.isoformat()


async def _not_before_opening(ctx: Ctx, effective: date, data: Data) -> None:
    """A handling cannot take effect before its case was opened (立案)."""
    case = await ctx.uow.records.cases.get(int(data["case"])) if data.get("case") else None
    if case is not None and effective < case.opened_on:
        raise UserError(
            ctx._(
                "The decision cannot take effect ({date}) before the case was opened ({opened}); please check the date.",
                date=fmt_date(effective),
                opened=fmt_date(case.opened_on),
            )
        )


async def _parse_note(ctx: Ctx, text: str, data: Data) -> str:
    return read_text(ctx, text, max_len=1000)


PERSON_STEPS = [
    Step(
        "person",
        label(PERSON_FIELDS["person_id"]),
        label(
            N_(
                "Who is held accountable? Type the person's name (or the person number, such as P28)."
            )
        ),
        _parse_person,
        show=show_ref,
    ),
    Step(
        "category",
        label(PERSON_FIELDS["category"]),
        label(N_("Organisational handling, or party or government discipline?")),
        _parse_category,
        choices=_category_choices,
        show=category_name,
    ),
    Step(
        "kind",
        label(PERSON_FIELDS["kind"]),
        label(N_("Which kind?")),
        _parse_kind,
        choices=_kind_choices,
        show=lambda ctx, v: any_kind_name(ctx, str(v)),
    ),
    Step(
        "effective_on",
        label(PERSON_FIELDS["effective_on"]),
        label(N_("From which day does the decision take effect?")),
        _parse_effective,
        choices=today_choice,
        show=show_date,
    ),
    Step(
        "note",
        label(PERSON_FIELDS["note"]),
        label(N_("A note (Skip if none).")),
        _parse_note,
        skippable=True,
    ),
]


async def _finish_person(ctx: Ctx, data: Data) -> None:
    case_id = int(data["case"])
    loaded, access = await load_readable(ctx, KIND, case_id)
    require(ctx, access.write)
    case: AccountabilityCase = loaded.record
    person = await live_person_in_scope(ctx, int(data["person"]["id"]), *WRITE_ROLES)
    if person.id == ctx.me.id:
        raise UserError(ctx._("You cannot record this about yourself."))
    category = HandlingCategory(data["category"])
    if not data.get("kind"):
        raise UserError(ctx._("Please choose the kind again (Edit: Kind)."))
    kind = _kind_code(ctx, category.value, str(data["kind"]))
    effective = from_iso(data["effective_on"])
    assert effective is not None
    if effective > ctx.local_now.date():
        raise UserError(
            ctx._("That date is in the future; please give the date on which it happened.")
        )
    await _not_before_opening(ctx, effective, data)
    edit_id = data.get("_edit")
    others = [p for p in await ctx.uow.records.cases.people(case_id) if p.id != edit_id]
    track = handling_track(category, kind)
    same = next(
        (
            p
            for p in others
            if p.person_id == person.id and p.track == track and p.revoked_on is None
        ),
        None,
    )
    if same is not None:
        # One party sanction and one government sanction per person and case (several
        # violations are merged into one); other tracks may be added beside it.
        raise UserError(
            ctx._(
                "{name} already has {kind} in this case; one case gives one person one party sanction and one government sanction (several violations are merged). Edit that entry instead.",
                name=person.name,
                kind=kind_name(ctx, same.category.value, same.kind),
            )
        )
    values: dict[str, Any] = {
        "person_id": person.id,
        "category": category,
        "kind": kind,
        "effective_on": effective,
        "note": data.get("note") or "",
    }
    if edit_id:
        await _finish_person_edit(ctx, int(edit_id), data, values, person.unit_id)
        return
    row = await ctx.uow.records.cases.add_person(
        CasePerson(
            id=0,
            case_id=case_id,
            unit_id=person.unit_id,
            created_by=ctx.me.id,
            created_at=ctx.now,
            **values,
        )
    )
    await add_revision(ctx, RecordType.CASE_PERSON, row.id, "create")
    await add_revision(
        ctx, RecordType.CASE, case_id, "person_added", {"person_id": (None, person.id)}
    )
    await ctx.audit("case.person_added", "case", case_id, case.unit_id, handling=row.id)
    ctx.reply(
        ctx._("{name} added to accountability case #{id}.", name=person.name, id=case_id),
        rows(
            [
                button(ctx._("➕ Add another person"), f"{PREFIX}:p:{case_id}"),
                button(ctx._("Open"), f"{PREFIX}:o:{case_id}"),
            ]
        ),
    )


async def _finish_person_edit(
    ctx: Ctx, rid: int, data: Data, values: dict[str, Any], unit_id: int
) -> None:
    loaded, access = await load_readable(ctx, PERSON_KIND, rid)
    require(ctx, access.write)
    row: CasePerson = loaded.record
    old = {k: getattr(row, k) for k in PERSON_FIELDS}
    if values["person_id"] != row.person_id:
        values["unit_id"] = unit_id
    changed = await save_changes(
        ctx,
        RecordType.CASE_PERSON,
        rid,
        int(data["_version"]),
        old,
        values,
        ctx.uow.records.cases.update_person,
    )
    if changed is None:
        return
    await ctx.audit(
        "case.person_edited", "case", row.case_id, loaded.unit_id, handling=rid, fields=changed
    )
    ctx.reply(
        ctx._("Handling #{id} saved.", id=rid) if changed else ctx._("Nothing was changed."),
        rows([button(ctx._("Open"), f"{PREFIX}:o:{row.case_id}")]),
    )


PERSON_FORM = StepForm(
    "rec_case_person",
    lambda ctx, d: (
        ctx._("Edit handling #{id}", id=d["_edit"])
        if d.get("_edit")
        else ctx._("Add a person to accountability case #{id}", id=d.get("case", ""))
    ),
    PERSON_STEPS,
    _finish_person,
    roles=WRITE_ROLES,
)
router.add_form(PERSON_FORM)


# -- commands and buttons ------------------------------------------------------------------------
@router.command(
    "case",
    N_("Open an accountability case (责任追究)"),
    roles=WRITE_ROLES,
    private_only=True,
    order=46,
)
async def case_command(ctx: Ctx) -> None:
    """Start the case form, pre-filling the unit when one is given."""
    number = record_number(ctx.req.args)
    if number is not None:  # "#13" is a record number everywhere: open that record
        await open_record(ctx, KIND, number)
        return
    if ctx.req.args:
        unit = await _parse_unit(ctx, ctx.req.args, {})
        await CASE_FORM.start(ctx, {"unit": unit}, at="title")
        return
    await CASE_FORM.start(ctx)


@router.command(
    "cases",
    N_("Accountability cases: /cases [UNIT] [YEAR] [open|closed]"),
    private_only=True,
    order=47,
)
async def cases_command(ctx: Ctx) -> None:
    """List cases in the scope (staff) or the cases one is involved in."""
    await list_command(ctx, KIND)


async def _line(ctx: Ctx, c: AccountabilityCase) -> tuple[str, str]:
    unit = await ctx.uow.units.get(c.unit_id)
    involved = ctx._("{n} involved", n=len(await ctx.uow.records.cases.people(c.id)))
    return (
        f"#{c.id} {fmt_date(c.opened_on)} {unit.name if unit else '—'}：{c.title}"
        f"（{involved}，{status_names(ctx)[c.status.value]}）",
        f"#{c.id} {c.title}",
    )


@router.button(PREFIX, private_only=True)
async def case_button(ctx: Ctx, args: list[str]) -> None:
    """o open, e edit, p add person, c close (cc confirm), h history, d delete, l page, n new."""
    await press(ctx, KIND, args)


@router.button(PERSON_PREFIX, private_only=True)
async def case_person_button(ctx: Ctx, args: list[str]) -> None:
    """o open, e edit, rv revoked on review, h history, d delete one person's handling."""
    await press(ctx, PERSON_KIND, args)


async def _new(ctx: Ctx, args: list[str]) -> None:
    require(ctx, ctx.me.has_role(*WRITE_ROLES))
    await CASE_FORM.start(ctx)


async def _confirm_close(ctx: Ctx, args: list[str]) -> None:
    await _close(ctx, record_id(ctx, args), offset_arg(ctx, args, 2))


# -- revoked on review (复核/申诉) ------------------------------------------------------------
async def _start_revoke(ctx: Ctx, rid: int) -> None:
    """Record that a handling was revoked on review; a changed one is edited instead."""
    loaded, access = await load_readable(ctx, PERSON_KIND, rid)
    require(ctx, access.write)
    row: CasePerson = loaded.record
    if row.revoked_on is not None:
        raise UserError(
            ctx._("This handling was already revoked on {date}.", date=fmt_date(row.revoked_on))
        )
    await REVOKE_FORM.start(
        ctx,
        {"_edit": rid, "_version": row.version, "_effective": row.effective_on.isoformat()},
    )


async def _parse_revoked_on(ctx: Ctx, text: str, data: Data) -> str:
    day = read_past_date(ctx, text)
    effective = from_iso(data.get("_effective"))
    if effective is not None and day < effective:
        raise UserError(
            ctx._(
                "The revocation ({date}) cannot be before the decision took effect ({effective}).",
                date=fmt_date(day),
                effective=fmt_date(effective),
            )
        )
    return day.isoformat()


async def _parse_revoke_reason(ctx: Ctx, text: str, data: Data) -> str:
    return read_text(ctx, text, max_len=500, min_len=4)


async def _finish_revoke(ctx: Ctx, data: Data) -> None:
    rid = int(data["_edit"])
    loaded, access = await load_readable(ctx, PERSON_KIND, rid)
    require(ctx, access.write)
    row: CasePerson = loaded.record
    day = from_iso(data["revoked_on"])
    assert day is not None
    ok = await ctx.uow.records.cases.update_person(
        rid,
        int(data["_version"]),
        {"revoked_on": day, "revoke_reason": str(data["reason"])},
        ctx.now,
    )
    if not ok:
        raise Conflict()
    await add_revision(
        ctx,
        RecordType.CASE_PERSON,
        rid,
        "revoke",
        {"revoked_on": (None, day), "revoke_reason": (None, str(data["reason"]))},
    )
    await ctx.audit("case.handling_revoked", "case", row.case_id, loaded.unit_id, handling=rid)
    ctx.reply(
        ctx._(
            "Handling #{id} is recorded as revoked on review from {date}: it no longer bars promotion or rating and no longer counts in the figures.",
            id=rid,
            date=fmt_date(day),
        ),
        rows([button(ctx._("Open"), f"{PERSON_PREFIX}:o:{rid}")]),
    )


REVOKE_FORM = StepForm(
    "rec_case_revoke",
    lambda ctx, d: ctx._("Revoked on review: handling #{id}", id=d.get("_edit", "")),
    [
        Step(
            "revoked_on",
            label(N_("Revoked on")),
            label(N_("On which day was it revoked (the review or appeal decision)?")),
            _parse_revoked_on,
            choices=today_choice,
            show=show_date,
        ),
        Step(
            "reason",
            label(N_("Reason for revoking")),
            label(N_("Why was it revoked? (e.g. 复核认定事实不清，撤销原处分决定)")),
            _parse_revoke_reason,
        ),
    ],
    _finish_revoke,
    roles=WRITE_ROLES,
)
router.add_form(REVOKE_FORM)


async def _handling_line(ctx: Ctx, row: CasePerson) -> str:
    return (
        f"{await person_label(ctx, row.person_id)} — {category_name(ctx, row.category)}："
        f"{kind_name(ctx, row.category, row.kind)}，"
        + ctx._("effective {date}", date=fmt_date(row.effective_on))
    )


async def _detail(ctx: Ctx, case: AccountabilityCase, access: Access) -> Detail:
    """A case; staff see everyone handled, an involved cadre only his or her handling."""
    rid = case.id
    unit = await ctx.uow.units.get(case.unit_id)
    status = status_names(ctx)[case.status.value]
    if case.closed_on:
        status += f"（{fmt_date(case.closed_on)}）"
    lines = [
        ctx._("Accountability case #{id}", id=rid),
        f"{_label(ctx, 'title')}: {case.title}",
        f"{_label(ctx, 'unit_id')}: {unit.name if unit else '—'}",
        f"{_label(ctx, 'opened_on')}: {fmt_date(case.opened_on)}",
        f"{_label(ctx, 'status')}: {status}",
    ]
    keyboard: list[list[Button]] = []
    if access.staff:
        lines += [
            f"{_label(ctx, 'circumstance')}: {circumstance_name(ctx, case.circumstance)}",
            f"{_label(ctx, 'facts')}: {case.facts}",
        ]
        keyboard += await _people(ctx, rid, lines)
    else:
        people = await ctx.uow.records.cases.people(rid)
        lines += ["", ctx._("Your handling in this case:")]
        lines += [await _handling_line(ctx, r) for r in people if r.person_id == ctx.me.id]
    if access.write and case.status == CaseStatus.OPEN:
        keyboard.append(
            [
                button(ctx._("➕ Add a person"), f"{PREFIX}:p:{rid}"),
                button(ctx._("🔒 Close the case"), f"{PREFIX}:c:{rid}"),
            ]
        )
    return lines, keyboard + record_buttons(ctx, PREFIX, rid, access)


async def _people(ctx: Ctx, rid: int, lines: list[str]) -> list[list[Button]]:
    """Staff: the people handled in the case that they may see, each with its button."""
    people = await ctx.uow.records.cases.people(rid)
    shown = [row for row in people if await sees_handling(ctx, row)]
    lines += ["", ctx._("People held accountable ({n}):", n=len(people))]
    keyboard = []
    for i, row in enumerate(shown, 1):
        lines.append(f"{i}. {await _handling_line(ctx, row)}")
        keyboard.append([button(f"👤 {i}. #{row.id}", f"{PERSON_PREFIX}:o:{row.id}")])
    if hidden := len(people) - len(shown):
        lines.append(ctx._("People outside your scope, not shown: {n}", n=hidden))
    return keyboard


async def _handling_detail(ctx: Ctx, row: CasePerson, access: Access) -> Detail:
    """One person's handling in a case."""
    rid = row.id
    unit = await ctx.uow.units.get(row.unit_id)
    lines = [
        ctx._("Handling #{id} in accountability case #{case}", id=rid, case=row.case_id),
        f"{_plabel(ctx, 'person_id')}: {await person_label(ctx, row.person_id)}",
        f"{_plabel(ctx, 'unit_id')}: {unit.name if unit else '—'}",
        f"{_plabel(ctx, 'category')}: {category_name(ctx, row.category)}",
        f"{_plabel(ctx, 'kind')}: {kind_name(ctx, row.category, row.kind)}",
        f"{_plabel(ctx, 'effective_on')}: {fmt_date(row.effective_on)}",
        f"{_plabel(ctx, 'note')}: {row.note or '—'}",
    ]
    if row.revoked_on is not None:
        lines.append(
            ctx._(
                "⚠️ Revoked on review from {date}: {reason}",
                date=fmt_date(row.revoked_on),
                reason=row.revoke_reason or "—",
            )
        )
    keyboard = record_buttons(ctx, PERSON_PREFIX, rid, access)
    if access.write and row.revoked_on is None:
        keyboard.append(
            [button(ctx._("Revoked on review (复核/申诉)"), f"{PERSON_PREFIX}:rv:{rid}")]
        )
    keyboard.append([button(ctx._("◀ The case"), f"{PREFIX}:o:{row.case_id}")])
    return lines, keyboard


async def _start_edit(ctx: Ctx, rid: int) -> None:
    loaded, access = await load_readable(ctx, KIND, rid)
    require(ctx, access.write)
    case: AccountabilityCase = loaded.record
    unit = await ctx.uow.units.get(case.unit_id)
    assert unit is not None
    data: Data = {
        "unit": unit_ref(unit),
        "title": case.title,
        "circumstance": case.circumstance.value,
        "facts": case.facts,
        "opened_on": case.opened_on.isoformat(),
        "_edit": rid,
        "_version": case.version,
    }
    await ctx.audit("case.viewed", "case", rid, case.unit_id, purpose="edit")
    await CASE_FORM.open_review(ctx, data)


async def _start_add_person(ctx: Ctx, rid: int) -> None:
    loaded, access = await load_readable(ctx, KIND, rid)
    require(ctx, access.write)
    if loaded.record.status != CaseStatus.OPEN:
        raise UserError(ctx._("This case is closed; people can no longer be added."))
    await PERSON_FORM.start(ctx, {"case": rid})


async def _start_person_edit(ctx: Ctx, rid: int) -> None:
    loaded, access = await load_readable(ctx, PERSON_KIND, rid)
    require(ctx, access.write)
    row: CasePerson = loaded.record
    person = await ctx.uow.people.get(row.person_id)
    data: Data = {
        "case": row.case_id,
        "person": await person_ref(ctx, person) if person else {"id": row.person_id},
        "category": row.category.value,
        "kind": row.kind,
        "effective_on": row.effective_on.isoformat(),
        "note": row.note or None,
        "_edit": rid,
        "_version": row.version,
    }
    await ctx.audit(
        "case.person_viewed", "case", row.case_id, loaded.unit_id, handling=rid, purpose="edit"
    )
    await PERSON_FORM.open_review(ctx, data)


async def _ask_close(ctx: Ctx, rid: int) -> None:
    loaded, access = await load_readable(ctx, KIND, rid)
    require(ctx, access.write)
    case: AccountabilityCase = loaded.record
    if case.status != CaseStatus.OPEN:
        raise UserError(ctx._("This case is already closed."))
    people = await ctx.uow.records.cases.people(rid)
    ctx.reply(
        ctx._("Close accountability case #{id} ({title})?", id=rid, title=case.title)
        + "\n"
        + ctx._("People held accountable: {n}.", n=len(people)),
        rows(
            [
                button(ctx._("🔒 Close the case"), f"{PREFIX}:cc:{rid}:{case.version}"),
                button(ctx._("Cancel"), f"{PREFIX}:o:{rid}"),
            ]
        ),
    )


async def _close(ctx: Ctx, rid: int, version: int) -> None:
    loaded, access = await load_readable(ctx, KIND, rid)
    require(ctx, access.write)
    case: AccountabilityCase = loaded.record
    if case.status != CaseStatus.OPEN:
        raise UserError(ctx._("This case is already closed."))
    old = {"status": case.status, "closed_on": case.closed_on}
    new = {"status": CaseStatus.CLOSED, "closed_on": ctx.local_now.date()}
    changed = await save_changes(
        ctx, RecordType.CASE, rid, version, old, new, ctx.uow.records.cases.update, action="close"
    )
    if changed is None:
        return
    await ctx.audit("case.closed", "case", rid, case.unit_id)
    ctx.reply(ctx._("Accountability case #{id} is closed.", id=rid), edit=True)


PERSON_KIND = register(
    RecordKind(
        RecordType.CASE_PERSON,
        PERSON_PREFIX,
        N_("Handling of a person"),
        PERSON_FIELDS,
        _Handlings,
        custom_load=_load_person,
        display=lambda ctx, field, value: _display(ctx, field, value),
        # A handling is logged on its case: "case.person_viewed" on ("case", case id).
        audit_as=lambda loaded, rid: AuditAs(
            "case.person_", "case", loaded.record.case_id, {"handling": rid}, loaded.unit_id
        ),
        detail=_handling_detail,
        actions={"e": on_record(_start_person_edit), "rv": on_record(_start_revoke)},
    )
)
KIND = register(
    RecordKind(
        RecordType.CASE,
        PREFIX,
        N_("Accountability case"),
        FIELDS,
        lambda uow: uow.records.cases,
        own=_involved,
        display=lambda ctx, field, value: _display(ctx, field, value),
        hidden=_hidden_in_history,
        listing=Listing(
            "cases",
            N_("Accountability cases: /cases [UNIT] [YEAR] [open|closed]"),
            47,
            N_("Accountability cases"),
            N_("➕ New case"),
            STATUSES,
            status_names,
            _line,
        ),
        detail=_detail,
        actions={
            "n": _new,
            "e": on_record(_start_edit),
            "p": on_record(_start_add_person),
            "c": on_record(_ask_close),
            "cc": _confirm_close,
        },
    )
)


__all__ = ["CASE_FORM", "PERSON_FORM", "router"]
