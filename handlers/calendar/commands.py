"""/calendar: the year's events for everyone; administrators set actual dates and places.

``/calendar [YEAR]`` lists the events relevant to the person (all events for
administrators, with any conflict of the year's plan); ``/calendar set EVENT DATE[..END]
[PLACE]`` sets one, the event named as it is shown (专题民主生活会) or by its code. A date
is refused when it would break the plan (see :func:`knowledge.calendar.plan_conflicts`) or
when its year is over (past years are history: their reminders, windows and figures were
computed from the dates then in force). :func:`handlers.calendar.importing.import_dates`
(``lianzheng calendar import FILE``) applies the same checks.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from handlers.calendar.domain import CalendarDate
from handlers.calendar.events import concerns, year_events
from handlers.calendar.past import Past, past_reason
from handlers.calendar.ports import calendar_of
from handlers.calendar.reading import (
    event_names,
    find_event,
    is_dates,
    parse_dates,
    split_stuck_date,
    whole_month,
)
from handlers.core.context import Ctx
from handlers.core.dates import no_such_day, no_such_day_message
from handlers.core.domain import Role
from handlers.core.errors import UserError
from handlers.core.i18n import N_, Translator
from handlers.core.parsing import typed_year
from handlers.core.router import Router
from knowledge.calendar import (
    Conflict,
    EventDate,
    EventSpec,
    plan_conflicts,
)

router = Router()

MAX_PLACE = 100


def conflict_text(t: Translator, c: Conflict) -> str:
    """One conflict of the plan in words, with both dates."""
    name, other = c.event.spec.label(t.language), c.other.spec.label(t.language)
    day, other_day = _days(c.event), _days(c.other)
    if c.rule == "before":
        return t._(
            "{name} ({day}) must end before {other} ({other_day}).",
            name=name, day=day, other=other, other_day=other_day,
        )  # fmt: skip
    if c.rule == "within":
        return t._(
            "{name} ({day}) must lie within {other} ({other_day}).",
            name=name, day=day, other=other, other_day=other_day,
        )  # fmt: skip
    return t._("{name} ({day}) leaves its year.", name=name, day=day)


def _days(e: EventDate) -> str:
    return e.starts_on.isoformat() + (f"～{e.ends_on.isoformat()}" if e.ends_on else "")


def _line(ctx: Ctx, e: EventDate) -> str:
    days = ctx.t.span(e.starts_on.isoformat(), e.ends_on.isoformat()) if e.ends_on else _days(e)
    text = f"{days}  {e.spec.label(ctx.t.language)}"
    if e.place:
        text += ctx._(" (place: {place})", place=e.place)
    if not e.confirmed:
        text += ctx._(" [default date]")
    return text


@router.command("calendar", N_("The year's events and their dates: /calendar [YEAR]"))
async def calendar_command(ctx: Ctx) -> None:
    """Show the year's calendar, or (administrators) set a date."""
    args = ctx.req.args.split(maxsplit=3)
    if args and args[0].lower() == "set":
        await _set(ctx, ctx.req.args.split()[1:])
        return
    year = ctx.local_now.year
    if args:
        # 2027, 2027年, 明年, next year: the year as people name it.
        typed = typed_year(ctx.req.args, year)
        if typed is None or not 2000 <= typed <= 2100:
            raise UserError(ctx._("Usage: /calendar [YEAR]"))
        year = typed
    admin = ctx.me.has_role(Role.ADMIN)
    # Those who oversee the year (the supervising office, discipline inspectors) see its
    # whole plan, not only the events they are reminded of themselves.
    whole_plan = admin or ctx.me.has_role(Role.SUPERVISOR, Role.INSPECTOR)
    today = ctx.local_now.date()
    events = [e for e in await year_events(ctx.uow, year) if whole_plan or concerns(e.spec, ctx.me)]
    lines = [ctx._("Calendar {year}:", year=year)]
    for e in events:
        if e.last_day < today:
            lines.append("✓ " + _line(ctx, e))
        elif e.starts_on <= today:
            lines.append("▶ " + _line(ctx, e) + ctx._(" — now"))
        else:
            lines.append("• " + _line(ctx, e))
    if not events:
        lines.append(ctx._("No events concern you this year."))
    if admin:
        conflicts = plan_conflicts(events)
        if conflicts:
            lines += ["", ctx._("⚠️ The plan of {year} has conflicts:", year=year)]
            lines += [f"  • {conflict_text(ctx.t, c)}" for c in conflicts]
        if year >= ctx.local_now.year:  # past years are history: no hint to change them
            lines.append("")
            lines.append(
                ctx._(
                    "Set a date: /calendar set EVENT DATE [PLACE], e.g. /calendar set 专题民主生活会 {year}-10-20 市委第一会议室",
                    year=year,
                )
            )
    ctx.reply("\n".join(lines))


