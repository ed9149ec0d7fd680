"""When pledges are due and when check-ins may be made: the check-in windows of a year.

The defaults come from ``knowledge/data/checkin_windows.yaml``; the mid-year window follows
the special democratic life meeting once an administrator has set its date for the year
(it closes the day before the meeting: reports are due before it), and it is exactly the
pledge-report dates when an administrator set those. Every decision is taken on the *local*
date in the configured time zone, so a check-in at 23:30 in Shanghai on 15 July is on time
even though it is already 16 July in some other zone.

The windows are part of the year's calendar (/calendar shows them as events, reminders and
summaries count by them), so they live here, below the capabilities that read them; what a
cadre may do in a window is decided by :mod:`handlers.pledges.calendar`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from handlers.calendar.domain import CalendarDate, Period
from handlers.calendar.ports import calendar_of
from knowledge.calendar import EventDate
from knowledge.pledges import CalendarSpec, MonthDay, default_calendar

if TYPE_CHECKING:
    from handlers.core.ports import UnitOfWork

DEFAULT_TZ = ZoneInfo("Asia/Shanghai")


class WindowState(StrEnum):
    """Where a day lies relative to a window."""

    BEFORE = "before"
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True)
class Window:
    """One concrete check-in window (inclusive dates)."""

    period: Period
    year: int
    start: date
    end: date

    def state(self, today: date) -> WindowState:
        """Before, inside or after the window."""
        if today < self.start:
            return WindowState.BEFORE
        if today > self.end:
            return WindowState.CLOSED
        return WindowState.OPEN


@dataclass(frozen=True)
class Follows:
    """A window that leads up to a calendar event (knowledge/data/checkin_windows.yaml)."""

    period: Period
    event: str  # closes the day before this event's date, once an administrator set it
    weeks_before: int  # and opens this many weeks before it
    shown_as: str | None = None  # the calendar event that shows the window


@dataclass(frozen=True)
class PledgeCalendar:
    """The pledge deadline and the check-in windows: month-day defaults valid for any year,
    and the windows that follow the actual dates administrators set (``event_dates``).

    Load it with :func:`pledge_calendar` so every consumer (check-in form, lateness,
    pending check-ins and their reminders, summaries) sees the same windows.
    """

    pledge_due: MonthDay
    windows: tuple[tuple[Period, MonthDay, MonthDay], ...]
    follows: tuple[Follows, ...] = ()
    #: (event code, year, date) of each date an administrator set for a followed event.
    event_dates: tuple[tuple[str, int, date], ...] = ()
    #: (event code, year, first day, last day) an administrator set for an event that shows
    #: a window (``shown_as``, e.g. pledge_report): those dates *are* the window.
    shown_dates: tuple[tuple[str, int, date, date], ...] = ()

    @classmethod
    def from_spec(cls, spec: CalendarSpec) -> PledgeCalendar:
        """Map the rule-base data onto core types."""
        return cls(
            spec.pledge_due,
            tuple((Period(w.period), w.start, w.end) for w in spec.windows),
            tuple(
                Follows(Period(w.period), w.before_event, w.weeks_before, w.shown_as)
                for w in spec.windows
                if w.before_event
            ),
        )

    def with_dates(self, dates: Iterable[CalendarDate]) -> PledgeCalendar:
        """The same calendar with the administrators' dates of the followed events and of
        the events that show a window."""
        dates = list(dates)
        codes = {f.event for f in self.follows}
        shown = {f.shown_as for f in self.follows if f.shown_as}
        found = tuple(
            sorted((d.event_code, d.year, d.starts_on) for d in dates if d.event_code in codes)
        )
        windows = tuple(
            sorted(
                (d.event_code, d.year, d.starts_on, max(d.ends_on or d.starts_on, d.starts_on))
                for d in dates
                if d.event_code in shown
            )
        )
        return replace(self, event_dates=found, shown_dates=windows)

    def event_codes(self) -> list[str]:
        """The calendar events whose set dates move windows (to load with the calendar)."""
        return sorted(
            {f.event for f in self.follows} | {f.shown_as for f in self.follows if f.shown_as}
        )

    def _shown_window(self, year: int, period: Period) -> Window | None:
        """The window an administrator set directly through the event that shows it."""
        for f in self.follows:
            if f.period == period and f.shown_as:
                for code, y, start, end in self.shown_dates:
                    if code == f.shown_as and y == year:
                        return Window(period, year, start, end)
        return None

    def pledge_due_date(self, year: int) -> date:
        """Last day for making the year's pledge public."""
        return date(year, *self.pledge_due)

    def _default(self, year: int, period: Period) -> Window:
        for p, start, end in self.windows:
            if p == period:
                return Window(p, year, date(year, *start), date(year, *end))
        raise KeyError(period)

    def follows_set_date(self, year: int, period: Period) -> Follows | None:
        """How the window follows an event whose date was set for ``year``, or None."""
        for f in self.follows:
            if f.period == period and self._event_date(f.event, year) is not None:
                return f
        return None

    def _event_date(self, code: str, year: int) -> date | None:
        return next((d for c, y, d in self.event_dates if c == code and y == year), None)

    def window(self, year: int, period: Period) -> Window:
        """The window of ``period`` in ``year``: the dates an administrator set for the
        event that shows it (pledge_report) if any; else derived from the event it leads up
        to when that event's date was set; else the defaults. A derived window stays inside
        the year and clear of the other windows; if nothing would be left, the defaults
        apply."""
        shown = self._shown_window(year, period)
        if shown is not None:
            return shown
        default = self._default(year, period)
        rule = self.follows_set_date(year, period)
        if rule is None:
            return default
        day = self._event_date(rule.event, year)
        assert day is not None
        start = max(day - timedelta(weeks=rule.weeks_before), date(year, 1, 1))
        end = day - timedelta(days=1)
        order = [p for p, _, _ in self.windows]  # calendar order (checked on loading)
        for p in order:
            other = self._default(year, p)
            if order.index(p) < order.index(period) and other.end >= start:
                start = other.end + timedelta(days=1)
            if order.index(p) > order.index(period) and other.start <= end:
                end = other.start - timedelta(days=1)
        return Window(period, year, start, end) if start <= end else default

    def windows_for(self, year: int) -> list[Window]:
        """All windows of a year, in calendar order."""
        return [self.window(year, p) for p, _, _ in self.windows]


