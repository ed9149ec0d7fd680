"""The records repositories on SQLite and PostgreSQL, through the SQL unit of work."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from handlers.core.domain import Grade, NewPerson
from handlers.records.domain import (
    Assessment,
    AssessmentMethod,
    CaseCircumstance,
    Commendation,
    HandlingCategory,
    NoticeStatus,
    RecordQuery,
    RecordType,
    RectificationNotice,
    RectificationReport,
    ReportDecision,
    ReportVerdict,
    Revision,
    Tombstone,
    WarningTalk,
)
from handlers.records.notice_deadlines import DuePhase, notices_due
from tests.storage.support import case_handling, open_case, unit_tree

pytestmark = pytest.mark.storage
T0 = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)


async def _org(uow):  # type: ignore[no-untyped-def]
    city, a, b, a1 = await unit_tree(uow)
    inspector = await uow.people.add(NewPerson("检查员", a.id))
    p1 = await uow.people.add(NewPerson("张三", a1.id))
    p2 = await uow.people.add(NewPerson("李四", b.id))
    return city, a, b, a1, inspector, p1, p2


def _talk(person, unit, author, day: date, **kw) -> WarningTalk:  # type: ignore[no-untyped-def]
    texts = ("谈话室", "甲", "乙", "integrity_breach", "内容", "表态")
    talk = WarningTalk(0, person.id, unit.id, day, *texts, author.id, T0)
    return replace(talk, **kw)


async def test_talks_roundtrip_versioned_update_scope_and_tombstone(sql_uow) -> None:  # type: ignore[no-untyped-def]
    async with sql_uow() as uow:
        city, a, b, a1, insp, p1, p2 = await _org(uow)
        t1 = await uow.records.talks.add(_talk(p1, a1, insp, date(2026, 3, 1)))
        t2 = await uow.records.talks.add(
            _talk(
                p2,
                b,
                insp,
                date(2025, 6, 1),
                follow_up_result="好",
                follow_up_date=date(2025, 9, 1),
            )
        )
        await uow.commit()
    async with sql_uow() as uow:
        got = await uow.records.talks.get(t1.id)
        assert got == t1 and got.version == 1 and got.deleted is None
        assert await uow.records.talks.update(t1.id, 1, {"place": "会议室"}, T0)
        assert not await uow.records.talks.update(t1.id, 1, {"place": "别处"}, T0)  # stale
        assert (await uow.records.talks.get(t1.id)).place == "会议室"  # same session sees it
        await uow.commit()
    async with sql_uow() as uow:
        got = await uow.records.talks.get(t1.id)
        assert (got.place, got.version) == ("会议室", 2)
        q = RecordQuery(unit_paths=(a.path,))
        assert [t.id for t in await uow.records.talks.search(q)] == [t1.id]
        q_all = RecordQuery(unit_paths=(city.path,))
        assert [t.id for t in await uow.records.talks.search(q_all)] == [t1.id, t2.id]
        assert await uow.records.talks.search(RecordQuery(unit_paths=())) == []
        mine = RecordQuery(unit_paths=None, person_id=p2.id)
        assert [t.id for t in await uow.records.talks.search(mine)] == [t2.id]
        # A person within a scope (/talks NAME by staff): both filters hold.
        theirs = RecordQuery(unit_paths=(city.path,), person_id=p2.id)
        assert [t.id for t in await uow.records.talks.search(theirs)] == [t2.id]
        elsewhere = RecordQuery(unit_paths=(a.path,), person_id=p2.id)
        assert [t.id for t in await uow.records.talks.search(elsewhere)] == []
        by_year = RecordQuery(unit_paths=(city.path,), year=2025)
        assert [t.id for t in await uow.records.talks.search(by_year)] == [t2.id]
        open_ = RecordQuery(unit_paths=(city.path,), status="open")
        closed = RecordQuery(unit_paths=(city.path,), status="closed")
        assert [t.id for t in await uow.records.talks.search(open_)] == [t1.id]
        assert [t.id for t in await uow.records.talks.search(closed)] == [t2.id]
        page = RecordQuery(unit_paths=(city.path,), limit=1, offset=1)
        assert [t.id for t in await uow.records.talks.search(page)] == [t2.id]
        tomb = Tombstone(T0 + timedelta(hours=1), insp.id, "重复")
        assert not await uow.records.talks.delete(t1.id, 1, tomb)
        assert await uow.records.talks.delete(t1.id, 2, tomb)
        await uow.commit()
    async with sql_uow() as uow:
        got = await uow.records.talks.get(t1.id)
        assert got.deleted == tomb and got.version == 3
        assert [t.id for t in await uow.records.talks.search(q_all)] == [t2.id]
        assert await uow.records.talks.for_person(p1.id) == []
        assert not await uow.records.talks.update(t1.id, 3, {"place": "x"}, T0)  # deleted


async def test_notices_reports_and_deadlines(sql_uow) -> None:  # type: ignore[no-untyped-def]
    async with sql_uow() as uow:
        city, a, b, a1, insp, p1, p2 = await _org(uow)
        made = []
        for deadline, status in (
            (date(2026, 3, 5), NoticeStatus.OPEN),  # overdue
            (date(2026, 3, 10), NoticeStatus.SUBMITTED),  # due today, awaiting review
            (date(2026, 3, 12), NoticeStatus.OPEN),  # upcoming
            (date(2026, 4, 30), NoticeStatus.OPEN),  # later
            (date(2026, 3, 1), NoticeStatus.CLOSED),  # closed
        ):
            made.append(
                await uow.records.notices.add(
                    RectificationNotice(
                        id=0,
                        unit_id=a1.id,
                        recipient_id=p1.id,
                        issued_on=date(2026, 2, 1),
                        deadline=deadline,
                        problems="问题",
                        status=status,
                        issued_by=insp.id,
                        created_at=T0,
                    )
                )
            )
        report = await uow.records.notices.add_report(
            RectificationReport(0, made[1].id, p1.id, T0, "整改报告")
        )
        await uow.commit()
    async with sql_uow() as uow:
        due = await notices_due(uow, date(2026, 3, 10), within_days=3)
        assert [(d.notice.id, d.phase, d.days_left) for d in due] == [
            (made[0].id, DuePhase.OVERDUE, -5),
            (made[1].id, DuePhase.DUE_TODAY, 0),
            (made[2].id, DuePhase.UPCOMING, 2),
        ]
        q = RecordQuery(unit_paths=(a.path,), status="overdue", today=date(2026, 3, 10))
        assert [n.id for n in await uow.records.notices.search(q)] == [made[0].id]
        q = RecordQuery(unit_paths=(a.path,), status="open", today=date(2026, 3, 10))
        assert {n.id for n in await uow.records.notices.search(q)} == {n.id for n in made[:4]}
        q = RecordQuery(unit_paths=(b.path,))
        assert await uow.records.notices.search(q) == []
        accepted = ReportVerdict(ReportDecision.ACCEPTED, insp.id, T0, "好")
        assert await uow.records.notices.decide_report(report.id, accepted)
        returned = ReportVerdict(ReportDecision.RETURNED, insp.id, T0, None)
        assert not await uow.records.notices.decide_report(report.id, returned)
        await uow.commit()
    async with sql_uow() as uow:
        (got,) = await uow.records.notices.reports(made[1].id)
        assert (got.decision, got.decision_note, got.decided_at) == (
            ReportDecision.ACCEPTED,
            "好",
            T0,
        )


async def test_assessments_one_live_result_per_subject_and_year(sql_uow) -> None:  # type: ignore[no-untyped-def]
    async with sql_uow() as uow:
        city, a, b, a1, insp, p1, p2 = await _org(uow)

        def result(person_id, unit_id, res, year=2025):  # type: ignore[no-untyped-def]
            return Assessment(
                id=0,
                unit_id=unit_id,
                person_id=person_id,
                year=year,
                result=res,
                methods=(AssessmentMethod.SELF_CHECK, AssessmentMethod.DEMOCRATIC_APPRAISAL),
                commendation=Commendation.ADVANCED_UNIT if person_id is None else None,
                notes="",
                assessed_on=date(2025, 12, 20),
                created_by=insp.id,
                created_at=T0,
            )

        unit_result = await uow.records.assessments.add(result(None, a1.id, Grade.EXCELLENT))
        person_result = await uow.records.assessments.add(result(p1.id, a1.id, Grade.FAILED))
        await uow.commit()
    async with sql_uow() as uow:
        repo = uow.records.assessments
        assert await repo.get(unit_result.id) == unit_result
        assert (await repo.find(a1.id, None, 2025)).id == unit_result.id
        assert (await repo.find(a1.id, p1.id, 2025)).id == person_result.id
        assert await repo.find(a1.id, None, 2024) is None
        failed = RecordQuery(unit_paths=(city.path,), status="failed")
        assert [x.id for x in await repo.search(failed)] == [person_result.id]
        assert [x.id for x in await repo.for_person(p1.id)] == [person_result.id]
        changes = {"methods": (AssessmentMethod.HEARING_REPORTS,), "commendation": None}
        assert await repo.update(unit_result.id, 1, changes, T0)
        await uow.commit()
    async with sql_uow() as uow:
        got = await uow.records.assessments.get(unit_result.id)
        assert got.methods == (AssessmentMethod.HEARING_REPORTS,) and got.commendation is None


async def test_cases_people_handlings_and_aggregation(sql_uow) -> None:  # type: ignore[no-untyped-def]
    from storage.core.models import UnitRow
    from storage.records.models import AccountabilityCaseRow, CasePersonRow

    async with sql_uow() as uow:
        city, a, b, a1, insp, p1, p2 = await _org(uow)
        cases = uow.records.cases

        by = (insp.id, T0)

        async def case(unit, title):  # type: ignore[no-untyped-def]
            other = CaseCircumstance.OTHER
            return await cases.add(open_case(unit.id, title, other, "事实", date(2026, 1, 5), by))

        async def handle(c, person, unit, category, kind):  # type: ignore[no-untyped-def]
            on = date(2026, 1, 10)
            return await cases.add_person(
                case_handling(c.id, person.id, unit.id, category, kind, on, by)
            )

        c1 = await case(a1, "甲案")
        c2 = await case(b, "乙案")
        org, disc = HandlingCategory.ORGANISATIONAL, HandlingCategory.DISCIPLINE
        h1 = await handle(c1, p1, a1, disc, "party_warning")
        await handle(c1, insp, a, org, "circulated_criticism")
        await handle(c2, p2, b, disc, "govt_demerit")
        await uow.commit()
    async with sql_uow() as uow:
        cases = uow.records.cases
        assert [p.id for p in await cases.handlings_of(p1.id)] == [h1.id]
        involving = RecordQuery(unit_paths=None, person_id=p1.id)
        assert [c.id for c in await cases.search(involving)] == [c1.id]
        in_a = RecordQuery(unit_paths=(a.path,), year=2026, status="open")
        assert [c.id for c in await cases.search(in_a)] == [c1.id]
        # The summary's query shape: cases and people by category for a unit subtree.
        stmt = (
            select(
                CasePersonRow.category,
                func.count(func.distinct(CasePersonRow.case_id)),
                func.count(CasePersonRow.id),
            )
            .join(AccountabilityCaseRow, AccountabilityCaseRow.id == CasePersonRow.case_id)
            .join(UnitRow, UnitRow.id == CasePersonRow.unit_id)
            .where(
                UnitRow.path.startswith(city.path),
                CasePersonRow.deleted_at.is_(None),
                AccountabilityCaseRow.deleted_at.is_(None),
            )
            .group_by(CasePersonRow.category)
            .order_by(CasePersonRow.category)
        )
        session = uow.session
        rows = (await session.execute(stmt)).all()
        assert [tuple(r) for r in rows] == [("discipline", 2, 2), ("organisational", 1, 1)]
        tomb = Tombstone(T0, insp.id, "撤销")
        assert await cases.delete(c2.id, 1, tomb)
        assert await cases.delete_person(h1.id, 1, tomb)
        await uow.commit()
    async with sql_uow() as uow:
        assert await uow.records.cases.handlings_of(p2.id) == []  # its case is deleted
        assert await uow.records.cases.handlings_of(p1.id) == []  # the row is deleted
        assert [p.person_id for p in await uow.records.cases.people(c1.id)] == [insp.id]
        assert (await uow.records.cases.get_person(h1.id)).deleted == tomb


async def test_revisions_append_and_read_in_order(sql_uow) -> None:  # type: ignore[no-untyped-def]
    async with sql_uow() as uow:
        *_, insp, p1, p2 = await _org(uow)
        log = uow.records.revisions
        await log.add(Revision(RecordType.TALK, 5, T0, insp.id, "create"))
        await log.add(Revision(RecordType.TALK, 5, T0, insp.id, "edit", {"place": ["甲", "乙"]}))
        await log.add(Revision(RecordType.NOTICE, 5, T0, insp.id, "create"))
        await uow.commit()
    async with sql_uow() as uow:
        revs = await uow.records.revisions.of(RecordType.TALK, 5)
        assert [(r.action, r.changes) for r in revs] == [
            ("create", {}),
            ("edit", {"place": ["甲", "乙"]}),
        ]
        assert revs[0].at == T0
        assert not hasattr(uow.records.revisions, "delete")


async def test_failed_request_leaves_no_record(sql_uow) -> None:  # type: ignore[no-untyped-def]
    async with sql_uow() as uow:
        city, a, b, a1, insp, p1, p2 = await _org(uow)
        await uow.commit()
    async with sql_uow() as uow:
        await uow.records.talks.add(_talk(p1, a1, insp, date(2026, 3, 1)))
        await uow.rollback()
    async with sql_uow() as uow:
        assert await uow.records.talks.for_person(p1.id) == []


async def test_unique_live_assessment_per_unit_and_year(sql_uow) -> None:  # type: ignore[no-untyped-def]
    """Two instances racing past the handler's check still cannot store two results."""
    from datetime import UTC, date, datetime

    from bot.demo.organisation import seed_demo
    from handlers.core.domain import Grade
    from handlers.core.errors import Conflict
    from handlers.records.domain import Assessment

    now = datetime(2026, 3, 1, tzinfo=UTC)
    async with sql_uow() as uow:
        await seed_demo(uow, now)
        unit = await uow.units.by_code("QF-LT")
        author = await uow.people.by_telegram_id(1202)
        await uow.commit()

    def result(person_id: int | None) -> Assessment:
        return Assessment(
            0,
            unit.id,
            person_id,
            2031,
            Grade.PASSED,
            (),
            None,
            "",
            date(2031, 12, 1),
            author.id,
            now,
        )

    async with sql_uow() as uow:
        await uow.records.assessments.add(result(None))
        await uow.records.assessments.add(result(author.id))
        await uow.commit()
    for person_id in (None, author.id):
        async with sql_uow() as uow:
            with pytest.raises(Conflict):
                await uow.records.assessments.add(result(person_id))
