"""Rectification notices in ``rectification_notices`` and the reports on them in
``rectification_reports``."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, and_, select, true, update

from handlers.records.domain import (
    NoticeStatus,
    RecordQuery,
    RectificationNotice,
    RectificationReport,
    ReportDecision,
    ReportVerdict,
)
from storage.core.sql import built, rowcount
from storage.records.models import RectificationNoticeRow, RectificationReportRow
from storage.records.versioned import VersionedRepository, dated_search, new_row, record_of, scoped

#: The fields of a notice kept in the columns of the same names.
_FIELDS = (
    "unit_id",
    "recipient_id",
    "issued_on",
    "deadline",
    "problems",
    "closed_on",
    "created_at",
)


def _notice(r: RectificationNoticeRow) -> RectificationNotice:
    return record_of(
        RectificationNotice, r, _FIELDS, status=NoticeStatus(r.status), issued_by=r.created_by
    )


#: The columns a report keeps as they are (its decision is converted).
_REPORT = "id notice_id submitted_by submitted_at text decided_by decided_at decision_note"


def _report(r: RectificationReportRow) -> RectificationReport:
    decision = ReportDecision(r.decision) if r.decision else None
    return built(RectificationReport, r, _REPORT, decision=decision)


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


class SqlNoticeRepository(VersionedRepository[RectificationNotice]):
    """Notices in ``rectification_notices``, reports in ``rectification_reports``."""

    model = RectificationNoticeRow

    def _record(self, row: RectificationNoticeRow) -> RectificationNotice:
        return _notice(row)

    async def add(self, notice: RectificationNotice) -> RectificationNotice:
        """Insert a notice."""
        row = new_row(
            RectificationNoticeRow,
            notice,
            _FIELDS,
            status=notice.status.value,
            created_by=notice.issued_by,
        )
        return _notice(await self._add(row))

    async def search(self, query: RecordQuery) -> list[RectificationNotice]:
        """Live notices, newest first."""
        m = RectificationNoticeRow
        stmt = dated_search(m, query, m.issued_on, m.recipient_id).where(_notice_status(query))
        return await self._records(scoped(stmt, m, query))

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
        return await self._records(stmt)

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
        r = RectificationReportRow
        return await self._all(select(r).where(r.notice_id == notice_id).order_by(r.id), _report)

    async def decide_report(self, report_id: int, verdict: ReportVerdict) -> bool:
        """Decide a report once (a conditional update, so two inspectors cannot both decide)."""
        m = RectificationReportRow
        result = await self.s.execute(
            update(m)
            .where(m.id == report_id, m.decision.is_(None))
            .values(
                decision=verdict.decision.value,
                decided_by=verdict.decided_by,
                decided_at=verdict.decided_at,
                decision_note=verdict.decision_note,
            )
        )
        return rowcount(result) == 1
