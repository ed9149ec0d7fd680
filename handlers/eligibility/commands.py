"""/eligible [PERSON|UNIT] [YEAR]: may this person be rated advanced for a year, be promoted now?

Collects the person's warning talks, handlings in accountability cases and own assessment
results, lets :mod:`handlers.eligibility.rules` compute the bars, and shows each reason with
its dates and the rule-base entry behind it (:mod:`handlers.eligibility.reply`). Without an argument a person checks himself
or herself; staff check people in their scope, and a unit (its code or name) lists everyone
in it at once (:mod:`handlers.eligibility.unit_list`).

Which year's rating: commendations at the start of a year are for the year just ended, so
until the calendar's commendation meeting (``commendation: true`` in
``knowledge/data/calendar.yaml``, dated by administrators per year) has been held the year
just ended is judged; ``YEAR`` asks about another year. The reply says which year it judged.
"""

from __future__ import annotations

import re

from handlers.core.context import Ctx, button, rows
from handlers.core.domain import Person, Role, Unit
from handlers.core.errors import NotFound, UserError
from handlers.core.i18n import N_
from handlers.core.parsing import YEARS_BACK
from handlers.core.router import Router
from handlers.core.typed_words import self_word
from handlers.core.yes_no import ask_yes_no, expect_name
from handlers.eligibility.judging import judge, rating_year
from handlers.eligibility.reply import render, year_notes
from handlers.eligibility.unit_list import (
    UNIT_PREFIX,
    may_list,
    offer_own_units,
    show_unit,
    unit_asked,
)
from handlers.org.people import find_people, person_label, person_query
from handlers.records.domain import READ_ROLES
from knowledge.sanctions import load_sanctions

router = Router()
PREFIX = "el"
#: The "no, someone else" answer to "do you mean this person?".
NOT_THIS_ONE = "other"
#: The first year /eligible judges (the responsibility system's records start later).
FIRST_YEAR = 2000
#: A year typed alone: four digits, optionally with 年 (a person's number is written #2025).
_YEAR_ALONE = re.compile(r"\d{4}年?")
#: A number typed after a person: meant as a year, checked by _split_year.
_NUMBER = re.compile(r"\d+年?")
#: A year written straight after a Chinese name (岳村镇2025, 高峰2025年度).
_STUCK_YEAR = re.compile(r"([\u4e00-\u9fff])(\d{2,4}年?度?)$")
#: A year written with two digits (25年, 25年度), or with 年度.
_TWO_DIGIT_YEAR = re.compile(r"(\d{2}|\d{4})年度?|(\d{4})度")


