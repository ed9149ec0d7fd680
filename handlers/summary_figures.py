"""Assembling a :class:`Summary`: the query, the storage aggregates, the sub-unit split.

Used by the /summary and /export commands and by ``lianzheng summary`` alike; it needs a
unit of work, never a chat.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from handlers.domain import Unit
from handlers.domain_summary import CheckinWindow, Figures, Part, Period, Summary, SummaryQuery
from handlers.pledge_calendar import PledgeCalendar, default_pledge_calendar, pledge_calendar
from handlers.ports import UnitOfWork


def checkin_windows(
    period: Period, calendar: PledgeCalendar | None = None
) -> tuple[CheckinWindow, ...]:
    """Check-in windows (of any pledge year) whose last day falls inside the period.

    Pass the calendar of :func:`handlers.pledge_calendar.pledge_calendar`, so the windows
    follow the dates administrators set, as the check-in form does; without one, the
    rule base's defaults apply.
    """
    cal = calendar or default_pledge_calendar()
    out = []
    for year in range(period.start.year, period.end.year + 1):
        for w in cal.windows_for(year):
            if period.contains(w.end):
                out.append(CheckinWindow(year, w.period.value, w.end))
    return tuple(out)


def make_query(
    unit: Unit,
    period: Period,
    now: datetime,
    tz: ZoneInfo,
    calendar: PledgeCalendar | None = None,
) -> SummaryQuery:
    """The storage query for a unit subtree and period, as seen at ``now`` (``calendar``:
    see :func:`checkin_windows`)."""
    start_at = datetime.combine(period.start, time(), tzinfo=tz)
    end_at = datetime.combine(period.end + timedelta(days=1), time(), tzinfo=tz)
    return SummaryQuery(
        unit_path=unit.path,
        period=period,
        today=now.astimezone(tz).date(),
        start_at=start_at.astimezone(ZoneInfo("UTC")),
        end_at=end_at.astimezone(ZoneInfo("UTC")),
        windows=checkin_windows(period, calendar),
    )


async def build_summary(
    uow: UnitOfWork, unit: Unit, period: Period, now: datetime, tz: ZoneInfo
) -> Summary:
    """Figures of ``unit``'s subtree over ``period``, split by direct sub-unit."""
    query = make_query(unit, period, now, tz, await pledge_calendar(uow))
    buckets = await uow.summary.figures(query)
    children = await uow.units.children(unit.id)
    parts: list[Part] = []
    own = buckets.get(unit.path)
    if own is not None and own != Figures():
        parts.append(Part(unit, True, own))
    for child in children:
        parts.append(Part(child, False, buckets.get(child.path, Figures())))
    total = sum((f for f in buckets.values()), Figures())
    return Summary(
        unit=unit,
        period=period,
        total=total,
        parts=tuple(parts),
        kinds=tuple(await uow.summary.kinds(query)),
        has_reminders=uow.summary.has_reminders(),
        has_quiz=uow.summary.has_quiz(),
    )
