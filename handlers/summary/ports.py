"""Port of the supervisor summaries: aggregated figures computed by storage."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from handlers.core.ports import Capability
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


class SummaryRepository(Protocol):
    """Aggregations over a unit subtree and a period (GROUP BY in the database)."""

    async def figures(self, query: SummaryQuery) -> dict[str, Figures]:
        """Figures per bucket: the key is a direct sub-unit's path (its whole subtree), or
        ``query.unit_path`` itself for rows recorded on the summarised unit."""
        ...

    async def kinds(self, query: SummaryQuery) -> list[KindCount]:
        """People and cases per (category, kind) of handling, for the whole subtree."""
        ...

    async def accountable_people(self, query: SummaryQuery, limit: int) -> list[AccountablePerson]:
        """One row per person handled in a case of the subtree and period (for exports)."""
        ...

    async def assessments(self, query: SummaryQuery, limit: int) -> list[UnitAssessment]:
        """One row per assessment result of the subtree and period's years (for exports)."""
        ...

    async def snapshot(self, query: SummaryQuery) -> SnapshotFigures | None:
        """The pre-aggregated figures of ``query.unit_id`` and ``query.period`` (rows of the
        same shape as :meth:`figures`), or None when the snapshot does not hold them."""
        ...

    async def snapshot_state(self) -> SnapshotState:
        """Which snapshot is current and when it was taken."""
        ...

    async def claim_snapshot(self, generation: int, now: datetime, until: datetime) -> bool:
        """Take the refresh lease (until ``until``) if nobody holds it and ``generation`` is
        still current; the caller commits at once."""
        ...

    async def refresh_snapshot(self, plan: SnapshotPlan) -> SnapshotReport:
        """Recompute the snapshot as ``plan`` says and release the lease (caller commits)."""
        ...

    async def expire_snapshot(self) -> None:
        """Mark the snapshot out of date (not read again until the next refresh), e.g.
        after a calendar date moved the check-in windows its figures were computed with."""
        ...

    def has_reminders(self) -> bool:
        """False when the reminders tables are not available (their lines say "no data")."""
        ...

    def has_quiz(self) -> bool:
        """False when the quiz tables are not available."""
        ...


#: Aggregated figures for supervisor summaries, on a unit of work.
summary_of: Capability[SummaryRepository] = Capability("summary")