@cache
def default_pledge_calendar() -> PledgeCalendar:
    """The calendar from the rule base alone: use :func:`pledge_calendar` in requests."""
    return PledgeCalendar.from_spec(default_calendar())


async def pledge_calendar(uow: UnitOfWork) -> PledgeCalendar:
    """The calendar with the administrators' dates of the events windows follow."""
    base = default_pledge_calendar()
    if not base.follows:
        return base
    return base.with_dates(await calendar_of(uow).dates_of(base.event_codes()))


def shown_windows(events: list[EventDate], calendar: PledgeCalendar) -> list[EventDate]:
    """``events`` (of one year) with each calendar event that shows a check-in window
    (pledge_report, yearend_report) on the window's actual dates, unless an administrator
    set the event's dates (then those dates are the window); in date order. So /calendar,
    the reminders and the check-in form always name the same days."""
    out = []
    for e in events:
        for f in calendar.follows:
            if f.shown_as == e.spec.code and not e.confirmed:
                w = calendar.window(e.year, f.period)
                derived = calendar.follows_set_date(e.year, f.period) is not None
                e = replace(e, starts_on=w.start, ends_on=w.end, confirmed=derived)
        out.append(e)
    return sorted(out, key=lambda e: (e.starts_on, e.spec.code))


def local_date(now: datetime, tz: ZoneInfo = DEFAULT_TZ) -> date:
    """The calendar day of ``now`` in the configured time zone."""
    return now.astimezone(tz).date()
