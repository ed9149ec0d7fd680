"""Demo discipline records: a few warning talks, rectification notices (open, overdue,
awaiting review, closed), assessment results and accountability cases (bot/demo/cases.py), dated relative to the
moment the demo is loaded so they stay current.

Who to try them as: 1102 徐芳 (inspector, 华龙区), 1202 郑红 (inspector, 清丰县), 1003 张卫东
(inspector, city), 1108 林涛 (principal with an open notice), 1103 孙伟 (principal whose
notice is due today: a reminder is due now), 1105 朱军 (principal whose report came after
the deadline and awaits review: still overdue), 1208 冯雪 (overdue notice), 1210 萧然
(``/eligible`` shows a party warning), 1110 高峰 (``/eligible`` shows a serious warning
stacked on an earlier warning), 1001 王建国 (administrator: deletion).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from bot.demo.cases import seed_cases
from bot.demo.seeder import Seeder
from handlers.core.domain import Grade
from handlers.core.ports import UnitOfWork
from handlers.records.domain import (
    Assessment,
    AssessmentMethod,
    Commendation,
    NoticeStatus,
    RectificationNotice,
    RectificationReport,
    ReportDecision,
    ReportVerdict,
    WarningTalk,
)
from handlers.records.ports import records_of

ALL_METHODS = tuple(AssessmentMethod)


async def seed_records(uow: UnitOfWork, now: datetime) -> None:
    """Add the demo records (called at the end of ``seed_demo``)."""
    s = Seeder(uow, now)
    await _talks(s)
    await _notices(s)
    await _assessments(s)
    await seed_cases(s)


#: The demo talks: the inspector's and the cadre's Telegram ids, held days ago, follow-up
#: days after, and the talk's texts (a follow-up result when it has been followed up).
_TALKS: tuple[tuple[int, int, int, int, dict[str, Any]], ...] = (
    (
        1102,
        1110,
        40,
        60,
        {
            "place": "华龙区纪委谈话室",
            "talker": "徐芳（华龙区纪委副书记）",
            "note_taker": "华龙区纪委干部 李明",
            "reason": "integrity_breach",
            "summary": "指出其接受管理服务对象宴请的问题，要求认真反思、说明情况并退还相关费用。",
            "response": "承认问题，表示深刻反省，已退还费用，今后严格遵守廉洁自律规定。",
        },
    ),
    (
        1202,
        1205,
        200,
        90,
        {
            "place": "清丰县纪委谈话室",
            "talker": "郑红（清丰县纪委副书记）",
            "note_taker": "清丰县纪委干部 王磊",
            "reason": "unit_violation",
            "summary": "六塔乡发生违规公款吃喝问题，指出一把手管理失责，要求限期整改、建章立制。",
            "response": "表示负起第一责任人责任，立即组织整改并报告结果。",
            "follow_up_result": "回访时已退赔全部费用，制定了公务接待管理办法，整改到位。",
        },
    ),
)


async def _talks(s: Seeder) -> None:
    for inspector_tg, cadre_tg, days_ago, follow_up_days, texts in _TALKS:
        inspector, _ = await s.person(inspector_tg)
        cadre, unit = await s.person(cadre_tg)
        day = s.ago(days_ago)
        await s.add(
            WarningTalk(
                id=0,
                person_id=cadre,
                unit_id=unit,
                talk_date=day,
                created_by=inspector,
                created_at=s.at(day),
                follow_up_date=day + timedelta(days=follow_up_days),
                **texts,
            ),
            inspector,
            day,
        )


async def _notice(
    s: Seeder, unit_code: str, head: int, issuer: int, days_ago: int, days: int, problems: str
) -> RectificationNotice:
    recipient, _ = await s.person(head)
    issued = s.ago(days_ago)
    return await s.add(
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
        ),
        issuer,
        issued,
    )


async def _submit(
    s: Seeder, notice: RectificationNotice, head: int, days_ago: int, text: str
) -> RectificationReport:
    """The principal ``head`` (a Telegram id) reports on ``notice`` ``days_ago``: the report,
    the notice awaiting review and the revision saying so."""
    person, _ = await s.person(head)
    day = s.ago(days_ago)
    report = await records_of(s.uow).notices.add_report(
        RectificationReport(0, notice.id, person, s.at(day), text)
    )
    await records_of(s.uow).notices.update(
        notice.id, 1, {"status": NoticeStatus.SUBMITTED}, s.at(day)
    )
    await s.changed(notice, person, day, "report", {"status": ["open", "submitted"]})
    return report


async def _notices(s: Seeder) -> None:
    hl, _ = await s.person(1102)
    qf, _ = await s.person(1202)
    city, _ = await s.person(1003)
    notices = records_of(s.uow).notices
    await _notice(
        s, "HL-YC", 1108, hl, 20, 45, "党风廉政建设责任分解不到位；班子成员“一岗双责”落实台账缺失。"
    )
    await _notice(
        s, "QF-MZQ", 1208, qf, 50, 30, "年中检查发现农民负担监督卡未发放到户；乡镇站所收费未公示。"
    )
    closed = await _notice(
        s, "HL-ZYL", 1105, hl, 90, 30, "专题民主生活会未按要求召开；领导干部践诺报告未公开。"
    )
    report = await _submit(
        s,
        closed,
        1105,
        65,
        "已于规定期限内补开专题民主生活会，领导干部践诺报告已在街道公开栏公示。",
    )
    verdict = ReportVerdict(ReportDecision.ACCEPTED, hl, s.at(s.ago(60)), "整改到位")
    await notices.decide_report(report.id, verdict)
    await notices.update(
        closed.id, 2, {"status": NoticeStatus.CLOSED, "closed_on": s.ago(60)}, s.at(s.ago(60))
    )
    await s.changed(
        closed,
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
    await _submit(s, late, 1105, 5, "已补开班子会集体研究，完善议事规则和会议记录制度。")
    pending = await _notice(
        s, "PY-JT", 1006, city, 10, 30, "公路“三乱”专项治理中，个别路段仍有违规罚款现象。"
    )
    await _submit(s, pending, 1006, 2, "已撤销违规设置的检查点2处，清退罚款并追究相关人员责任。")


async def _assessments(s: Seeder) -> None:
    year = s.today.year - 1
    day = date(year, 12, 20)
    hl, _ = await s.person(1102)
    qf, _ = await s.person(1202)
    city, _ = await s.person(1003)
    rows: list[tuple[str | int, Grade, Commendation | None, int, str]] = [
        (
            "HL-ZF",
            Grade.EXCELLENT,
            Commendation.ADVANCED_UNIT,
            hl,
            "各项目标任务完成较好。",
        ),
        ("QF-MZQ", Grade.FAILED, None, qf, "农民负担监督工作落实不力。"),
        ("PY-JY", Grade.PASSED, None, city, ""),
        (1106, Grade.EXCELLENT, Commendation.ADVANCED_WORKER, hl, ""),
        (1209, Grade.FAILED, None, qf, "践诺情况群众评议满意率低。"),
    ]
    for subject, result, commendation, author, notes in rows:
        if isinstance(subject, str):
            unit_id, person_id = await s.unit(subject), None
        else:
            person_id, unit_id = await s.person(subject)
        await s.add(
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
            ),
            author,
            day,
        )
