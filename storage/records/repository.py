"""``uow.records``: the SQLAlchemy implementations of the records ports
(handlers/records/ports.py), sharing one session: one module per kind with queries of its
own, and the derived repository (declared.py) for every kind declared with ``Stored``.
They never commit."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.records.domain import TALKS
from handlers.records.stored import Stored
from storage.records.assessments import SqlAssessmentRepository
from storage.records.cases import SqlCaseRepository
from storage.records.declared import SqlDeclaredRepository
from storage.records.notices import SqlNoticeRepository
from storage.records.revisions import SqlRevisionLog

R = TypeVar("R")


class SqlRecordStore:
    """``uow.records``: the records repositories sharing one session."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._declared: dict[str, SqlDeclaredRepository[Any]] = {}
        self.talks = self.kind(TALKS)
        self.notices = SqlNoticeRepository(session)
        self.assessments = SqlAssessmentRepository(session)
        self.cases = SqlCaseRepository(session)
        self.revisions = SqlRevisionLog(session)

    def kind(self, declaration: Stored[R]) -> SqlDeclaredRepository[R]:
        """The repository of a kind declared with ``Stored`` (one per unit of work)."""
        repository = self._declared.get(declaration.table)
        if repository is None:
            repository = SqlDeclaredRepository(self._session, declaration)
            self._declared[declaration.table] = repository
        return repository


__all__ = ["SqlRecordStore"]
