"""Annual assessment results of units and people in ``assessments``."""

from __future__ import annotations

from sqlalchemy import select, true

from handlers.core.domain import Grade
from handlers.records.domain import Assessment, AssessmentMethod, Commendation, RecordQuery
from storage.records.models import AssessmentRow
from storage.records.versioned import VersionedRepository, new_row, record_of, scoped

#: The fields of an assessment kept as they are in the columns of the same names.
_FIELDS = ("unit_id", "person_id", "year", "notes", "assessed_on", "created_by", "created_at")
#: The fields kept as column values (see :func:`plain`) and turned back on reading.
_CONVERTED = ("result", "methods", "commendation", "rated_despite_bar")


def _assessment(r: AssessmentRow) -> Assessment:
    return record_of(
        Assessment,
        r,
        _FIELDS,
        result=Grade(r.result),
        methods=tuple(AssessmentMethod(m) for m in r.methods or []),
        commendation=Commendation(r.commendation) if r.commendation else None,
        rated_despite_bar=bool(r.rated_despite_bar),
    )


class SqlAssessmentRepository(VersionedRepository[Assessment]):
    """Assessment results in ``assessments``."""

    model = AssessmentRow

    def _record(self, row: AssessmentRow) -> Assessment:
        return _assessment(row)

    async def add(self, assessment: Assessment) -> Assessment:
        """Insert a result."""
        row = new_row(AssessmentRow, assessment, (*_FIELDS, *_CONVERTED))
        return _assessment(await self._add(row))

    async def find(self, unit_id: int, person_id: int | None, year: int) -> Assessment | None:
        """The live result of a subject for a year."""
        m = AssessmentRow
        subject = m.person_id == person_id if person_id is not None else m.unit_id == unit_id
        stmt = select(m).where(
            subject,
            m.person_id.is_(None) if person_id is None else true(),
            m.year == year,
            m.deleted_at.is_(None),
        )
        row = (await self.s.scalars(stmt.order_by(m.id).limit(1))).first()
        return _assessment(row) if row else None

    async def search(self, query: RecordQuery) -> list[Assessment]:
        """Live results, latest year first, unit results before people's."""
        m = AssessmentRow
        stmt = select(m).order_by(m.year.desc(), m.person_id.is_not(None), m.id.desc())
        if query.person_id is not None:
            stmt = stmt.where(m.person_id == query.person_id)
        if query.year is not None:
            stmt = stmt.where(m.year == query.year)
        if query.status in {r.value for r in Grade}:
            stmt = stmt.where(m.result == query.status)
        return await self._records(scoped(stmt, m, query))

    async def for_person(self, person_id: int) -> list[Assessment]:
        """Every live result about a person."""
        return await self._live_of_person(person_id, AssessmentRow.year)
