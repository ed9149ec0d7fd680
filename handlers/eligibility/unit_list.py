"""/eligible UNIT [YEAR]: everyone in a unit at once, before a commendation or a promotion round.

Who may be rated advanced for the year and who may be promoted now, one line per person who
is barred or needs a check by hand (the bar's end date when it has one), and the people with
nothing on record against them in one list. A button per barred or unclear person opens the
full answer with its reasons and rules (the one-person /eligible). Inspectors and
administrators list a unit of their scope with its subunits; a unit head lists the own unit
only (its subunits have their own heads), as for one person.
"""

from __future__ import annotations

from dataclasses import dataclass

from handlers.core.context import Ctx, button, rows
from handlers.core.domain import Grade, Person, Role, Unit
from handlers.core.errors import UserError
from handlers.core.unit_words import find_units
from handlers.eligibility.judging import RatingYear, judge, rating_year
from handlers.eligibility.reply import iso_date, rating_unchecked, year_notes
from handlers.eligibility.rules import Eligibility
from handlers.records.domain import READ_ROLES
from handlers.records.ports import records_of
from knowledge.sanctions import load_sanctions

#: More people than this are judged unit by unit (each one reads three record tables).
MAX_PEOPLE = 300
#: Buttons for the details of barred or unclear people (the rest are named in the text).
MAX_BUTTONS = 12
#: The button that lists a unit (offered after a bare /eligible).
UNIT_PREFIX = "elu"
#: Units offered after a bare /eligible (a person rarely heads or oversees more).
MAX_OWN_UNITS = 4


@dataclass(frozen=True)
class _Row:
    """One person's two verdicts, as the list shows them."""

    person: Person
    label: str
    result: Eligibility

    @property
    def rating_unclear(self) -> bool:
        """A record with no checked period, dated by the judging day, or an unknown kind."""
        return bool(self.result.unknown_kinds) or rating_unchecked(self.result)

    @property
    def promotion_unclear(self) -> bool:
        """A record with no checked period, or an unknown kind."""
        return bool(self.result.to_check or self.result.unknown_kinds)

    @property
    def clear(self) -> bool:
        """Nothing bars either answer and nothing needs a check by hand."""
        r = self.result
        return r.advanced_ok and r.promotion_ok and not r.to_check and not r.unknown_kinds


async def unit_asked(ctx: Ctx, text: str) -> Unit | None:
    """The unit ``text`` names (code or name) among those the asker may list, or None.

    Several matching units raise the usual "which one?" choice. People without a staff
    role or a unit to head get None, so they see the "no such person" reply as before.
    """
    heads = tuple(g.unit_path for g in ctx.me.grants if g.role == Role.UNIT_HEAD)
    paths = (*ctx.me.scope_paths(*READ_ROLES), *heads)
    if not paths or not text.strip():
        return None
    if not await find_units(ctx.uow, ctx.me, text, paths):
        return None
    unit = await ctx.unit_in_scope(text, *READ_ROLES, Role.UNIT_HEAD)
    return unit if may_list(ctx, unit) else None


def may_list(ctx: Ctx, unit: Unit) -> bool:
    """Staff list any unit of their subtrees; a unit head the own unit."""
    if ctx.me.can_see(unit, *READ_ROLES):
        return True
    return any(g.role == Role.UNIT_HEAD and g.unit_id == unit.id for g in ctx.me.grants)


async def offer_own_units(ctx: Ctx, asked: int | None) -> None:
    """After a bare /eligible (the asker's own answer), offer the list of each unit the
    asker heads or oversees: a unit head typing /eligible before a commendation round
    usually wants the unit, not only himself."""
    grants = [g for g in ctx.me.grants if g.role in (*READ_ROLES, Role.UNIT_HEAD)]
    unit_ids = list(dict.fromkeys(g.unit_id for g in grants))[:MAX_OWN_UNITS]
    if not unit_ids:
        return
    suffix = f":{asked}" if asked is not None else ""
    keyboard = []
    for uid in unit_ids:
        unit = await ctx.uow.units.get(uid)
        if unit is not None:
            label = ctx._("Everyone in {unit}", unit=ctx.t.aside(unit.name, unit.code))
            keyboard.append([button(label, f"{UNIT_PREFIX}:{uid}{suffix}")])
    if keyboard:
        ctx.reply(ctx._("To check a whole unit at once:"), rows(*keyboard))


