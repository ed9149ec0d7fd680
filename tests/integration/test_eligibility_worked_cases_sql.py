"""The worked eligibility cases (tests/unit/test_eligibility_worked_cases.py) through
``/eligible`` on SQLite and PostgreSQL: the records are stored as accountability-case
handlings, and the reply's promotion line must give the right last day (or say 可以) and cite
the rule behind each bar (issue 17)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from handlers.core.app import Assistant
from handlers.core.clock import ManualClock
from handlers.records.domain import (
    AccountabilityCase,
    CaseCircumstance,
    CasePerson,
    CaseStatus,
    HandlingCategory,
)
from tests.helpers import say, texts
from tests.unit.test_eligibility_worked_cases import CASES, Case

pytestmark = pytest.mark.storage
INSPECTOR = 1102  # 徐芳, 华龙区
SUBJECT = 1109  # 何静, 岳村镇: no record of her own in the demo


async def _store(sql_uow, case: Case) -> None:  # type: ignore[no-untyped-def]
    """Each effect in a case of its own (one party, one government sanction per case)."""
    async with sql_uow() as uow:
        person = await uow.people.by_telegram_id(SUBJECT)
        author = await uow.people.by_telegram_id(INSPECTOR)
        for n, (kind, start) in enumerate(case.effects, 1):
            record = await uow.records.cases.add(
                AccountabilityCase(
                    id=0,
                    unit_id=person.unit_id,
                    title=f"工作案例 {n}",
                    circumstance=CaseCircumstance.LAX_SUPERVISION,
                    facts="用于核对影响期的案例。",
                    opened_on=start,
                    status=CaseStatus.OPEN,
                    created_by=author.id,
                    created_at=datetime(2020, 1, 1, tzinfo=UTC),
                )
            )
            category = (
                HandlingCategory.ORGANISATIONAL
                if kind == "warning_talk"
                else HandlingCategory.DISCIPLINE
            )
            await uow.records.cases.add_person(
                CasePerson(
                    id=0,
                    case_id=record.id,
                    person_id=person.id,
                    unit_id=person.unit_id,
                    category=category,
                    kind=kind,
                    effective_on=start,
                    note="",
                    created_by=author.id,
                    created_at=datetime(2020, 1, 1, tzinfo=UTC),
                )
            )
        await uow.commit()


def promotion_section(reply: str) -> str:
    """The promotion part of an /eligible reply, up to the next blank line (its first
    line is the answer)."""
    start = reply.index("目前提拔")
    return reply[start:].split("\n\n", 1)[0]


@pytest.mark.parametrize("case", CASES, ids=[c.cite for c in CASES])
async def test_worked_case_through_eligible(
    case: Case,
    sql_core: Assistant,
    sql_uow,
    clock: ManualClock,  # type: ignore[no-untyped-def]
) -> None:
    await _store(sql_uow, case)
    clock.set(datetime.combine(case.as_of, datetime.min.time(), tzinfo=UTC).replace(hour=4))
    reply = texts(await say(sql_core, INSPECTOR, "/eligible 何静"))
    promotion = promotion_section(reply)
    first = promotion.splitlines()[0]
    if case.until is None:
        assert "✅" in first, reply
    else:
        assert f"不可以，至 {case.until.isoformat()}" in first, reply
        # Every bar names its rule: 依据：【entry】《document》article.
        bars = [line for line in promotion.splitlines() if line.strip().startswith("•")]
        cites = [line for line in promotion.splitlines() if "依据：" in line]
        assert bars and len(cites) >= len(bars), reply
        assert all(re.search(r"《.+》", c) for c in cites), reply
