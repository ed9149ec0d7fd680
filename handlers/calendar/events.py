"""The year's events as they stand, and whom each concerns.

The rule base gives every event a default date (``knowledge/data/calendar.yaml``);
administrators set actual dates (:class:`handlers.calendar.domain.CalendarDate`, kept by
the reminders' repository), and the events that show a check-in window follow the window
(:mod:`handlers.calendar.windows`). /calendar, reminder planning, eligibility and the quiz
all read the year through :func:`year_events`.
"""

from __future__ import annotations

from handlers.calendar.ports import calendar_of
from handlers.calendar.windows import default_pledge_calendar, shown_windows
from handlers.core.domain import CADRE_ROLES, Person, Role
from handlers.core.ports import UnitOfWork
from knowledge.calendar import Audience, EventDate, EventSpec, resolve

#: Roles (and whether only section-level cadres) behind each audience of the calendar.
AUDIENCE_ROLES: dict[Audience, tuple[tuple[Role, ...], bool]] = {
    Audience.SECTION_CADRES: (CADRE_ROLES, True),
    Audience.CADRES: (CADRE_ROLES, False),
    Audience.UNIT_HEADS: ((Role.UNIT_HEAD,), False),
    Audience.HEADS_AND_SECRETARIES: ((Role.UNIT_HEAD, Role.INSPECTOR), False),
}


async def year_events(uow: UnitOfWork, year: int) -> list[EventDate]:
    """The year's events with the administrators' dates applied; the pledge-report window
    follows the democratic life meeting's date (handlers/calendar/windows.py)."""
    set_dates = await calendar_of(uow).dates(year)
    events = resolve(year, {c: (d.starts_on, d.ends_on, d.place) for c, d in set_dates.items()})
    return shown_windows(events, default_pledge_calendar().with_dates(set_dates.values()))


def concerns(spec: EventSpec, person: Person) -> bool:
    """True when the event's audience includes the person."""
    roles, section_only = AUDIENCE_ROLES[spec.audience]
    return person.has_role(*roles) and (person.section_level or not section_only)
