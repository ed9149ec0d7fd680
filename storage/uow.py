"""The SQLAlchemy unit of work: one session and one transaction per request."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.repo_buttons import SqlButtonTokens
from storage.repo_pledges import (
    SqlAppraisalRepository,
    SqlCheckinRepository,
    SqlPledgeRepository,
)
from storage.repo_records import SqlRecordStore
from storage.repo_reminders import SqlQuizRepository, SqlReminderRepository
from storage.repo_summary import SqlSummaryRepository
from storage.repositories import (
    SqlAuditLog,
    SqlConversationStore,
    SqlInvitationRepository,
    SqlPersonRepository,
    SqlQuestionLog,
    SqlUnitRepository,
    SqlUpdateLog,
)


class SqlUnitOfWork:
    """Opens a session on enter; rolls back on exit unless ``commit`` was called."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self.session: AsyncSession | None = None

    async def __aenter__(self) -> SqlUnitOfWork:
        self.session = self._sessions()
        s = self.session
        self.units = SqlUnitRepository(s)
        self.people = SqlPersonRepository(s)
        self.invitations = SqlInvitationRepository(s)
        self.audit = SqlAuditLog(s)
        self.conversations = SqlConversationStore(s)
        self.questions = SqlQuestionLog(s)
        self.records = SqlRecordStore(s)
        self.pledges = SqlPledgeRepository(s)
        self.checkins = SqlCheckinRepository(s)
        self.appraisals = SqlAppraisalRepository(s)
        self.updates = SqlUpdateLog(s)
        self.summary = SqlSummaryRepository(s)
        self.reminders = SqlReminderRepository(s)
        self.quiz = SqlQuizRepository(s)
        self.buttons = SqlButtonTokens(s)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self.session is not None
        try:
            await self.session.rollback()
        finally:
            await self.session.close()

    async def commit(self) -> None:
        """Commit the transaction."""
        assert self.session is not None
        await self.session.commit()

    async def rollback(self) -> None:
        """Roll the transaction back."""
        assert self.session is not None
        await self.session.rollback()


class SqlUnitOfWorkFactory:
    """Callable that makes a new unit of work per request."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    def __call__(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.sessions)
