"""The SQLAlchemy unit of work: one session and one transaction per request."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from handlers.core.errors import Unavailable
from storage.core.audit import SqlAuditLog
from storage.core.buttons import SqlButtonTokens
from storage.core.conversations import SqlConversationStore
from storage.core.invitations import SqlInvitationRepository
from storage.core.people import SqlPersonRepository
from storage.core.questions import SqlQuestionLog
from storage.core.units import SqlUnitRepository
from storage.core.updates import SqlUpdateLog
from storage.digest.repository import SqlDigestRepository
from storage.errors import is_unavailable
from storage.pledges.checkins import SqlAppraisalRepository, SqlCheckinRepository
from storage.pledges.repository import SqlPledgeRepository
from storage.records.repository import SqlRecordStore
from storage.reminders.quiz import SqlQuizRepository
from storage.reminders.repository import SqlReminderRepository
from storage.summary.repository import SqlSummaryRepository

log = logging.getLogger("lianzheng.storage")


class SqlUnitOfWork:
    """Opens a session on enter; rolls back on exit unless ``commit`` was called.

    A lost or refused database connection leaves as :class:`handlers.core.errors.Unavailable`:
    the transaction was never committed (the server rolls back what a dropped connection
    had started), and the pool replaces the broken connection for the next request.
    """

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], lock: asyncio.Lock | None = None
    ) -> None:
        self._sessions = sessions
        self._lock = lock
        self.session: AsyncSession | None = None

    async def __aenter__(self) -> SqlUnitOfWork:
        if self._lock is not None:
            await self._lock.acquire()
        try:
            self.session = self._sessions()
        except BaseException:
            if self._lock is not None:
                self._lock.release()
            raise
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
        self.digests = SqlDigestRepository(s)
        self.buttons = SqlButtonTokens(s)
        # One repository serves several capabilities' ports: the reminders plan from the
        # calendar's dates, the quiz keeps the poll ids, the summary its kept figures.
        self.calendar = self.reminders
        self.polls = self.quiz
        self.snapshot_cache = self.summary
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self.session is not None
        try:
            await self._quietly(self.session.rollback)
        finally:
            try:
                await self._quietly(self.session.close)
            finally:
                if self._lock is not None:
                    self._lock.release()
        if exc is not None and not isinstance(exc, Unavailable) and is_unavailable(exc):
            raise Unavailable(type(exc).__name__) from exc

    @staticmethod
    async def _quietly(step: Callable[[], Awaitable[None]]) -> None:
        """Run a clean-up step; a dead connection need not (and cannot) be rolled back:
        nothing was committed, and the server discards what a dropped connection began."""
        try:
            await step()
        except Exception as error:
            if not is_unavailable(error):
                raise
            log.warning("database connection lost; %s skipped", getattr(step, "__name__", step))

    async def commit(self) -> None:
        """Commit the transaction."""
        assert self.session is not None
        await self.session.commit()

    async def rollback(self) -> None:
        """Roll the transaction back."""
        assert self.session is not None
        await self.session.rollback()


class SqlUnitOfWorkFactory:
    """Callable that makes a new unit of work per request.

    With ``serialize`` (SQLite), units of work of this process run one at a time, in
    arrival order. SQLite admits one writer at a time and every request writes (the update
    claim comes first), so concurrent transactions would only wait on the file lock, whose
    busy handler sleeps in growing steps and lets late arrivals overtake: under load that
    made the slowest replies take seconds. A FIFO lock gives the same throughput with fair,
    short waits. Units of work are never nested, so the lock cannot deadlock.
    """

    def __init__(self, sessions: async_sessionmaker[AsyncSession], serialize: bool = False) -> None:
        self.sessions = sessions
        self._lock = asyncio.Lock() if serialize else None

    def __call__(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.sessions, self._lock)

    def background(self) -> SqlUnitOfWorkFactory:
        """The same database without the FIFO turn, for the background loop.

        Its long read phases (planning a year's reminders, refreshing the summary snapshot,
        composing digests) need no turn: SQLite lets them read beside the writers, and
        holding the turn would make every chat request wait for them. Their short writes
        meet the requests' at SQLite's own lock, as two processes would.
        """
        return SqlUnitOfWorkFactory(self.sessions)


if TYPE_CHECKING:
    from handlers.calendar.ports import CalendarDateStore
    from handlers.core.ports import UnitOfWork
    from handlers.pledges.ports import AppraisalRepository, CheckinRepository, PledgeRepository
    from handlers.quiz.ports import QuizRepository
    from handlers.records.ports import RecordStore
    from handlers.reminders.ports import DigestRepository, ReminderRepository
    from handlers.summary.ports import SummaryRepository

    # The core's UnitOfWork names only the shared stores; each feature takes its own through
    # a Capability (records_of, pledges_of …) that trusts the unit of work to offer it under
    # the capability's attribute. This function is never called: mypy checks that storage's
    # unit of work offers each with its port's type (the names are unused on purpose), and
    # tests/storage/test_capabilities.py that every capability declared in handlers is here.
    def _offers_every_capability(uow: SqlUnitOfWork) -> None:
        _shared: UnitOfWork = uow
        _calendar: CalendarDateStore = uow.calendar
        _records: RecordStore = uow.records
        _pledges: PledgeRepository = uow.pledges
        _checkins: CheckinRepository = uow.checkins
        _appraisals: AppraisalRepository = uow.appraisals
        _reminders: ReminderRepository = uow.reminders
        _digests: DigestRepository = uow.digests
        _quiz: QuizRepository = uow.quiz
        _summary: SummaryRepository = uow.summary
