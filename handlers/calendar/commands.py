"""/calendar: the year's events for everyone; administrators set actual dates and places.

``/calendar [YEAR]`` lists the events relevant to the person (all events for
administrators, with their codes); ``/calendar set EVENT DATE[..END] [PLACE]`` sets one.
:func:`import_dates` is shared with ``lianzheng calendar import FILE``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from handlers.core.context import Ctx
from handlers.core.domain import Person, Role
from handlers.core.errors import UserError
from handlers.core.i18n import N_
from handlers.core.ports import UnitOfWork
from handlers.core.router import Router
from handlers.reminders.domain import CalendarDate
from handlers.reminders.plan import AUDIENCE_ROLES, year_events
from knowledge.calendar import EventDate, EventSpec, default_calendar, event_by_code

router = Router()

MAX_PLACE = 100


def parse_dates(text: str) -> tuple[date, date | None]:
    """``2026-08-01`` or ``2026-08-01..2026-08-31``; raises ValueError."""
    first, _, last = text.strip().partition("..")
    start = date.fromisoformat(first.strip())
    end = date.fromisoformat(last.strip()) if last.strip() else None
    if end is not None and (end < start or end.year != start.year):
        raise ValueError("the end must be on or after the start, in the same year")
    return start, end


def concerns(spec: EventSpec, person: Person) -> bool:
    """True when the event's audience includes the person."""
    roles, section_only = AUDIENCE_ROLES[spec.audience]
    return person.has_role(*roles) and (person.section_level or not section_only)


def _line(ctx: Ctx, e: EventDate, admin: bool) -> str:
    day = e.starts_on.isoformat() + (f"～{e.ends_on.isoformat()}" if e.ends_on else "")
    text = f"{day}  {e.spec.label(ctx.t.language)}"
    if e.place:
        text += ctx._(" (place: {place})", place=e.place)
    if not e.confirmed:
        text += ctx._(" [default date]")
    if admin:
        text += f"  `{e.spec.code}`"
    return text


@router.command("calendar", N_("The year's events and their dates: /calendar [YEAR]"))
async def calendar_command(ctx: Ctx) -> None:
    """Show the year's calendar, or (administrators) set a date."""
    args = ctx.req.args.split(maxsplit=3)
    if args and args[0].lower() == "set":
        await _set(ctx, args[1:])
        return
    year = ctx.local_now.year
    if args:
        if not args[0].isdecimal() or not 2000 <= int(args[0]) <= 2100:
            raise UserError(ctx._("Usage: /calendar [YEAR]"))
        year = int(args[0])
    admin = ctx.me.has_role(Role.ADMIN)
    today = ctx.local_now.date()
    events = [e for e in await year_events(ctx.uow, year) if admin or concerns(e.spec, ctx.me)]
    lines = [ctx._("Calendar {year}:", year=year)]
    for e in events:
        mark = "✓ " if e.last_day < today else "• "
        lines.append(mark + _line(ctx, e, admin))
    if not events:
        lines.append(ctx._("No events concern you this year."))
    if admin:
        lines.append("")
        lines.append(
            ctx._(
                "Set a date: /calendar set EVENT DATE [PLACE], e.g. /calendar set life_meeting {year}-07-16 市委第一会议室",
                year=year,
            )
        )
    ctx.reply("\n".join(lines))


async def _set(ctx: Ctx, args: Sequence[str]) -> None:
    # The calendar is organisation-wide (dates are kept per event and year), so only an
    # administrator of a root unit may change it; a county administrator may not.
    root_admin = any(g.role == Role.ADMIN and g.unit_path.count("/") == 2 for g in ctx.me.grants)
    if not root_admin:
        raise UserError(
            ctx._("Sorry, your role does not allow this. Send /help to see what you can do.")
        )
    if not ctx.req.is_private:
        raise UserError(ctx._("Please use this in a private chat with me."))
    if len(args) < 2:
        codes = ", ".join(e.code for e in default_calendar())
        raise UserError(
            ctx._("Usage: /calendar set EVENT DATE[..END] [PLACE]\nEvents: {codes}", codes=codes)
        )
    spec = event_by_code(args[0])
    if spec is None:
        codes = ", ".join(e.code for e in default_calendar())
        raise UserError(
            ctx._("Unknown event “{code}”. Events: {codes}", code=args[0][:40], codes=codes)
        )
    try:
        start, end = parse_dates(args[1])
    except ValueError:
        raise UserError(
            ctx._("Please give the date as YYYY-MM-DD (or YYYY-MM-DD..YYYY-MM-DD for a period).")
        ) from None
    place = args[2].strip() if len(args) > 2 else ""
    if len(args) > 3:
        place = f"{place} {args[3].strip()}"
    if len(place) > MAX_PLACE:
        raise UserError(ctx._("That is too long (at most {n} characters).", n=MAX_PLACE))
    await ctx.uow.reminders.set_date(
        CalendarDate(spec.code, start.year, start, end, place, ctx.me.id)
    )
    # Check-in windows may follow this date; kept summary figures used the old windows.
    await ctx.uow.summary.expire_snapshot()
    await ctx.audit(
        "calendar.set", "calendar", f"{spec.code}:{start.year}", None, date=start.isoformat()
    )
    event = EventDate(spec, start.year, start, end, place, True)
    ctx.reply(ctx._("Saved: {line}\nReminders follow the new date.", line=_line(ctx, event, False)))


async def import_dates(
    uow: UnitOfWork, rows: Iterable[Sequence[str]], by: int | None = None
) -> tuple[int, list[str]]:
    """Set dates from rows (event code, date[..end], place); returns (saved, problems).

    Nothing is saved when any row has a problem (the caller commits only on success).
    """
    problems: list[str] = []
    values: list[CalendarDate] = []
    for n, row in enumerate(rows, 1):
        cells = [c.strip() for c in row]
        if not cells or not any(cells) or cells[0].lower() in ("event", "code", "事件"):
            continue
        spec = event_by_code(cells[0])
        if spec is None:
            problems.append(f"row {n}: unknown event {cells[0]!r}")
            continue
        try:
            start, end = parse_dates(cells[1] if len(cells) > 1 else "")
        except ValueError as exc:
            problems.append(f"row {n}: bad date: {exc}")
            continue
        place = cells[2] if len(cells) > 2 else ""
        if len(place) > MAX_PLACE:
            problems.append(f"row {n}: place longer than {MAX_PLACE} characters")
            continue
        values.append(CalendarDate(spec.code, start.year, start, end, place, by))
    if problems:
        return 0, problems
    for value in values:
        await uow.reminders.set_date(value)
    if values:  # check-in windows may follow these dates (see _set above)
        await uow.summary.expire_snapshot()
    return len(values), []
