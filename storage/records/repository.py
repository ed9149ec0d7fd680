"""SQLAlchemy implementations of the records ports (handlers/records/ports.py). They never commit."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, and_, select, true, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from handlers.core.errors import Conflict
from handlers.records.domain import (
    AccountabilityCase,
    Assessment,
    AssessmentMethod,
    AssessmentResult,
    CaseCircumstance,
    CasePerson,
    CaseStatus,
    Commendation,
    HandlingCategory,
    NoticeStatus,
    RecordQuery,
    RecordType,
    RectificationNotice,
    RectificationReport,
    ReportDecision,
    Revision,
    Tombstone,
    WarningTalk,
    handling_track,
)
from storage.core.models import UnitRow
from storage.core.sql import in_subtrees
from storage.records.models import (
    AccountabilityCaseRow,
    AssessmentRow,
    CasePersonRow,
    RecordRevisionRow,
    RectificationNoticeRow,
    RectificationReportRow,
    WarningTalkRow,
)

Row = TypeVar(
    "Row",
    WarningTalkRow,
    RectificationNoticeRow,
    AssessmentRow,
    AccountabilityCaseRow,
    CasePersonRow,
)


def _plain(value: Any) -> Any:
    """Domain values to column values: enums to their value, tuples to lists (JSON)."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def _tombstone(row: Any) -> Tombstone | None:
    if row.deleted_at is None:
        return None
    return Tombstone(row.deleted_at, row.deleted_by, row.delete_reason or "")


def _year_range(column: InstrumentedAttribute[date], year: int) -> ColumnElement[bool]:
    # A range instead of EXTRACT(YEAR ...), which SQLite lacks; it can also use the index.
    return and_(column >= date(year, 1, 1), column <= date(year, 12, 31))


def _scoped(stmt: Select[Row], model: type[Row], query: RecordQuery) -> Select[Row]:
    """Apply the live-only, unit-subtree and person filters common to every record list."""
    stmt = stmt.where(model.deleted_at.is_(None))
    if query.unit_paths is not None:
        stmt = stmt.join(UnitRow, UnitRow.id == model.unit_id).where(
            in_subtrees(UnitRow.path, query.unit_paths)
        )
    return stmt.limit(query.limit).offset(query.offset)


class _Versioned:
    """Conditional update and soft delete shared by the record repositories."""

    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def _update(
        self, model: Any, record_id: int, expected_version: int, values: dict[str, Any]
    ) -> bool:
        result = await self.s.execute(
            update(model)
            .where(
                model.id == record_id,
                model.version == expected_version,
                model.deleted_at.is_(None),
            )
            .values(**values, version=expected_version + 1)
        )
        # The default synchronize_session ("auto") also updates a row this session already
        # loaded, so a later get() in the same request sees the new values.
        return getattr(result, "rowcount", 0) == 1

    async def _change(
        self,
        model: Any,
        record_id: int,
        expected_version: int,
        changes: dict[str, Any],
        at: datetime,
    ) -> bool:
        values = {k: _plain(v) for k, v in changes.items()}
        return await self._update(model, record_id, expected_version, {**values, "updated_at": at})

    async def _delete(
        self, model: Any, record_id: int, expected_version: int, tombstone: Tombstone
    ) -> bool:
        values = {
            "deleted_at": tombstone.at,
            "deleted_by": tombstone.by,
            "delete_reason": tombstone.reason,
            "updated_at": tombstone.at,
        }
        return await self._update(model, record_id, expected_version, values)

    async def _add(self, row: Any) -> Any:
        self.s.add(row)
        try:
            await self.s.flush()
        except IntegrityError as exc:
            # A unique index caught a duplicate another request wrote meanwhile.
            raise Conflict(str(exc.orig)) from None
        return row


# -- warning talks -------------------------------------------------------------------------------
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
        deleted=_tombstone(r),
    )