async def _set(ctx: Ctx, args: Sequence[str]) -> None:
    """``/calendar set EVENT DATE[..END] [PLACE]``: save one event's date of this year or a
    later one, unless it would break the year's plan or rewrite what has already happened;
    say what moved with it."""
    _check_may_set(ctx)
    spec, start, end, place = _parse_set(ctx, args)
    old_events = await year_events(ctx.uow, start.year)
    current = next((e for e in old_events if e.spec.code == spec.code), None)
    if not place and current is not None:
        place = current.place  # a new date alone keeps the place already set
    _refuse_past(ctx, spec, start, end, current)
    before = {_key(c) for c in plan_conflicts(old_events)}
    await calendar_of(ctx.uow).set_date(
        CalendarDate(spec.code, start.year, start, end, place, ctx.me.id)
    )
    new_events = await _keep_first_days(ctx, spec, start.year, old_events)
    # Checked against the whole year with the new date in place (this transaction sees it);
    # conflicts that were already there are not this date's fault and do not block it.
    new = [c for c in plan_conflicts(new_events) if _key(c) not in before]
    if new:
        raise UserError(
            "\n".join(
                [ctx._("Not saved: this date would break the year's plan.")]
                + [f"  • {conflict_text(ctx.t, c)}" for c in new]
            )
        )
    # Say what moved with it (a report window follows the meeting it feeds).
    old_days = {e.spec.code: _days(e) for e in old_events}
    moved = [
        e for e in new_events if e.spec.code != spec.code and old_days.get(e.spec.code) != _days(e)
    ]
    _refuse_moving_the_past(ctx, old_events, moved)
    # Check-in windows may follow this date; kept summary figures used the old windows.
    await ctx.uow.snapshot_cache.expire_snapshot()
    await ctx.audit(
        "calendar.set", "calendar", f"{spec.code}:{start.year}", None, date=start.isoformat()
    )
    event = EventDate(spec, start.year, start, end, place, True)
    lines = [ctx._("Saved: {line}\nReminders follow the new date.", line=_line(ctx, event))]
    if start.year != ctx.local_now.year:
        # 2027-01-05 for this year's meeting set next year's: say whose date this is.
        lines.append(
            ctx._("This is the date for {year}; this year's is unchanged.", year=start.year)
        )
    if spec.unusual(start):
        lines.append(
            ctx._(
                "⚠️ Note: {rule}.",
                rule=spec.usual_rule.get(ctx.t.language) or spec.usual_rule.get("zh_CN", ""),
            )
        )
    lines += _usually_after_note(ctx, spec, start, new_events)
    if moved:
        lines.append(ctx._("Moved with it:"))
        lines += [f"  • {_line(ctx, e)}" for e in moved]
    ctx.reply("\n".join(lines))


