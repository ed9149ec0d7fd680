"""Entering the mass appraisal and organisational assessment of a cadre's fulfilment: ``/appraise``.

Unit principals and discipline inspectors enter, for people in their subtree (never for
themselves), the shares of good / fair / poor votes (or a score) and the grade
excellent / passed / failed. Re-entering replaces the previous result; who and when are kept
with it and every entry is in the audit log. The form notes the version it starts from, so
two reviewers entering at once never overwrite each other: the second is asked to look again.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from handlers.calendar.domain import Period
from handlers.core.context import Ctx, button, rows
from handlers.core.domain import GRADE_WORDS, Grade, Person
from handlers.core.errors import NotFound, UserError
from handlers.core.form_steps import said, step
from handlers.core.forms import REVIEW, Data, StepForm
from handlers.core.i18n import N_
from handlers.core.notify import tell
from handlers.core.parsing import typed_year
from handlers.core.private import private_commands
from handlers.core.rating_bars import RATING_BARS, barred_lines
from handlers.core.router import Router
from handlers.core.typed_words import self_word
from handlers.org.people import person_in_scope as person_named
from handlers.pledges.domain import Appraisal, Pledge
from handlers.pledges.form_checks import today
from handlers.pledges.mass_appraisal import mass_text, parse_mass
from handlers.pledges.ports import appraisals_of, checkins_of, pledges_of
from handlers.pledges.scope import ACT_ROLES, no_such_person, person_in_scope, refuse_self
from handlers.pledges.text import code_name

router = Router()
command = private_commands(router, ACT_ROLES)


async def find_appraisee(ctx: Ctx, text: str) -> dict[str, Any]:
    """One person in scope with at least one pledge, by name or number. A family name
    alone or a name found only by its sound (何, 何晶 for 何静) is confirmed first, as
    everywhere a record is made: an appraisal must not land on a guessed person."""
    if self_word(text):  # /appraise 我: the same refusal as one's own name, not "nobody"
        refuse_self(ctx, ctx.me)
    try:
        person = await person_named(ctx, text, *ACT_ROLES) if text.strip() else None
    except NotFound:
        person = None  # one message for "nobody" and "not yours": it reveals no one
    if person is None:
        raise no_such_person(ctx)
    return await appraisee(ctx, person)


async def appraisee(ctx: Ctx, person: Person) -> dict[str, Any]:
    """The form's record of the person appraised (name, unit and years with a pledge)."""
    refuse_self(ctx, person)
    pledges = await pledges_of(ctx.uow).for_person(person.id)
    if not pledges:
        raise UserError(ctx._("{name} has no pledge to appraise.", name=person.name))
    years = [p.year for p in pledges if appraisable(ctx, p)]
    if not years:
        raise UserError(not_appraisable_text(ctx, person.name))
    unit = await ctx.uow.units.get(person.unit_id)
    name = ctx.t.aside(person.name, unit.name) if unit else person.name
    return {"id": person.id, "name": name, "years": years}


def appraisable(ctx: Ctx, pledge: Pledge) -> bool:
    """Whether a pledge may be appraised now: its year has begun and it has been made public
    (a draft with a coming publication date is not yet a pledge anyone could appraise)."""
    day = today(ctx)
    return pledge.year <= day.year and pledge.publish_date <= day


def not_appraisable_text(ctx: Ctx, name: str) -> str:
    """Why none of a person's pledges can be appraised yet."""
    return ctx._(
        "{name} has no pledge that can be appraised yet: a pledge is appraised in its own year, once it has been made public.",
        name=name,
    )


async def _person(ctx: Ctx, text: str, data: Data) -> dict[str, Any]:
    return await find_appraisee(ctx, text)


async def _year(ctx: Ctx, text: str, data: Data) -> int:
    years = data["person"]["years"]
    # 2026, 2026年, 26, 今年, this year: one reader of a typed year for every command.
    year = typed_year(unicodedata.normalize("NFKC", text).strip(), today(ctx).year)
    if year is None or year not in years:
        raise UserError(
            ctx._(
                "There is no pledge for that year. Years with a pledge: {years}.",
                years=ctx.t.join(years),
            )
        )
    await remember_version(ctx, data, int(data["person"]["id"]), year)
    return year