class SqlTalkRepository(_Versioned):
    """Warning talks in ``warning_talks``."""

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

    async def get(self, talk_id: int) -> WarningTalk | None:
        """The talk, deleted or not."""
        row = await self.s.get(WarningTalkRow, talk_id)
        return _talk(row) if row else None

    async def update(
        self, talk_id: int, expected_version: int, changes: dict[str, Any], at: datetime
    ) -> bool:
        """Conditional update."""
        return await self._change(WarningTalkRow, talk_id, expected_version, changes, at)

    async def delete(self, talk_id: int, expected_version: int, tombstone: Tombstone) -> bool:
        """Soft delete."""
        return await self._delete(WarningTalkRow, talk_id, expected_version, tombstone)

    async def search(self, query: RecordQuery) -> list[WarningTalk]:
        """Live talks, newest talk first."""
        m = WarningTalkRow
        stmt = select(m).order_by(m.talk_date.desc(), m.id.desc())
        if query.person_id is not None:
            stmt = stmt.where(m.person_id == query.person_id)
        if query.year is not None:
            stmt = stmt.where(_year_range(m.talk_date, query.year))
        if query.status == "open":
            stmt = stmt.where(m.follow_up_result.is_(None))
        elif query.status == "closed":
            stmt = stmt.where(m.follow_up_result.is_not(None))
        return [_talk(r) for r in await self.s.scalars(_scoped(stmt, m, query))]

    async def for_person(self, person_id: int) -> list[WarningTalk]:
        """Every live talk with a person."""
        stmt = (
            select(WarningTalkRow)
            .where(WarningTalkRow.person_id == person_id, WarningTalkRow.deleted_at.is_(None))
            .order_by(WarningTalkRow.talk_date, WarningTalkRow.id)
        )
        return [_talk(r) for r in await self.s.scalars(stmt)]


# -- rectification notices -----------------------------------------------------------------------
def _notice(r: RectificationNoticeRow) -> RectificationNotice:
    return RectificationNotice(
        id=r.id,
        unit_id=r.unit_id,
        recipient_id=r.recipient_id,
        issued_on=r.issued_on,
        deadline=r.deadline,
        problems=r.problems,
        status=NoticeStatus(r.status),
        issued_by=r.created_by,
        created_at=r.created_at,
        closed_on=r.closed_on,
        version=r.version,
        deleted=_tombstone(r),
    )


def _report(r: RectificationReportRow) -> RectificationReport:
    return RectificationReport(
        id=r.id,
        notice_id=r.notice_id,
        submitted_by=r.submitted_by,
        submitted_at=r.submitted_at,
        text=r.text,
        decision=ReportDecision(r.decision) if r.decision else None,
        decided_by=r.decided_by,
        decided_at=r.decided_at,
        decision_note=r.decision_note,
    )


