"""Accountability cases in ``accountability_cases`` and the people handled in them
(one row per person and handling) in ``accountability_people``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from handlers.records.domain import (
    AccountabilityCase,
    CaseCircumstance,
    CasePerson,
    CaseStatus,
    HandlingCategory,
    RecordQuery,
    Tombstone,
    handling_track,
)
from storage.records.models import AccountabilityCaseRow, CasePersonRow
from storage.records.versioned import VersionedRepository, dated_search, new_row, record_of, scoped

#: The fields of a case kept in the columns of the same names.
_CASE_FIELDS = ("unit_id", "title", "facts", "opened_on", "closed_on", "created_by", "created_at")
#: The fields of a person's handling in a case kept in the columns of the same names.
_PERSON_FIELDS = (
    "case_id",
    "person_id",
    "unit_id",
    "kind",
    "effective_on",
    "note",
    "created_by",
    "created_at",
)


def _case(r: AccountabilityCaseRow) -> AccountabilityCase:
    return record_of(
        AccountabilityCase,
        r,
        _CASE_FIELDS,
        circumstance=CaseCircumstance(r.circumstance),
        status=CaseStatus(r.status),
    )


def _case_person(r: CasePersonRow) -> CasePerson:
    return record_of(
        CasePerson,
        r,
        (*_PERSON_FIELDS, "revoked_on"),
        category=HandlingCategory(r.category),
        revoke_reason=r.revoke_reason or "",
    )


class SqlCaseRepository(VersionedRepository[AccountabilityCase]):
    """Cases in ``accountability_cases``, people in ``accountability_people``."""

    model = AccountabilityCaseRow

    def _record(self, row: AccountabilityCaseRow) -> AccountabilityCase:
        return _case(row)

    async def add(self, case: AccountabilityCase) -> AccountabilityCase:
        """Insert a case."""
        row = new_row(AccountabilityCaseRow, case, (*_CASE_FIELDS, "circumstance", "status"))
        return _case(await self._add(row))

    async def search(self, query: RecordQuery) -> list[AccountabilityCase]:
        """Live cases, newest first."""
        m = AccountabilityCaseRow
        stmt = dated_search(m, query, m.opened_on)
        if query.person_id is not None:
            involved = select(CasePersonRow.case_id).where(
                CasePersonRow.person_id == query.person_id, CasePersonRow.deleted_at.is_(None)
            )
            stmt = stmt.where(m.id.in_(involved))
        if query.status in (CaseStatus.OPEN.value, CaseStatus.CLOSED.value):
            stmt = stmt.where(m.status == query.status)
        return await self._records(scoped(stmt, m, query))

    # -- the people handled in a case ------------------------------------------------------
    async def add_person(self, person: CasePerson) -> CasePerson:
        """Insert a person-in-case row."""
        row = new_row(CasePersonRow, person, (*_PERSON_FIELDS, "category", "track"))
        return _case_person(await self._add(row))

    async def get_person(self, case_person_id: int) -> CasePerson | None:
        """One person-in-case row, deleted or not."""
        return await self._one(CasePersonRow, case_person_id, _case_person)

    async def people(self, case_id: int) -> list[CasePerson]:
        """Live person-in-case rows of a case."""
        stmt = (
            select(CasePersonRow)
            .where(CasePersonRow.case_id == case_id, CasePersonRow.deleted_at.is_(None))
            .order_by(CasePersonRow.id)
        )
        return await self._all(stmt, _case_person)

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
        return await self._all(stmt, _case_person)
