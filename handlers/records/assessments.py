"""Assessment results (考核结果) of units and people per year: /assess records one,
/assessments lists them. One live result per subject and year: a second one is refused
(edit the first instead), so nothing is silently overwritten.
"""

from __future__ import annotations

import re
from typing import Any

from handlers.core.context import Ctx, button, rows
from handlers.core.errors import UserError
from handlers.core.forms import REVIEW, Data, Step, StepForm
from handlers.core.i18n import N_
from handlers.core.router import Router
from handlers.eligibility.commands import rating_bars
from handlers.org.people import person_in_scope, record_number
from handlers.records.common import (
    WRITE_ROLES,
    Access,
    add_revision,
    label,
    live_person_in_scope,
    live_unit_in_scope,
    person_label,
    person_ref,
    record_buttons,
    require,
    save_changes,
    show_ref,
    unit_ref,
)
from handlers.records.domain import (
    Assessment,
    AssessmentMethod,
    AssessmentResult,
    Commendation,
    RecordType,
    SubjectType,
)
from handlers.records.engine import list_command, on_record, open_record, press
from handlers.records.inputs import (
    EARLIEST,
    fmt_date,
    from_iso,
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
from knowledge.sanctions import load_sanctions

router = Router()
PREFIX = "as"
STATUSES = tuple(r.value for r in AssessmentResult)
METHODS = list(AssessmentMethod)

FIELDS = {
    "unit_id": N_("Unit"),
    "person_id": N_("Person"),
    "year": N_("Year"),
    "result": N_("Result"),
    "methods": N_("Methods used"),
    "commendation": N_("Commendation"),
    "assessed_on": N_("Assessed on"),
    "notes": N_("Notes"),
}


def _label(ctx: Ctx, key: str) -> str:
    """The translated label of a field (keeps message extraction to the N_() above)."""
    return ctx._(FIELDS[key])


async def _own(ctx: Ctx, a: Assessment) -> bool:
    return a.person_id == ctx.me.id


def _display(ctx: Ctx, field: str, value: Any) -> str | None:
    if field == "result":
        return result_name(ctx, value)
    if field == "methods":
        return _show_methods(ctx, value)
    if field == "commendation":
        return commendation_name(ctx, value)
    return None


def result_name(ctx: Ctx, result: AssessmentResult | str) -> str:
    """优秀 / 达标 / 不达标."""
    names = {
        "excellent": ctx._("excellent"),
        "passed": ctx._("passed"),
        "failed": ctx._("failed"),
    }
    return names.get(str(result), str(result))


def method_name(ctx: Ctx, method: AssessmentMethod | str) -> str:
    """Names of the five assessment methods."""
    names = {
        "self_check": ctx._("unit self-check"),
        "hearing_reports": ctx._("hearing reports"),
        "examining_records": ctx._("examining records"),
        "democratic_appraisal": ctx._("democratic appraisal"),
        "discussion_meetings": ctx._("discussion meetings"),
    }
    return names.get(str(method), str(method))


def commendation_name(ctx: Ctx, value: Commendation | str | None) -> str:
    """Names of commendations (a dash for none)."""
    names = {"advanced_unit": ctx._("advanced unit"), "advanced_worker": ctx._("advanced worker")}
    return names.get(str(value), "—") if value else "—"


# -- the form ------------------------------------------------------------------------------------
_SUBJECT_WORDS = {
    "unit": "unit",
    "单位": "unit",
    "person": "person",
    "个人": "person",
    "人": "person",
}


async def _parse_subject(ctx: Ctx, text: str, data: Data) -> str:
    subject = _SUBJECT_WORDS.get(text.strip().lower())
    if subject is None:
        raise UserError(ctx._("Please choose with the buttons: a unit or a person."))
    if data.get("subject") not in (None, subject):
        # The chosen unit or person no longer fits; ask for it again at the review.
        data.pop("target", None)
        data.pop("commendation", None)
    return subject


def _subject_choices(ctx: Ctx, data: Data) -> list[tuple[str, str]]:
    return [(ctx._("A unit"), "unit"), (ctx._("A person"), "person")]


async def _parse_target(ctx: Ctx, text: str, data: Data) -> dict[str, Any]:
    if data.get("subject") == "unit":
        return unit_ref(await ctx.unit_in_scope(text, *WRITE_ROLES))
    person = await person_in_scope(ctx, text, *WRITE_ROLES)
    if person.id == ctx.me.id:
        raise UserError(ctx._("You cannot record this about yourself."))
    return await person_ref(ctx, person)


def _target_prompt(ctx: Ctx, data: Data) -> str:
    if data.get("subject") == "unit":
        return ctx._("Which unit was assessed? Type its code or name.")
    return ctx._("Who was assessed? Type the person's name (or the person number, such as P28).")


async def _parse_year(ctx: Ctx, text: str, data: Data) -> int:
    m = re.fullmatch(r"\s*(\d{4})\s*年?度?\s*", text)
    year = int(m[1]) if m else 0
    if not EARLIEST.year <= year <= ctx.local_now.year:
        raise UserError(ctx._("Please give a year like {year}.", year=ctx.local_now.year))
    target = data.get("target")
    if isinstance(target, dict) and target.get("id"):
        # Tell now rather than after every other question (checked again at confirmation).
        unit_id = int(target["id"]) if data.get("subject") == "unit" else 0
        person_id = None if data.get("subject") == "unit" else int(target["id"])
        existing = await ctx.uow.records.assessments.find(unit_id, person_id, year)
        if existing is not None and existing.id != data.get("_edit"):
            raise _duplicate(ctx, existing.id)
    return year


def _duplicate(ctx: Ctx, rid: int) -> UserError:
    return UserError(
        ctx._(
            "A result for this subject and year is already recorded (#{id}). Open it and edit it instead.",
            id=rid,
        )
    )


def _year_choices(ctx: Ctx, data: Data) -> list[tuple[str, str]]:
    this = ctx.local_now.year
    return [(str(this - 1), str(this - 1)), (str(this), str(this))]


async def _parse_result(ctx: Ctx, text: str, data: Data) -> str:
    from handlers.records.lists import STATUS_WORDS

    code = STATUS_WORDS.get(text.strip().lower())
    if code not in STATUSES:
        raise UserError(ctx._("Please choose the result with the buttons."))
    return str(code)


def _result_choices(ctx: Ctx, data: Data) -> list[tuple[str, str]]:
    return [(result_name(ctx, r), r.value) for r in AssessmentResult]


async def _parse_methods(ctx: Ctx, text: str, data: Data) -> list[str]:
    chosen: list[str] = []
    for token in re.split(r"[\s,，、;；]+", text.strip()):
        if not token:
            continue
        if token.isdecimal():
            for digit in token:  # "124" means methods 1, 2 and 4
                index = int(digit) - 1
                if not 0 <= index < len(METHODS):
                    raise UserError(ctx._("Please type numbers from 1 to 5."))
                chosen.append(METHODS[index].value)
        else:
            match = next(
                (m for m in METHODS if token.lower() in (m.value, method_name(ctx, m))), None
            )
            if match is None:
                raise UserError(ctx._("Please type numbers from 1 to 5."))
            chosen.append(match.value)
    if not chosen:
        raise UserError(ctx._("Please type numbers from 1 to 5."))
    return [m.value for m in METHODS if m.value in chosen]  # file order, no duplicates


def _methods_prompt(ctx: Ctx, data: Data) -> str:
    listing = "\n".join(f"{i}. {method_name(ctx, m)}" for i, m in enumerate(METHODS, 1))
    return ctx._("Which methods were used? Type their numbers, e.g. 1 2 4:") + "\n" + listing


def _methods_choices(ctx: Ctx, data: Data) -> list[tuple[str, str]]:
    return [(ctx._("All five"), "12345")]


def _show_methods(ctx: Ctx, value: Any) -> str:
    return "、".join(method_name(ctx, m) for m in value or []) or "—"


def _allowed_commendation(subject: str | None) -> Commendation:
    return Commendation.ADVANCED_UNIT if subject == "unit" else Commendation.ADVANCED_WORKER


async def _parse_commendation(ctx: Ctx, text: str, data: Data) -> str | None:
    value = text.strip().lower()
    if value in ("none", "无", "没有"):
        return None
    allowed = _allowed_commendation(data.get("subject"))
    if value not in (allowed.value, commendation_name(ctx, allowed)):
        raise UserError(ctx._("Please choose with the buttons."))
    if data.get("result") == AssessmentResult.FAILED.value:
        raise UserError(ctx._("A failed assessment cannot go with a commendation."))
    return allowed.value


def _commendation_choices(ctx: Ctx, data: Data) -> list[tuple[str, str]]:
    allowed = _allowed_commendation(data.get("subject"))
    return [(ctx._("None"), "none"), (commendation_name(ctx, allowed), allowed.value)]


async def _parse_assessed_on(ctx: Ctx, text: str, data: Data) -> str:
    value = read_past_date(ctx, text)
    if data.get("year") and value.year < int(data["year"]):
        raise UserError(ctx._("The assessment date cannot be before the year assessed."))
    return value.isoformat()


async def _parse_notes(ctx: Ctx, text: str, data: Data) -> str:
    return read_text(ctx, text, max_len=2000)


ASSESS_STEPS = [
    Step(
        "subject",
        label(N_("Assessed")),
        label(N_("Is this the result of a unit or of a person?")),
        _parse_subject,
        choices=_subject_choices,
        show=lambda ctx, v: ctx._("A unit") if v == "unit" else ctx._("A person"),
    ),
    Step("target", label(N_("Unit or person")), _target_prompt, _parse_target, show=show_ref),
    Step(
        "year",
        label(FIELDS["year"]),
        label(N_("For which year?")),
        _parse_year,
        choices=_year_choices,
    ),
    Step(
        "result",
        label(FIELDS["result"]),
        label(N_("What was the result?")),
        _parse_result,
        choices=_result_choices,
        show=result_name,
    ),
    Step(
        "methods",
        label(FIELDS["methods"]),
        _methods_prompt,
        _parse_methods,
        choices=_methods_choices,
        show=_show_methods,
    ),
    Step(
        "commendation",
        label(FIELDS["commendation"]),
        label(N_("Any commendation?")),
        _parse_commendation,
        choices=_commendation_choices,
        show=commendation_name,
    ),
    Step(
        "assessed_on",
        label(FIELDS["assessed_on"]),
        label(N_("On which day was the result decided?")),
        _parse_assessed_on,
        choices=today_choice,
        show=show_date,
    ),
    Step(
        "notes",
        label(FIELDS["notes"]),
        label(N_("Notes (Skip if none).")),
        _parse_notes,
        skippable=True,
    ),
]


async def _validate(ctx: Ctx, data: Data) -> dict[str, Any]:
    """Re-check everything at confirmation; returns the record's field values."""
    subject, target = data.get("subject"), data.get("target")
    if not isinstance(target, dict) or ("code" in target) != (subject == "unit"):
        raise UserError(ctx._("Please choose the unit or person again (Edit: Unit or person)."))
    if subject == "unit":
        unit = await live_unit_in_scope(ctx, int(target["id"]), *WRITE_ROLES)
        unit_id, person_id = unit.id, None
    else:
        person = await live_person_in_scope(ctx, int(target["id"]), *WRITE_ROLES)
        if person.id == ctx.me.id:
            raise UserError(ctx._("You cannot record this about yourself."))
        unit_id, person_id = person.unit_id, person.id
    year = int(data["year"])
    result = AssessmentResult(data["result"])
    commendation = Commendation(data["commendation"]) if data.get("commendation") else None
    if commendation is not None and (
        result == AssessmentResult.FAILED or commendation != _allowed_commendation(subject)
    ):
        raise UserError(ctx._("A failed assessment cannot go with a commendation."))
    assessed_on = from_iso(data["assessed_on"])
    assert assessed_on is not None
    if assessed_on > ctx.local_now.date() or assessed_on.year < year:
        raise UserError(ctx._("The assessment date cannot be before the year assessed."))
    existing = await ctx.uow.records.assessments.find(unit_id, person_id, year)
    if existing is not None and existing.id != data.get("_edit"):
        raise _duplicate(ctx, existing.id)
    return {
        "unit_id": unit_id,
        "person_id": person_id,
        "year": year,
        "result": result,
        "methods": tuple(AssessmentMethod(m) for m in data["methods"]),
        "commendation": commendation,
        "assessed_on": assessed_on,
        "notes": data.get("notes") or "",
    }


def _rates_advanced(values: dict[str, Any]) -> bool:
    """A person's result that rates them excellent or advanced (what an effect period bars)."""
    return values["person_id"] is not None and (
        values["result"] == AssessmentResult.EXCELLENT
        or values["commendation"] == Commendation.ADVANCED_WORKER
    )


async def _check_rating_bars(ctx: Ctx, data: Data, values: dict[str, Any]) -> list[str]:
    """Refuse (with a confirm-anyway button) rating a person excellent or advanced for a year
    in which an effect period bars it; returns the bars confirmed past (for the audit)."""
    if not _rates_advanced(values):
        return []
    edited = data.get("_edit")
    bars = await rating_bars(
        ctx.uow,
        int(values["person_id"]),
        int(values["year"]),
        ctx.local_now.date(),
        replacing=int(edited) if edited else None,
    )
    if not bars:
        return []
    if data.get("_override"):
        return [b.kind for b in bars]
    catalogue = load_sanctions()
    lines = [
        ctx._(
            "⚠️ {name} may not be rated excellent or advanced for {year}: an effect period is running.",
            name=str(data["target"].get("name", "")),
            year=values["year"],
        )
    ]
    for b in bars:
        kind = catalogue.get(b.kind)
        name = kind.name(ctx.t.language) if kind else b.kind
        end = fmt_date(b.end) if b.end else "—"
        lines.append(f"  • {name}（{fmt_date(b.start)}～{end}）")
    lines.append(
        ctx._(
            "Record it only if the rating was decided knowing this (for example on review); it will be noted in the audit log."
        )
    )
    raise UserError(
        "\n".join(lines),
        rows(
            [button(ctx._("Record it anyway"), f"{PREFIX}:ov")],
            [
                button(ctx._("Change the result"), "f:edit:result"),
                button(ctx._("Cancel"), "f:cancel"),
            ],
        ),
    )


async def _finish(ctx: Ctx, data: Data) -> None:
    values = await _validate(ctx, data)
    overridden = await _check_rating_bars(ctx, data, values)
    if overridden:
        await ctx.audit(
            "assessment.rated_despite_bar",
            "person",
            values["person_id"],
            values["unit_id"],
            year=values["year"],
            bars=overridden,
        )
    if data.get("_edit"):
        await _finish_edit(ctx, data, values)
        return
    a = await ctx.uow.records.assessments.add(
        Assessment(
            id=0,
            created_by=ctx.me.id,
            created_at=ctx.now,
            rated_despite_bar=bool(overridden),
            **values,
        )
    )
    await add_revision(ctx, RecordType.ASSESSMENT, a.id, "create")
    await ctx.audit("assessment.recorded", "assessment", a.id, a.unit_id)
    ctx.reply(
        ctx._("Assessment result #{id} recorded.", id=a.id),
        rows([button(ctx._("Open"), f"{PREFIX}:o:{a.id}")]),
    )


async def _finish_edit(ctx: Ctx, data: Data, values: dict[str, Any]) -> None:
    rid = int(data["_edit"])
    loaded, access = await load_readable(ctx, KIND, rid)
    require(ctx, access.write)
    old = {k: getattr(loaded.record, k) for k in FIELDS}
    if values["person_id"] is not None and values["person_id"] == old["person_id"]:
        values["unit_id"] = old["unit_id"]  # a person's result stays with the unit assessed in
    changed = await save_changes(
        ctx,
        RecordType.ASSESSMENT,
        rid,
        int(data["_version"]),
        old,
        values,
        ctx.uow.records.assessments.update,
    )
    if changed is None:
        return
    await ctx.audit("assessment.edited", "assessment", rid, values["unit_id"], fields=changed)
    ctx.reply(
        ctx._("Assessment result #{id} saved.", id=rid)
        if changed
        else ctx._("Nothing was changed."),
        rows([button(ctx._("Open"), f"{PREFIX}:o:{rid}")]),
    )


async def _record_anyway(ctx: Ctx, args: list[str]) -> None:
    """The confirm-anyway button under a rating refused for a running effect period: finish
    the form at its review screen with the override noted."""
    require(ctx, ctx.me.has_role(*WRITE_ROLES))
    state = await ctx.uow.conversations.load(ctx.req.chat_id, ctx.req.user_id)
    if state is None or state.form != ASSESS_FORM.name or state.step != REVIEW:
        ctx.reply(ctx._("That button is no longer valid."))
        return
    await _finish(ctx, {**state.data, "_override": True})
    await ctx.clear_form()


def _title(ctx: Ctx, data: Data) -> str:
    if data.get("_edit"):
        return ctx._("Edit assessment result #{id}", id=data["_edit"])
    return ctx._("New assessment result")


ASSESS_FORM = StepForm("rec_assess", _title, ASSESS_STEPS, _finish, roles=WRITE_ROLES)
router.add_form(ASSESS_FORM)


# -- commands and buttons ------------------------------------------------------------------------
@router.command(
    "assess",
    N_("Record an assessment result of a unit or a person"),
    roles=WRITE_ROLES,
    private_only=True,
    order=44,
)
async def assess_command(ctx: Ctx) -> None:
    """Start the assessment form."""
    number = record_number(ctx.req.args)
    if number is not None:  # "#13" is a record number everywhere: open that record
        await open_record(ctx, KIND, number)
        return
    await ASSESS_FORM.start(ctx)


@router.command(
    "assessments",
    N_("Assessment results: /assessments [UNIT] [YEAR] [excellent|passed|failed]"),
    private_only=True,
    order=45,
)
async def assessments_command(ctx: Ctx) -> None:
    """List results in the scope (staff) or one's own results."""
    await list_command(ctx, KIND)


async def _subject_label(ctx: Ctx, a: Assessment) -> str:
    if a.person_id is not None:
        return await person_label(ctx, a.person_id)
    unit = await ctx.uow.units.get(a.unit_id)
    return unit.name if unit else "—"


def result_names(ctx: Ctx) -> dict[str, str]:
    """The results by code (the list's status filters)."""
    return {r.value: result_name(ctx, r) for r in AssessmentResult}


async def _line(ctx: Ctx, a: Assessment) -> tuple[str, str]:
    who = await _subject_label(ctx, a)
    star = " ⭐" if a.commendation else ""
    return f"#{a.id} {a.year} {who}: {result_name(ctx, a.result)}{star}", f"#{a.id} {a.year} {who}"


@router.button(PREFIX, private_only=True)
async def assessment_button(ctx: Ctx, args: list[str]) -> None:
    """o open, e edit, h history, d delete, l page, n new."""
    await press(ctx, KIND, args)


async def _new(ctx: Ctx, args: list[str]) -> None:
    require(ctx, ctx.me.has_role(*WRITE_ROLES))
    await ASSESS_FORM.start(ctx)


async def _detail(ctx: Ctx, a: Assessment, access: Access) -> Detail:
    subject = _label(ctx, "person_id") if a.person_id is not None else _label(ctx, "unit_id")
    lines = [
        ctx._("Assessment result #{id}", id=a.id),
        f"{subject}: {await _subject_label(ctx, a)}",
        f"{_label(ctx, 'year')}: {a.year}",
        f"{_label(ctx, 'result')}: {result_name(ctx, a.result)}",
        f"{_label(ctx, 'methods')}: {_show_methods(ctx, a.methods)}",
        f"{_label(ctx, 'commendation')}: {commendation_name(ctx, a.commendation)}",
        f"{_label(ctx, 'assessed_on')}: {fmt_date(a.assessed_on)}",
        f"{_label(ctx, 'notes')}: {a.notes or '—'}",
    ]
    return lines, record_buttons(ctx, PREFIX, a.id, access)


async def _start_edit(ctx: Ctx, rid: int) -> None:
    loaded, access = await load_readable(ctx, KIND, rid)
    require(ctx, access.write)
    a: Assessment = loaded.record
    if a.subject_type == SubjectType.UNIT:
        unit = await ctx.uow.units.get(a.unit_id)
        assert unit is not None
        target = unit_ref(unit)
    else:
        person = await ctx.uow.people.get(a.person_id or 0)
        target = await person_ref(ctx, person) if person else {"id": a.person_id}
    data: Data = {
        "subject": a.subject_type.value,
        "target": target,
        "year": a.year,
        "result": a.result.value,
        "methods": [m.value for m in a.methods],
        "commendation": a.commendation.value if a.commendation else None,
        "assessed_on": a.assessed_on.isoformat(),
        "notes": a.notes or None,
        "_edit": rid,
        "_version": a.version,
    }
    await ctx.audit("assessment.viewed", "assessment", rid, a.unit_id, purpose="edit")
    await ASSESS_FORM.open_review(ctx, data)


KIND = register(
    RecordKind(
        RecordType.ASSESSMENT,
        PREFIX,
        N_("Assessment result"),
        FIELDS,
        lambda uow: uow.records.assessments,
        own=_own,
        display=lambda ctx, field, value: _display(ctx, field, value),
        listing=Listing(
            "assessments",
            N_("Assessment results: /assessments [UNIT] [YEAR] [excellent|passed|failed]"),
            45,
            N_("Assessment results"),
            N_("➕ New result"),
            STATUSES,
            result_names,
            _line,
        ),
        detail=_detail,
        actions={"n": _new, "e": on_record(_start_edit), "ov": _record_anyway},
    )
)


__all__ = ["ASSESS_FORM", "router"]