class SqlNoticeRepository(_Versioned):
    """Notices in ``rectification_notices``, reports in ``rectification_reports``."""

    async def add(self, notice: RectificationNotice) -> RectificationNotice:
        """Insert a notice."""
        row = RectificationNoticeRow(
            unit_id=notice.unit_id,
            recipient_id=notice.recipient_id,
            issued_on=notice.issued_on,
            deadline=notice.deadline,
            problems=notice.problems,
            status=notice.status.value,
            closed_on=notice.closed_on,
            created_by=notice.issued_by,
            created_at=notice.created_at,
            updated_at=notice.created_at,
            version=1,
        )
        return _notice(await self._add(row))

    async def get(self, notice_id: int) -> RectificationNotice | None:
        """The notice, deleted or not."""
        row = await self.s.get(RectificationNoticeRow, notice_id)
        return _notice(row) if row else None

    async def update(
        self, notice_id: int, expected_version: int, changes: dict[str, Any], at: datetime
    ) -> bool:
        """Conditional update."""
        return await self._change(RectificationNoticeRow, notice_id, expected_version, changes, at)

    async def delete(self, notice_id: int, expected_version: int, tombstone: Tombstone) -> bool:
        """Soft delete."""
        return await self._delete(RectificationNoticeRow, notice_id, expected_version, tombstone)

    async def search(self, query: RecordQuery) -> list[RectificationNotice]:
        """Live notices, newest first."""
        m = RectificationNoticeRow
        stmt = select(m).order_by(m.issued_on.desc(), m.id.desc())
        if query.person_id is not None:
            stmt = stmt.where(m.recipient_id == query.person_id)
        if query.year is not None:
            stmt = stmt.where(_year_range(m.issued_on, query.year))
        stmt = stmt.where(_notice_status(query))
        return [_notice(r) for r in await self.s.scalars(_scoped(stmt, m, query))]

    async def due(self, until: date) -> list[RectificationNotice]:
        """Live, not closed, deadline on or before ``until``."""
        m = RectificationNoticeRow
        stmt = (
            select(m)
            .where(
                m.deleted_at.is_(None),
                m.status != NoticeStatus.CLOSED.value,
                m.deadline <= until,
            )
            .order_by(m.deadline, m.id)
        )
        return [_notice(r) for r in await self.s.scalars(stmt)]

    async def add_report(self, report: RectificationReport) -> RectificationReport:
        """Insert a report."""
        row = RectificationReportRow(
            notice_id=report.notice_id,
            submitted_by=report.submitted_by,
            submitted_at=report.submitted_at,
            text=report.text,
        )
        return _report(await self._add(row))

    async def reports(self, notice_id: int) -> list[RectificationReport]:
        """Reports on a notice, oldest first."""
        stmt = (
            select(RectificationReportRow)
            .where(RectificationReportRow.notice_id == notice_id)
            .order_by(RectificationReportRow.id)
        )
        return [_report(r) for r in await self.s.scalars(stmt)]

    async def decide_report(
        self,
        report_id: int,
        decision: ReportDecision,
        by: int,
        at: datetime,
        note: str | None,
    ) -> bool:
        """Decide a report once (a conditional update, so two inspectors cannot both decide)."""
        m = RectificationReportRow
        result = await self.s.execute(
            update(m)
            .where(m.id == report_id, m.decision.is_(None))
            .values(decision=decision.value, decided_by=by, decided_at=at, decision_note=note)
        )
        return getattr(result, "rowcount", 0) == 1


def _notice_status(query: RecordQuery) -> ColumnElement[bool]:
    m = RectificationNoticeRow
    today = query.today or date.min
    if query.status == "open":
        return m.status != NoticeStatus.CLOSED.value
    if query.status == "overdue":
        # Past the deadline and not accepted, whether or not a report awaits review.
        return and_(m.status != NoticeStatus.CLOSED.value, m.deadline < today)
    if query.status in (NoticeStatus.SUBMITTED.value, NoticeStatus.CLOSED.value):
        return m.status == query.status
    return true()


# -- assessments ---------------------------------------------------------------------------------
def _assessment(r: AssessmentRow) -> Assessment:
    return Assessment(
        id=r.id,
        unit_id=r.unit_id,
        person_id=r.person_id,
        year=r.year,
        result=AssessmentResult(r.result),
        methods=tuple(AssessmentMethod(m) for m in r.methods or []),
        commendation=Commendation(r.commendation) if r.commendation else None,
        notes=r.notes,
        assessed_on=r.assessed_on,
        created_by=r.created_by,
        created_at=r.created_at,
        version=r.version,
        deleted=_tombstone(r),
        rated_despite_bar=bool(r.rated_despite_bar),
    )


class SqlAssessmentRepository(_Versioned):
    """Assessment results in ``assessments``."""

    async def add(self, assessment: Assessment) -> Assessment:
        """Insert a result."""
        row = AssessmentRow(
            unit_id=assessment.unit_id,
            person_id=assessment.person_id,
            year=assessment.year,
            result=assessment.result.value,
            methods=_plain(assessment.methods),
            commendation=_plain(assessment.commendation),
            notes=assessment.notes,
            assessed_on=assessment.assessed_on,
            rated_despite_bar=assessment.rated_despite_bar,
            created_by=assessment.created_by,
            created_at=assessment.created_at,
            updated_at=assessment.created_at,
            version=1,
        )
        return _assessment(await self._add(row))

    async def get(self, assessment_id: int) -> Assessment | None:
        """The result, deleted or not."""
        row = await self.s.get(AssessmentRow, assessment_id)
        return _assessment(row) if row else None

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

    async def update(
        self, assessment_id: int, expected_version: int, changes: dict[str, Any], at: datetime
    ) -> bool:
        """Conditional update."""
        return await self._change(AssessmentRow, assessment_id, expected_version, changes, at)

    async def delete(self, assessment_id: int, expected_version: int, tombstone: Tombstone) -> bool:
        """Soft delete."""
        return await self._delete(AssessmentRow, assessment_id, expected_version, tombstone)

    async def search(self, query: RecordQuery) -> list[Assessment]:
        """Live results, latest year first, unit results before people's."""
        m = AssessmentRow
        stmt = select(m).order_by(m.year.desc(), m.person_id.is_not(None), m.id.desc())
        if query.person_id is not None:
            stmt = stmt.where(m.person_id == query.person_id)
        if query.year is not None:
            stmt = stmt.where(m.year == query.year)
        if query.status in {r.value for r in AssessmentResult}:
            stmt = stmt.where(m.result == query.status)
        return [_assessment(r) for r in await self.s.scalars(_scoped(stmt, m, query))]

    async def for_person(self, person_id: int) -> list[Assessment]:
        """Every live result about a person."""
        stmt = (
            select(AssessmentRow)
            .where(AssessmentRow.person_id == person_id, AssessmentRow.deleted_at.is_(None))
            .order_by(AssessmentRow.year, AssessmentRow.id)
        )
        return [_assessment(r) for r in await self.s.scalars(stmt)]


