"""SQLAlchemy implementations of the pledge ports (handlers/pledges/ports.py): pledges and
their revisions here, check-ins and appraisals in storage/pledges/checkins.py. They never
commit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select

from handlers.pledges.domain import Pledge, PledgeContent, PledgeRevision, PostType, PublishVia
from storage.core.models import PersonRow, UnitRow
from storage.core.sql import SqlRepository, built, in_subtrees
from storage.pledges.models import PledgeRevisionRow, PledgeRow

#: The columns a pledge keeps as they are (its kinds and items are converted).
_PLEDGE = "id person_id unit_id year publish_date created_at updated_at revision"


def _pledge(row: PledgeRow) -> Pledge:
    kinds = {"post_type": PostType(row.post_type), "publish_via": PublishVia(row.publish_via)}
    return built(Pledge, row, _PLEDGE, items=tuple(row.items), **kinds)


def _revision(r: PledgeRevisionRow) -> PledgeRevision:
    return PledgeRevision(r.id, r.pledge_id, r.number, tuple(r.items), r.reason, r.by_id, r.at)


def _people_in(paths: Sequence[str]) -> Select[Any]:
    """Ids of people whose current unit lies in the subtrees."""
    return (
        select(PersonRow.id)
        .join(UnitRow, UnitRow.id == PersonRow.unit_id)
        .where(in_subtrees(UnitRow.path, paths))
    )


def on_pledges(model: Any, paths: Sequence[str], year: int) -> Select[Any]:
    """Rows of ``model`` on a year's pledges by people now in the subtrees."""
    return (
        select(model)
        .join(PledgeRow, PledgeRow.id == model.pledge_id)
        .where(PledgeRow.year == year, model.person_id.in_(_people_in(paths)))
    )


def _content(content: PledgeContent) -> dict[str, Any]:
    """The columns holding what a pledge says and where it is published."""
    return {
        "post_type": content.post_type.value,
        "items": list(content.items),
        "publish_via": content.publish_via.value,
        "publish_date": content.publish_date,
    }


class SqlPledgeRepository(SqlRepository):
    """Pledges in ``pledges``, corrections in ``pledge_revisions``."""

    async def add(
        self, person_id: int, unit_id: int, year: int, content: PledgeContent, at: datetime
    ) -> Pledge:
        """Insert a pledge; the unique (person, year) constraint rejects a second one."""
        row = PledgeRow(person_id=person_id, unit_id=unit_id, year=year, **_content(content))
        row.created_at = row.updated_at = at
        row.revision = 0
        return _pledge(await self._insert(row))

    async def get(self, pledge_id: int) -> Pledge | None:
        """The pledge with this id."""
        return await self._one(PledgeRow, pledge_id, _pledge)

    async def of_person(self, person_id: int, year: int) -> Pledge | None:
        """The person's pledge for a year."""
        row = await self.s.scalar(
            select(PledgeRow).where(PledgeRow.person_id == person_id, PledgeRow.year == year)
        )
        return _pledge(row) if row else None

    async def for_person(self, person_id: int) -> list[Pledge]:
        """All pledges of a person, newest year first."""
        stmt = (
            select(PledgeRow)
            .where(PledgeRow.person_id == person_id)
            .order_by(PledgeRow.year.desc())
        )
        return await self._all(stmt, _pledge)

    async def in_units(self, paths: Sequence[str], year: int) -> list[Pledge]:
        """Pledges of a year by people now in the subtrees."""
        stmt = (
            select(PledgeRow)
            .where(PledgeRow.year == year, PledgeRow.person_id.in_(_people_in(paths)))
            .order_by(PledgeRow.id)
        )
        return await self._all(stmt, _pledge)

    async def update(self, pledge_id: int, content: PledgeContent, at: datetime) -> Pledge:
        """Replace the content of a pledge."""
        row = await self.s.get(PledgeRow, pledge_id)
        if row is None:
            raise KeyError(pledge_id)
        for column, value in _content(content).items():
            setattr(row, column, value)
        row.updated_at = at
        await self.s.flush()
        return _pledge(row)

    async def add_revision(
        self, pledge_id: int, items: Sequence[str], reason: str, by_id: int, at: datetime
    ) -> PledgeRevision:
        """Keep the old items and bump the pledge's revision counter."""
        pledge = await self.s.get(PledgeRow, pledge_id)
        if pledge is None:
            raise KeyError(pledge_id)
        pledge.revision += 1
        row = PledgeRevisionRow(
            pledge_id=pledge_id,
            number=pledge.revision,
            items=list(items),
            reason=reason,
            by_id=by_id,
            at=at,
        )
        return _revision(await self._insert(row))

    async def revisions(self, pledge_id: int) -> list[PledgeRevision]:
        """Revisions, oldest first."""
        r = PledgeRevisionRow
        return await self._all(
            select(r).where(r.pledge_id == pledge_id).order_by(r.number), _revision
        )
