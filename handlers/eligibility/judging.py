"""What /eligible judges on: a person's records as effects and assessment facts, and the
rating year with the day it is judged on (shared by the one-person and the unit answers)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from handlers.calendar.events import year_events
from handlers.core.ports import UnitOfWork
from handlers.eligibility.dates import default_rating_year, rating_judging_day
from handlers.eligibility.rules import AssessmentFact, Bar, Effect, Eligibility, Source, evaluate
from handlers.records.domain import HandlingCategory
from handlers.records.ports import records_of
from knowledge.calendar import EventDate, commendation_event
from knowledge.sanctions import SanctionCatalogue, load_sanctions


@dataclass(frozen=True)
class RatingYear:
    """Which year's rating is judged today, on which day, and the meetings that decide it."""

    today: date
    pending: int  # the year whose commendation is pending (what a bare /eligible judges)
    rating_year: int  # the year judged (the one asked for, else ``pending``)
    judged_on: date
    this_meeting: EventDate | None  # this calendar year's commendation meeting
    next_meeting: EventDate | None  # the one after the rating year (it judges that year)


async def person_facts(
    uow: UnitOfWork, person_id: int, catalogue: SanctionCatalogue
) -> tuple[list[Effect], list[AssessmentFact]]:
    """A person's effects and assessment results, read from the records (live ones only).

    Organisational handlings count only when the catalogue has a kind with the same code
    (today: ``warning_talk``); discipline kinds always count, and unknown ones are flagged.
    """
    effects = [
        Effect(catalogue.warning_talk.code, Source.TALK, t.id, t.talk_date)
        for t in await records_of(uow).talks.for_person(person_id)
    ]
    for h in await records_of(uow).cases.handlings_of(person_id):
        if h.revoked_on is not None:
            continue  # revoked on review: it never barred anything
        if h.category == HandlingCategory.DISCIPLINE or catalogue.get(h.kind) is not None:
            effects.append(Effect(h.kind, Source.CASE, h.case_id, h.effective_on))
    facts = [
        AssessmentFact(a.id, a.year, a.assessed_on, a.result.value == "failed")
        for a in await records_of(uow).assessments.for_person(person_id)
    ]
    return effects, facts


async def commendation_meeting(uow: UnitOfWork, year: int) -> EventDate | None:
    """The commendation meeting of ``year`` (administrators' date, else the default)."""
    spec = commendation_event()
    if spec is None:
        return None
    return next((e for e in await year_events(uow, year) if e.spec.code == spec.code), None)


async def rating_year(uow: UnitOfWork, today: date, asked: int | None) -> RatingYear:
    """The rating year judged today: ``asked``, else the one whose commendation is pending
    (the year just ended until the commendation meeting has been held)."""
    this_meeting = await commendation_meeting(uow, today.year)
    pending = default_rating_year(today, this_meeting.starts_on if this_meeting else None)
    year = pending if asked is None else asked
    next_meeting = await commendation_meeting(uow, year + 1)
    judged_on = rating_judging_day(year, today, next_meeting.starts_on if next_meeting else None)
    return RatingYear(today, pending, year, judged_on, this_meeting, next_meeting)


async def judge(
    uow: UnitOfWork, person_id: int, year: RatingYear, catalogue: SanctionCatalogue
) -> Eligibility:
    """The answer for one person for ``year``, from the records as they stand."""
    effects, facts = await person_facts(uow, person_id, catalogue)
    return evaluate(year.today, effects, facts, catalogue, year.rating_year, year.judged_on)


async def rating_bars(
    uow: UnitOfWork, person_id: int, year: int, today: date, replacing: int | None = None
) -> list[Bar]:
    """What bars rating ``person_id`` excellent or advanced for ``year``, judged as
    /eligible judges it (used when such a rating is recorded). ``replacing`` is the
    assessment result being edited: the new one takes its place, so it bars nothing."""
    catalogue = load_sanctions()
    effects, facts = await person_facts(uow, person_id, catalogue)
    facts = [f for f in facts if f.record_id != replacing]
    judging = await rating_year(uow, today, year)
    return list(evaluate(today, effects, facts, catalogue, year, judging.judged_on).advanced)