# -- accountability cases ------------------------------------------------------------------------
def _case(r: AccountabilityCaseRow) -> AccountabilityCase:
    return AccountabilityCase(
        id=r.id,
        unit_id=r.unit_id,
        title=r.title,
        circumstance=CaseCircumstance(r.circumstance),
        facts=r.facts,
        opened_on=r.opened_on,
        status=CaseStatus(r.status),
        created_by=r.created_by,
        created_at=r.created_at,
        closed_on=r.closed_on,
        version=r.version,
        deleted=_tombstone(r),
    )


def _case_person(r: CasePersonRow) -> CasePerson:
    return CasePerson(
        id=r.id,
        case_id=r.case_id,
        person_id=r.person_id,
        unit_id=r.unit_id,
        category=HandlingCategory(r.category),
        kind=r.kind,
        effective_on=r.effective_on,
        note=r.note,
        created_by=r.created_by,
        created_at=r.created_at,
        version=r.version,
        deleted=_tombstone(r),
        revoked_on=r.revoked_on,
        revoke_reason=r.revoke_reason or "",
    )


class SqlCaseRepository(_Versioned):
    """Cases in ``accountability_cases``, people in ``accountability_people``."""

    async def add(self, case: AccountabilityCase) -> AccountabilityCase:
        """Insert a case."""
        row = AccountabilityCaseRow(
            unit_id=case.unit_id,
            title=case.title,
            circumstance=case.circumstance.value,
            facts=case.facts,
            opened_on=case.opened_on,
            status=case.status.value,
            closed_on=case.closed_on,
            created_by=case.created_by,
            created_at=case.created_at,
            updated_at=case.created_at,
            version=1,
        )
        return _case(await self._add(row))

    async def get(self, case_id: int) -> AccountabilityCase | None:
        """The case, deleted or not."""
        row = await self.s.get(AccountabilityCaseRow, case_id)
        return _case(row) if row else None

    async def update(
        self, case_id: int, expected_version: int, changes: dict[str, Any], at: datetime
    ) -> bool:
        """Conditional update."""
        return await self._change(AccountabilityCaseRow, case_id, expected_version, changes, at)

    async def delete(self, case_id: int, expected_version: int, tombstone: Tombstone) -> bool:
        """Soft delete."""
        return await self._delete(AccountabilityCaseRow, case_id, expected_version, tombstone)

    async def search(self, query: RecordQuery) -> list[AccountabilityCase]:
        """Live cases, newest first."""
        m = AccountabilityCaseRow
        stmt = select(m).order_by(m.opened_on.desc(), m.id.desc())
        if query.person_id is not None:
            involved = select(CasePersonRow.case_id).where(
                CasePersonRow.person_id == query.person_id, CasePersonRow.deleted_at.is_(None)
            )
            stmt = stmt.where(m.id.in_(involved))
        if query.year is not None:
            stmt = stmt.where(_year_range(m.opened_on, query.year))
        if query.status in (CaseStatus.OPEN.value, CaseStatus.CLOSED.value):
            stmt = stmt.where(m.status == query.status)
        return [_case(r) for r in await self.s.scalars(_scoped(stmt, m, query))]

    async def add_person(self, person: CasePerson) -> CasePerson:
        """Insert a person-in-case row."""
        row = CasePersonRow(
            case_id=person.case_id,
            person_id=person.person_id,
            unit_id=person.unit_id,
            category=person.category.value,
            kind=person.kind,
            track=person.track,
            effective_on=person.effective_on,
            note=person.note,
            created_by=person.created_by,
            created_at=person.created_at,
            updated_at=person.created_at,
            version=1,
        )
        return _case_person(await self._add(row))

    async def get_person(self, case_person_id: int) -> CasePerson | None:
        """One person-in-case row, deleted or not."""
        row = await self.s.get(CasePersonRow, case_person_id)
        return _case_person(row) if row else None

    async def people(self, case_id: int) -> list[CasePerson]:
        """Live person-in-case rows of a case."""
        stmt = (
            select(CasePersonRow)
            .where(CasePersonRow.case_id == case_id, CasePersonRow.deleted_at.is_(None))
            .order_by(CasePersonRow.id)
        )
        return [_case_person(r) for r in await self.s.scalars(stmt)]

    async def update_person(
        self, case_person_id: int, expected_version: int, changes: dict[str, Any], at: datetime
    ) -> bool:
        """Conditional update of a person-in-case row (its track follows category and kind)."""
        if "kind" in changes or "category" in changes:
            row = await self.s.get(CasePersonRow, case_person_id)
            if row is not None:
                category = changes.get("category", row.category)
                kind = str(changes.get("kind", row.kind))
                changes = {**changes, "track": handling_track(category, kind)}
        return await self._change(CasePersonRow, case_person_id, expected_version, changes, at)

    async def delete_person(
        self, case_person_id: int, expected_version: int, tombstone: Tombstone
    ) -> bool:
        """Soft delete of a person-in-case row."""
        return await self._delete(CasePersonRow, case_person_id, expected_version, tombstone)

    async def handlings_of(self, person_id: int) -> list[CasePerson]:
        """Live handlings of a person in live cases."""
        stmt = (
            select(CasePersonRow)
            .join(AccountabilityCaseRow, AccountabilityCaseRow.id == CasePersonRow.case_id)
            .where(
                CasePersonRow.person_id == person_id,
                CasePersonRow.deleted_at.is_(None),
                AccountabilityCaseRow.deleted_at.is_(None),
            )
            .order_by(CasePersonRow.effective_on, CasePersonRow.id)
        )
        return [_case_person(r) for r in await self.s.scalars(stmt)]


