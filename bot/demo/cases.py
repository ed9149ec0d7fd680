"""Demo accountability cases: one closed, one with a party warning and then a serious
warning inside its period (the periods stack, which ``/eligible`` shows for 1110 高峰), and
a few open ones, each with the people handled in it."""

from __future__ import annotations

from bot.demo.seeder import Seeder
from handlers.records.domain import (
    AccountabilityCase,
    CaseCircumstance,
    CasePerson,
    CaseStatus,
    HandlingCategory,
)
from handlers.records.ports import records_of

#: A person handled in a demo case: Telegram id, category, kind, effective days ago.
_Handling = tuple[int, HandlingCategory, str, int]


async def _case(
    s: Seeder,
    unit_code: str,
    title: str,
    circumstance: CaseCircumstance,
    facts: str,
    author: int,
    days_ago: int,
    people: list[_Handling],
) -> AccountabilityCase:
    opened = s.ago(days_ago)
    case = await s.add(
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
        ),
        author,
        opened,
    )
    for telegram_id, category, kind, effective_ago in people:
        person_id, unit_id = await s.person(telegram_id)
        effective = s.ago(effective_ago)
        await s.add(
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
            ),
            author,
            effective,
        )
    return case


_ORG, _DISC = HandlingCategory.ORGANISATIONAL, HandlingCategory.DISCIPLINE

#: The demo cases: unit, title, circumstance, facts, the author's Telegram id, opened days
#: ago, and the people handled (Telegram id, category, kind, effective days ago). The first
#: is closed.
_CASES: tuple[tuple[str, str, CaseCircumstance, str, int, int, list[_Handling]], ...] = (
    (
        "QF-MZQ",
        "马庄桥镇违规发放津贴补贴问题",
        CaseCircumstance.MAIN_AND_SUPERVISORY_DUTY,
        "镇财政所违规向干部发放津贴补贴，镇党委疏于监督管理。",
        1202,
        120,
        [(1210, _DISC, "party_warning", 100), (1208, _ORG, "warning_talk", 100)],
    ),
    (
        "HL-ZYL",
        "中原路街道违规收费问题",
        CaseCircumstance.PEOPLES_INTERESTS,
        "街道下属单位在办理证照时违规收取费用，班子对明令禁止的行为制止不力。",
        1102,
        30,
        [(1106, _ORG, "circulated_criticism", 10)],
    ),
    # A party warning, then a serious warning inside its period: the periods stack
    # (条例 第二十一条), which /eligible shows for 1110 高峰.
    (
        "HL-YC",
        "岳村镇违规接受宴请问题",
        CaseCircumstance.CONDUCT_BUILDING,
        "副镇长在项目验收期间接受施工单位宴请，镇党委监督不力。",
        1102,
        220,
        [(1110, _DISC, "party_warning", 200)],
    ),
    (
        "HL-YC",
        "岳村镇违规收受礼金问题",
        CaseCircumstance.ANTI_CORRUPTION,
        "同一副镇长在处分期内收受管理服务对象礼金。",
        1102,
        50,
        [(1110, _DISC, "party_serious_warning", 40)],
    ),
    (
        "PY-NY",
        "市农业农村局统计数据弄虚作假问题",
        CaseCircumstance.MANAGEMENT_SUPERVISION,
        "上报的农民负担统计数据与实际不符，分管领导放任不管。",
        1003,
        25,
        [(1009, _DISC, "govt_demerit", 15)],
    ),
)


async def seed_cases(s: Seeder) -> None:
    """Add the demo cases."""
    for n, (unit, title, circumstance, facts, author, days_ago, people) in enumerate(_CASES):
        author_id, _ = await s.person(author)
        case = await _case(s, unit, title, circumstance, facts, author_id, days_ago, people)
        if n == 0:
            await _close(s, case, author_id, 90)


async def _close(s: Seeder, case: AccountabilityCase, actor: int, days_ago: int) -> None:
    """Close ``case`` ``days_ago``, with the revision saying so."""
    day = s.ago(days_ago)
    await records_of(s.uow).cases.update(
        case.id, 1, {"status": CaseStatus.CLOSED, "closed_on": day}, s.at(day)
    )
    await s.changed(
        case,
        actor,
        day,
        "close",
        {"status": ["open", "closed"], "closed_on": [None, day.isoformat()]},
    )
