"""Warning talks in ``warning_talks``."""

from __future__ import annotations

from sqlalchemy import select

from handlers.records.domain import RecordQuery, WarningTalk
from storage.records.models import WarningTalkRow
from storage.records.versioned import VersionedRepository, scoped, tombstone_of, year_range


def _talk(r: WarningTalkRow) -> WarningTalk:
    return WarningTalk(
        id=r.id,
        person_id=r.person_id,
        unit_id=r.unit_id,
        talk_date=r.talk_date,
        place=r.place,
        talker=r.talker,
        note_taker=r.note_taker,
        reason=r.reason,
        summary=r.summary,
        response=r.response,
        created_by=r.created_by,
        created_at=r.created_at,
        follow_up_date=r.follow_up_date,
        follow_up_result=r.follow_up_result,
        version=r.version,
        deleted=tombstone_of(r),
    )


class SqlTalkRepository(VersionedRepository[WarningTalk]):
    """Warning talks in ``warning_talks``."""

    model = WarningTalkRow

    def _record(self, row: WarningTalkRow) -> WarningTalk:
        return _talk(row)

    async def add(self, talk: WarningTalk) -> WarningTalk:
        """Insert a talk."""
        row = WarningTalkRow(
            person_id=talk.person_id,
            unit_id=talk.unit_id,
            talk_date=talk.talk_date,
            place=talk.place,
            talker=talk.talker,
            note_taker=talk.note_taker,
            reason=talk.reason,
            summary=talk.summary,
            response=talk.response,
            follow_up_date=talk.follow_up_date,
            follow_up_result=talk.follow_up_result,
            created_by=talk.created_by,
            created_at=talk.created_at,
            updated_at=talk.created_at,
            version=1,
        )
        return _talk(await self._add(row))

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
