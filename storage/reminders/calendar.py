"""The dates administrators set for the year's calendar events, in ``calendar_dates``."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from handlers.reminders.domain import CalendarDate
from storage.reminders.deliveries import DeliveryTables
from storage.reminders.models import CalendarDateRow


def _date(r: CalendarDateRow) -> CalendarDate:
    return CalendarDate(r.event_code, r.year, r.starts_on, r.ends_on, r.place, r.updated_by)


class CalendarDates(DeliveryTables):
    """The calendar part of :class:`storage.reminders.repository.SqlReminderRepository`."""

    async def set_date(self, value: CalendarDate) -> None:
        """Upsert an event's date for a year."""
        row = await self.s.get(CalendarDateRow, (value.event_code, value.year))
        if row is None:
            row = CalendarDateRow(event_code=value.event_code, year=value.year)
            self.s.add(row)
        row.starts_on, row.ends_on = value.starts_on, value.ends_on
        row.place, row.updated_by = value.place, value.updated_by
        await self.s.flush()

    async def dates(self, year: int) -> dict[str, CalendarDate]:
        """Dates set for ``year``."""
        rows = await self.s.scalars(select(CalendarDateRow).where(CalendarDateRow.year == year))
        return {r.event_code: _date(r) for r in rows}

    async def dates_of(self, event_codes: Sequence[str]) -> list[CalendarDate]:
        """Dates set for the events, all years."""
        rows = await self.s.scalars(
            select(CalendarDateRow)
            .where(CalendarDateRow.event_code.in_(list(event_codes)))
            .order_by(CalendarDateRow.year, CalendarDateRow.event_code)
        )
        return [_date(r) for r in rows]