def _usually_after_note(
    ctx: Ctx, spec: EventSpec, start: date, events: Sequence[EventDate]
) -> list[str]:
    """A note when the event is set before the one that generally comes first has ended
    (the annual democratic life meeting inside the year-end report window)."""
    first = next((e for e in events if e.spec.code == spec.usually_after), None)
    if first is None or first.last_day < start:
        return []
    return [
        ctx._(
            "⚠️ Note: {other} ({days}) usually comes before {name}; check that the reports can be in by then.",
            other=first.spec.label(ctx.t.language),
            days=_days(first),
            name=spec.label(ctx.t.language),
        )
    ]


async def _keep_first_days(
    ctx: Ctx, spec: EventSpec, year: int, old_events: Sequence[EventDate]
) -> list[EventDate]:
    """The year's events after the change, where a period under way that the change would
    move (a report window following the meeting it feeds) keeps its first day: reminders
    went out and reports came in on it. Such a period is saved with its own dates, its
    first day kept and its last day as the change sets it (still today or later)."""
    events = await year_events(ctx.uow, year)
    today = ctx.local_now.date()
    kept = False
    for e in events:
        first = old_first_day(old_events, e.spec.code)
        open_now = first <= today <= old_last_day(old_events, e.spec.code)
        if e.spec.code != spec.code and open_now and e.starts_on != first and e.last_day >= today:
            await calendar_of(ctx.uow).set_date(
                CalendarDate(e.spec.code, e.year, first, e.last_day, e.place, ctx.me.id)
            )
            kept = True
    return await year_events(ctx.uow, year) if kept else events


def _refuse_moving_the_past(
    ctx: Ctx, old_events: Sequence[EventDate], moved: Sequence[EventDate]
) -> None:
    """Refuse a change that moves a period already over, ends one before today, or cuts
    short one under way: the reports in it were judged by its dates (moving the July meeting
    to December had turned judged mid-year reports into "missing"; moving the year-end
    assessment to tomorrow had closed the open report window today, unasked)."""
    today = ctx.local_now.date()
    under_way = [
        e
        for e in moved
        if old_first_day(old_events, e.spec.code) <= today <= old_last_day(old_events, e.spec.code)
        and e.last_day < old_last_day(old_events, e.spec.code)
    ]
    if under_way:
        raise UserError(
            "\n".join(
                [
                    ctx._(
                        "Not saved: this date would cut short a period under way; set that period's own dates first if that is meant:"
                    )
                ]
                + [
                    f"  • {_line(ctx, e)} ← "
                    + ctx.t.span(
                        old_first_day(old_events, e.spec.code).isoformat(),
                        old_last_day(old_events, e.spec.code).isoformat(),
                    )
                    for e in under_way
                ]
            )
        )
    past = [e for e in moved if old_last_day(old_events, e.spec.code) < today or e.last_day < today]
    if past:
        raise UserError(
            "\n".join(
                [
                    ctx._(
                        "Not saved: this date would move a period that is already over, whose reports and reminders were based on it:"
                    )
                ]
                + [f"  • {_line(ctx, e)}" for e in past]
            )
        )


def old_last_day(events: Sequence[EventDate], code: str) -> date:
    """The last day an event had before the change (``date.max`` if it had none)."""
    return next((e.last_day for e in events if e.spec.code == code), date.max)


def old_first_day(events: Sequence[EventDate], code: str) -> date:
    """The first day an event had before the change (``date.max`` if it had none)."""
    return next((e.starts_on for e in events if e.spec.code == code), date.max)


def _refuse_past(
    ctx: Ctx, spec: EventSpec, start: date, end: date | None, current: EventDate | None
) -> None:
    """Refuse to move an event already held this year, or to a day that has passed: the
    reminders, check-in windows and figures were based on the date it had."""
    reason = past_reason(current, start, end, ctx.local_now.date())
    if reason == Past.HELD and current is not None:
        raise UserError(
            ctx._(
                "{event} was held on {date}, so its date is kept as it was: the reminders, check-in windows and figures were based on it. Nothing was changed.",
                event=spec.label(ctx.t.language),
                date=current.starts_on.isoformat(),
            )
        )
    if reason == Past.PASSED:
        raise UserError(
            ctx._(
                "{date} has passed. Only a coming date can be set; nothing was changed.",
                date=start.isoformat(),
            )
        )


