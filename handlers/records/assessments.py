"""Assessment results (考核结果) of units and people per year: /assess records one,
/assessments lists them. One live result per subject and year: a second one is refused
(edit the first instead), so nothing is silently overwritten. Rating a person excellent or
advanced in a year an effect period bars asks for confirmation, noted in the audit log.
The form's steps are in assessment_steps.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from handlers.core.context import Ctx, button, rows
from handlers.core.domain import Grade
from handlers.core.errors import UserError
from handlers.core.forms import REVIEW, Data
from handlers.core.i18n import N_
from handlers.core.rating_bars import RATING_BARS, RatingBar, barred_lines
from handlers.org.people import person_label
from handlers.records.assessment_steps import (
    FIELDS,
    STEPS,
    allowed_commendation,
    commendation_name,
    duplicate,
    result_name,
    show_methods,
    start_with_target,
)
from handlers.records.common import WRITE_ROLES, Access, live_unit_in_scope, record_buttons, require
from handlers.records.domain import (
    Assessment,
    AssessmentMethod,
    Commendation,
    RecordType,
    SubjectType,
)
from handlers.records.engine import finish, form_data, mount, person_answer, unit_answer
from handlers.records.inputs import from_iso
from handlers.records.kind import (
    Detail,
    Listing,
    RecordForm,
    RecordKind,
    about_me,
    stamped,
)
from handlers.records.ports import records_of
from handlers.records.steps import live_subject

PREFIX = "as"


# -- confirmation --------------------------------------------------------------------------------
async def _validate(ctx: Ctx, data: Data) -> dict[str, Any]:
    """Re-check everything at confirmation; returns the record's field values."""
    subject, target = data.get("subject"), data.get("target")
    if not isinstance(target, dict) or ("code" in target) != (subject == "unit"):
        raise UserError(ctx._("Please choose the unit or person again (Edit: Unit or person)."))
    if subject == "unit":
        unit = await live_unit_in_scope(ctx, int(target["id"]), *WRITE_ROLES)
        unit_id, person_id = unit.id, None
    else:
        person = await live_subject(ctx, int(target["id"]))
        unit_id, person_id = person.unit_id, person.id
    year = int(data["year"])
    result = Grade(data["result"])
    commendation = Commendation(data["commendation"]) if data.get("commendation") else None
    if commendation is not None and (
        result == Grade.FAILED or commendation != allowed_commendation(subject)
    ):
        raise UserError(ctx._("A failed assessment cannot go with a commendation."))
    assessed_on = from_iso(data["assessed_on"])
    assert assessed_on is not None
    if assessed_on > ctx.local_now.date() or assessed_on.year < year:
        raise UserError(ctx._("The assessment date cannot be before the year assessed."))
    existing = await records_of(ctx.uow).assessments.find(unit_id, person_id, year)
    if existing is not None and existing.id != data.get("_edit"):
        raise duplicate(ctx, existing.id)
    values = {
        "unit_id": unit_id,
        "person_id": person_id,
        "year": year,
        "result": result,
        "methods": tuple(AssessmentMethod(m) for m in data["methods"]),
        "commendation": commendation,
        "assessed_on": assessed_on,
        "notes": data.get("notes") or "",
    }
    return values | {"rated_despite_bar": await _rated_despite_bar(ctx, data, values)}


async def _rated_despite_bar(ctx: Ctx, data: Data, values: dict[str, Any]) -> bool:
    """Refuse (with a confirm-anyway button) rating a person excellent or advanced for a year
    in which an effect period bars it; True when that was confirmed (and audited)."""
    rates_advanced = values["result"] == Grade.EXCELLENT
    rates_advanced |= values["commendation"] == Commendation.ADVANCED_WORKER
    if values["person_id"] is None or not rates_advanced:
        return False
    edited = data.get("_edit")
    person_id, year = int(values["person_id"]), int(values["year"])
    replacing = int(edited) if edited else None
    bars = await RATING_BARS(ctx.uow, person_id, year, ctx.local_now.date(), replacing)
    if not bars:
        return False
    if not data.get("_override"):
        raise _barred(
            ctx,
            str(data["target"].get("name", "")),
            year,
            bars,
            values["result"] == Grade.EXCELLENT,
            values["commendation"] == Commendation.ADVANCED_WORKER,
        )
    await ctx.audit(
        "assessment.rated_despite_bar",
        "person",
        person_id,
        values["unit_id"],
        year=year,
        bars=[b.kind for b in bars],
    )
    return True


