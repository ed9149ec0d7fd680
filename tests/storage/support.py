"""Builders shared by the storage tests: a small tree of units, open cases and handlings."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from handlers.core.domain import Unit, UnitLevel
from handlers.records.domain import (
    AccountabilityCase,
    CaseCircumstance,
    CasePerson,
    CaseStatus,
    HandlingCategory,
)


async def unit_tree(uow: Any, department: bool = True) -> list[Unit]:
    """A city with two counties A and B, and (unless not wanted) a department A1 under A."""
    city = await uow.units.add("C", "市", UnitLevel.CITY, None)
    a = await uow.units.add("A", "甲县", UnitLevel.COUNTY, city.id)
    b = await uow.units.add("B", "乙县", UnitLevel.COUNTY, city.id)
    if not department:
        return [city, a, b]
    return [city, a, b, await uow.units.add("A1", "甲县教育局", UnitLevel.DEPARTMENT, a.id)]


def case_handling(
    case_id: int,
    person_id: int,
    unit_id: int,
    category: HandlingCategory,
    kind: str,
    effective_on: date,
    by: tuple[int, datetime],
) -> CasePerson:
    """A person's handling in a case, without a note, recorded by ``by`` (author id, moment)."""
    return CasePerson(0, case_id, person_id, unit_id, category, kind, effective_on, "", *by)


def open_case(
    unit_id: int,
    title: str,
    circumstance: CaseCircumstance,
    facts: str,
    opened_on: date,
    by: tuple[int, datetime],
) -> AccountabilityCase:
    """An open accountability case, recorded by ``by`` (author id, moment)."""
    return AccountabilityCase(
        0, unit_id, title, circumstance, facts, opened_on, CaseStatus.OPEN, *by
    )
