"""Storage interfaces of the pledge system; storage/pledges/repository.py implements them.

Queries by unit take materialised paths and match the person's *current* unit, so a view of a
subtree shows the people who are there now. Repositories never commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from handlers.calendar.domain import Period
from handlers.core.ports import Capability
from handlers.pledges.domain import (
    Appraisal,
    Checkin,
    CheckinEntry,
    CheckinPermit,
    NewCheckin,
    Pledge,
    PledgeContent,
    PledgeRevision,
)


class PledgeRepository(Protocol):
    """Pledges and their revisions."""

    async def add(
        self, person_id: int, unit_id: int, year: int, content: PledgeContent, at: datetime
    ) -> Pledge:
        """Create a pledge (at most one per person and year; the database enforces it)."""
        ...

    async def get(self, pledge_id: int) -> Pledge | None:
        """The pledge with this id, or None."""
        ...

    async def of_person(self, person_id: int, year: int) -> Pledge | None:
        """The person's pledge for ``year``, or None."""
        ...

    async def for_person(self, person_id: int) -> list[Pledge]:
        """All of the person's pledges, newest year first."""
        ...

    async def in_units(self, paths: Sequence[str], year: int) -> list[Pledge]:
        """Pledges for ``year`` of people whose current unit lies in the subtrees."""
        ...

    async def update(self, pledge_id: int, content: PledgeContent, at: datetime) -> Pledge:
        """Replace the content of a pledge."""
        ...

    async def add_revision(
        self, pledge_id: int, items: Sequence[str], reason: str, by_id: int, at: datetime
    ) -> PledgeRevision:
        """Keep the old items of a corrected pledge and bump the pledge's revision number."""
        ...

    async def revisions(self, pledge_id: int) -> list[PledgeRevision]:
        """Revisions of a pledge, oldest first."""
        ...


class CheckinRepository(Protocol):
    """Fulfilment check-ins and early check-in permits."""

    async def add(self, checkin: NewCheckin, at: datetime) -> Checkin:
        """Store a check-in (at most one per pledge and period: a second one raises Conflict)."""
        ...

    async def update(
        self, checkin_id: int, entries: Sequence[CheckinEntry], at: datetime, expected_version: int
    ) -> Checkin | None:
        """Replace the entries of a check-in still at ``expected_version`` (bumping it).

        None, with nothing changed, when the check-in was changed meanwhile (another
        version) or does not exist.
        """
        ...

    async def get(self, checkin_id: int) -> Checkin | None:
        """The check-in with this id, or None."""
        ...

    async def for_pledge(self, pledge_id: int) -> list[Checkin]:
        """Check-ins of one pledge, in period order."""
        ...

    async def in_units(self, paths: Sequence[str], year: int) -> list[Checkin]:
        """Check-ins on ``year`` pledges of people whose current unit lies in the subtrees."""
        ...

    async def permit(
        self, person_id: int, year: int, period: Period, by_id: int, at: datetime
    ) -> bool:
        """Allow an early check-in; False when it was already allowed."""
        ...

    async def permits(self, person_id: int, year: int) -> list[CheckinPermit]:
        """Early check-in permits of one person for one year."""
        ...


class AppraisalRepository(Protocol):
    """Mass appraisal and organisational assessment per pledge."""

    async def put(self, appraisal: Appraisal, expected_version: int) -> bool:
        """Create (``expected_version`` 0) or replace the appraisal of a pledge.

        Replacing needs the version the writer saw; False, with nothing changed, when the
        appraisal was entered or changed meanwhile. Two entries racing to create the first
        appraisal: the second raises Conflict.
        """
        ...

    async def get(self, pledge_id: int) -> Appraisal | None:
        """The appraisal of a pledge, or None."""
        ...

    async def in_units(self, paths: Sequence[str], year: int) -> list[Appraisal]:
        """Appraisals of ``year`` pledges of people whose current unit lies in the subtrees."""
        ...


#: Integrity pledges and their revisions, on a unit of work.
pledges_of: Capability[PledgeRepository] = Capability("pledges")
#: Pledge fulfilment check-ins and early check-in permits, on a unit of work.
checkins_of: Capability[CheckinRepository] = Capability("checkins")
#: Mass appraisals and organisational assessments of pledges, on a unit of work.
appraisals_of: Capability[AppraisalRepository] = Capability("appraisals")
