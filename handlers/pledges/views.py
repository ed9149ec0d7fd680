"""Views: ``/mypledge`` (own pledges by year) and ``/unitpledges`` (who pledged and reported).

Buttons carry ids, so every payload is checked again: a person record opens only if the
person's unit lies in the viewer's scope, with the same message for unknown and
out-of-scope ids.
"""

from __future__ import annotations

from handlers.calendar.domain import Period
from handlers.calendar.windows import WindowState, pledge_calendar
from handlers.core.context import Ctx, button, rows
from handlers.core.domain import Person, Unit
from handlers.core.errors import NotFound, UserError
from handlers.core.i18n import N_
from handlers.core.notify import tell
from handlers.core.parsing import MAX_YEAR, MIN_YEAR
from handlers.core.private import private_commands
from handlers.core.router import Router
from handlers.core.types import Button
from handlers.org.roles import CADRE_ROLES
from handlers.pledges.appraisal import start_appraisal
from handlers.pledges.calendar import owner_may_edit
from handlers.pledges.checkin import chance_label
from handlers.pledges.fix import start_fix
from handlers.pledges.form_checks import appraised_on, parse_year_arg, split_year, today
from handlers.pledges.ports import checkins_of, pledges_of
from handlers.pledges.scope import (
    ACT_ROLES,
    VIEW_ROLES,
    person_in_scope,
    refuse_self,
    unit_or_person,
)
from handlers.pledges.status import (
    PersonYear,
    chances_for_pledge,
    must_pledge,
    person_year,
    unit_overview,
)
from handlers.pledges.text import code_name, record_text, send_long
from handlers.pledges.unit_lines import person_line, unit_counts

router = Router()
cadre_command = private_commands(router, CADRE_ROLES)
viewer_command = private_commands(router, VIEW_ROLES)

PAGE_SIZE = 10


async def _appraiser_name(ctx: Ctx, record: PersonYear) -> str:
    if record.appraisal is None:
        return ""
    who = await ctx.uow.people.get(record.appraisal.by_id)
    return who.name if who else "—"


async def _record_text(ctx: Ctx, record: PersonYear, heading: str = "") -> str:
    revisions = await pledges_of(ctx.uow).revisions(record.pledge.id) if record.pledge else []
    return record_text(
        ctx.t,
        record,
        revisions,
        await pledge_calendar(ctx.uow),
        today(ctx),
        ctx.services.config.timezone,
        await _appraiser_name(ctx, record),
        heading,
    )


# -- /mypledge -------------------------------------------------------------------------------
@cadre_command("mypledge", N_("My pledges, check-ins and appraisals: /mypledge [YEAR]"), order=22)
async def my_pledge(ctx: Ctx) -> None:
    """Show one year in full (this year's by default) with buttons for the other years."""
    await show_my_year(ctx, await parse_year_arg(ctx, ctx.req.args))


async def show_my_year(ctx: Ctx, year: int | None) -> None:
    """The person's own record for ``year`` (None: this year's pledge, else the newest)."""
    pledges = await pledges_of(ctx.uow).for_person(ctx.me.id)
    if not pledges:
        text = ctx._("You have not made any pledge yet.")
        if must_pledge(ctx.me) and year is not None and year > today(ctx).year:
            text = ctx.t.sentences(text, ctx._("To make it, send /pledge {year}.", year=year))
        elif must_pledge(ctx.me):
            text = ctx.t.sentences(text, ctx._("Send /pledge to make this year's pledge."))
        ctx.reply(text)
        return
    # A draft for next year (made in December) must not hide this year's, whose year-end
    # check-in is what is due now: this year first, the newest only when there is none.
    this_year = today(ctx).year
    default = this_year if any(p.year == this_year for p in pledges) else pledges[0].year
    chosen = year if year is not None else default
    record = await person_year(ctx.uow, ctx.me, chosen)
    keyboard: list[list[Button]] = []
    if record.pledge is not None:
        pledge = record.pledge
        if owner_may_edit(pledge, record.answered, today(ctx)):
            keyboard.append([button(ctx._("✏️ Edit pledge"), f"plg:edit:{pledge.id}")])
        chances = await chances_for_pledge(
            ctx.uow, pledge, today(ctx), await pledge_calendar(ctx.uow)
        )
        # An appraised pledge's check-ins are locked (a report not made yet may still be
        # made): no button that would only say so.
        for chance in chances:
            if appraised_on(chance.checkin, record.appraisal):
                continue
            keyboard.append(
                [
                    button(
                        "📝 " + chance_label(ctx, chance),
                        f"plc:go:{pledge.id}:{chance.window.period.value}",
                    )
                ]
            )
    others = [p.year for p in pledges if p.year != chosen]
    if others:
        keyboard.append([button(str(y), f"plm:{y}") for y in others[:6]])
    text = await _record_text(ctx, record)
    if record.pledge is None and chosen >= this_year and must_pledge(ctx.me):
        # /mypledge 明年 before the pledge is made: say how to make it.
        text += "\n" + ctx._("To make it, send /pledge {year}.", year=chosen)
    send_long(ctx, text, rows(*keyboard))


