"""The sections counted per person: the people a test is meant for, reminders sent and
acknowledged, and test participants with their best scores."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, func, or_, select

from handlers.core.domain import CADRE_ROLES
from handlers.reminders.domain import ACKNOWLEDGEABLE_KINDS, ACKNOWLEDGED
from storage.core.models import PersonRow, RoleGrantRow
from storage.summary.models import reminder_tables
from storage.summary.sql.functions import count_if
from storage.summary.sql.rows import (
    SEC_ELIGIBLE,
    SEC_QUIZ,
    SEC_REMINDERS,
    Build,
    group_keys,
    stacked_row,
)

#: Answers to a reminder that count as acknowledging it (a snooze does not), as stored.
ACKNOWLEDGED_VALUES = tuple(sorted(a.value for a in ACKNOWLEDGED))


def takes_tests() -> Any:
    """A person holds a role that takes the test (cadre or unit principal: /test refuses the
    others) or no role yet (listed, not registered)."""
    grants = select(RoleGrantRow.id).where(RoleGrantRow.person_id == PersonRow.id)
    return or_(
        grants.where(RoleGrantRow.role.in_([r.value for r in CADRE_ROLES])).exists(),
        ~grants.exists(),
    )


def there_during(start_at: Any, end_at: Any, col: Any = lambda c: c) -> Any:
    """A person was on the lists some time from ``start_at`` to ``end_at``: listed before
    it ended and not gone before it began (unknown dates count; a person deactivated
    before the dates were kept never does, as before)."""
    return and_(
        or_(PersonRow.listed_at.is_(None), col(PersonRow.listed_at) < end_at),
        or_(PersonRow.active.is_(True), col(PersonRow.left_at) >= start_at),
    )


#: People whose dates make them count in some periods only (the snapshot counts them per
#: period, the others once for every period).
DATED = or_(PersonRow.listed_at.is_not(None), PersonRow.active.is_(False))


def eligible(b: Build) -> Any:
    """The people a test is meant for: section-level people who take it (see
    :func:`takes_tests`), by their current unit, who were there during the period. In
    snapshot mode only the undated ones (one row for every period); the refresh counts the
    dated ones per period itself."""
    person_unit = b.unit_key(PersonRow.unit_id)
    row = stacked_row(SEC_ELIGIBLE, person_unit, [func.count()], grain=b.g(lambda g: g.always))
    live = b.grain is None
    when = there_during(b.q.start_at, b.q.end_at, b.scope.col) if live else ~DATED
    return (
        select(*row)
        .select_from(b.source(PersonRow, PersonRow.unit_id))
        .where(
            b.scope.has(PersonRow.unit_id),
            PersonRow.section_level.is_(True),
            takes_tests(),
            when,
        )
        .group_by(person_unit)
    )


def reminders_and_quiz(b: Build) -> list[tuple[int, Any]]:
    """(section id, SELECT) of reminders and of the quiz (not in snapshot mode: a best
    score is not a sum over months), or nothing when the schema has no reminder tables."""
    tables = reminder_tables()
    if tables is None:
        return []
    d, occ, qa = tables
    q, scope = b.q, b.scope
    # Only reminders that ask for an acknowledgement count: digests and escalations carry no
    # buttons. Occurrences are few (one per event lead time, deadline day, period …), so the
    # semi-join is a small hash; occurrence_id is in the covering index.
    asking = select(occ.c.id).where(occ.c.kind.in_([k.value for k in ACKNOWLEDGEABLE_KINDS]))
    sent = and_(
        scope.col(d.c.sent_at) >= q.start_at,
        scope.col(d.c.sent_at) < q.end_at,
        d.c.occurrence_id.in_(asking),
    )
    counted = and_(
        qa.c.practice.is_(False),
        qa.c.score.is_not(None),
        scope.col(qa.c.finished_at) >= q.start_at,
        scope.col(qa.c.finished_at) < q.end_at,
    )
    if scope.narrow:
        return _narrow(b, d, sent, qa, counted)
    out = [(SEC_REMINDERS, _wide_reminders(b, d, sent))]
    if b.grain is None:
        out.append((SEC_QUIZ, _wide_quiz(qa, counted)))
    return out


def _narrow(b: Build, d: Any, sent: Any, qa: Any, counted: Any) -> list[tuple[int, Any]]:
    """A few units: their people first, then each person's index range."""
    person_mine = b.scope.has(PersonRow.unit_id)
    acked = [func.count(d.c.id), count_if(d.c.ack_status.in_(ACKNOWLEDGED_VALUES))]
    reminders = (
        select(*stacked_row(SEC_REMINDERS, PersonRow.unit_id, acked))
        .select_from(PersonRow)
        .join(d, d.c.person_id == PersonRow.id)
        .where(person_mine, sent)
        .group_by(PersonRow.unit_id)
    )
    best = (
        select(PersonRow.unit_id.label("unit_id"), func.max(qa.c.score).label("best"))
        .select_from(PersonRow)
        .join(qa, qa.c.person_id == PersonRow.id)
        .where(person_mine, counted)
        .group_by(PersonRow.unit_id, PersonRow.id)
        .subquery("best")
    )
    quiz = select(*stacked_row(SEC_QUIZ, best.c.unit_id, [func.count(), func.sum(best.c.best)]))
    return [(SEC_REMINDERS, reminders), (SEC_QUIZ, quiz.group_by(best.c.unit_id))]


def _wide_reminders(b: Build, d: Any, sent: Any) -> Any:
    """Most units: one pass over the person-keyed index (rows arrive grouped by person),
    then each person's unit by primary key — cheaper than probing every person's range."""
    d_grain = b.g(lambda g: g.of_time(d.c.sent_at))
    per_person = (
        select(
            d.c.person_id,
            *([d_grain.label("grain")] if d_grain is not None else []),
            func.count(d.c.id).label("n"),
            count_if(d.c.ack_status.in_(ACKNOWLEDGED_VALUES)).label("acked"),
        )
        .where(sent)
        .group_by(*group_keys(d_grain, d.c.person_id))
        .subquery("sent")
    )
    pp_grain = b.g(lambda _: per_person.c.grain)
    person_unit = b.unit_key(PersonRow.unit_id)
    values = [func.sum(per_person.c.n), func.sum(per_person.c.acked)]
    return b.keyed(
        select(*stacked_row(SEC_REMINDERS, person_unit, values, grain=pp_grain))
        .select_from(per_person)
        .join(PersonRow, PersonRow.id == per_person.c.person_id),
        PersonRow.unit_id,
    ).group_by(*group_keys(pp_grain, person_unit))


def _wide_quiz(qa: Any, counted: Any) -> Any:
    """Most units, live only: each person's best score, then each person's unit."""
    best = (
        select(qa.c.person_id, func.max(qa.c.score).label("best"))
        .where(counted)
        .group_by(qa.c.person_id)
        .subquery("best")
    )
    return (
        select(*stacked_row(SEC_QUIZ, PersonRow.unit_id, [func.count(), func.sum(best.c.best)]))
        .select_from(best)
        .join(PersonRow, PersonRow.id == best.c.person_id)
        .group_by(PersonRow.unit_id)
    )
