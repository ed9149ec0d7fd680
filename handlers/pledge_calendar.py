"""When pledges are due and when check-ins may be made: windows, lateness, early permits.

The defaults come from ``knowledge/data/checkin_windows.yaml``; every decision is taken on the
*local* date in the configured time zone, so a check-in at 23:30 in Shanghai on 15 July is on
time even though it is already 16 July in some other zone.

Rules (the issue leaves the outside-window case open; this is the decision, see also README):

* inside a window: a new check-in is on time, and it stays editable until the window closes;
* after a window closed, a missing check-in is still accepted and marked late (then locked);
* before a window opens: refused, unless a unit principal or a discipline inspector whose
  scope covers the cadre has allowed an early check-in for that period (for example because
  the unit holds its democratic life meeting earlier). Nobody may allow it for themselves.
  An early check-in is on time and editable until the window closes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from functools import cache
from zoneinfo import ZoneInfo

from handlers.domain_pledges import Checkin, Period, Pledge
from knowledge.pledges import CalendarSpec, MonthDay, default_calendar

DEFAULT_TZ = ZoneInfo("Asia/Shanghai")


class WindowState(StrEnum):
    """Where a day lies relative to a window."""

    BEFORE = "before"
    OPEN = "open"
    CLOSED = "closed"


class CheckinMode(StrEnum):
    """What a cadre may do for one pledge and period today."""

    NEW = "new"  # the window is open
    EARLY = "early"  # before the window, with a permit
    LATE = "late"  # after the window closed, nothing was reported
    EDIT = "edit"  # reported already; the window has not closed yet


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
class PledgeCalendar:
    """The pledge deadline and the check-in windows, as month-day pairs valid for any year."""

    pledge_due: MonthDay
    windows: tuple[tuple[Period, MonthDay, MonthDay], ...]

    @classmethod
    def from_spec(cls, spec: CalendarSpec) -> PledgeCalendar:
        """Map the rule-base data onto core types."""
        return cls(spec.pledge_due, tuple((Period(w.period), w.start, w.end) for w in spec.windows))

    def pledge_due_date(self, year: int) -> date:
        """Last day for making the year's pledge public."""
        return date(year, *self.pledge_due)

    def window(self, year: int, period: Period) -> Window:
        """The window of ``period`` in ``year``."""
        for p, start, end in self.windows:
            if p == period:
                return Window(p, year, date(year, *start), date(year, *end))
        raise KeyError(period)

    def windows_for(self, year: int) -> list[Window]:
        """All windows of a year, in calendar order."""
        return [self.window(year, p) for p, _, _ in self.windows]


@cache
def default_pledge_calendar() -> PledgeCalendar:
    """The calendar from the rule base (until the calendar feature makes it configurable)."""
    return PledgeCalendar.from_spec(default_calendar())


def local_date(now: datetime, tz: ZoneInfo = DEFAULT_TZ) -> date:
    """The calendar day of ``now`` in the configured time zone."""
    return now.astimezone(tz).date()


def checkin_mode(
    window: Window, existing: Checkin | None, permitted: bool, today: date
) -> CheckinMode | None:
    """What may be done for one pledge and window today; None when nothing may be done."""
    state = window.state(today)
    if existing is not None:
        return CheckinMode.EDIT if state != WindowState.CLOSED else None
    if state == WindowState.OPEN:
        return CheckinMode.NEW
    if state == WindowState.CLOSED:
        return CheckinMode.LATE
    return CheckinMode.EARLY if permitted else None


def owner_may_edit(pledge: Pledge, has_checkins: bool, today: date) -> bool:
    """The owner edits a pledge until it is made public and before anything was reported on it."""
    return not pledge.is_public(today) and not has_checkins
