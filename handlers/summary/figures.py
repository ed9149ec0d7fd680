"""Assembling a :class:`Summary`: the query, the storage aggregates, the sub-unit split.

Used by the /summary and /export commands and by ``lianzheng summary`` alike; it needs a
unit of work, never a chat.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from handlers.calendar.ports import calendar_of
from handlers.calendar.windows import PledgeCalendar, default_pledge_calendar, pledge_calendar
from handlers.core.domain import Person, Role, Unit
from handlers.core.ports import UnitOfWork
from handlers.summary.domain import (
    CheckinWindow,
    Figures,
    Part,
    Period,
    SnapshotFigures,
    Summary,
    SummaryQuery,
)
from handlers.summary.ports import summary_of
from knowledge.calendar import event_by_code, resolve

#: Roles whose scope a summary may cover: the /summary command's and the digest's.
SUMMARY_ROLES = (Role.SUPERVISOR, Role.ADMIN)


def top_paths(paths: tuple[str, ...]) -> list[str]:
    """Scope roots without those that lie inside another root."""
    return [p for p in paths if not any(p != q and p.startswith(q) for q in paths)]


async def scope_units(uow: UnitOfWork, person: Person) -> list[Unit]:
    """The units at the top of the person's summary scope (usually one), in path order."""
    units = []
    for path in top_paths(person.scope_paths(*SUMMARY_ROLES)):
        last = path.rstrip("/").rsplit("/", 1)[-1]
        unit = await uow.units.get(int(last)) if last.isdecimal() else None
        if unit is not None:
            units.append(unit)
    return units


def checkin_windows(
    period: Period, calendar: PledgeCalendar | None = None
) -> tuple[CheckinWindow, ...]:
    """Check-in windows (of any pledge year) whose last day falls inside the period.

    Pass the calendar of :func:`handlers.calendar.windows.pledge_calendar`, so the windows
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


def period_query(
    unit_path: str,
    unit_id: int,
    period: Period,
    now: datetime,
    tz: ZoneInfo,
    calendar: PledgeCalendar | None = None,
) -> SummaryQuery:
    """The storage query for the subtree at ``unit_path`` and a period, as seen at ``now``
    (``calendar``: see :func:`checkin_windows`)."""
    start_at = datetime.combine(period.start, time(), tzinfo=tz)
    end_at = datetime.combine(period.end + timedelta(days=1), time(), tzinfo=tz)
    return SummaryQuery(
        unit_path=unit_path,
        period=period,
        today=now.astimezone(tz).date(),
        start_at=start_at.astimezone(ZoneInfo("UTC")),
        end_at=end_at.astimezone(ZoneInfo("UTC")),
        windows=checkin_windows(period, calendar),
        unit_id=unit_id,
        pledge_due=tuple(
            (y, (calendar or default_pledge_calendar()).pledge_due_date(y)) for y in period.years
        ),
    )


def make_query(
    unit: Unit,
    period: Period,
    now: datetime,
    tz: ZoneInfo,
    calendar: PledgeCalendar | None = None,
) -> SummaryQuery:
    """The storage query for a unit subtree and period, as seen at ``now``."""
    return period_query(unit.path, unit.id, period, now, tz, calendar)


def usable(snapshot: SnapshotFigures, query: SummaryQuery, now: datetime, tz: ZoneInfo,
           max_age: timedelta) -> bool:  # fmt: skip
    """True when kept figures may stand in for live ones: taken less than ``max_age`` ago,
    on the same local day (notices overdue and check-ins missing depend on the day) and for
    the same time zone (local months decide which period a reminder or test falls in)."""
    return (
        now - snapshot.taken_at < max_age
        and snapshot.day == query.today
        and snapshot.timezone == tz.key
    )


#: The calendar event during which the closed-book test is taken.
TEST_MONTH = "education_month"


async def holds_the_test(uow: UnitOfWork, period: Period) -> bool:
    """Whether the period overlaps an education month (the administrators' dates, else the
    defaults): test participation means nothing for, say, November."""
    spec = event_by_code(TEST_MONTH)
    if spec is None:
        return True
    for year in period.years:
        kept = (await calendar_of(uow).dates(year)).get(TEST_MONTH)
        overrides = {TEST_MONTH: (kept.starts_on, kept.ends_on, kept.place)} if kept else {}
        [month] = resolve(year, overrides, (spec,))
        if month.starts_on <= period.end and month.last_day >= period.start:
            return True
    return False


async def build_summary(
    uow: UnitOfWork,
    unit: Unit,
    period: Period,
    now: datetime,
    tz: ZoneInfo,
    snapshot_max_age: timedelta | None = None,
) -> Summary:
    """Figures of ``unit``'s subtree over ``period``, split by direct sub-unit.

    With ``snapshot_max_age``, a year, quarter or month of a wide scope is read from the
    pre-aggregated snapshot when it is fresh enough (see :func:`usable`); the summary then
    says when its figures were taken (``as_of``). Anything else is computed live.
    """
    query = make_query(unit, period, now, tz, await pledge_calendar(uow))
    kept = None
    if snapshot_max_age and period.calendar_aligned:
        kept = await summary_of(uow).snapshot(query)
        if kept is not None and not usable(kept, query, now, tz, snapshot_max_age):
            kept = None
    buckets = kept.buckets if kept is not None else await summary_of(uow).figures(query)
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
        kinds=kept.kinds if kept is not None else tuple(await summary_of(uow).kinds(query)),
        has_reminders=summary_of(uow).has_reminders(),
        has_quiz=summary_of(uow).has_quiz() and await holds_the_test(uow, period),
        as_of=kept.taken_at.astimezone(tz) if kept is not None else None,
    )