# -- revisions -----------------------------------------------------------------------------------
class SqlRevisionLog:
    """Append-only ``record_revisions``."""

    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def add(self, revision: Revision) -> None:
        """Insert one revision."""
        self.s.add(
            RecordRevisionRow(
                record_type=revision.record_type.value,
                record_id=revision.record_id,
                at=revision.at,
                actor_id=revision.actor_id,
                action=revision.action,
                changes=dict(revision.changes),
            )
        )
        await self.s.flush()

    async def of(self, record_type: RecordType, record_id: int) -> list[Revision]:
        """A record's revisions, oldest first."""
        stmt = (
            select(RecordRevisionRow)
            .where(
                RecordRevisionRow.record_type == record_type.value,
                RecordRevisionRow.record_id == record_id,
            )
            .order_by(RecordRevisionRow.id)
        )
        return [
            Revision(
                record_type=RecordType(r.record_type),
                record_id=r.record_id,
                at=r.at,
                actor_id=r.actor_id,
                action=r.action,
                changes=dict(r.changes or {}),
                id=r.id,
            )
            for r in await self.s.scalars(stmt)
        ]


class SqlRecordStore:
    """``uow.records``: the records repositories sharing one session."""

    def __init__(self, session: AsyncSession) -> None:
        self.talks = SqlTalkRepository(session)
        self.notices = SqlNoticeRepository(session)
        self.assessments = SqlAssessmentRepository(session)
        self.cases = SqlCaseRepository(session)
        self.revisions = SqlRevisionLog(session)


__all__ = ["SqlRecordStore"]
