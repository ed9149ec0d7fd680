"""In-memory fakes of the records ports (handlers/records/ports.py) for unit tests.

State lives in :class:`RecordTables` on the shared ``FakeDB`` (``db.record_tables``); the
repositories look it up on every call, so a unit-of-work rollback (which swaps the tables
for a snapshot copy) is seen at once.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, Generic, Protocol, TypeVar

from handlers.core.domain import Grade
from handlers.records.domain import (
    TALKS,
    AccountabilityCase,
    Assessment,
    CasePerson,
    CaseStatus,
    NoticeStatus,
    RecordQuery,
    RectificationNotice,
    RectificationReport,
    ReportVerdict,
    Revision,
    Tombstone,
    WarningTalk,
)
from handlers.records.stored import Empty, Stored
from tests.handlers.core.fake_repository import FakeRepository

R = TypeVar("R", WarningTalk, RectificationNotice, Assessment, AccountabilityCase, CasePerson)


@dataclass
class RecordTables:
    """Every records "table" of the fake database."""

    #: The records of each kind declared with ``Stored``, by table name.
    declared: dict[str, dict[int, Any]] = field(default_factory=dict)
    notices: dict[int, RectificationNotice] = field(default_factory=dict)
    reports: dict[int, RectificationReport] = field(default_factory=dict)
    assessments: dict[int, Assessment] = field(default_factory=dict)
    cases: dict[int, AccountabilityCase] = field(default_factory=dict)
    case_people: dict[int, CasePerson] = field(default_factory=dict)
    revisions: list[Revision] = field(default_factory=list)

    @property
    def talks(self) -> dict[int, WarningTalk]:
        """Warning talks (a declared kind)."""
        return self.declared.setdefault(TALKS.table, {})

    def copy(self) -> RecordTables:
        """A snapshot for rollbacks (records are frozen; revisions carry dicts, so deep copy)."""
        return copy.deepcopy(self)


class _DB(Protocol):
    record_tables: RecordTables
    units: dict[int, Any]

    @property
    def ids(self) -> Any: ...


def _in_scope(db: _DB, unit_id: int, query: RecordQuery) -> bool:
    if query.unit_paths is None:
        return True
    unit = db.units.get(unit_id)
    return unit is not None and any(unit.path.startswith(p) for p in query.unit_paths)


def _page(items: list[R], query: RecordQuery) -> list[R]:
    return items[query.offset : query.offset + query.limit]


def _update(table: dict[int, R], record_id: int, expected: int, values: dict[str, Any]) -> bool:
    record = table.get(record_id)
    if record is None or record.deleted is not None or record.version != expected:
        return False
    table[record_id] = replace(record, **values, version=expected + 1)
    return True


class _Base(FakeRepository[_DB]):
    @property
    def t(self) -> RecordTables:
        return self.db.record_tables

    def _new_id(self) -> int:
        return int(next(self.db.ids))


class _Versioned(_Base, Generic[R]):
    """Adding, reading, changing and deleting the versioned records of one table: the
    attribute of :class:`RecordTables` that ``table`` names."""

    table = ""

    def _rows(self) -> dict[int, R]:
        rows: dict[int, R] = getattr(self.t, self.table)
        return rows

    def _live_in_scope(self, query: RecordQuery) -> list[R]:
        """The records not deleted, in the query's units."""
        return [
            r
            for r in self._rows().values()
            if r.deleted is None and _in_scope(self.db, r.unit_id, query)
        ]

    async def add(self, record: R) -> R:
        record = replace(record, id=self._new_id(), version=1)
        self._rows()[record.id] = record
        return record

    async def get(self, record_id: int) -> R | None:
        return self._rows().get(record_id)

    async def update(
        self, record_id: int, expected_version: int, changes: dict[str, Any], at: datetime
    ) -> bool:
        return _update(self._rows(), record_id, expected_version, dict(changes))

    async def delete(self, record_id: int, expected_version: int, tombstone: Tombstone) -> bool:
        return _update(self._rows(), record_id, expected_version, {"deleted": tombstone})


class FakeDeclared(_Versioned[Any]):
    """The records of a kind declared with ``Stored``, filtered as its declaration says (the
    fake twin of storage/records/declared.py)."""

    def __init__(self, db: _DB, declaration: Stored[Any]) -> None:
        super().__init__(db)
        self.declaration = declaration

    def _rows(self) -> dict[int, Any]:
        return self.t.declared.setdefault(self.declaration.table, {})

    def _day(self, record: Any) -> date:
        day: date = getattr(record, self.declaration.day)
        return day

    def _matches(self, record: Any, query: RecordQuery) -> bool:
        d = self.declaration
        rule = d.statuses.get(query.status or "")
        return (
            (
                query.person_id is None
                or not d.person
                or getattr(record, d.person) == query.person_id
            )
            and (query.year is None or self._day(record).year == query.year)
            and (rule is None or (getattr(record, rule.field) is None) == isinstance(rule, Empty))
        )

    async def search(self, query: RecordQuery) -> list[Any]:
        items = [r for r in self._live_in_scope(query) if self._matches(r, query)]
        items.sort(key=lambda r: (self._day(r), r.id), reverse=True)
        return _page(items, query)

    async def for_person(self, person_id: int) -> list[Any]:
        mine = (
            r
            for r in self._rows().values()
            if r.deleted is None and getattr(r, self.declaration.person) == person_id
        )
        return sorted(mine, key=lambda r: (self._day(r), r.id))


