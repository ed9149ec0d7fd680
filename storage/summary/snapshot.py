"""Pre-aggregated summary figures for wide scopes (the "snapshot").

A live summary of a whole province aggregates about a million records and cannot answer in
a fraction of a second. The snapshot keeps, for every unit whose subtree is large (a
*scope*), the rows the live figures statement would return for each year, quarter and
month kept — a few dozen rows per scope and period — so such a summary is one index range.

A refresh recomputes everything in one INSERT … SELECT (storage/summary/snapshot_sql.py
builds the SELECT) and swaps generations. Figures are as of the refresh: notices overdue
and check-ins missing are as of its local day, which is why a reader only uses a snapshot
of the same local day (handlers/summary/figures.py decides).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.summary.domain import (
    SnapshotFigures,
    SnapshotPlan,
    SnapshotReport,
    SnapshotState,
    SummaryQuery,
)
from storage.core.models import UnitRow
from storage.summary.models import SummarySnapshotCellRow, SummarySnapshotRow
from storage.summary.snapshot_sql import MARKER, VALUE_COLUMNS, Refresh, scopes_of
from storage.summary.sql import assemble

#: The id of the single state row.
STATE_ID = 1

Cell = SummarySnapshotCellRow
State = SummarySnapshotRow


class SqlSummarySnapshots:
    """Reading, claiming and refreshing the snapshot, in the unit of work's transaction."""

    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def _rows(self, stmt: Any) -> list[Any]:
        conn = await self.s.connection()
        return list((await conn.execute(stmt)).all())

    async def read(self, query: SummaryQuery) -> SnapshotFigures | None:
        """The kept figures of ``query``'s unit and period, or None when the snapshot does not
        hold them (never refreshed, a scope not kept, a period not kept).

        One statement reads the state row and the rows together, so both come from the same
        committed refresh even on SQLite (where each statement may see a newer commit).
        """
        code = query.period.code
        stmt = (
            select(
                State.taken_at,
                State.day,
                State.timezone,
                State.first_year,
                State.last_year,
                Cell.period,
                Cell.bucket,
                Cell.sec,
                Cell.k_year,
                Cell.k_period,
                *[Cell.__table__.c[v] for v in VALUE_COLUMNS],
            )
            .select_from(State)
            .outerjoin(
                Cell,
                and_(
                    Cell.generation == State.generation,
                    Cell.scope_id == query.unit_id,
                    or_(Cell.period == code, Cell.period == MARKER),
                ),
            )
            .where(State.id == STATE_ID)
        )
        rows = await self._rows(stmt)
        if not rows:
            return None
        taken_at, day, tz, first, last = rows[0][:5]
        year = query.period.start.year
        if taken_at is None or day is None or not first <= year <= last:
            return None
        figures = [r[6:] for r in rows if r[5] == code]
        if not any(r[5] == MARKER for r in rows):
            return None  # this unit is not a kept scope
        buckets, kinds = assemble(figures, query)
        return SnapshotFigures(taken_at, day, tz, buckets, tuple(kinds))

    async def state(self) -> SnapshotState | None:
        """The current snapshot, or None without a state row."""
        stmt = select(State.generation, State.taken_at, State.timezone).where(State.id == STATE_ID)
        rows = await self._rows(stmt)
        return SnapshotState(int(rows[0][0]), rows[0][1], str(rows[0][2])) if rows else None

    async def expire(self) -> None:
        """Forget when the snapshot was taken: summaries compute live and the next chore
        refreshes it (its generation and lease are untouched)."""
        conn = await self.s.connection()
        await conn.execute(update(State).where(State.id == STATE_ID).values(taken_at=None))

    async def claim(self, generation: int, now: datetime, until: datetime) -> bool:
        """Take the refresh lease until ``until`` when nobody holds it and the snapshot is
        still ``generation`` (so two instances never refresh the same one); the caller
        commits at once. Creates the state row when missing."""
        conn = await self.s.connection()
        result = await conn.execute(
            update(State)
            .where(
                State.id == STATE_ID,
                State.generation == generation,
                or_(State.lease_until.is_(None), State.lease_until < now),
            )
            .values(lease_until=until)
        )
        if result.rowcount == 1:
            return True
        if await self.state() is None:
            await conn.execute(
                insert(State).values(
                    id=STATE_ID,
                    generation=generation,
                    timezone="",
                    first_year=0,
                    last_year=-1,
                    lease_until=until,
                )
            )
            return True
        return False

    async def refresh(self, plan: SnapshotPlan) -> SnapshotReport:
        """Recompute every kept row as a new generation, make it current, drop the old one
        and release the lease (the caller commits).

        The aggregation (seconds on a province) is a plain SELECT whose few tens of
        thousands of result rows are then written in a short write phase: on SQLite, whose
        single writer lock is taken only by the first write of a transaction, requests that
        write are never held up by the aggregation itself.
        """
        conn = await self.s.connection()
        units = [(int(i), str(p)) for i, p in await self._rows(select(UnitRow.id, UnitRow.path))]
        scopes = scopes_of(units, plan.min_units)
        body: list[Any] = []
        if scopes:
            if self.s.get_bind().dialect.name == "postgresql":
                # As for a live wide summary: no JIT (seconds of compiling), hash tables in
                # memory; both for this transaction only.
                await conn.exec_driver_sql(
                    "SELECT set_config('jit', 'off', true), set_config('work_mem', '64MB', true)"
                )
            body = await self._rows(Refresh(plan, scopes).statement())
        # The write phase. Bumping the generation first serialises concurrent refreshes on
        # the state row: a second one writes the next generation and drops this one.
        years = [p.period.start.year for p in plan.periods]
        state = {
            "taken_at": plan.taken_at,
            "day": plan.today,
            "timezone": plan.timezone,
            "first_year": min(years, default=0),
            "last_year": max(years, default=-1),
            "lease_until": None,
        }
        bumped = await conn.execute(
            update(State)
            .where(State.id == STATE_ID)
            .values(generation=State.generation + 1, **state)
        )
        if bumped.rowcount != 1:
            await conn.execute(insert(State).values(id=STATE_ID, generation=1, **state))
        generation = (await self.state() or SnapshotState()).generation
        names = ("scope_id", "period", "bucket", "sec", "k_year", "k_period", *VALUE_COLUMNS)
        if body:
            await conn.execute(
                insert(Cell),
                [{"generation": generation, **dict(zip(names, row, strict=True))} for row in body],
            )
        await conn.execute(delete(Cell).where(Cell.generation != generation))
        return SnapshotReport(scopes=len(scopes), rows=len(body))
