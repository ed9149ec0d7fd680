"""People held accountable in a case (``cp`` buttons): each person's handling —
organisational handling or party/government discipline (a kind from
knowledge/data/sanctions.yaml) — and its effective date; added from the case, opened,
edited, revoked on review (handling_revoke.py) or deleted one by one.

A handling keeps the person's unit at the time, so counts by unit stay right after
transfers; scope follows the case's unit, and a handling of someone outside the reader's
scope is not shown (cases are handled across units and places).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from handlers.core.context import Ctx, button, rows
from handlers.core.errors import UserError
from handlers.core.forms import Data
from handlers.core.i18n import N_
from handlers.core.ports import UnitOfWork
from handlers.core.types import Button
from handlers.org.people import person_label
from handlers.records.common import Access, add_revision, record_buttons
from handlers.records.domain import (
    READ_ROLES,
    CasePerson,
    CaseStatus,
    HandlingCategory,
    RecordType,
    Tombstone,
    handling_track,
)
from handlers.records.engine import form_data, mount, on_record, step_form
from handlers.records.handling_revoke import REVOKE_FORM, start_revoke
from handlers.records.handling_steps import (
    PERSON_FIELDS,
    STEPS,
    any_kind_name,
    category_name,
    kind_code,
    kind_name,
    not_before_opening,
)
from handlers.records.inputs import fmt_date
from handlers.records.kind import (
    KINDS,
    AuditAs,
    Detail,
    Loaded,
    RecordForm,
    RecordKind,
    load_writable,
)
from handlers.records.ports import Changes, records_of
from handlers.records.steps import live_subject, past_day

PREFIX = "cp"
CASE_PREFIX = "cs"


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


async def handling_line(ctx: Ctx, row: CasePerson) -> str:
    """One line of a case's detail: who, which handling, from when, and whether it was
    revoked on review (the case's line had read as if it still applied)."""
    parts = [
        kind_name(ctx, row.category, row.kind),
        ctx._("effective {date}", date=fmt_date(row.effective_on)),
    ]
    if row.revoked_on is not None:
        parts.append("⚠️ " + ctx._("revoked on review from {date}", date=fmt_date(row.revoked_on)))
    return (
        f"{await person_label(ctx, row.person_id)} — {category_name(ctx, row.category)}"
        + ctx.t.colon
        + ctx.t.listing(parts)
    )


async def people_lines(ctx: Ctx, rid: int, lines: list[str]) -> list[list[Button]]:
    """Staff: the people handled in the case that they may see, each with its button."""
    people = await records_of(ctx.uow).cases.people(rid)
    shown = [row for row in people if await sees_handling(ctx, row)]
    # A line per handling, counted per person (a sanction and organisational handling of
    # one person are two lines, one person).
    lines += ["", ctx._("People held accountable ({n}):", n=len({r.person_id for r in people}))]
    keyboard = []
    for i, row in enumerate(shown, 1):
        lines.append(f"{i}. {await handling_line(ctx, row)}")
        # The person's name on the button (a handling's own number told the reader nothing).
        who = await ctx.uow.people.get(row.person_id)
        label = f"👤 {i}. {who.name if who else f'#{row.id}'}"
        keyboard.append([button(label, f"{PREFIX}:o:{row.id}")])
    if hidden := len({r.person_id for r in people} - {r.person_id for r in shown}):
        lines.append(ctx._("People outside your scope, not shown: {n}", n=hidden))
    return keyboard


async def _load(ctx: Ctx, rid: int) -> Loaded | None:
    row = await records_of(ctx.uow).cases.get_person(rid)
    if row is None:
        return None
    case = await records_of(ctx.uow).cases.get(row.case_id)
    if case is None or not await sees_handling(ctx, row):
        return None  # out of scope looks the same as missing
    # Scope follows the case's unit; a deleted case hides its people too.
    tomb = row.deleted or case.deleted
    return Loaded(row, case.unit_id, row.version, tomb, own=row.person_id == ctx.me.id)


class _Handlings:
    """The people-in-case rows of the case repository, as the generic record code uses them."""

    def __init__(self, uow: UnitOfWork) -> None:
        self.cases = records_of(uow).cases

    async def add(self, row: CasePerson, /) -> CasePerson:
        return await self.cases.add_person(row)

    async def get(self, rid: int, /) -> CasePerson | None:
        return await self.cases.get_person(rid)

    async def update(self, rid: int, version: int, changes: Changes, at: datetime, /) -> bool:
        return await self.cases.update_person(rid, version, changes, at)

    async def delete(self, rid: int, version: int, tomb: Tombstone, /) -> bool:
        return await self.cases.delete_person(rid, version, tomb)


# -- adding and editing --------------------------------------------------------------------------
async def start_add_person(ctx: Ctx, case_id: int) -> None:
    """The case's "Add a person" button (writers, while the case is open)."""
    case = (await load_writable(ctx, KINDS[RecordType.CASE], case_id)).record
    if case.status != CaseStatus.OPEN:
        raise UserError(ctx._("This case is closed; people can no longer be added."))
    await step_form(KIND).start(ctx, {"case": case_id})


async def _validate(ctx: Ctx, data: Data) -> dict[str, Any]:
    """Re-check at confirmation, against the case (still writable) and its other people."""
    await load_writable(ctx, KINDS[RecordType.CASE], int(data["case"]))
    person = await live_subject(ctx, int(data["person"]["id"]))
    category = HandlingCategory(data["category"])
    if not data.get("kind"):
        raise UserError(ctx._("Please choose the kind again (Edit: Kind)."))
    kind = kind_code(ctx, category.value, str(data["kind"]))
    effective = past_day(ctx, data["effective_on"])
    await not_before_opening(ctx, effective, data)
    await _one_per_track(ctx, data, person.id, person.name, handling_track(category, kind))
    return {
        "person_id": person.id,
        "category": category,
        "kind": kind,
        "effective_on": effective,
        "note": data.get("note") or "",
        "unit_id": person.unit_id,
    }


async def _one_per_track(ctx: Ctx, data: Data, person_id: int, name: str, track: str) -> None:
    """One party sanction and one government sanction per person and case (several
    violations are merged into one); other tracks may be added beside it."""
    edit_id = data.get("_edit")
    others = [
        p for p in await records_of(ctx.uow).cases.people(int(data["case"])) if p.id != edit_id
    ]
    same = next(
        (
            p
            for p in others
            if p.person_id == person_id and p.track == track and p.revoked_on is None
        ),
        None,
    )
    if same is not None:
        raise UserError(
            ctx._(
                "{name} already has {kind} in this case; one case gives one person one party sanction and one government sanction (several violations are merged). Edit that entry instead.",
                name=name,
                kind=kind_name(ctx, same.category.value, same.kind),
            )
        )


def _new(ctx: Ctx, values: dict[str, Any], data: Data) -> CasePerson:
    case_id = int(data["case"])
    return CasePerson(id=0, case_id=case_id, created_by=ctx.me.id, created_at=ctx.now, **values)


async def _added(ctx: Ctx, row: CasePerson, data: Data) -> None:
    """Note the person in the case's history too, and offer to add another."""
    case_id = row.case_id
    case = await records_of(ctx.uow).cases.get(case_id)
    person = await ctx.uow.people.get(row.person_id)
    assert case is not None and person is not None
    change = {"person_id": (None, person.id)}
    await add_revision(ctx, RecordType.CASE, case_id, "person_added", change)
    await ctx.audit("case.person_added", "case", case_id, case.unit_id, handling=row.id)
    ctx.reply(
        ctx._("{name} added to accountability case #{id}.", name=person.name, id=case_id),
        rows(
            [
                button(ctx._("➕ Add another person"), f"{CASE_PREFIX}:p:{case_id}"),
                button(ctx._("Open"), f"{CASE_PREFIX}:o:{case_id}"),
            ]
        ),
    )


# -- detail --------------------------------------------------------------------------------------
async def _detail(ctx: Ctx, row: CasePerson, access: Access) -> Detail:
    """One person's handling in a case."""
    rid = row.id
    lines = [ctx._("Handling #{id} in accountability case #{case}", id=rid, case=row.case_id)]
    kind = kind_name(ctx, row.category, row.kind)
    lines += await KIND.lines(ctx, row, list(PERSON_FIELDS), kind=kind)
    if row.revoked_on is not None:
        lines.append(
            ctx._(
                "⚠️ Revoked on review from {date}: {reason}",
                date=fmt_date(row.revoked_on),
                reason=row.revoke_reason or "—",
            )
        )
    keyboard = record_buttons(ctx, PREFIX, rid, access)
    if access.write and row.revoked_on is None:
        keyboard.append([button(ctx._("Revoked on review (复核/申诉)"), f"{PREFIX}:rv:{rid}")])
    keyboard.append([button(ctx._("◀ The case"), f"{CASE_PREFIX}:o:{row.case_id}")])
    return lines, keyboard


KIND = RecordKind(
    RecordType.CASE_PERSON,
    PREFIX,
    N_("Handling of a person"),
    PERSON_FIELDS,
    _Handlings,
    custom_load=_load,
    display={"category": category_name, "kind": lambda ctx, v: any_kind_name(ctx, str(v))},
    # A handling is logged on its case: "case.person_viewed" on ("case", case id).
    audit_as=lambda loaded, rid: AuditAs(
        "case.person_", "case", loaded.record.case_id, {"handling": rid}, loaded.unit_id
    ),
    detail=_detail,
    form=RecordForm(
        "rec_case_person",
        lambda ctx, d: (
            ctx._("Edit handling #{id}", id=d["_edit"])
            if d.get("_edit")
            else ctx._("Add a person to accountability case #{id}", id=d.get("case", ""))
        ),
        STEPS,
        _new,
        N_("Handling #{id} saved."),
        validate=_validate,
        after_create=_added,
        edit_data=lambda ctx, row: form_data(ctx, row, STEPS, case=row.case_id),
        # The unit at the time stays unless the person changes.
        keeps_unit=True,
        back=lambda row: f"{CASE_PREFIX}:o:{row.case_id}",
    ),
    actions={"rv": on_record(start_revoke)},
    forms=[REVOKE_FORM],
)
router = mount(KIND)


__all__ = ["KIND", "handling_line", "people_lines", "router", "sees_handling", "start_add_person"]
