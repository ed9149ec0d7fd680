"""A stub of the summary repository for unit tests of the core.

The real figures are SQL aggregations and are tested on both databases
(tests/integration/test_summary_*.py); unit tests only need canned figures, which they put
on the fake database as ``db.summary_stub`` (bucket path -> Figures) and ``db.summary_kinds``.
"""

from __future__ import annotations

from typing import Any

from handlers.domain_summary import (
    AccountablePerson,
    Figures,
    KindCount,
    SummaryQuery,
    UnitAssessment,
)


class FakeSummary:
    def __init__(self, db: Any) -> None:
        self.db = db
        self.queries: list[SummaryQuery] = []

    async def figures(self, query: SummaryQuery) -> dict[str, Figures]:
        self.queries.append(query)
        stub: dict[str, Figures] = getattr(self.db, "summary_stub", {})
        return {k: v for k, v in stub.items() if k.startswith(query.unit_path)}

    async def kinds(self, query: SummaryQuery) -> list[KindCount]:
        return list(getattr(self.db, "summary_kinds", []))

    async def accountable_people(self, query: SummaryQuery, limit: int) -> list[AccountablePerson]:
        return list(getattr(self.db, "summary_people", []))[:limit]

    async def assessments(self, query: SummaryQuery, limit: int) -> list[UnitAssessment]:
        return []

    def has_reminders(self) -> bool:
        return True

    def has_quiz(self) -> bool:
        return True