def _barred(
    ctx: Ctx,
    name: str,
    year: int,
    bars: Sequence[RatingBar],
    excellent: bool,
    advanced: bool,
) -> UserError:
    """The refusal, naming each running period, with "record it anyway" and a button to
    change each field that rates the person up (the result 优秀, the commendation 先进)."""
    lines = barred_lines(ctx, name, year, bars)
    return UserError(
        "\n".join(lines),
        rows(
            [button(ctx._("Record it anyway"), f"{PREFIX}:ov")],
            [
                *([button(ctx._("Change the result"), "f:edit:result")] if excellent else []),
                *(
                    [button(ctx._("Change the commendation"), "f:edit:commendation")]
                    if advanced
                    else []
                ),
                button(ctx._("Cancel"), "f:cancel"),
            ],
        ),
    )


async def _record_anyway(ctx: Ctx, args: list[str]) -> None:
    """The confirm-anyway button under a rating refused for a running effect period: finish
    the form at its review screen with the override noted."""
    require(ctx, ctx.me.has_role(*WRITE_ROLES))
    state = await ctx.uow.conversations.load(ctx.req.chat_id, ctx.req.user_id)
    if state is None or state.form != "rec_assess" or state.step != REVIEW:
        ctx.reply(ctx._("That button is no longer valid."))
        return
    await finish(ctx, KIND, {**state.data, "_override": True})
    await ctx.clear_form()


async def _edit_data(ctx: Ctx, a: Assessment) -> Data:
    if a.subject_type == SubjectType.UNIT:
        target = await unit_answer(ctx, a.unit_id)
    else:
        target = await person_answer(ctx, a.person_id or 0)
    return {"subject": a.subject_type.value, "target": target} | await form_data(ctx, a, STEPS[2:])


# -- list and detail -----------------------------------------------------------------------------
async def _subject_label(ctx: Ctx, a: Assessment) -> str:
    if a.person_id is not None:
        return await person_label(ctx, a.person_id)
    unit = await ctx.uow.units.get(a.unit_id)
    return unit.name if unit else "—"


async def _line(ctx: Ctx, a: Assessment) -> tuple[str, str]:
    who = await _subject_label(ctx, a)
    star = " ⭐" if a.commendation else ""
    return f"#{a.id} {a.year} {who}: {result_name(ctx, a.result)}{star}", f"#{a.id} {a.year} {who}"


async def _detail(ctx: Ctx, a: Assessment, access: Access) -> Detail:
    lines = [ctx._("Assessment result #{id}", id=a.id)]
    subject = "person_id" if a.person_id is not None else "unit_id"
    keys = (subject, "year", "result", "methods", "commendation", "assessed_on", "notes")
    lines += await KIND.lines(ctx, a, keys)
    return lines, record_buttons(ctx, PREFIX, a.id, access)


KIND = RecordKind(
    RecordType.ASSESSMENT,
    PREFIX,
    N_("Assessment result"),
    FIELDS,
    lambda uow: records_of(uow).assessments,
    own=about_me,
    display={
        "result": result_name,
        "methods": show_methods,
        "commendation": commendation_name,
    },
    listing=Listing(
        "assessments",
        N_("Assessment results: /assessments [UNIT] [YEAR] [excellent|passed|failed]"),
        45,
        N_("Assessment results"),
        N_("➕ New result"),
        lambda ctx: {r.value: result_name(ctx, r) for r in Grade},
        _line,
    ),
    detail=_detail,
    form=RecordForm(
        "rec_assess",
        (N_("New assessment result"), N_("Edit assessment result #{id}")),
        STEPS,
        stamped(Assessment),
        N_("Assessment result #{id} saved."),
        validate=_validate,
        command=("assess", N_("Record an assessment result of a unit or a person"), 44),
        start_with=start_with_target,
        created=N_("Assessment result #{id} recorded."),
        created_verb="recorded",
        edit_data=_edit_data,
        keeps_unit=True,
        # The flag notes how the result was first recorded; an edit's override is
        # audited only.
        before_save=lambda ctx, a, values: values.pop("rated_despite_bar"),
    ),
    actions={"ov": _record_anyway},
)
router = mount(KIND)
