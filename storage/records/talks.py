"""Warning talks in ``warning_talks``."""

from __future__ import annotations

from handlers.records.domain import RecordQuery, WarningTalk
from storage.records.models import WarningTalkRow
from storage.records.versioned import VersionedRepository, dated_search, new_row, record_of, scoped

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
        stmt = dated_search(m, query, m.talk_date, m.person_id)
        if query.status == "open":
            stmt = stmt.where(m.follow_up_result.is_(None))
        elif query.status == "closed":
            stmt = stmt.where(m.follow_up_result.is_not(None))
        return await self._records(scoped(stmt, m, query))

    async def for_person(self, person_id: int) -> list[WarningTalk]:
        """Every live talk with a person."""
        return await self._live_of_person(person_id, WarningTalkRow.talk_date)
