"""Types of the year's calendar: the dates administrators set for events, and the
check-in periods whose windows follow them.

Reminders, pledges, the quiz and summaries all read the calendar, so its types live here,
below them; :mod:`handlers.reminders.domain` and :mod:`handlers.pledges.domain` re-export
the ones they always offered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Period(StrEnum):
    """Check-in periods; values match ``knowledge.pledges.PERIODS``."""

    MIDYEAR = "midyear"
    YEAREND = "yearend"


@dataclass(frozen=True)
class CalendarDate:
    """An administrator's actual date (and place) for one event in one year."""

    event_code: str
    year: int
    starts_on: date
    ends_on: date | None = None
    place: str = ""
    updated_by: int | None = None