async def remember_version(ctx: Ctx, data: Data, person_id: int, year: int) -> None:
    """Note which appraisal version (0: none yet) the writer starts from.

    Saving replaces only that version: if another reviewer entered or changed the appraisal
    meanwhile, nothing is overwritten and the writer is asked to look again.
    """
    pledge = await pledges_of(ctx.uow).of_person(person_id, year)
    if pledge is None:
        return
    await _warn_if_not_reported(ctx, pledge)
    current = await appraisals_of(ctx.uow).get(pledge.id)
    data["_seen"] = {"pledge": pledge.id, "version": current.version if current else 0}
    if current is not None:
        # Say so before anything is typed: saving will replace it (it was replaced silently).
        ctx.reply(
            ctx._(
                "This pledge already has an appraisal ({grade}, entered {date}); what you enter now will replace it.",
                grade=code_name(ctx.t, current.grade),
                date=current.at.astimezone(ctx.local_now.tzinfo).date().isoformat(),
            )
        )


async def _warn_if_not_reported(ctx: Ctx, pledge: Pledge) -> None:
    """Say so when the cadre has not made the year-end check-in the appraisal normally
    follows (the mass appraisal reads the report); a warning, not a refusal: a report may be
    on paper, or the meeting held early."""
    periods = {c.period for c in await checkins_of(ctx.uow).for_pledge(pledge.id)}
    person = await ctx.uow.people.get(pledge.person_id)
    if Period.YEAREND in periods or person is None:
        return
    ctx.reply(
        "⚠️ "
        + ctx._(
            "{name} has not made the year-end check-in for {year} yet; the appraisal normally follows it.",
            name=person.name,
            year=pledge.year,
        )
    )


def _seen_version(data: Data, pledge_id: int, current: Appraisal | None) -> int:
    """The version the writer started from; the current one when the form did not note it
    (the person was changed on the review screen, or the form predates versions)."""
    seen = data.get("_seen")
    if isinstance(seen, dict) and seen.get("pledge") == pledge_id:
        return int(seen["version"])
    return current.version if current else 0


async def _mass(ctx: Ctx, text: str, data: Data) -> dict[str, float]:
    return parse_mass(ctx, text)


async def _grade(ctx: Ctx, text: str, data: Data) -> str:
    typed = text.strip()
    if typed.lower() in GRADE_WORDS:
        return GRADE_WORDS[typed.lower()].value
    for grade in Grade:
        if typed in (grade.value, code_name(ctx.t, grade)):
            return grade.value
    raise UserError(ctx._("Please tap one of the grades."))


#: The button under the warning below: save the 优秀 all the same (audited).
OVERRIDE_PREFIX = "apo"


async def _refuse_if_barred(ctx: Ctx, person: Person, year: int, data: Data) -> bool:
    """优秀 for a year in which a sanction or warning talk bars rating the person excellent:
    refused with each period, unless it was confirmed knowingly (then True: audit it)."""
    if Grade(data["grade"]) != Grade.EXCELLENT:
        return False
    bars = await RATING_BARS(ctx.uow, person.id, year, today(ctx), None)
    if not bars:
        return False
    if data.get("_override"):
        return True
    lines = barred_lines(ctx, person.name, year, bars)
    raise UserError(
        "\n".join(lines),
        rows(
            [button(ctx._("Record it anyway"), f"{OVERRIDE_PREFIX}:ov")],
            [
                button(ctx._("Change the grade"), "f:edit:grade"),
                button(ctx._("Cancel"), "f:cancel"),
            ],
        ),
    )


@router.button(OVERRIDE_PREFIX, private_only=True)
async def record_anyway(ctx: Ctx, args: list[str]) -> None:
    """ "Record it anyway" under the warning: finish the form at its review screen with the
    override noted (the scope and every other check run again)."""
    state = await ctx.uow.conversations.load(ctx.req.chat_id, ctx.req.user_id)
    if state is None or state.form != APPRAISE_FORM.name or state.step != REVIEW:
        ctx.reply(ctx._("That button is no longer valid."))
        return
    await _finish(ctx, {**state.data, "_override": True})
    await ctx.clear_form()


