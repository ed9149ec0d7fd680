"""Who must pledge, who still has to pledge or check in, and what a cadre may report today.

These functions are the pledge system's public core API: the views use them, and the
reminders plan deadlines from :func:`pending_pledges` and :func:`pending_checkins` (wired in
:mod:`handlers.registry`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from handlers.calendar.domain import Period
from handlers.calendar.windows import (
    PledgeCalendar,
    Window,
    WindowState,
    local_date,
    pledge_calendar,
)
from handlers.core.domain import Person, Unit
from handlers.core.ports import UnitOfWork
from handlers.org.roles import CADRE_ROLES
from handlers.pledges.calendar import CheckinMode, checkin_mode
from handlers.pledges.domain import Appraisal, Checkin, CheckinPermit, Pledge
from handlers.pledges.ports import appraisals_of, checkins_of, pledges_of


def must_pledge(person: Person) -> bool:
    """Serving leading cadres at section level and above pledge (domain brief, mechanism 1)."""
    return person.active and person.section_level and person.has_role(*CADRE_ROLES)


@dataclass(frozen=True)
class PendingPledge:
    """Someone who has not pledged for the year; ``overdue`` once the due day has passed."""

    person: Person
    due: date
    overdue: bool


@dataclass(frozen=True)
class PendingCheckin:
    """A pledge whose window has opened but which has no check-in for it yet."""

    person: Person
    pledge: Pledge
    window: Window
    overdue: bool


async def pending_pledges(
    uow: UnitOfWork, unit_paths: Sequence[str], year: int, now: datetime
) -> list[PendingPledge]:
    """People in the subtrees who must pledge for ``year`` and have not (ordered by unit)."""
    cal = await pledge_calendar(uow)
    due = cal.pledge_due_date(year)
    today = local_date(now)
    pledged = {p.person_id for p in await pledges_of(uow).in_units(unit_paths, year)}
    people = await uow.people.in_units(unit_paths)
    return [
        PendingPledge(p, due, today > due) for p in people if must_pledge(p) and p.id not in pledged
    ]


async def pending_checkins(
    uow: UnitOfWork, unit_paths: Sequence[str], year: int, now: datetime
) -> list[PendingCheckin]:
    """Check-ins of ``year`` whose window has opened (or closed) and that nobody made yet.

    Windows that have not opened are never pending, even for someone holding an early permit.
    """
    cal = await pledge_calendar(uow)
    today = local_date(now)
    people = {p.id: p for p in await uow.people.in_units(unit_paths)}
    done = {(c.pledge_id, c.period) for c in await checkins_of(uow).in_units(unit_paths, year)}
    out = []
    for pledge in await pledges_of(uow).in_units(unit_paths, year):
        person = people.get(pledge.person_id)
        if person is None:
            continue  # deactivated since
        for window in cal.windows_for(year):
            if not pledge.expects_checkin(window.end):
                continue
            state = window.state(today)
            if state != WindowState.BEFORE and (pledge.id, window.period) not in done:
                out.append(PendingCheckin(person, pledge, window, state == WindowState.CLOSED))
    return out


@dataclass(frozen=True)
class CheckinChance:
    """Something a cadre may report today: a pledge, a window and what may be done."""

    pledge: Pledge
    window: Window
    mode: CheckinMode
    checkin: Checkin | None


async def checkin_chances(
    uow: UnitOfWork, person: Person, today: date, calendar: PledgeCalendar
) -> list[CheckinChance]:
    """Every check-in the person may make or change today (pledges of last, this, next year)."""
    out = []
    for pledge in await pledges_of(uow).for_person(person.id):
        if abs(pledge.year - today.year) > 1:
            continue
        out.extend(await chances_for_pledge(uow, pledge, today, calendar))
    return sorted(out, key=lambda c: c.window.start)


async def chances_for_pledge(
    uow: UnitOfWork, pledge: Pledge, today: date, calendar: PledgeCalendar
) -> list[CheckinChance]:
    """The check-ins that may be made or changed today for one pledge."""
    existing = {c.period: c for c in await checkins_of(uow).for_pledge(pledge.id)}
    permitted = {p.period for p in await checkins_of(uow).permits(pledge.person_id, pledge.year)}
    out = []
    for window in calendar.windows_for(pledge.year):
        found = existing.get(window.period)
        if found is None and not pledge.expects_checkin(window.end):
            continue  # the pledge came after this window: nothing to report in it
        mode = checkin_mode(window, found, window.period in permitted, today)
        if mode is not None:
            out.append(CheckinChance(pledge, window, mode, found))
    return out


@dataclass
class PersonYear:
    """Everything about one person's pledge year, for the views."""

    person: Person
    unit: Unit | None
    year: int
    pledge: Pledge | None = None
    checkins: dict[Period, Checkin] = field(default_factory=dict)
    appraisal: Appraisal | None = None
    permits: list[CheckinPermit] = field(default_factory=list)

    @property
    def answered(self) -> bool:
        """Whether a check-in or an appraisal was made on the pledge (its owner may no longer
        edit it: see :func:`handlers.pledges.form_checks.answered`)."""
        return bool(self.checkins) or self.appraisal is not None


async def person_year(uow: UnitOfWork, person: Person, year: int) -> PersonYear:
    """Load one person's pledge, check-ins, appraisal and permits for a year."""
    record = PersonYear(person, await uow.units.get(person.unit_id), year)
    record.pledge = await pledges_of(uow).of_person(person.id, year)
    if record.pledge is not None:
        record.checkins = {c.period: c for c in await checkins_of(uow).for_pledge(record.pledge.id)}
        record.appraisal = await appraisals_of(uow).get(record.pledge.id)
    record.permits = await checkins_of(uow).permits(person.id, year)
    return record


async def unit_overview(uow: UnitOfWork, unit_paths: Sequence[str], year: int) -> list[PersonYear]:
    """Everyone in the subtrees who must pledge or did pledge, with their year's records."""
    people = await uow.people.in_units(unit_paths)
    pledges = {p.person_id: p for p in await pledges_of(uow).in_units(unit_paths, year)}
    checkins: dict[int, dict[Period, Checkin]] = {}
    for c in await checkins_of(uow).in_units(unit_paths, year):
        checkins.setdefault(c.pledge_id, {})[c.period] = c
    appraisals = {a.pledge_id: a for a in await appraisals_of(uow).in_units(unit_paths, year)}
    units: dict[int, Unit | None] = {}
    out = []
    for person in people:
        pledge = pledges.get(person.id)
        if pledge is None and not must_pledge(person):
            continue
        if person.unit_id not in units:
            units[person.unit_id] = await uow.units.get(person.unit_id)
        record = PersonYear(person, units[person.unit_id], year, pledge)
        if pledge is not None:
            record.checkins = checkins.get(pledge.id, {})
            record.appraisal = appraisals.get(pledge.id)
        out.append(record)
    return out
