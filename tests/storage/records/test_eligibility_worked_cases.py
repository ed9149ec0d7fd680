"""The worked eligibility cases (tests/handlers/eligibility/test_worked_cases.py and
tests/handlers/eligibility/test_handling_and_grades.py) through ``/eligible`` on SQLite and
PostgreSQL: the records are stored as accountability-case handlings, and the reply's
promotion line must give the right last day (or say 可以 / 请人工核实), the assessment grade
section the right effect and years, and each reason must cite the rule behind it (issue 17)."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import pytest

from handlers.core.app import Assistant
from handlers.core.clock import ManualClock
from handlers.records.domain import (
    CaseCircumstance,
    HandlingCategory,
)
from knowledge.sanctions import load_sanctions
from tests.handlers.core.helpers import say, texts
from tests.handlers.eligibility.support import day, effects
from tests.handlers.eligibility.test_handling_and_grades import (
    GRADE_CASES,
    HANDLING_CASES,
    HANDLING_KINDS,
    GradeCase,
    HandlingCase,
)
from tests.handlers.eligibility.test_worked_cases import CASES, Case
from tests.storage.support import case_handling, open_case

pytestmark = pytest.mark.storage
INSPECTOR = 1102  # 徐芳, 华龙区
SUBJECT = 1109  # 何静, 岳村镇: no record of her own in the demo
CAT = load_sanctions()


async def _store(sql_uow, spec: str) -> None:  # type: ignore[no-untyped-def]
    """Each effect (``kind@start``) in a case of its own (one party, one government sanction
    per case)."""
    async with sql_uow() as uow:
        person = await uow.people.by_telegram_id(SUBJECT)
        author = await uow.people.by_telegram_id(INSPECTOR)
        by = (author.id, datetime(2020, 1, 1, tzinfo=UTC))
        for n, effect in enumerate(effects(spec), 1):
            kind, start = effect.kind, effect.start
            lax, facts = CaseCircumstance.LAX_SUPERVISION, "用于核对影响期的案例。"
            record = await uow.records.cases.add(
                open_case(person.unit_id, f"工作案例 {n}", lax, facts, start, by)
            )
            category = (
                HandlingCategory.ORGANISATIONAL
                if CAT.kinds[kind].family in ("talk", "handling")
                else HandlingCategory.DISCIPLINE
            )
            await uow.records.cases.add_person(
                case_handling(record.id, person.id, person.unit_id, category, kind, start, by)
            )
        await uow.commit()


Ask = Callable[[str, str], Awaitable[str]]


@pytest.fixture
def eligible(sql_core: Assistant, sql_uow, clock: ManualClock) -> Ask:  # type: ignore[no-untyped-def]
    """Store a case's effects (``kind@start …``), then ask /eligible 何静 as the inspector at
    noon (Shanghai) on the given ISO day; returns the reply."""

    async def ask(spec: str, on: str) -> str:
        await _store(sql_uow, spec)
        clock.set(datetime.combine(day(on), datetime.min.time(), tzinfo=UTC).replace(hour=4))
        return texts(await say(sql_core, INSPECTOR, "/eligible 何静"))

    return ask


def promotion_section(reply: str) -> str:
    """The promotion part of an /eligible reply, up to the next blank line (its first
    line is the answer)."""
    start = reply.index("目前提拔")
    return reply[start:].split("\n\n", 1)[0]


@pytest.mark.parametrize("case", CASES, ids=[c.cite for c in CASES])
async def test_worked_case_through_eligible(case: Case, eligible: Ask) -> None:
    reply = await eligible(case.effects, case.as_of)
    promotion = promotion_section(reply)
    first = promotion.splitlines()[0]
    if case.until is None:
        assert "✅" in first, reply
    else:
        assert f"不可以，至 {case.until}" in first, reply
        # Every bar names its rule: 依据：【entry】《document》article.
        bars = [line for line in promotion.splitlines() if line.strip().startswith("•")]
        cites = [line for line in promotion.splitlines() if "依据：" in line]
        assert bars and len(cites) >= len(bars), reply
        assert all(re.search(r"《.+》", c) for c in cites), reply


@pytest.mark.parametrize("case", HANDLING_CASES, ids=[c.cite for c in HANDLING_CASES])
async def test_handling_case_through_eligible(case: HandlingCase, eligible: Ask) -> None:
    reply = await eligible(case.effects, case.as_of)
    first = promotion_section(reply).splitlines()[0]
    if case.until is not None:
        assert f"不可以，至 {case.until}" in first, reply
    elif case.to_check:
        assert "请人工核实" in first, reply
    else:
        assert "✅" in first, reply
    # Rating as advanced: decided by the other records when there are any; otherwise the
    # handling's effect on it is as unread as its period, so it too says to check by hand.
    rating = next(line for line in reply.splitlines() if "年度评先评优" in line)
    asked = day(case.as_of)
    others = [e for e in effects(case.effects) if e.kind not in HANDLING_KINDS and e.start <= asked]
    if others:
        assert "❌" in rating, reply
    else:
        assert ("请人工核实" if case.to_check else "✅") in rating, reply
    lines = reply.splitlines()
    flagged = [i for i, line in enumerate(lines) if line.startswith("⚠️") and "请人工核实" in line]
    assert len(flagged) == len(case.to_check), reply
    for i, code in zip(flagged, case.to_check, strict=True):
        assert lines[i].startswith(f"⚠️ {CAT.kinds[code].name_zh}（责任追究案件"), reply
        # The handling's rule: the 2021 rules' list of kinds and the selection bar. The
        # selection regulation is named without its article: 第二十四条 was read in one copy
        # only (the 2014 text has another article under that number).
        rule = lines[i + 1]
        assert "依据：" in rule and "《中国共产党组织处理规定（试行）》第三条" in rule, reply
        assert "《党政领导干部选拔任用工作条例》" in rule, reply


@pytest.mark.parametrize("case", GRADE_CASES, ids=[c.cite for c in GRADE_CASES])
async def test_grade_case_through_eligible(case: GradeCase, eligible: Ask) -> None:
    reply = await eligible(case.sanction, case.asked_on)
    kind, start = case.sanction.split("@")
    assert f"{case.year} 年度评先评优" in reply, reply  # the year /eligible judged
    if case.effect is None:
        assert "年度考核：" not in reply, reply
        return
    section = reply[reply.index(f"{case.year}年度考核：") :].split("\n\n", 1)[0]
    _, line, rule = section.splitlines()
    effect = "只写评语，不确定等次" if case.effect == "no_grade" else "不得确定为优秀等次"
    assert line.startswith(f"  • {CAT.kinds[kind].name_zh}（{start}）"), reply
    assert effect in line, reply
    assert case.reach is not None
    first, last = case.reach
    reach = f"仅影响{first}年度考核" if first == last else f"影响{first}—{last}年度考核"
    assert reach in line, reply
    assert "依据：" in rule and case.law in rule, reply