async def _finish(ctx: Ctx, data: Data) -> None:
    person, unit = await person_in_scope(ctx, int(data["person"]["id"]), *ACT_ROLES)
    refuse_self(ctx, person)
    year = int(data["year"])
    pledge = await pledges_of(ctx.uow).of_person(person.id, year)
    if pledge is None:
        raise UserError(ctx._("{name} has no pledge to appraise.", name=person.name))
    if not appraisable(ctx, pledge):
        raise UserError(not_appraisable_text(ctx, person.name))
    despite_bar = await _refuse_if_barred(ctx, person, year, data)
    mass = data["mass"]
    appraisal = Appraisal(
        pledge_id=pledge.id,
        person_id=person.id,
        grade=Grade(data["grade"]),
        by_id=ctx.me.id,
        at=ctx.now,
        good=mass.get("good"),
        fair=mass.get("fair"),
        poor=mass.get("poor"),
        score=mass.get("score"),
    )
    current = await appraisals_of(ctx.uow).get(pledge.id)
    replaced = current is not None
    if not await appraisals_of(ctx.uow).put(appraisal, _seen_version(data, pledge.id, current)):
        ctx.reply(
            ctx._(
                "The appraisal of {name}'s pledge for {year} was entered or changed by someone else in the meantime, so nothing was saved. Please open it again.",
                name=person.name,
                year=year,
            )
        )
        return
    await ctx.audit(
        "appraisal.replaced" if replaced else "appraisal.entered",
        "pledge",
        pledge.id,
        unit.id,
        year=year,
    )
    if despite_bar:
        await ctx.audit("appraisal.rated_despite_bar", "pledge", pledge.id, unit.id, year=year)
    _say_saved(ctx, person, year, current, appraisal)


def _say_saved(
    ctx: Ctx, person: Person, year: int, current: Appraisal | None, appraisal: Appraisal
) -> None:
    """Tell the reviewer and the cadre that the appraisal is recorded, or what it replaced."""
    old, new = code_name(ctx.t, current.grade) if current else "", code_name(ctx.t, appraisal.grade)
    if current is None:
        message = N_("✅ The appraisal of {name}'s pledge for {year} is recorded.")
    elif current.grade == appraisal.grade:
        message = N_(
            "✅ The appraisal of {name}'s pledge for {year} is updated (the grade stays {grade})."
        )
    else:
        message = N_("✅ The appraisal of {name}'s pledge for {year} is changed: {old} → {new}.")
    ctx.reply(ctx._(message, name=person.name, year=year, grade=new, old=old, new=new))
    tell(
        ctx,
        person,
        N_(
            "The appraisal of your pledge for {year} has been changed. Send /mypledge {year} to see it."
        )
        if current is not None
        else N_(
            "The appraisal of your pledge for {year} has been entered. Send /mypledge {year} to see it."
        ),
        year=year,
    )


APPRAISE_FORM = StepForm(
    name="pledge_appraise",
    title=said(N_("Appraisal of pledge fulfilment")),
    roles=ACT_ROLES,
    finish=_finish,
    steps=[
        step(
            "person",
            N_("Cadre"),
            N_("Whose fulfilment do you appraise? Type the name or number."),
            _person,
            show=lambda ctx, v: str(v["name"]),
        ),
        step(
            "year",
            N_("Year"),
            N_("For which year's pledge?"),
            _year,
            choices=lambda ctx, d: [(str(y), str(y)) for y in d["person"]["years"]],
        ),
        step(
            "mass",
            N_("Mass appraisal"),
            N_(
                "Enter the mass appraisal: the shares of good / fair / poor votes in percent, like 85/10/5 (vote counts such as 42/6/2 are converted), or one score from 0 to 100, like 92.5."
            ),
            _mass,
            show=mass_text,
        ),
        step(
            "grade",
            N_("Organisational assessment"),
            N_("Which grade did the organisational assessment give?"),
            _grade,
            choices=lambda ctx, d: [(code_name(ctx.t, g), g.value) for g in Grade],
            show=lambda ctx, v: code_name(ctx.t, Grade(v)),
        ),
    ],
)
router.add_form(APPRAISE_FORM)


async def start_appraisal(ctx: Ctx, person: Person, year: int | None = None) -> None:
    """Open the form for a known person (and year), skipping the steps already answered."""
    record = await appraisee(ctx, person)
    data: Data = {"person": record}
    if year is None and len(record["years"]) == 1:
        year = record["years"][0]
    if year is None:
        await APPRAISE_FORM.start(ctx, data, at="year")
        return
    if year not in record["years"]:
        raise UserError(ctx._("{name} has no pledge to appraise.", name=person.name))
    data["year"] = year
    await remember_version(ctx, data, person.id, year)
    await APPRAISE_FORM.start(ctx, data, at="mass")


@command(
    "appraise", N_("Enter the appraisal of a cadre's pledge fulfilment: /appraise [NAME]"), order=31
)
async def appraise_command(ctx: Ctx) -> None:
    """Start the appraisal form; with a name, start at the year or the results."""
    if not ctx.req.args.strip():
        await APPRAISE_FORM.start(ctx)
        return
    record = await find_appraisee(ctx, ctx.req.args)
    person = await ctx.uow.people.get(int(record["id"]))
    assert person is not None
    await start_appraisal(ctx, person)