def _check_may_set(ctx: Ctx) -> None:
    """Refuse anyone but an administrator of a root unit, and a group chat."""
    # The calendar is organisation-wide (dates are kept per event and year), so only an
    # administrator of a root unit may change it; a county administrator may not.
    root_admin = any(g.role == Role.ADMIN and g.unit_path.count("/") == 2 for g in ctx.me.grants)
    if not root_admin:
        raise UserError(
            ctx._("Sorry, your role does not allow this. Send /help to see what you can do.")
        )
    if not ctx.req.is_private:
        raise UserError(ctx._("Please use this in a private chat with me."))


def _event_named(ctx: Ctx, args: Sequence[str], at: int) -> EventSpec:
    """The event named by ``args`` before the date at ``at``; a known event followed by a day
    that does not exist (民主生活会 2月30日, split as 2月 and 30日) is said to be no day, not
    an unknown event named 民主生活会 2月."""
    spec = find_event(" ".join(args[:at]))
    if spec is not None:
        return spec
    if at > 1 and find_event(args[0]) is not None:
        raise UserError(
            ctx._(
                "There is no such day as “{text}”: please check the month and the day.",
                text="".join(args[1 : at + 1])[:40],
            )
        )
    raise UserError(
        ctx._(
            "Unknown event “{code}”. Events: {codes}",
            code=" ".join(args[:at])[:40],
            codes=event_names(ctx.t),
        )
    )


def _parse_set(ctx: Ctx, args: Sequence[str]) -> tuple[EventSpec, date, date | None, str]:
    """The event, first and last day and place of ``/calendar set``; a year that is over
    is refused (its dates are history). The event's name may have spaces (English names):
    it runs up to the first word that is a date."""
    today = ctx.local_now.date()
    args = split_stuck_date(args, today)
    at = next((i for i, a in enumerate(args) if i > 0 and is_dates(a, today)), None)
    if at is None and len(args) >= 2 and find_event(args[0]) is not None:
        at = 1  # a known event followed by something that is not a date: say how to write one
    if len(args) < 2 or at is None:
        raise UserError(
            ctx._(
                "Usage: /calendar set EVENT DATE[..END] [PLACE]\nEvents: {codes}",
                codes=event_names(ctx.t),
            )
        )
    spec = _event_named(ctx, args, at)
    month = whole_month(args[at], today)
    if month is not None and spec.end is None:
        raise UserError(
            ctx._(
                "“{event}” is held on one day: please give the day, such as {example}.",
                event=spec.label(ctx.t.language),
                example=month[0].replace(day=20).isoformat(),
            )
        )
    try:
        start, end = month or parse_dates(args[at], today)
    except ValueError:
        bad = [part for part in args[at].split("..") if no_such_day(part)]
        if bad:
            raise UserError(no_such_day_message(ctx, bad[0])) from None
        raise UserError(
            ctx._("Please give the date as YYYY-MM-DD (or YYYY-MM-DD..YYYY-MM-DD for a period).")
        ) from None
    place = " ".join(a.strip() for a in args[at + 1 :])
    if len(place) > MAX_PLACE:
        raise UserError(ctx._("That is too long (at most {n} characters).", n=MAX_PLACE))
    if start.year < ctx.local_now.year:
        raise UserError(
            ctx._(
                "{year} is over, so its dates are kept as they were: the reminders, check-in windows and figures of that year were based on them. Nothing was changed.",
                year=start.year,
            )
        )
    return spec, start, end, place


def _key(c: Conflict) -> tuple[str, str, str]:
    return (c.rule, c.event.spec.code, c.other.spec.code)
