"""The steps of a person's handling in a case: who, organisational handling or discipline,
which kind, from which day, a note — with the names of the codes stored."""

from __future__ import annotations

from datetime import date

from handlers.core.context import Ctx, button, rows
from handlers.core.errors import UserError
from handlers.core.forms import Data
from handlers.core.i18n import N_
from handlers.records.domain import HandlingCategory, OrgHandling, handling_kind_name
from handlers.records.inputs import fmt_date, read_past_date
from handlers.records.ports import records_of
from handlers.records.steps import past_date_step, person_step, step, text_step, word_choice
from knowledge.sanctions import load_sanctions

PERSON_FIELDS = {
    "person_id": N_("Person"),
    "unit_id": N_("Unit"),
    "category": N_("Handling"),
    "kind": N_("Kind"),
    "effective_on": N_("Effective from"),
    "note": N_("Note"),
}


def category_name(ctx: Ctx, value: HandlingCategory | str) -> str:
    """问责方式或组织处理 / 党纪政务处分: the first holds the accountability measures of the
    问责条例 (2019, 第八条: 通报, 诫勉, 检查) and the organisational handling of the 组织处理规定
    (2021, 第三条: 停职检查 … 降职), which the 2000-era practice called 组织处理 together."""
    if str(value) == HandlingCategory.ORGANISATIONAL.value:
        return ctx._("accountability measure or organisational handling")
    return ctx._("party or government discipline")


def kind_name(ctx: Ctx, category: HandlingCategory | str, kind: str) -> str:
    """The name of an organisational handling or a sanction kind."""
    return handling_kind_name(ctx.t, str(category), kind)


def any_kind_name(ctx: Ctx, kind: str) -> str:
    """The name of a kind code without knowing its category (discipline codes first)."""
    sanction = load_sanctions().get(kind)
    category = HandlingCategory.DISCIPLINE if sanction and sanction.is_discipline else "org"
    return kind_name(ctx, category, kind)


# -- the steps -----------------------------------------------------------------------------------
_CATEGORY_WORDS = {
    "organisational": "organisational",
    "组织处理": "organisational",
    "问责方式": "organisational",
    "问责方式或组织处理": "organisational",
    "discipline": "discipline",
    "纪律处分": "discipline",
    "党纪政务处分": "discipline",
    "党纪政纪处分": "discipline",
}


# A kind of the other category no longer fits.
_parse_category = word_choice(
    "category", _CATEGORY_WORDS, N_("Please choose with the buttons."), resets=("kind",)
)


def _category_choices(ctx: Ctx, data: Data) -> list[tuple[str, str]]:
    return [(category_name(ctx, c), c.value) for c in HandlingCategory]


async def _parse_kind(ctx: Ctx, text: str, data: Data) -> str:
    return kind_code(ctx, str(data.get("category")), text)


def kind_code(ctx: Ctx, category: str, text: str) -> str:
    """The stored code for what the person chose or typed; refuses kinds that do not exist."""
    value = text.strip()
    if category == HandlingCategory.DISCIPLINE.value:
        catalogue = load_sanctions()
        sanction = catalogue.find_discipline(value)
        several = catalogue.discipline_matching(value) if sanction is None else []
        if len(several) > 1:
            # 警告 is four kinds (党内 / 政务 / 事业单位 / 国企): name them, one tap each.
            names = [k.name_zh if ctx.t.chinese else k.name_en for k in several]
            raise UserError(
                ctx._(
                    "“{kind}” fits several kinds: {names}. Please choose one.",
                    kind=value[:40],
                    names=ctx.t.join(names),
                ),
                rows(
                    *[
                        [button(n, f"f:c:{k.code}")]
                        for n, k in zip(names[:8], several[:8], strict=True)
                    ],
                    # The step's way out, as every other refusal in a form has it.
                    [button(ctx._("◀ Back"), "f:back"), button(ctx._("Cancel"), "f:cancel")],
                ),
            )
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
    await not_before_opening(ctx, effective, data)
    return effective.isoformat()


async def not_before_opening(ctx: Ctx, effective: date, data: Data) -> None:
    """A handling cannot take effect before its case was opened (立案)."""
    case = await records_of(ctx.uow).cases.get(int(data["case"])) if data.get("case") else None
    if case is not None and effective < case.opened_on:
        raise UserError(
            ctx._(
                "The decision cannot take effect ({date}) before the case was opened ({opened}); please check the date.",
                date=fmt_date(effective),
                opened=fmt_date(case.opened_on),
            )
        )


STEPS = [
    person_step(
        PERSON_FIELDS["person_id"],
        N_("Who is held accountable? Type the person's name (or the person number, such as P28)."),
    ),
    step(
        "category",
        PERSON_FIELDS["category"],
        N_("Organisational handling, or party or government discipline?"),
        _parse_category,
        _category_choices,
        category_name,
    ),
    step(
        "kind",
        PERSON_FIELDS["kind"],
        N_("Which kind?"),
        _parse_kind,
        _kind_choices,
        lambda ctx, v: any_kind_name(ctx, str(v)),
    ),
    past_date_step(
        "effective_on",
        PERSON_FIELDS["effective_on"],
        N_("From which day does the decision take effect?"),
        _parse_effective,
    ),
    text_step("note", PERSON_FIELDS["note"], N_("A note (Skip if none)."), 1000, skippable=True),
]
