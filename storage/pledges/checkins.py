"""Check-ins in ``pledge_checkins`` (with early check-in permits in ``checkin_permits``)
and appraisals in ``pledge_appraisals``: the SQLAlchemy side of the pledge ports
(handlers/pledges/ports.py). They never commit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from handlers.calendar.domain import Period
from handlers.core.domain import Grade
from handlers.pledges.domain import (
    Appraisal,
    Checkin,
    CheckinEntry,
    CheckinPermit,
    Evidence,
    EvidenceKind,
    Fulfilment,
    NewCheckin,
)
from storage.core.sql import SqlRepository, built, flush_new, rowcount, values_of
from storage.pledges.models import AppraisalRow, CheckinPermitRow, CheckinRow
from storage.pledges.repository import on_pledges

PERIOD_ORDER = {p: i for i, p in enumerate(Period)}


def entries_to_json(entries: Sequence[CheckinEntry]) -> list[dict[str, Any]]:
    """Check-in entries as JSON-friendly dicts."""
    out: list[dict[str, Any]] = []
    for e in entries:
        item: dict[str, Any] = {"status": e.status.value, "explanation": e.explanation}
        if e.evidence is not None:
            item["evidence"] = {
                "kind": e.evidence.kind.value,
                "ref": e.evidence.ref,
                "name": e.evidence.name,
            }
        out.append(item)
    return out


def entries_from_json(raw: Sequence[dict[str, Any]]) -> tuple[CheckinEntry, ...]:
    """The inverse of :func:`entries_to_json`."""
    out = []
    for item in raw:
        ev = item.get("evidence")
        evidence = Evidence(EvidenceKind(ev["kind"]), ev["ref"], ev.get("name", "")) if ev else None
        out.append(CheckinEntry(Fulfilment(item["status"]), item["explanation"], evidence))
    return tuple(out)


#: The columns a check-in keeps as they are (its period and entries are converted).
_CHECKIN = "id pledge_id person_id late submitted_at updated_at version"


def _checkin(row: CheckinRow) -> Checkin:
    entries = entries_from_json(row.entries)
    return built(Checkin, row, _CHECKIN, period=Period(row.period), entries=entries)


class SqlCheckinRepository(SqlRepository):
    """Check-ins in ``pledge_checkins``, permits in ``checkin_permits``."""

    async def add(self, checkin: NewCheckin, at: datetime) -> Checkin:
        """Insert a check-in; the unique (pledge, period) constraint rejects a second one."""
        row = CheckinRow(
            pledge_id=checkin.pledge_id,
            person_id=checkin.person_id,
            period=checkin.period.value,
            late=checkin.late,
        )
        row.entries = entries_to_json(checkin.entries)
        row.submitted_at = row.updated_at = at
        row.version = 1
        self.s.add(row)
        await flush_new(self.s)
        return _checkin(row)

    async def update(
        self, checkin_id: int, entries: Sequence[CheckinEntry], at: datetime, expected_version: int
    ) -> Checkin | None:
        """Conditional update: only while the check-in is still at ``expected_version``."""
        result = await self.s.execute(
            update(CheckinRow)
            .where(CheckinRow.id == checkin_id, CheckinRow.version == expected_version)
            .values(entries=entries_to_json(entries), updated_at=at, version=expected_version + 1)
        )
        if rowcount(result) != 1:
            return None
        # The update synchronises a row this session already loaded, so get() is current.
        return await self._one(CheckinRow, checkin_id, _checkin)

    async def get(self, checkin_id: int) -> Checkin | None:
        """The check-in with this id."""
        return await self._one(CheckinRow, checkin_id, _checkin)

    async def for_pledge(self, pledge_id: int) -> list[Checkin]:
        """Check-ins of a pledge in period order."""
        rows = await self.s.scalars(select(CheckinRow).where(CheckinRow.pledge_id == pledge_id))
        return sorted((_checkin(r) for r in rows), key=lambda c: PERIOD_ORDER[c.period])

    async def in_units(self, paths: Sequence[str], year: int) -> list[Checkin]:
        """Check-ins on a year's pledges by people now in the subtrees."""
        stmt = on_pledges(CheckinRow, paths, year).order_by(CheckinRow.id)
        return await self._all(stmt, _checkin)

    async def permit(
        self, person_id: int, year: int, period: Period, by_id: int, at: datetime
    ) -> bool:
        """Record an early check-in permit unless one exists."""
        exists = await self.s.scalar(
            select(CheckinPermitRow.id).where(
                CheckinPermitRow.person_id == person_id,
                CheckinPermitRow.year == year,
                CheckinPermitRow.period == period.value,
            )
        )
        if exists:
            return False
        self.s.add(
            CheckinPermitRow(
                person_id=person_id, year=year, period=period.value, by_id=by_id, at=at
            )
        )
        await self.s.flush()
        return True

    async def permits(self, person_id: int, year: int) -> list[CheckinPermit]:
        """Permits of a person for a year."""
        stmt = (
            select(CheckinPermitRow)
            .where(CheckinPermitRow.person_id == person_id, CheckinPermitRow.year == year)
            .order_by(CheckinPermitRow.id)
        )
        return [
            CheckinPermit(r.person_id, r.year, Period(r.period), r.by_id, r.at)
            for r in await self.s.scalars(stmt)
        ]


#: The columns an appraisal keeps as they are, besides its pledge, grade and version.
_APPRAISAL = "person_id good fair poor score by_id at"


def _appraisal(row: AppraisalRow) -> Appraisal:
    return built(Appraisal, row, f"pledge_id {_APPRAISAL} version", grade=Grade(row.grade))


class SqlAppraisalRepository(SqlRepository):
    """Appraisals in ``pledge_appraisals``, one per pledge."""

    async def put(self, appraisal: Appraisal, expected_version: int) -> bool:
        """Insert (``expected_version`` 0) or conditionally replace the appraisal of a pledge."""
        values = {**values_of(appraisal, _APPRAISAL.split()), "grade": appraisal.grade.value}
        if expected_version == 0:
            if await self.s.get(AppraisalRow, appraisal.pledge_id) is not None:
                return False  # entered by someone else meanwhile
            self.s.add(AppraisalRow(pledge_id=appraisal.pledge_id, version=1, **values))
            await flush_new(self.s)
            return True
        result = await self.s.execute(
            update(AppraisalRow)
            .where(
                AppraisalRow.pledge_id == appraisal.pledge_id,
                AppraisalRow.version == expected_version,
            )
            .values(**values, version=expected_version + 1)
        )
        return rowcount(result) == 1

    async def get(self, pledge_id: int) -> Appraisal | None:
        """The appraisal of a pledge."""
        return await self._one(AppraisalRow, pledge_id, _appraisal)

    async def in_units(self, paths: Sequence[str], year: int) -> list[Appraisal]:
        """Appraisals of a year's pledges by people now in the subtrees."""
        stmt = on_pledges(AppraisalRow, paths, year).order_by(AppraisalRow.pledge_id)
        return await self._all(stmt, _appraisal)
