"""Demo discipline records: a few warning talks, rectification notices (open, overdue,
awaiting review, closed), assessment results and accountability cases, dated relative to
the moment the demo is loaded so they stay current.

Who to try them as: 1102 徐芳 (inspector, 华龙区), 1202 郑红 (inspector, 清丰县), 1003 张卫东
(inspector, city), 1108 林涛 (principal with an open notice), 1103 孙伟 (principal whose
notice is due today: a reminder is due now), 1105 朱军 (principal whose report came after
the deadline and awaits review: still overdue), 1208 冯雪 (overdue notice), 1210 萧然
(``/eligible`` shows a party warning), 1110 高峰 (``/eligible`` shows a serious warning
stacked on an earlier warning), 1001 王建国 (administrator: deletion).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from handlers.core.ports import UnitOfWork
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
    RecordType,
    RectificationNotice,
    RectificationReport,
    ReportDecision,
    Revision,
    WarningTalk,
)

TIMEZONE = ZoneInfo("Asia/Shanghai")
ALL_METHODS = tuple(AssessmentMethod)


class _Seeder:
    """Looks up demo people and units and writes records with a "create" revision."""

    def __init__(self, uow: UnitOfWork, now: datetime) -> None:
        self.uow = uow
        self.now = now
        self.today = now.astimezone(TIMEZONE).date()

    def ago(self, days: int) -> date:
        """The local date ``days`` before today."""
        return self.today - timedelta(days=days)

    def at(self, day: date) -> datetime:
        """Ten in the morning of ``day`` (never later than now)."""
        moment = datetime(day.year, day.month, day.day, 10, tzinfo=TIMEZONE)
        return min(moment, self.now)

    async def person(self, telegram_id: int) -> tuple[int, int]:
        """(person id, unit id) of a demo person."""
        person = await self.uow.people.by_telegram_id(telegram_id)
        assert person is not None, telegram_id
        return person.id, person.unit_id

    async def unit(self, code: str) -> int:
        """The id of a demo unit."""
        unit = await self.uow.units.by_code(code)
        assert unit is not None, code
        return unit.id

    async def created(self, record_type: RecordType, record_id: int, actor: int, day: date) -> None:
        """Add the "create" revision of a demo record."""
        await self.changed(record_type, record_id, actor, day, "create", {})

    async def changed(
        self,
        record_type: RecordType,
        record_id: int,
        actor: int,
        day: date,
        action: str,
        changes: dict[str, list[str | None]],
    ) -> None:
        """Add a revision of a demo record."""
        await self.uow.records.revisions.add(
            Revision(record_type, record_id, self.at(day), actor, action, dict(changes))
        )


async def seed_records(uow: UnitOfWork, now: datetime) -> None:
    """Add the demo records (called at the end of ``seed_demo``)."""
    s = _Seeder(uow, now)
    await _talks(s)
    await _notices(s)
    await _assessments(s)
    await _cases(s)


async def _talks(s: _Seeder) -> None:
    hl_inspector, _ = await s.person(1102)
    qf_inspector, _ = await s.person(1202)
    gao, gao_unit = await s.person(1110)
    xie, xie_unit = await s.person(1205)
    day = s.ago(40)
    talk = await s.uow.records.talks.add(
        WarningTalk(
            id=0,
            person_id=gao,
            unit_id=gao_unit,
            talk_date=day,
            place="华龙区纪委谈话室",
            talker="徐芳（华龙区纪委副书记）",
            note_taker="华龙区纪委干部 李明",
            reason="integrity_breach",
            summary="指出其接受管理服务对象宴请的问题，要求认真反思、说明情况并退还相关费用。",
            response="承认问题，表示深刻反省，已退还费用，今后严格遵守廉洁自律规定。",
            created_by=hl_inspector,
            created_at=s.at(day),
            follow_up_date=day + timedelta(days=60),
        )
    )
    await s.created(RecordType.TALK, talk.id, hl_inspector, day)
    day = s.ago(200)
    talk = await s.uow.records.talks.add(
        WarningTalk(
            id=0,
            person_id=xie,
            unit_id=xie_unit,
            talk_date=day,
            place="清丰县纪委谈话室",
            talker="郑红（清丰县纪委副书记）",
            note_taker="清丰县纪委干部 王磊",
            reason="unit_violation",
            summary="六塔乡发生违规公款吃喝问题，指出一把手管理失责，要求限期整改、建章立制。",
            response="表示负起第一责任人责任，立即组织整改并报告结果。",
            created_by=qf_inspector,
            created_at=s.at(day),
            follow_up_date=day + timedelta(days=90),
            follow_up_result="回访时已退赔全部费用，制定了公务接待管理办法，整改到位。",
        )
    )
    await s.created(RecordType.TALK, talk.id, qf_inspector, day)


async def _notice(
    s: _Seeder, unit_code: str, head: int, issuer: int, days_ago: int, days: int, problems: str
) -> RectificationNotice:
    recipient, _ = await s.person(head)
    issued = s.ago(days_ago)
    notice = await s.uow.records.notices.add(
        RectificationNotice(
            id=0,
            unit_id=await s.unit(unit_code),
            recipient_id=recipient,
            issued_on=issued,
            deadline=issued + timedelta(days=days),
            problems=problems,
            status=NoticeStatus.OPEN,
            issued_by=issuer,
            created_at=s.at(issued),
        )
    )
    await s.created(RecordType.NOTICE, notice.id, issuer, issued)
    return notice


async def _notices(s: _Seeder) -> None:
    hl, _ = await s.person(1102)
    qf, _ = await s.person(1202)
    city, _ = await s.person(1003)
    notices = s.uow.records.notices
    await _notice(
        s, "HL-YC", 1108, hl, 20, 45, "党风廉政建设责任分解不到位；班子成员“一岗双责”落实台账缺失。"
    )
    await _notice(
        s, "QF-MZQ", 1208, qf, 50, 30, "年中检查发现农民负担监督卡未发放到户；乡镇站所收费未公示。"
    )
    closed = await _notice(
        s, "HL-ZYL", 1105, hl, 90, 30, "专题民主生活会未按要求召开；领导干部践诺报告未公开。"
    )
    head, _ = await s.person(1105)
    report = await notices.add_report(
        RectificationReport(
            0,
            closed.id,
            head,
            s.at(s.ago(65)),
            "已于规定期限内补开专题民主生活会，领导干部践诺报告已在街道公开栏公示。",
        )
    )
    await notices.update(closed.id, 1, {"status": NoticeStatus.SUBMITTED}, s.at(s.ago(65)))
    await s.changed(
        RecordType.NOTICE, closed.id, head, s.ago(65), "report", {"status": ["open", "submitted"]}
    )
    await notices.decide_report(report.id, ReportDecision.ACCEPTED, hl, s.at(s.ago(60)), "整改到位")
    await notices.update(
        closed.id, 2, {"status": NoticeStatus.CLOSED, "closed_on": s.ago(60)}, s.at(s.ago(60))
    )
    await s.changed(
        RecordType.NOTICE,
        closed.id,
        hl,
        s.ago(60),
        "accept",
        {"status": ["submitted", "closed"], "closed_on": [None, s.ago(60).isoformat()]},
    )
    # Due today: the principal's "deadline today" reminder is due as soon as the demo runs.
    await _notice(
        s, "HL-ZF", 1103, hl, 30, 30, "公务接待超标准、超范围问题；接待清单与审批单不一致。"
    )
    # Reported after its deadline and not yet reviewed: overdue until accepted.
    late = await _notice(
        s, "HL-ZYL", 1105, hl, 40, 20, "“三重一大”事项未经集体研究决定；会议记录不完整。"
    )
    head, _ = await s.person(1105)
    await notices.add_report(
        RectificationReport(
            0, late.id, head, s.at(s.ago(5)), "已补开班子会集体研究，完善议事规则和会议记录制度。"
        )
    )
    await notices.update(late.id, 1, {"status": NoticeStatus.SUBMITTED}, s.at(s.ago(5)))
    await s.changed(
        RecordType.NOTICE, late.id, head, s.ago(5), "report", {"status": ["open", "submitted"]}
    )
    pending = await _notice(
        s, "PY-JT", 1006, city, 10, 30, "公路“三乱”专项治理中，个别路段仍有违规罚款现象。"
    )
    head, _ = await s.person(1006)
    await notices.add_report(
        RectificationReport(
            0,
            pending.id,
            head,
            s.at(s.ago(2)),
            "已撤销违规设置的检查点2处，清退罚款并追究相关人员责任。",
        )
    )
    await notices.update(pending.id, 1, {"status": NoticeStatus.SUBMITTED}, s.at(s.ago(2)))
    await s.changed(
        RecordType.NOTICE, pending.id, head, s.ago(2), "report", {"status": ["open", "submitted"]}
    )


async def _assessments(s: _Seeder) -> None:
    year = s.today.year - 1
    day = date(year, 12, 20)
    hl, _ = await s.person(1102)
    qf, _ = await s.person(1202)
    city, _ = await s.person(1003)
    rows: list[tuple[str | int, AssessmentResult, Commendation | None, int, str]] = [
        (
            "HL-ZF",
            AssessmentResult.EXCELLENT,
            Commendation.ADVANCED_UNIT,
            hl,
            "各项目标任务完成较好。",
        ),
        ("QF-MZQ", AssessmentResult.FAILED, None, qf, "农民负担监督工作落实不力。"),
        ("PY-JY", AssessmentResult.PASSED, None, city, ""),
        (1106, AssessmentResult.EXCELLENT, Commendation.ADVANCED_WORKER, hl, ""),
        (1209, AssessmentResult.FAILED, None, qf, "践诺情况群众评议满意率低。"),
    ]
    for subject, result, commendation, author, notes in rows:
        if isinstance(subject, str):
            unit_id, person_id = await s.unit(subject), None
        else:
            person_id, unit_id = await s.person(subject)
        a = await s.uow.records.assessments.add(
            Assessment(
                id=0,
                unit_id=unit_id,
                person_id=person_id,
                year=year,
                result=result,
                methods=ALL_METHODS,
                commendation=commendation,
                notes=notes,
                assessed_on=day,
                created_by=author,
                created_at=s.at(day),
            )
        )
        await s.created(RecordType.ASSESSMENT, a.id, author, day)


async def _case(
    s: _Seeder,
    unit_code: str,
    title: str,
    circumstance: CaseCircumstance,
    facts: str,
    author: int,
    days_ago: int,
    people: list[tuple[int, HandlingCategory, str, int]],
) -> AccountabilityCase:
    opened = s.ago(days_ago)
    case = await s.uow.records.cases.add(
        AccountabilityCase(
            id=0,
            unit_id=await s.unit(unit_code),
            title=title,
            circumstance=circumstance,
            facts=facts,
            opened_on=opened,
            status=CaseStatus.OPEN,
            created_by=author,
            created_at=s.at(opened),
        )
    )
    await s.created(RecordType.CASE, case.id, author, opened)
    for telegram_id, category, kind, effective_ago in people:
        person_id, unit_id = await s.person(telegram_id)
        effective = s.ago(effective_ago)
        row = await s.uow.records.cases.add_person(
            CasePerson(
                id=0,
                case_id=case.id,
                person_id=person_id,
                unit_id=unit_id,
                category=category,
                kind=kind,
                effective_on=effective,
                note="",
                created_by=author,
                created_at=s.at(effective),
            )
        )
        await s.created(RecordType.CASE_PERSON, row.id, author, effective)
    return case


async def _cases(s: _Seeder) -> None:
    hl, _ = await s.person(1102)
    qf, _ = await s.person(1202)
    city, _ = await s.person(1003)
    org, disc = HandlingCategory.ORGANISATIONAL, HandlingCategory.DISCIPLINE
    closed = await _case(
        s,
        "QF-MZQ",
        "马庄桥镇违规发放津贴补贴问题",
        CaseCircumstance.LAX_SUPERVISION,
        "镇财政所违规向干部发放津贴补贴，镇党委疏于监督管理。",
        qf,
        120,
        [(1210, disc, "party_warning", 100), (1208, org, "warning_talk", 100)],
    )
    await s.uow.records.cases.update(
        closed.id, 1, {"status": CaseStatus.CLOSED, "closed_on": s.ago(90)}, s.at(s.ago(90))
    )
    await s.changed(
        RecordType.CASE,
        closed.id,
        qf,
        s.ago(90),
        "close",
        {"status": ["open", "closed"], "closed_on": [None, s.ago(90).isoformat()]},
    )
    await _case(
        s,
        "HL-ZYL",
        "中原路街道违规收费问题",
        CaseCircumstance.WEAK_LEADERSHIP,
        "街道下属单位在办理证照时违规收取费用，班子对明令禁止的行为制止不力。",
        hl,
        30,
        [(1106, org, "circulated_criticism", 10)],
    )
    # A party warning, then a serious warning inside its period: the periods stack
    # (条例 第二十一条), which /eligible shows for 1110 高峰.
    await _case(
        s,
        "HL-YC",
        "岳村镇违规接受宴请问题",
        CaseCircumstance.LAX_SUPERVISION,
        "副镇长在项目验收期间接受施工单位宴请，镇党委监督不力。",
        hl,
        220,
        [(1110, disc, "party_warning", 200)],
    )
    await _case(
        s,
        "HL-YC",
        "岳村镇违规收受礼金问题",
        CaseCircumstance.LAX_SUPERVISION,
        "同一副镇长在处分期内收受管理服务对象礼金。",
        hl,
        50,
        [(1110, disc, "party_serious_warning", 40)],
    )
    await _case(
        s,
        "PY-NY",
        "市农业农村局统计数据弄虚作假问题",
        CaseCircumstance.FALSE_DATA,
        "上报的农民负担统计数据与实际不符，分管领导放任不管。",
        city,
        25,
        [(1009, disc, "govt_demerit", 15)],
    )
