"""Storage interfaces for discipline records (implemented in storage/records/repository.py and fakes).

Conventions shared by every repository here:

* ``get`` returns deleted records too (callers show a tombstone or "not found"); lists and
  eligibility inputs leave deleted records out.
* ``update`` and ``delete`` are conditional on ``expected_version`` and return False when
  the record changed in the meantime, so a stale form never overwrites newer data.
* Nothing commits: the unit of work does, once per request.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Protocol, TypeVar

from handlers.core.ports import Capability
from handlers.records.domain import (
    AccountabilityCase,
    Assessment,
    CasePerson,
    RecordQuery,
    RectificationNotice,
    RectificationReport,
    ReportVerdict,
    Revision,
    Tombstone,
    WarningTalk,
)
from handlers.records.stored import Stored

Changes = dict[str, Any]
R = TypeVar("R")


class RecordRepository(Protocol[R]):
    """What every kind of record offers the generic record engine (handlers/records/engine.py)."""

    async def add(self, record: R, /) -> R:
        """Store a new record (its ``id`` is ignored) and return it with the assigned id."""
        ...

    async def get(self, record_id: int, /) -> R | None:
        """The record, deleted or not, or None."""
        ...

    async def update(
        self, record_id: int, expected_version: int, changes: Changes, at: datetime, /
    ) -> bool:
        """Set fields (``at`` is the change time) and bump the version if still ``expected_version``."""
        ...

    async def delete(self, record_id: int, expected_version: int, tombstone: Tombstone, /) -> bool:
        """Mark the record deleted (soft delete) if unchanged since ``expected_version``."""
        ...


class ListedRepository(RecordRepository[R], Protocol[R]):
    """A kind of record with its own list (/talks, /notices …)."""

    async def search(self, query: RecordQuery, /) -> list[R]:
        """Live records matching the query, newest first (see each kind for its order)."""
        ...


class DeclaredRepository(ListedRepository[R], Protocol[R]):
    """A kind declared with :class:`~handlers.records.stored.Stored` (its repository is
    derived): ``search`` takes the declared statuses, latest day first."""

    async def for_person(self, person_id: int, /) -> list[R]:
        """Every live record about a person, earliest day first."""
        ...


#: Warning talks (declared by ``handlers.records.domain.TALKS``); statuses open/closed.
TalkRepository = DeclaredRepository[WarningTalk]


class NoticeRepository(ListedRepository[RectificationNotice], Protocol):
    """Rectification notices and the reports submitted on them; ``search`` takes
    open/overdue/submitted/closed as status, newest first."""

    async def due(self, until: date) -> list[RectificationNotice]:
        """Live notices not closed whose deadline is on or before ``until``, by deadline."""
        ...

    async def add_report(self, report: RectificationReport) -> RectificationReport:
        """Store a rectification report and return it with its id."""
        ...

    async def reports(self, notice_id: int) -> list[RectificationReport]:
        """Every report on a notice, oldest first."""
        ...

    async def decide_report(self, report_id: int, verdict: ReportVerdict) -> bool:
        """Record the decision on a report that has none yet; False if already decided."""
        ...


class AssessmentRepository(ListedRepository[Assessment], Protocol):
    """Assessment results of units and people; ``search`` takes a result as status, latest
    year first."""

    async def find(self, unit_id: int, person_id: int | None, year: int) -> Assessment | None:
        """The live result for this subject and year (unit result when ``person_id`` is None)."""
        ...

    async def for_person(self, person_id: int) -> list[Assessment]:
        """Every live result about a person."""
        ...


class CaseRepository(ListedRepository[AccountabilityCase], Protocol):
    """Accountability cases and the people handled in them; in ``search`` a ``person_id``
    means "involving"."""

    async def add_person(self, person: CasePerson) -> CasePerson:
        """Add a person's handling to a case and return it with its id."""
        ...

    async def get_person(self, case_person_id: int) -> CasePerson | None:
        """One person-in-case row, deleted or not, or None."""
        ...

    async def people(self, case_id: int) -> list[CasePerson]:
        """The live person-in-case rows of a case, in the order added."""
        ...

    async def update_person(
        self, case_person_id: int, expected_version: int, changes: Changes, at: datetime
    ) -> bool:
        """Set fields of a person-in-case row if unchanged since ``expected_version``."""
        ...

    async def delete_person(
        self, case_person_id: int, expected_version: int, tombstone: Tombstone
    ) -> bool:
        """Soft-delete a person-in-case row if unchanged since ``expected_version``."""
        ...

    async def handlings_of(self, person_id: int) -> list[CasePerson]:
        """Every live handling of a person in a live case (eligibility input)."""
        ...


class RevisionLog(Protocol):
    """Append-only history of record changes."""

    async def add(self, revision: Revision) -> None:
        """Append one revision."""
        ...

    async def of(self, record_type: str, record_id: int) -> list[Revision]:
        """A record's revisions, oldest first."""
        ...


class RecordStore(Protocol):
    """The records repositories of one unit of work (``records_of(uow)``)."""

    @property
    def talks(self) -> TalkRepository:
        """Warning talks."""
        ...

    @property
    def notices(self) -> NoticeRepository:
        """Rectification notices and reports."""
        ...

    @property
    def assessments(self) -> AssessmentRepository:
        """Assessment results."""
        ...

    @property
    def cases(self) -> CaseRepository:
        """Accountability cases."""
        ...

    @property
    def revisions(self) -> RevisionLog:
        """Revision history."""
        ...

    def kind(self, declaration: Stored[R], /) -> DeclaredRepository[R]:
        """The records of a kind declared with ``Stored`` (a kind module's own records)."""
        ...


#: Discipline records (talks, notices, assessments, cases, their revisions), on a unit of work.
records_of: Capability[RecordStore] = Capability("records")


__all__ = [
    "AssessmentRepository",
    "CaseRepository",
    "Changes",
    "DeclaredRepository",
    "ListedRepository",
    "NoticeRepository",
    "RecordRepository",
    "RecordStore",
    "RevisionLog",
    "TalkRepository",
    "records_of",
]
