"""Storage interface of the year's calendar: the actual dates set for its events
(storage/reminders/repository.py implements it with the reminders, which plan from them)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from handlers.calendar.domain import CalendarDate
from handlers.core.ports import Capability


class CalendarDateStore(Protocol):
    """Actual dates of the year's events."""

    async def set_date(self, value: CalendarDate) -> None:
        """Create or replace an event's actual date for a year."""
        ...

    async def dates(self, year: int) -> dict[str, CalendarDate]:
        """Actual dates set for ``year``, by event code."""
        ...

    async def dates_of(self, event_codes: Sequence[str]) -> list[CalendarDate]:
        """Actual dates of the given events, every year that has one, by year."""
        ...


#: The actual dates of the year's events, on a unit of work.
calendar_of: Capability[CalendarDateStore] = Capability("calendar")
