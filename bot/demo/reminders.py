"""Demo calendar: actual dates and places for the demo year, so /calendar shows both kinds."""

from __future__ import annotations

from datetime import date, datetime

from handlers.calendar.ports import calendar_of
from handlers.core.ports import UnitOfWork
from handlers.reminders.domain import CalendarDate


async def seed_reminders(uow: UnitOfWork, now: datetime) -> None:
    """Set a few of this year's events (the rest keep their default dates)."""
    y = now.year
    for code, start, end, place in (
        ("deployment_meeting", date(y, 2, 12), None, "市委大礼堂"),
        ("life_meeting", date(y, 7, 16), None, "市委第一会议室"),
        ("education_month", date(y, 8, 1), date(y, 8, 31), ""),
    ):
        await calendar_of(uow).set_date(CalendarDate(code, y, start, end, place))
