"""``uow.records``: the SQLAlchemy implementations of the records ports
(handlers/records/ports.py), one module per record kind, sharing one session. They never
commit."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from storage.records.assessments import SqlAssessmentRepository
from storage.records.cases import SqlCaseRepository
from storage.records.notices import SqlNoticeRepository
from storage.records.revisions import SqlRevisionLog
from storage.records.talks import SqlTalkRepository


class SqlRecordStore:
    """``uow.records``: the records repositories sharing one session."""

    def __init__(self, session: AsyncSession) -> None:
        self.talks = SqlTalkRepository(session)
        self.notices = SqlNoticeRepository(session)
        self.assessments = SqlAssessmentRepository(session)
        self.cases = SqlCaseRepository(session)
        self.revisions = SqlRevisionLog(session)


__all__ = ["SqlRecordStore"]
