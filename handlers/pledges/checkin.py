"""Reporting how a pledge was kept: ``/checkin`` and the choice between possible reports.

The form itself is in :mod:`handlers.pledges.checkin_form`; when a check-in is possible
(on time, late, early with a permit, or a change while the window is open) is decided in
:mod:`handlers.pledges.calendar` (on the windows of :mod:`handlers.calendar.windows`).
"""

from __future__ import annotations

from handlers.calendar.domain import Period
from handlers.calendar.windows import WindowState, pledge_calendar
from handlers.core.context import Ctx, button, rows
from handlers.core.errors import UserError
from handlers.core.i18n import N_
from handlers.core.parsing import typed_year
from handlers.core.private import private_commands
from handlers.core.router import Router
from handlers.org.roles import CADRE_ROLES
from handlers.pledges.calendar import CheckinMode
from handlers.pledges.checkin_form import CHECKIN_FORM
from handlers.pledges.form_checks import (
    locked_by_appraisal,
    not_section_level_text,
    own_only,
    today,
)
from handlers.pledges.ports import pledges_of
from handlers.pledges.status import CheckinChance, chances_for_pledge, checkin_chances, must_pledge
from handlers.pledges.text import code_name

router = Router()
command = private_commands(router, CADRE_ROLES)

router.add_form(CHECKIN_FORM)


def chance_label(ctx: Ctx, chance: CheckinChance) -> str:
    """Button text for one possible check-in."""
    period = code_name(ctx.t, chance.window.period)
    labels = {
        CheckinMode.NEW: ctx._("{year} {period}", year=chance.pledge.year, period=period),
        CheckinMode.EARLY: ctx._("{year} {period} (early)", year=chance.pledge.year, period=period),
        CheckinMode.LATE: ctx._("{year} {period} (late)", year=chance.pledge.year, period=period),
        CheckinMode.EDIT: ctx._("{year} {period} (change)", year=chance.pledge.year, period=period),
    }
    return labels[chance.mode]


async def _explain_nothing_to_do(ctx: Ctx) -> None:
    """Why no check-in can be made today: no pledge, or the next window is not open yet."""
    day = today(ctx)
    calendar = await pledge_calendar(ctx.uow)
    pledges = [
        p for p in await pledges_of(ctx.uow).for_person(ctx.me.id) if abs(p.year - day.year) <= 1
    ]
    if not pledges:
        ctx.reply(
            ctx._("You have no pledge to report on yet. Make your pledge first with /pledge.")
        )
        return
    upcoming = sorted(
        (w for p in pledges for w in calendar.windows_for(p.year)
         if w.state(day) == WindowState.BEFORE),
        key=lambda w: w.start,
    )  # fmt: skip
    if upcoming:
        w = upcoming[0]
        ctx.reply(
            ctx._(
                "The {period} check-in for {year} opens on {start} and closes on {end}. Before it opens you can check in only if your unit principal or a discipline inspector allows it (for example when your unit's democratic life meeting is earlier).",
                period=code_name(ctx.t, w.period),
                year=w.year,
                start=w.start.isoformat(),
                end=w.end.isoformat(),
            )
        )
        return
    ctx.reply(ctx._("There is no check-in to make now. Send /mypledge to see your reports."))


#: A check-in period named as typed (/checkin 年终, "year end" after the choice is shown).
PERIOD_WORDS = {
    **dict.fromkeys(
        ("年中", "年中践诺", "上半年", "年中补报", "midyear", "mid-year", "mid year"),
        Period.MIDYEAR,
    ),
    **dict.fromkeys(
        (
            "年终",
            "年底",
            "年末",
            "下半年",
            "年终践诺",
            "年终补报",
            "yearend",
            "year-end",
            "year end",
            "end year",
            "end of year",
        ),
        Period.YEAREND,
    ),
}


async def _period_asked(ctx: Ctx) -> tuple[Period | None, int | None]:
    """The period or the pledge year named after /checkin (None for what is not named); a
    word that names neither is refused rather than ignored."""
    words = " ".join(ctx.req.args.lower().split())
    if not words:
        return None, None
    period = PERIOD_WORDS.get(words.removesuffix(" check-in").removesuffix("报告"))
    if period is not None:
        return period, None
    year = typed_year(words, today(ctx).year)
    if year is None:
        await own_only(ctx, words)  # /checkin 高峰: one's own report only
        raise UserError(ctx._("Please name the check-in: mid-year or year-end (年中 or 年终)."))
    return None, year


@command("checkin", N_("Report how your pledge was kept"), order=21)
async def checkin_command(ctx: Ctx) -> None:
    """Start the check-in due now (or the one named: /checkin 年终), or offer a choice
    when several are possible."""
    if not must_pledge(ctx.me):
        ctx.reply(not_section_level_text(ctx))
        return
    asked, year = await _period_asked(ctx)
    chances = await checkin_chances(ctx.uow, ctx.me, today(ctx), await pledge_calendar(ctx.uow))
    if asked is not None:
        chances = [c for c in chances if c.window.period == asked]
    if year is not None:
        chances = [c for c in chances if c.pledge.year == year]
        if not chances and year != today(ctx).year:
            # /checkin 2027 or 去年: no report for that year's pledge can be made now.
            raise UserError(
                ctx._(
                    "There is no check-in to make now for your pledge of {year}. Send /mypledge {year} to see that year's pledge and reports.",
                    year=year,
                )
            )
    if not chances:
        await _explain_nothing_to_do(ctx)
        return
    if len(chances) > 1:
        # A report the appraisal locked is not offered beside others ("修改" then refused).
        chances = [c for c in chances if not await locked_by_appraisal(ctx, c)] or chances
    if len(chances) == 1:
        await CHECKIN_FORM.start(ctx, chances[0])
        return
    ctx.reply(
        ctx._("Which check-in do you want to make?"),
        rows(
            *[
                [
                    button(
                        chance_label(ctx, c),
                        f"plc:go:{c.pledge.id}:{c.window.period.value}",
                    )
                ]
                for c in chances
            ]
        ),
    )


@router.button("plc", roles=CADRE_ROLES, private_only=True)
async def checkin_button(ctx: Ctx, args: list[str]) -> None:
    """``plc:go:<pledge id>:<period>``: start that check-in if it is still possible."""
    if len(args) == 3 and args[0] == "go" and args[1].isdecimal():
        pledge = await pledges_of(ctx.uow).get(int(args[1]))
        if pledge is not None and pledge.person_id == ctx.me.id:
            chances = await chances_for_pledge(
                ctx.uow, pledge, today(ctx), await pledge_calendar(ctx.uow)
            )
            chosen = [c for c in chances if c.window.period.value == args[2]]
            if chosen:
                await CHECKIN_FORM.start(ctx, chosen[0])
                return
            await _explain_nothing_to_do(ctx)
            return
    ctx.reply(ctx._("That button is no longer valid."))
