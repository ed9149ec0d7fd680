"""Warning talks in ``warning_talks``."""

from __future__ import annotations

from sqlalchemy import select

from handlers.records.domain import RecordQuery, WarningTalk
from storage.records.models import WarningTalkRow
from storage.records.versioned import VersionedRepository, new_row, record_of, scoped, year_range

#: The fields of a talk kept in the columns of the same names.
_FIELDS = (
    "person_id",
    "unit_id",
    "talk_date",
    "place",
    "talker",
    "note_taker",
    "reason",
    "summary",
    "response",
    "follow_up_date",
    "follow_up_result",
    "created_by",
    "created_at",
)


def _talk(r: WarningTalkRow) -> WarningTalk:
    return record_of(WarningTalk, r, _FIELDS)


class SqlTalkRepository(VersionedRepository[WarningTalk]):
    """Warning talks in ``warning_talks``."""

    model = WarningTalkRow

    def _record(self, row: WarningTalkRow) -> WarningTalk:
        return _talk(row)

    async def add(self, talk: WarningTalk) -> WarningTalk:
        """Insert a talk."""
        return _talk(await self._add(new_row(WarningTalkRow, talk, _FIELDS)))

    async def search(self, query: RecordQuery) -> list[WarningTalk]:
        """Live talks, newest talk first."""
        m = WarningTalkRow
        stmt = select(m).order_by(m.talk_date.desc(), m.id.desc())
        if query.person_id is not None:
            stmt = stmt.where(m.person_id == query.person_id)
        if query.year is not None:
            stmt = stmt.where(year_range(m.talk_date, query.year))
        if query.status == "open":
            stmt = stmt.where(m.follow_up_result.is_(None))
        elif query.status == "closed":
            stmt = stmt.where(m.follow_up_result.is_not(None))
        return await self._records(scoped(stmt, m, query))

    async def for_person(self, person_id: int) -> list[WarningTalk]:
        """Every live talk with a person."""
        stmt = (
            select(WarningTalkRow)
            .where(WarningTalkRow.person_id == person_id, WarningTalkRow.deleted_at.is_(None))
            .order_by(WarningTalkRow.talk_date, WarningTalkRow.id)
        )
        return await self._records(stmt)