def _short_year(word: str, this_year: int) -> str:
    """25年 / 2025年度 → 2025 (a two-digit year is of this century); other words unchanged."""
    m = _TWO_DIGIT_YEAR.fullmatch(word)
    if m is None or re.fullmatch(r"\d{4}年", word):
        return word  # 2025年 is read as it is (and quoted so when refused)
    digits = m[1] or m[2]
    return str(this_year // 100 * 100 + int(digits)) if len(digits) == 2 else digits


@router.command(
    "eligible",
    N_("May a person be rated advanced or promoted now? /eligible [PERSON|UNIT] [YEAR]"),
    private_only=True,
    order=48,
)
async def eligible(ctx: Ctx) -> None:
    """Check oneself (no argument) or a person in the staff scope, for a rating year."""
    typed, year = _split_year(ctx, ctx.req.args.strip())
    text = person_query(ctx, typed)
    if not text or text == ctx.me.name or self_word(text):
        await show_eligibility(ctx, ctx.me, year)
        if not text:
            await offer_own_units(ctx, year)
        return
    people = await _visible_matches(ctx, text)
    exact = [p for p in people if p.name == text or str(p.id) == text]
    chosen = exact if len(exact) == 1 else people
    if not chosen:
        unit = await unit_asked(ctx, text)
        if unit is not None:
            await show_unit(ctx, unit, year)
            return
        if ctx.me.has_role(Role.SUPERVISOR) and not ctx.me.scope_paths(*READ_ROLES, Role.UNIT_HEAD):
            # The responsibility-system office reads figures, not people's records: say so
            # rather than "no such person" about someone who exists.
            raise UserError(
                ctx._(
                    "Your role sees figures, not people's records: whether someone may be rated advanced or promoted is checked by discipline inspectors and unit heads. For figures, send /summary."
                )
            )
        if ctx.me.scope_paths(*READ_ROLES, Role.UNIT_HEAD) and not text.isdecimal():
            raise await _no_person_or_unit(ctx, text)
        # Said as typed: P28, not the bare number.
        raise NotFound(ctx._("No person “{text}” found within your scope.", text=typed[:40]))
    # One character (a family name) is confirmed from a choice, never taken as the person;
    # so are characters found only by their sound (何晶 for 何静), as the forms do: another
    # person's clearance must not be shown as the one asked about. Pinyin spells the name.
    spelled = len(text) >= 2 and (text in chosen[0].name or text.isascii()) if chosen else False
    if len(chosen) == 1 and (chosen[0] in exact or spelled):
        await show_eligibility(ctx, chosen[0], year)
        return
    suffix = f":{year}" if year is not None else ""
    if len(chosen) == 1:
        # One person found by sound or a part of the name: 是 / 对的 typed answers it too.
        label = await person_label(ctx, chosen[0].id)
        await ask_yes_no(
            ctx,
            ctx._("Do you mean this person?"),
            (label, f"{PREFIX}:{chosen[0].id}{suffix}"),
            (ctx._("No, someone else"), f"{PREFIX}:{NOT_THIS_ONE}"),
            retry="/eligible {}" + (f" {year}" if year is not None else ""),
        )
        return
    keyboard = [
        [button(await person_label(ctx, p.id), f"{PREFIX}:{p.id}{suffix}")] for p in chosen[:8]
    ]
    ctx.reply(ctx._("Several people match. Whom do you mean?"), rows(*keyboard))


async def _no_person_or_unit(ctx: Ctx, text: str) -> NotFound:
    """Nobody and no unit named so: staff and unit heads may name a unit too, so one that
    sounds so is offered (/eligible 越村镇), else both are said to have been looked for."""
    offered = await ctx.units_sounding_like(text, ctx.me.scope_paths(*READ_ROLES, Role.UNIT_HEAD))
    if offered is not None:
        return offered
    return NotFound(ctx._("No person or unit “{text}” found within your scope.", text=text[:40]))


async def _visible_matches(ctx: Ctx, text: str) -> list[Person]:
    """People matching ``text`` whom the asker may check: an inspector's or administrator's
    subtrees, and a unit head's own unit (not its subunits: they have their own heads)."""
    paths = ctx.me.scope_paths(*READ_ROLES)
    people = await find_people(ctx, text, paths)
    heads = [g for g in ctx.me.grants if g.role == Role.UNIT_HEAD]
    if heads:
        own = await find_people(ctx, text, tuple(g.unit_path for g in heads))
        units = {g.unit_id for g in heads}
        seen = {p.id for p in people}
        people += [p for p in own if p.unit_id in units and p.id not in seen]
    return people


def _may_check(ctx: Ctx, person: Person, unit: Unit) -> bool:
    """Whether the asker may see ``person``'s eligibility (see :func:`_visible_matches`)."""
    if person.id == ctx.me.id or ctx.me.can_see(unit, *READ_ROLES):
        return True
    return any(g.role == Role.UNIT_HEAD and g.unit_id == unit.id for g in ctx.me.grants)


def _split_year(ctx: Ctx, text: str) -> tuple[str, int | None]:
    """(person text, rating year or None) from ``PERSON YEAR``, ``YEAR`` or ``PERSON``.

    A trailing number after a person is a year; alone, a number of four digits (``2025``
    or ``2025年``) is a year, and a person's number is written ``P2025``. Years after next
    year or before the records are refused with a clear message.
    """
    # 岳村镇2025 / 高峰2025年度: a year stuck to the name is a word of its own.
    text = _STUCK_YEAR.sub(r"\1 \2", text)
    words = [_short_year(w, ctx.local_now.year) for w in text.split()]
    if not words:
        return "", None
    this_year = ctx.local_now.year
    # 今年 / 去年 for the year, at either end; a year typed first (2025 高峰) moves last.
    for at in {0, len(words) - 1}:
        back = YEARS_BACK.get(words[at].rstrip("的"))
        if back is not None:
            words[at] = str(this_year - back)
    if len(words) > 1 and _YEAR_ALONE.fullmatch(words[0]) and not _NUMBER.fullmatch(words[-1]):
        words = [*words[1:], words[0]]
    last = words[-1]
    alone = len(words) == 1
    if alone and not _YEAR_ALONE.fullmatch(last):
        return " ".join(words), None
    if not alone and not _NUMBER.fullmatch(last):
        return " ".join(words), None
    digits = last.rstrip("年")
    first = FIRST_YEAR
    # Next year's rating can be foreseen from the records as they stand (高峰明年能评优吗).
    if len(digits) != 4 or not first <= int(digits) <= this_year + 1:
        raise UserError(
            ctx._(
                "“{text}” is not a year I can judge: please give a year from {first} to {last}, e.g. /eligible {example}.",
                text=last[:12],
                first=first,
                last=this_year + 1,
                example=f"{words[0]} {this_year - 1}" if not alone else str(this_year - 1),
            )
        )
    return " ".join(words[:-1]), int(digits)


def _number(ctx: Ctx, args: list[str], index: int) -> int:
    """A positive number in a button payload; a malformed one is "not found" (a forged or
    stale button names nobody)."""
    try:
        value = int(args[index])
    except (IndexError, ValueError):
        value = 0
    if value <= 0:
        raise NotFound(ctx._("No person “{text}” found within your scope.", text="?"))
    return value


@router.button(PREFIX, private_only=True)
async def eligible_button(ctx: Ctx, args: list[str]) -> None:
    """``el:PERSON_ID[:YEAR]`` from the choice above; the id is re-checked against the scope.
    ``el:other`` is "no, someone else" under a single match."""
    if args[:1] == [NOT_THIS_ONE]:
        ctx.reply(
            ctx._(
                "Please send /eligible with the person's full name (/eligible 高峰) or number (/eligible P28)."
            )
        )
        await expect_name(ctx, "/eligible {}")  # the bare name typed next is enough too
        return
    pid = _number(ctx, args, 0)
    year = _number(ctx, args, 1) if len(args) > 1 else None
    if year is not None and not FIRST_YEAR <= year <= ctx.local_now.year:
        year = None  # a button from an old message: judge the pending year instead
    person = await ctx.uow.people.get(pid)
    unit = await ctx.uow.units.get(person.unit_id) if person else None
    if person is None or unit is None or not person.active:
        raise NotFound(ctx._("No person “{text}” found within your scope.", text=f"P{pid}"))
    if not _may_check(ctx, person, unit):
        raise NotFound(ctx._("No person “{text}” found within your scope.", text=f"P{pid}"))
    await show_eligibility(ctx, person, year)


async def show_eligibility(ctx: Ctx, person: Person, year: int | None = None) -> None:
    """Compute and show the answer for ``person`` today (in the configured time zone).

    ``year`` is the rating year asked about; by default the year whose commendation is
    pending (the year just ended until the commendation meeting has been held).
    """
    catalogue = load_sanctions()
    year_judged = await rating_year(ctx.uow, ctx.local_now.date(), year)
    result = await judge(ctx.uow, person.id, year_judged, catalogue)
    await ctx.audit("eligibility.viewed", "person", person.id, person.unit_id, **_year_detail(year))
    notes = year_notes(ctx, result, year, year_judged)
    ctx.reply(render(ctx, await person_label(ctx, person.id), result, catalogue, notes))


def _year_detail(year: int | None) -> dict[str, int]:
    """Audit detail: the year only when one was asked for."""
    return {"year": year} if year is not None else {}


@router.button(UNIT_PREFIX, private_only=True)
async def eligible_unit_button(ctx: Ctx, args: list[str]) -> None:
    """``elu:UNIT_ID[:YEAR]``: the list of a unit offered after a bare /eligible; the
    asker's right to list it is checked again (a button may be old or forged)."""
    uid = _number(ctx, args, 0)
    year = _number(ctx, args, 1) if len(args) > 1 else None
    if year is not None and not FIRST_YEAR <= year <= ctx.local_now.year:
        year = None
    unit = await ctx.uow.units.get(uid)
    if unit is None or not may_list(ctx, unit):
        raise NotFound(ctx._("No person or unit “{text}” found within your scope.", text=f"#{uid}"))
    await show_unit(ctx, unit, year)
