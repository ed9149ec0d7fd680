"""The assessment form's steps: a unit or a person, the year, the result, the methods used,
a commendation, the day it was decided and notes — with the names of the codes stored."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from handlers.core.context import Ctx
from handlers.core.domain import GRADE_NAMES, Grade
from handlers.core.errors import NotFound, UserError
from handlers.core.form_presets import PRESET
from handlers.core.forms import Data
from handlers.core.i18n import N_
from handlers.core.parsing import typed_year
from handlers.records.common import show_ref
from handlers.records.domain import AssessmentMethod, Commendation
from handlers.records.inputs import EARLIEST, read_past_date
from handlers.records.kind import code_name
from handlers.records.lists import STATUS_WORDS
from handlers.records.ports import records_of
from handlers.records.steps import (
    parse_person,
    parse_unit,
    past_date_step,
    step,
    text_step,
    word_choice,
)

RESULTS = tuple(r.value for r in Grade)
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


_METHODS: dict[str, str] = {
    AssessmentMethod.SELF_CHECK: N_("unit self-check"),
    AssessmentMethod.HEARING_REPORTS: N_("hearing reports"),
    AssessmentMethod.EXAMINING_RECORDS: N_("examining records"),
    AssessmentMethod.DEMOCRATIC_APPRAISAL: N_("democratic appraisal"),
    AssessmentMethod.DISCUSSION_MEETINGS: N_("discussion meetings"),
}
_COMMENDATIONS: dict[str, str] = {
    Commendation.ADVANCED_UNIT: N_("advanced unit"),
    Commendation.ADVANCED_WORKER: N_("advanced worker"),
}


def result_name(ctx: Ctx, result: Grade | str) -> str:
    """优秀 / 达标 / 不达标."""
    return code_name(ctx, GRADE_NAMES, result)


def method_name(ctx: Ctx, method: AssessmentMethod | str) -> str:
    """Names of the five assessment methods."""
    return code_name(ctx, _METHODS, method)


def commendation_name(ctx: Ctx, value: Commendation | str | None) -> str:
    """Names of commendations (a dash for none)."""
    name = _COMMENDATIONS.get(str(value)) if value else None
    return ctx._(name) if name else "—"


# -- the steps -----------------------------------------------------------------------------------
_SUBJECT_WORDS = {
    "unit": "unit",
    "单位": "unit",
    "person": "person",
    "个人": "person",
    "人": "person",
}


_parse_subject = word_choice(
    "subject",
    _SUBJECT_WORDS,
    N_("Please choose with the buttons: a unit or a person."),
    # The chosen unit or person no longer fits.
    resets=("target", "commendation"),
)


def _subject_choices(ctx: Ctx, data: Data) -> list[tuple[str, str]]:
    return [(ctx._("A unit"), "unit"), (ctx._("A person"), "person")]


async def _parse_target(ctx: Ctx, text: str, data: Data) -> dict[str, Any]:
    if data.get("subject") == "unit":
        return await parse_unit(ctx, text, data)
    return await parse_person(ctx, text, data)


def _target_prompt(ctx: Ctx, data: Data) -> str:
    if data.get("subject") == "unit":
        return ctx._("Which unit was assessed? Type its code or name.")
    return ctx._("Who was assessed? Type the person's name (or the person number, such as P28).")


async def _parse_year(ctx: Ctx, text: str, data: Data) -> int:
    # 2025, 2025年度, 25年, 今年, 去年 (typed_year reads them all).
    year = typed_year(unicodedata.normalize("NFKC", text).strip(), ctx.local_now.year) or 0
    if ctx.local_now.year < year <= ctx.local_now.year + 10:
        # A year still to come is a valid year, but nothing can be assessed in it yet.
        raise UserError(
            ctx._(
                "{year} has not come yet: an assessment is recorded for a year under way or over, such as {now}.",
                year=year,
                now=ctx.local_now.year,
            )
        )
    if not EARLIEST.year <= year <= ctx.local_now.year:
        raise UserError(ctx._("Please give a year like {year}.", year=ctx.local_now.year))
    target = data.get("target")
    if isinstance(target, dict) and target.get("id"):
        # Tell now rather than after every other question (checked again at confirmation).
        unit_id = int(target["id"]) if data.get("subject") == "unit" else 0
        person_id = None if data.get("subject") == "unit" else int(target["id"])
        existing = await records_of(ctx.uow).assessments.find(unit_id, person_id, year)
        if existing is not None and existing.id != data.get("_edit"):
            raise duplicate(ctx, existing.id)
    return year


def duplicate(ctx: Ctx, rid: int) -> UserError:
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
    code = STATUS_WORDS.get(text.strip().lower())
    if code not in RESULTS:
        raise UserError(ctx._("Please choose the result with the buttons."))
    if code == Grade.FAILED.value and data.get("commendation"):
        # Changed to failed on the review: none may stand, and the person is told (the
        # commendation had vanished from the review unannounced).
        dropped = commendation_name(ctx, data["commendation"])
        data["commendation"] = None
        ctx.reply(
            ctx._(
                "The commendation ({name}) is dropped: a failed assessment cannot go with one.",
                name=dropped,
            )
        )
    presets = data.setdefault(PRESET, {})
    if code == Grade.FAILED.value and "commendation" not in data:
        # A failed result has no commendation to choose (the step's only button was 无): it
        # is answered, and said, when the form reaches it.
        presets["commendation"] = "none"
    elif code != Grade.FAILED.value and presets.get("commendation") == "none":
        presets.pop("commendation")  # the result chosen again, going back
    if not presets:
        data.pop(PRESET)
    return str(code)


def _result_choices(ctx: Ctx, data: Data) -> list[tuple[str, str]]:
    return [(result_name(ctx, r), r.value) for r in Grade]


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


def show_methods(ctx: Ctx, value: Any) -> str:
    return ctx.t.join(method_name(ctx, m) for m in value or []) or "—"


def allowed_commendation(subject: str | None) -> Commendation:
    return Commendation.ADVANCED_UNIT if subject == "unit" else Commendation.ADVANCED_WORKER


async def _parse_commendation(ctx: Ctx, text: str, data: Data) -> str | None:
    value = text.strip().lower()
    if value in ("none", "无", "没有"):
        return None
    allowed = allowed_commendation(data.get("subject"))
    if value not in (allowed.value, commendation_name(ctx, allowed)):
        raise UserError(ctx._("Please choose with the buttons."))
    if data.get("result") == Grade.FAILED.value:
        raise UserError(ctx._("A failed assessment cannot go with a commendation."))
    return allowed.value


def _commendation_choices(ctx: Ctx, data: Data) -> list[tuple[str, str]]:
    none = (ctx._("None"), "none")
    if data.get("result") == Grade.FAILED.value:
        return [none]  # a failed result cannot go with one: no button that would be refused
    allowed = allowed_commendation(data.get("subject"))
    return [none, (commendation_name(ctx, allowed), allowed.value)]


async def _parse_assessed_on(ctx: Ctx, text: str, data: Data) -> str:
    value = read_past_date(ctx, text)
    if data.get("year") and value.year < int(data["year"]):
        raise UserError(ctx._("The assessment date cannot be before the year assessed."))
    return value.isoformat()


STEPS = [
    step(
        "subject",
        N_("Assessed"),
        N_("Is this the result of a unit or of a person?"),
        _parse_subject,
        _subject_choices,
        lambda ctx, v: ctx._("A unit") if v == "unit" else ctx._("A person"),
    ),
    step("target", N_("Unit or person"), _target_prompt, _parse_target, show=show_ref),
    step("year", FIELDS["year"], N_("For which year?"), _parse_year, _year_choices),
    step(
        "result",
        FIELDS["result"],
        N_("What was the result?"),
        _parse_result,
        _result_choices,
        result_name,
    ),
    step(
        "methods",
        FIELDS["methods"],
        _methods_prompt,
        _parse_methods,
        _methods_choices,
        show_methods,
    ),
    step(
        "commendation",
        FIELDS["commendation"],
        N_("Any commendation?"),
        _parse_commendation,
        _commendation_choices,
        commendation_name,
    ),
    past_date_step(
        "assessed_on",
        FIELDS["assessed_on"],
        N_("On which day was the result decided?"),
        _parse_assessed_on,
    ),
    text_step("notes", FIELDS["notes"], N_("Notes (Skip if none)."), skippable=True),
]


async def start_with_target(ctx: Ctx, text: str) -> tuple[Data, str]:
    """``/assess 岳村镇`` or ``/assess 马丽娟``: the unit or person named answers the first
    two steps, and the form opens at the year (the argument had been ignored). A year after
    the name (/assess 岳村镇 2025) answers the year step too."""
    if typed_year(text.strip(), ctx.local_now.year) is not None:
        return {PRESET: {"year": text.strip()}}, "subject"  # /assess 2025: asked when reached
    name, _, year = text.strip().rpartition(" ")
    if name and typed_year(year, ctx.local_now.year) is not None:
        found, at = await start_with_target(ctx, name)
        return {**found, PRESET: {"year": year}}, at
    offered: NotFound | None = None
    for subject in ("unit", "person"):
        data: Data = {"subject": subject}
        try:
            data["target"] = await _parse_target(ctx, text, data)
        except NotFound as missing:
            offered = offered or (missing if missing.buttons else None)
            continue
        return data, "year"
    if offered is not None:  # /assess 越村镇: the unit that sounds so, with a tap
        raise offered
    raise NotFound(ctx._("No unit or person “{text}” found within your scope.", text=text))