class FakeNotices(_Versioned[RectificationNotice]):
    """Notices and reports."""

    table = "notices"

    async def search(self, query: RecordQuery) -> list[RectificationNotice]:
        today = query.today or date.min

        def status_ok(n: RectificationNotice) -> bool:
            if query.status == "open":
                return n.status != NoticeStatus.CLOSED
            if query.status == "overdue":
                return n.status != NoticeStatus.CLOSED and n.deadline < today
            if query.status in ("submitted", "closed"):
                return n.status.value == query.status
            return True

        items = [
            n
            for n in self._live_in_scope(query)
            if (query.person_id is None or n.recipient_id == query.person_id)
            and (query.year is None or n.issued_on.year == query.year)
            and status_ok(n)
        ]
        items.sort(key=lambda n: (n.issued_on, n.id), reverse=True)
        return _page(items, query)

    async def due(self, until: date) -> list[RectificationNotice]:
        return sorted(
            (
                n
                for n in self.t.notices.values()
                if n.deleted is None and n.status != NoticeStatus.CLOSED and n.deadline <= until
            ),
            key=lambda n: (n.deadline, n.id),
        )

    async def add_report(self, report: RectificationReport) -> RectificationReport:
        report = replace(report, id=self._new_id())
        self.t.reports[report.id] = report
        return report

    async def reports(self, notice_id: int) -> list[RectificationReport]:
        return sorted(
            (r for r in self.t.reports.values() if r.notice_id == notice_id), key=lambda r: r.id
        )

    async def decide_report(self, report_id: int, verdict: ReportVerdict) -> bool:
        report = self.t.reports.get(report_id)
        if report is None or report.decision is not None:
            return False
        self.t.reports[report_id] = replace(report, **vars(verdict))
        return True


class FakeAssessments(_Versioned[Assessment]):
    """Assessment results."""

    table = "assessments"

    async def find(self, unit_id: int, person_id: int | None, year: int) -> Assessment | None:
        for a in sorted(self.t.assessments.values(), key=lambda a: a.id):
            if a.deleted is not None or a.year != year:
                continue
            if person_id is not None and a.person_id == person_id:
                return a
            if person_id is None and a.person_id is None and a.unit_id == unit_id:
                return a
        return None

    async def search(self, query: RecordQuery) -> list[Assessment]:
        results = {r.value for r in Grade}
        items = [
            a
            for a in self._live_in_scope(query)
            if (query.person_id is None or a.person_id == query.person_id)
            and (query.year is None or a.year == query.year)
            and (query.status not in results or a.result.value == query.status)
        ]
        items.sort(key=lambda a: (-a.year, a.person_id is not None, -a.id))
        return _page(items, query)

    async def for_person(self, person_id: int) -> list[Assessment]:
        return sorted(
            (
                a
                for a in self.t.assessments.values()
                if a.deleted is None and a.person_id == person_id
            ),
            key=lambda a: (a.year, a.id),
        )


class FakeCases(_Versioned[AccountabilityCase]):
    """Cases and person-in-case rows."""

    table = "cases"

    async def search(self, query: RecordQuery) -> list[AccountabilityCase]:
        involved = {
            p.case_id
            for p in self.t.case_people.values()
            if p.deleted is None and p.person_id == query.person_id
        }
        statuses = {s.value for s in CaseStatus}
        items = [
            c
            for c in self._live_in_scope(query)
            if (query.person_id is None or c.id in involved)
            and (query.year is None or c.opened_on.year == query.year)
            and (query.status not in statuses or c.status.value == query.status)
        ]
        items.sort(key=lambda c: (c.opened_on, c.id), reverse=True)
        return _page(items, query)

    async def add_person(self, person: CasePerson) -> CasePerson:
        person = replace(person, id=self._new_id(), version=1)
        self.t.case_people[person.id] = person
        return person

    async def get_person(self, case_person_id: int) -> CasePerson | None:
        return self.t.case_people.get(case_person_id)

    async def people(self, case_id: int) -> list[CasePerson]:
        return sorted(
            (p for p in self.t.case_people.values() if p.deleted is None and p.case_id == case_id),
            key=lambda p: p.id,
        )

    async def update_person(
        self, case_person_id: int, expected_version: int, changes: dict[str, Any], at: datetime
    ) -> bool:
        return _update(self.t.case_people, case_person_id, expected_version, dict(changes))

    async def delete_person(
        self, case_person_id: int, expected_version: int, tombstone: Tombstone
    ) -> bool:
        return _update(self.t.case_people, case_person_id, expected_version, {"deleted": tombstone})

    async def handlings_of(self, person_id: int) -> list[CasePerson]:
        live_cases = {c.id for c in self.t.cases.values() if c.deleted is None}
        return sorted(
            (
                p
                for p in self.t.case_people.values()
                if p.deleted is None and p.person_id == person_id and p.case_id in live_cases
            ),
            key=lambda p: (p.effective_on, p.id),
        )


class FakeRevisions(_Base):
    """Revision history."""

    async def add(self, revision: Revision) -> None:
        self.t.revisions.append(replace(revision, id=len(self.t.revisions) + 1))

    async def of(self, record_type: str, record_id: int) -> list[Revision]:
        return [
            r for r in self.t.revisions if r.record_type == record_type and r.record_id == record_id
        ]


class FakeRecordStore:
    """``uow.records`` on the fake database."""

    def __init__(self, db: _DB) -> None:
        self._db = db
        self._declared: dict[str, FakeDeclared] = {}
        self.talks = self.kind(TALKS)
        self.notices = FakeNotices(db)
        self.assessments = FakeAssessments(db)
        self.cases = FakeCases(db)
        self.revisions = FakeRevisions(db)

    def kind(self, declaration: Stored[Any]) -> FakeDeclared:
        """The fake repository of a kind declared with ``Stored``."""
        if declaration.table not in self._declared:
            self._declared[declaration.table] = FakeDeclared(self._db, declaration)
        return self._declared[declaration.table]
