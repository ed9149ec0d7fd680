"""What a cadre may do with a pledge on a given day: check in (on time, early with a permit,
late) and edit. The windows themselves are the calendar's
(:mod:`handlers.calendar.windows`, whose names this module offers as well).

Rules (the issue leaves the outside-window case open; this is the decision, see also README):

* inside a window: a new check-in is on time, and it stays editable until the window closes;
* after a window closed, a missing check-in is still accepted and marked late (then locked);
* before a window opens: refused, unless a unit principal or a discipline inspector whose
  scope covers the cadre has allowed an early check-in for that period (for example because
  the unit holds its democratic life meeting earlier). Nobody may allow it for themselves.
  An early check-in is on time and editable until the window closes.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

# The windows are the calendar's; offered here too, for callers that know them as the
# pledge calendar.
from handlers.calendar.windows import (
    DEFAULT_TZ,
    Follows,
    PledgeCalendar,
    Window,
    WindowState,
    default_pledge_calendar,
    local_date,
    pledge_calendar,
    shown_windows,
)
from handlers.pledges.domain import Checkin, Pledge

__all__ = [
    "DEFAULT_TZ",
    "CheckinMode",
    "Follows",
    "PledgeCalendar",
    "Window",
    "WindowState",
    "checkin_mode",
    "default_pledge_calendar",
    "local_date",
    "owner_may_edit",
    "pledge_calendar",
    "shown_windows",
]


class CheckinMode(StrEnum):
    """What a cadre may do for one pledge and period today."""

    NEW = "new"  # the window is open
    EARLY = "early"  # before the window, with a permit
    LATE = "late"  # after the window closed, nothing was reported
    EDIT = "edit"  # reported already; the window has not closed yet


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
