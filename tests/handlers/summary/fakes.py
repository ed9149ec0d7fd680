"""A stub of the summary repository for unit tests of the core.

The real figures are SQL aggregations and are tested on both databases
(tests/storage/summary/); unit tests only need canned figures, which they put
on the fake database as ``db.summary_stub`` (bucket path -> Figures) and ``db.summary_kinds``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from handlers.summary.domain import (
    AccountablePerson,
    Figures,
    KindCount,
    SnapshotFigures,
    SnapshotPlan,
    SnapshotReport,
    SnapshotState,
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

    async def snapshot(self, query: SummaryQuery) -> SnapshotFigures | None:
        """``db.summary_snapshots`` maps (unit id, period code) to canned kept figures."""
        self.queries.append(query)
        kept: dict[tuple[int, str], SnapshotFigures] = getattr(self.db, "summary_snapshots", {})
        return kept.get((query.unit_id, query.period.code))

    async def snapshot_state(self) -> SnapshotState:
        return SnapshotState()

    async def claim_snapshot(self, generation: int, now: datetime, until: datetime) -> bool:
        return True

    async def refresh_snapshot(self, plan: SnapshotPlan) -> SnapshotReport:
        return SnapshotReport(scopes=0, rows=0)

    async def expire_snapshot(self) -> None:
        self.db.summary_snapshots = {}

    def has_reminders(self) -> bool:
        return True

    def has_quiz(self) -> bool:
        return True
