"""In-memory fakes of the pledge ports (handlers/pledges/ports.py), used through
tests/handlers/core/fakes.py."""

from __future__ import annotations

from collections.abc import Sequence
from copy import copy
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from typing import TYPE_CHECKING

from handlers.calendar.domain import Period
from handlers.core.errors import Conflict
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
from tests.handlers.core.fake_repository import TablesRepository

if TYPE_CHECKING:
    from tests.handlers.core.fakes import FakeDB

PERIOD_ORDER = {p: i for i, p in enumerate(Period)}


@dataclass
class PledgeTables:
    """The pledge system's part of :class:`tests.handlers.core.fakes.FakeDB`."""

    pledges: dict[int, Pledge] = field(default_factory=dict)
    revisions: list[PledgeRevision] = field(default_factory=list)
    checkins: dict[int, Checkin] = field(default_factory=dict)
    permits: list[CheckinPermit] = field(default_factory=list)
    appraisals: dict[int, Appraisal] = field(default_factory=dict)

    def copy(self) -> PledgeTables:
        """A copy for snapshots: each table is copied (the records themselves are immutable)."""
        return PledgeTables(*(copy(getattr(self, f.name)) for f in fields(self)))


def _person_in(db: FakeDB, person_id: int, paths: Sequence[str]) -> bool:
    person = db.people.get(person_id)
    if person is None:
        return False
    return any(db.units[person.unit_id].path.startswith(p) for p in paths)


class _PledgeRepository(TablesRepository["FakeDB", PledgeTables]):
    """A fake repository over the shared database's pledge_tables."""

    tables = "pledge_tables"
    db: FakeDB  # the annotation lets type checkers see the shared database's tables


class FakePledges(_PledgeRepository):
    async def add(
        self, person_id: int, unit_id: int, year: int, content: PledgeContent, at: datetime
    ) -> Pledge:
        if any(p.person_id == person_id and p.year == year for p in self.t.pledges.values()):
            raise RuntimeError("unique constraint: one pledge per person and year")
        pid = next(self.db.ids)
        pledge = Pledge(
            pid, person_id, unit_id, year, created_at=at, updated_at=at, **vars(content)
        )
        self.t.pledges[pid] = pledge
        return pledge

    async def get(self, pledge_id: int) -> Pledge | None:
        return self.t.pledges.get(pledge_id)

    async def of_person(self, person_id: int, year: int) -> Pledge | None:
        return next(
            (p for p in self.t.pledges.values() if p.person_id == person_id and p.year == year),
            None,
        )

    async def for_person(self, person_id: int) -> list[Pledge]:
        mine = [p for p in self.t.pledges.values() if p.person_id == person_id]
        return sorted(mine, key=lambda p: -p.year)

    async def in_units(self, paths: Sequence[str], year: int) -> list[Pledge]:
        return [
            p
            for p in self.t.pledges.values()
            if p.year == year and _person_in(self.db, p.person_id, paths)
        ]

    async def update(self, pledge_id: int, content: PledgeContent, at: datetime) -> Pledge:
        pledge = replace(self.t.pledges[pledge_id], updated_at=at, **vars(content))
        self.t.pledges[pledge_id] = pledge
        return pledge

    async def add_revision(
        self, pledge_id: int, items: Sequence[str], reason: str, by_id: int, at: datetime
    ) -> PledgeRevision:
        pledge = self.t.pledges[pledge_id]
        number = pledge.revision + 1
        self.t.pledges[pledge_id] = replace(pledge, revision=number)
        rev = PledgeRevision(next(self.db.ids), pledge_id, number, tuple(items), reason, by_id, at)
        self.t.revisions.append(rev)
        return rev

    async def revisions(self, pledge_id: int) -> list[PledgeRevision]:
        return sorted(
            (r for r in self.t.revisions if r.pledge_id == pledge_id), key=lambda r: r.number
        )


class FakeCheckins(_PledgeRepository):
    async def add(self, new: NewCheckin, at: datetime) -> Checkin:
        if any(
            c.pledge_id == new.pledge_id and c.period == new.period
            for c in self.t.checkins.values()
        ):
            raise Conflict("unique constraint: one check-in per pledge and period")
        cid = next(self.db.ids)
        checkin = Checkin(cid, submitted_at=at, updated_at=at, **vars(new))
        self.t.checkins[cid] = checkin
        return checkin

    async def update(
        self, checkin_id: int, entries: Sequence[CheckinEntry], at: datetime, expected_version: int
    ) -> Checkin | None:
        old = self.t.checkins.get(checkin_id)
        if old is None or old.version != expected_version:
            return None
        checkin = replace(old, entries=tuple(entries), updated_at=at, version=expected_version + 1)
        self.t.checkins[checkin_id] = checkin
        return checkin

    async def get(self, checkin_id: int) -> Checkin | None:
        return self.t.checkins.get(checkin_id)

    async def for_pledge(self, pledge_id: int) -> list[Checkin]:
        return sorted(
            (c for c in self.t.checkins.values() if c.pledge_id == pledge_id),
            key=lambda c: PERIOD_ORDER[c.period],
        )

    async def in_units(self, paths: Sequence[str], year: int) -> list[Checkin]:
        return [
            c
            for c in self.t.checkins.values()
            if self.t.pledges[c.pledge_id].year == year and _person_in(self.db, c.person_id, paths)
        ]

    async def permit(
        self, person_id: int, year: int, period: Period, by_id: int, at: datetime
    ) -> bool:
        if any(
            (p.person_id, p.year, p.period) == (person_id, year, period) for p in self.t.permits
        ):
            return False
        self.t.permits.append(CheckinPermit(person_id, year, period, by_id, at))
        return True

    async def permits(self, person_id: int, year: int) -> list[CheckinPermit]:
        return [p for p in self.t.permits if p.person_id == person_id and p.year == year]


class FakeAppraisals(_PledgeRepository):
    async def put(self, appraisal: Appraisal, expected_version: int) -> bool:
        old = self.t.appraisals.get(appraisal.pledge_id)
        if (old.version if old else 0) != expected_version:
            return False
        self.t.appraisals[appraisal.pledge_id] = replace(appraisal, version=expected_version + 1)
        return True

    async def get(self, pledge_id: int) -> Appraisal | None:
        return self.t.appraisals.get(pledge_id)

    async def in_units(self, paths: Sequence[str], year: int) -> list[Appraisal]:
        return [
            a
            for a in self.t.appraisals.values()
            if self.t.pledges[a.pledge_id].year == year and _person_in(self.db, a.person_id, paths)
        ]