async def _people(ctx: Ctx, unit: Unit) -> list[Person]:
    """Whom the asker lists: the subtree for staff, the unit alone for its head."""
    people = await ctx.uow.people.in_units([unit.path])
    if not ctx.me.can_see(unit, *READ_ROLES):
        people = [p for p in people if p.unit_id == unit.id]
    return sorted(people, key=lambda p: (p.unit_id != unit.id, p.unit_id, p.name, p.id))


async def show_unit(ctx: Ctx, unit: Unit, asked: int | None) -> None:
    """Judge everyone the asker may see in ``unit`` and reply with the list."""
    people = await _people(ctx, unit)
    unit_label = ctx.t.aside(unit.name, unit.code)
    if not people:
        ctx.reply(ctx._("No one is listed in {unit}.", unit=unit_label))
        return
    if len(people) > MAX_PEOPLE:
        raise UserError(
            ctx._(
                "{unit} and its subunits list {n} people: please ask about one subunit at a time.",
                unit=unit_label,
                n=len(people),
            )
        )
    catalogue = load_sanctions()
    year = await rating_year(ctx.uow, ctx.local_now.date(), asked)
    names = {unit.id: unit.name}
    listed = []
    for person in people:
        if person.unit_id not in names:
            other = await ctx.uow.units.get(person.unit_id)
            names[person.unit_id] = other.name if other else "—"
        own = person.unit_id == unit.id
        label = person.name if own else ctx.t.aside(person.name, names[person.unit_id])
        listed.append(_Row(person, label, await judge(ctx.uow, person.id, year, catalogue)))
    await ctx.audit("eligibility.unit_viewed", "unit", unit.id, unit.id, people=len(listed))
    flagged = [r for r in listed if not r.clear]
    suffix = f":{asked}" if asked is not None else ""
    keyboard = [[button(r.label, f"el:{r.person.id}{suffix}")] for r in flagged[:MAX_BUTTONS]]
    text = _text(ctx, unit_label, listed, year, asked)
    result = await records_of(ctx.uow).assessments.find(unit.id, None, year.rating_year)
    if result is not None and result.result == Grade.FAILED:
        # The unit itself is barred too: a list of clear people had read as "all is well".
        barred = ctx._(
            "⚠️ {unit} failed its assessment for {year}: it cannot be rated an advanced unit for that year.",
            unit=unit_label,
            year=year.rating_year,
        )
        text = f"{barred}\n\n{text}"
    ctx.reply(text, rows(*keyboard))


def _text(
    ctx: Ctx, unit_label: str, listed: list[_Row], year: RatingYear, asked: int | None
) -> str:
    """The reply: the header, a line per flagged person, the clear ones, the footnotes."""
    lines = [
        ctx._(
            "{unit} — rated advanced for {year} and promotion now, as of {date} ({n} people):",
            unit=unit_label,
            year=year.rating_year,
            date=iso_date(year.today),
            n=len(listed),
        ),
        "",
    ]
    flagged = [r for r in listed if not r.clear]
    lines += [_flagged_line(ctx, r) for r in flagged]
    clear = [r.label for r in listed if r.clear]
    if clear:
        if flagged:
            lines.append("")
        lines.append(
            ctx._(
                "✅ Nothing on record prevents either ({n}): {names}",
                n=len(clear),
                names=ctx.t.join(clear),
            )
        )
    lines.append("")
    lines += year_notes(ctx, listed[0].result, asked, year)
    if flagged:
        lines.append(ctx._("Press a name below for the reasons, their dates and rules."))
    lines.append(
        ctx._(
            "Only records kept in this assistant are considered; the decision of the organisation department prevails."
        )
    )
    return "\n".join(lines).strip()


def _flagged_line(ctx: Ctx, row: _Row) -> str:
    """``name: advanced ❌ · promotion ❌ until DATE`` for one barred or unclear person."""
    r = row.result
    if r.advanced:
        advanced = ctx._("rated advanced ❌")
    elif row.rating_unclear:
        advanced = ctx._("rated advanced ⚠️ check by hand")
    else:
        advanced = ctx._("rated advanced ✅")
    if r.promotion and r.promotion_until is not None:
        promotion = ctx._("promotion ❌ until {date}", date=iso_date(r.promotion_until))
    elif r.promotion:
        promotion = ctx._("promotion ❌")
    elif row.promotion_unclear:
        promotion = ctx._("promotion ⚠️ check by hand")
    else:
        promotion = ctx._("promotion ✅")
    return f"• {row.label}{ctx.t.colon}{advanced} · {promotion}"
