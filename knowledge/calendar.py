"""The annual calendar of the responsibility system: default timing and audience as data.

``knowledge/data/calendar.yaml`` holds the defaults; administrators override each year's
dates and places (stored in the database). :func:`resolve` combines the two.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator

from knowledge.coded import unique_codes

CALENDAR_FILE = Path(__file__).parent / "data" / "calendar.yaml"


class Audience(StrEnum):
    """Who an event reminds."""

    SECTION_CADRES = "section_cadres"
    CADRES = "cadres"
    UNIT_HEADS = "unit_heads"
    HEADS_AND_SECRETARIES = "heads_and_secretaries"


class EventSpec(BaseModel):
    """One event of the year as written in the data file."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(pattern=r"^[a-z][a-z0-9_]{1,39}$")
    name: dict[str, str]
    start: str
    end: str | None = None
    audience: Audience
    leads: tuple[int, ...] = (14, 3, 0)
    quiz_window: bool = False
    #: The meeting that commends the previous year's advanced units and people (年初总结表彰):
    #: until it has been held, "rated advanced" questions concern the year just ended.
    commendation: bool = False
    #: The plan's rules, checked by :func:`plan_conflicts`: this event must end before the
    #: ``before`` event starts (a report window feeds a meeting), and lie inside the
    #: ``within`` event (the test deadline inside the education month).
    before: str | None = None
    within: str | None = None
    #: The months a rule says the event is generally held in (the annual democratic life
    #: meeting: the fourth quarter); a date outside them is saved with a reminder of the
    #: rule, not refused ("generally" allows a reason).
    usual_months: tuple[int, ...] = ()
    usual_rule: dict[str, str] = Field(default_factory=dict)
    #: An event that generally comes first (the year-end reports before the annual
    #: democratic life meeting): a date set before it ends is saved with a note, not
    #: refused (the meeting may be held early with the approval of the organisation above).
    usually_after: str | None = None
    note: dict[str, str] = Field(default_factory=dict)
    #: Shorter names people type for the event (年初会议, 教育月, closed-book test).
    aliases: tuple[str, ...] = ()

    def known_as(self, casefolded: str) -> bool:
        """Whether ``casefolded`` is one of the event's names or aliases."""
        names = (*self.name.values(), *self.aliases)
        return casefolded in {n.casefold() for n in names}

    @field_validator("start", "end")
    @classmethod
    def _month_day(cls, value: str | None) -> str | None:
        if value is not None:
            date.fromisoformat(f"2024-{value}")  # 2024 is a leap year: 02-29 is allowed
        return value

    @field_validator("leads")
    @classmethod
    def _leads(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        if not value or any(d < 0 or d > 60 for d in value) or len(set(value)) != len(value):
            raise ValueError("leads must be distinct day counts between 0 and 60")
        return tuple(sorted(value, reverse=True))

    @field_validator("usual_months")
    @classmethod
    def _months(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        if any(not 1 <= m <= 12 for m in value):
            raise ValueError("usual_months are month numbers 1 to 12")
        return value

    def unusual(self, day: date) -> bool:
        """Whether ``day`` lies outside the months the event is generally held in."""
        return bool(self.usual_months) and day.month not in self.usual_months

    def label(self, language: str) -> str:
        """The event's name in ``language`` (Chinese when missing)."""
        return self.name.get(language) or self.name.get("zh_CN") or self.code

    def note_in(self, language: str) -> str:
        """The event's note in ``language``."""
        return self.note.get(language) or self.note.get("zh_CN", "")

    def default_dates(self, year: int) -> tuple[date, date | None]:
        """Start (and end) in ``year`` from the defaults (29 Feb becomes 28 Feb)."""

        def at(md: str) -> date:
            month, day = (int(x) for x in md.split("-"))
            try:
                return date(year, month, day)
            except ValueError:
                return date(year, month, day - 1)

        return at(self.start), at(self.end) if self.end else None


class CalendarFile(BaseModel):
    """The whole data file."""

    model_config = ConfigDict(extra="forbid")

    events: Annotated[list[EventSpec], unique_codes("event")]

    @field_validator("events")
    @classmethod
    def _references(cls, value: list[EventSpec]) -> list[EventSpec]:
        codes = {e.code for e in value}
        names = [n.casefold() for e in value for n in {*e.name.values(), *e.aliases}]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(f"a name or alias names two events: {', '.join(twice)}")
        if sum(e.commendation for e in value) > 1:
            raise ValueError("at most one event may be the commendation meeting")
        for e in value:
            for other in (e.before, e.within, e.usually_after):
                if other is not None and (other not in codes or other == e.code):
                    raise ValueError(f"{e.code}: unknown or self-referring event {other!r}")
        return value


@dataclass(frozen=True)
class EventDate:
    """An event in a given year: the spec, its dates and place, and whether they were set."""

    spec: EventSpec
    year: int
    starts_on: date
    ends_on: date | None
    place: str
    confirmed: bool

    @property
    def last_day(self) -> date:
        """The event's last day (its start for one-day events)."""
        return self.ends_on or self.starts_on


def load_calendar(path: Path = CALENDAR_FILE) -> list[EventSpec]:
    """Load and validate the calendar data file."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return CalendarFile.model_validate(raw).events


@lru_cache(maxsize=1)
def default_calendar() -> tuple[EventSpec, ...]:
    """The built-in calendar (read once)."""
    return tuple(load_calendar())


def event_by_code(code: str) -> EventSpec | None:
    """The built-in event with this code."""
    return next((e for e in default_calendar() if e.code == code.strip().lower()), None)


def commendation_event(events: tuple[EventSpec, ...] | None = None) -> EventSpec | None:
    """The event marked ``commendation: true`` (the start-of-year commendation meeting), if any."""
    return next((e for e in events or default_calendar() if e.commendation), None)


def resolve(
    year: int,
    overrides: dict[str, tuple[date, date | None, str]],
    events: tuple[EventSpec, ...] | None = None,
) -> list[EventDate]:
    """The year's events with administrators' dates where set, in date order."""
    out = []
    for spec in events or default_calendar():
        if spec.code in overrides:
            start, end, place = overrides[spec.code]
            out.append(EventDate(spec, year, start, end, place, True))
        else:
            start, end = spec.default_dates(year)
            out.append(EventDate(spec, year, start, end, "", False))
    return sorted(out, key=lambda e: (e.starts_on, e.spec.code))


@dataclass(frozen=True)
class Conflict:
    """One way a year's plan breaks its rules: ``event`` against ``other``.

    ``rule`` is ``before`` (``event`` must end before ``other`` starts), ``within``
    (``event`` must lie inside ``other``) or ``year`` (``event`` leaves its year; ``other``
    is then the event itself).
    """

    rule: str
    event: EventDate
    other: EventDate


def plan_conflicts(events: list[EventDate]) -> list[Conflict]:
    """Every conflict of one year's plan (events with their actual dates), in date order.

    Run when the plan is loaded (``kb check``, the defaults for the coming years) and
    whenever an administrator sets or imports dates, so a conflicting plan is reported
    before reminders and windows follow it.
    """
    by_code = {e.spec.code: e for e in events}
    out: list[Conflict] = []
    for e in sorted(events, key=lambda e: (e.starts_on, e.spec.code)):
        if e.starts_on.year != e.year or e.last_day.year != e.year:
            out.append(Conflict("year", e, e))
        before = by_code.get(e.spec.before or "")
        if before is not None and e.last_day >= before.starts_on:
            out.append(Conflict("before", e, before))
        within = by_code.get(e.spec.within or "")
        if within is not None and not (
            within.starts_on <= e.starts_on and e.last_day <= within.last_day
        ):
            out.append(Conflict("within", e, within))
    return out