@router.button("plm", roles=CADRE_ROLES, private_only=True)
async def my_pledge_button(ctx: Ctx, args: list[str]) -> None:
    """``plm:<year>``: another year of one's own record."""
    if len(args) == 1 and args[0].isdecimal() and MIN_YEAR <= int(args[0]) <= MAX_YEAR:
        await show_my_year(ctx, int(args[0]))
        return
    ctx.reply(ctx._("That button is no longer valid."))


# -- /unitpledges ----------------------------------------------------------------------------
async def show_unit(ctx: Ctx, unit: Unit, year: int, page: int = 0) -> None:
    """The list for a unit subtree, one page at a time, with a button per person."""
    calendar = await pledge_calendar(ctx.uow)
    records = await unit_overview(ctx.uow, [unit.path], year)
    await ctx.audit("pledge.unit_viewed", "unit", unit.id, unit.id, year=year)
    pages = max(1, -(-len(records) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    shown = records[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    head = ctx._("Pledges {year} — {unit}", year=year, unit=unit.name)
    lines = [head, unit_counts(ctx, records, calendar, year), ""]
    if not records:
        lines.append(ctx._("Nobody in this unit has to pledge."))
    first = page * PAGE_SIZE + 1
    lines += [person_line(ctx, first + i, r, calendar) for i, r in enumerate(shown)]
    if pages > 1:
        lines.append(ctx._("Page {page} of {pages}", page=page + 1, pages=pages))
    people = [
        button(f"{first + i}. {r.person.name}", f"plu:p:{r.person.id}:{year}")
        for i, r in enumerate(shown)
    ]
    nav = []
    if page > 0:
        nav.append(button("◀", f"plu:l:{unit.id}:{year}:{page - 1}"))
    if page + 1 < pages:
        nav.append(button("▶", f"plu:l:{unit.id}:{year}:{page + 1}"))
    send_long(
        ctx, "\n".join(lines), rows(*[people[i : i + 2] for i in range(0, len(people), 2)], nav)
    )


async def _scope_units(ctx: Ctx) -> list[Unit]:
    """The units the viewer's grants cover (tops of the subtrees), without nested duplicates."""
    paths = ctx.me.scope_paths(*VIEW_ROLES)
    tops = [p for p in paths if not any(p != q and p.startswith(q) for q in paths)]
    grants = {g.unit_path: g.unit_id for g in ctx.me.grants}
    units = [await ctx.uow.units.get(grants[p]) for p in tops]
    return [u for u in units if u is not None]


@viewer_command(
    "unitpledges",
    N_("Who has pledged and reported in a unit: /unitpledges [UNIT] [YEAR]"),
    order=30,
)
async def unit_pledges(ctx: Ctx) -> None:
    """Show a unit subtree in the viewer's scope (the only one, or a choice)."""
    year, text = split_year(ctx, ctx.req.args)
    year = year or today(ctx).year
    if year > today(ctx).year + 1:
        # Next year's pledges may be drafted; later years' cannot exist (all "not pledged").
        raise UserError(ctx._("There can be no pledges for {year} yet.", year=year))
    if text:
        found = await unit_or_person(ctx, text)
        if isinstance(found, tuple):
            await show_person(ctx, *found, year)
        else:
            await show_unit(ctx, found, year)
        return
    units = await _scope_units(ctx)
    if len(units) == 1:
        await show_unit(ctx, units[0], year)
        return
    ctx.reply(
        ctx._("Which unit?"),
        rows(*[[button(u.name, f"plu:l:{u.id}:{year}:0")] for u in units]),
    )


async def _unit_in_scope(ctx: Ctx, unit_id: int) -> Unit:
    unit = await ctx.uow.units.get(unit_id)
    if unit is None or not ctx.me.can_see(unit, *VIEW_ROLES):
        raise NotFound(ctx._("No such unit within your scope."))
    return unit


async def show_person(ctx: Ctx, person: Person, unit: Unit, year: int) -> None:
    """One person's record, with the actions the viewer may take."""
    record = await person_year(ctx.uow, person, year)
    await ctx.audit("pledge.record_viewed", "person", person.id, unit.id, year=year)
    heading = f"👤 {ctx.t.aside(person.name, unit.name)}" + (
        f" · {person.post}" if person.post else ""
    )
    keyboard: list[list[Button]] = []
    may_act = ctx.me.can_see(unit, *ACT_ROLES) and person.id != ctx.me.id
    pledge = record.pledge
    if may_act and pledge is not None:
        keyboard.append([button(ctx._("Enter appraisal"), f"plu:ap:{person.id}:{year}")])
        if not owner_may_edit(pledge, record.answered, today(ctx)):
            keyboard.append([button(ctx._("Correct pledge"), f"plu:fx:{person.id}:{year}")])
    if may_act:
        permitted = {p.period for p in record.permits}
        for window in (await pledge_calendar(ctx.uow)).windows_for(year):
            if window.state(today(ctx)) == WindowState.BEFORE and window.period not in permitted:
                keyboard.append(
                    [
                        button(
                            ctx._(
                                "Allow early {period} check-in",
                                period=code_name(ctx.t, window.period),
                            ),
                            f"plu:al:{person.id}:{year}:{window.period.value}",
                        )
                    ]
                )
                break  # only the next window: earlier meetings are about the next report
    keyboard.append([button(ctx._("◀ Back to list"), f"plu:l:{unit.id}:{year}:0")])
    send_long(ctx, await _record_text(ctx, record, heading), rows(*keyboard))


async def _permit(ctx: Ctx, person: Person, unit: Unit, year: int, period: Period) -> None:
    refuse_self(ctx, person)
    window = (await pledge_calendar(ctx.uow)).window(year, period)
    if window.state(today(ctx)) != WindowState.BEFORE:
        raise UserError(
            ctx._(
                "The {period} check-in window for {year} is already open or closed; no permission is needed.",
                period=code_name(ctx.t, period),
                year=year,
            )
        )
    added = await checkins_of(ctx.uow).permit(person.id, year, period, ctx.me.id, ctx.now)
    ctx.reply(
        ctx._(
            "{name} may now make the {period} check-in for {year} before the window opens.",
            name=person.name,
            period=code_name(ctx.t, period),
            year=year,
        )
    )
    if added:
        await ctx.audit(
            "checkin.permitted", "person", person.id, unit.id, year=year, period=period.value
        )
        tell(
            ctx,
            person,
            N_(
                "You may now make your {period} check-in for {year} before the window opens: send /checkin."
            ),
            period=code_name(ctx.t_for(person.language), period),
            year=year,
        )


@router.button("plu", roles=VIEW_ROLES, private_only=True)
async def unit_button(ctx: Ctx, args: list[str]) -> None:
    """``plu:l:<unit>:<year>:<page>`` list · ``plu:p|ap|fx:<person>:<year>`` record, appraisal,
    correction · ``plu:al:<person>:<year>:<period>`` allow an early check-in."""
    action = args[0] if args else ""
    numbers = args[1:3]
    if len(numbers) != 2 or not all(n.isdecimal() for n in numbers):
        ctx.reply(ctx._("That button is no longer valid."))
        return
    target, year = int(numbers[0]), int(numbers[1])
    if not MIN_YEAR <= year <= MAX_YEAR:
        ctx.reply(ctx._("That button is no longer valid."))
        return
    if action == "l" and len(args) == 4 and args[3].isdecimal():
        await show_unit(ctx, await _unit_in_scope(ctx, target), year, int(args[3]))
        return
    roles = VIEW_ROLES if action == "p" else ACT_ROLES
    if action not in ("p", "ap", "fx", "al"):
        ctx.reply(ctx._("That button is no longer valid."))
        return
    person, unit = await person_in_scope(ctx, target, *roles)
    if action == "p":
        await show_person(ctx, person, unit, year)
    elif action == "ap":
        await start_appraisal(ctx, person, year)
    elif action == "fx":
        pledge = await pledges_of(ctx.uow).of_person(person.id, year)
        if pledge is None:
            ctx.reply(ctx._("That button is no longer valid."))
            return
        await start_fix(ctx, person, pledge)
    elif len(args) == 4 and args[3] in {p.value for p in Period}:
        await _permit(ctx, person, unit, year, Period(args[3]))
    else:
        ctx.reply(ctx._("That button is no longer valid."))
