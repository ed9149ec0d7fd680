"""What a calendar change may not rewrite: an event already held, a day that has passed;
a period under way may only have its last day moved. Shared by ``/calendar set`` and the
calendar import."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from handlers.calendar.events import year_events
from handlers.core.ports import UnitOfWork
from knowledge.calendar import EventDate, EventSpec


def keeps_first_day_of_open_period(
    current: EventDate, start: date, end: date | None, today: date
) -> bool:
    """Whether a change only moves the last day of a period under way (a report window open
    now) to today or later: what has happened in it stays as it was."""
    under_way = current.starts_on < today <= current.last_day
    return under_way and start == current.starts_on and (end or start) >= today


class Past(StrEnum):
    """Why a new date would rewrite what has happened."""

    HELD = "held"  # the event was already held (or its period began) on its date
    PASSED = "passed"  # the new date itself has passed


def past_reason(
    current: EventDate | None, start: date, end: date | None, today: date
) -> Past | None:
    """Why setting ``start``..``end`` for an event now at ``current`` would rewrite the past,
    or None (moving only the last day of a period under way is allowed)."""
    if current is not None and keeps_first_day_of_open_period(current, start, end, today):
        return None
    if current is not None and current.starts_on < today:
        return Past.HELD
    if start < today:
        return Past.PASSED
    return None


async def past_problem(
    uow: UnitOfWork, spec: EventSpec, start: date, end: date | None, today: date
) -> str | None:
    """Why a date would rewrite what has happened (as ``/calendar set`` says it in the
    chat), or None."""
    events = await year_events(uow, start.year)
    current = next((e for e in events if e.spec.code == spec.code), None)
    reason = past_reason(current, start, end, today)
    if reason == Past.HELD and current is not None:
        return f"{spec.code} was held on {current.starts_on.isoformat()}; its date is kept"
    if reason == Past.PASSED:
        return f"{start.isoformat()} has passed; only a coming date can be set"
    return None
