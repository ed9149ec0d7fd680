"""The summary repository: live figures, export rows and the snapshot (SQLite and PostgreSQL).

Every live figure is a COUNT/SUM over a join with ``units`` restricted to a subtree by the
materialised path prefix (:func:`storage.core.sql.in_subtrees`), grouped by *bucket*:
the path of the direct sub-unit a row falls under, cut out of the row's unit path with
``substr``/``instr`` — so one pass gives the figures of every sub-unit at once and the
whole is their sum. Nothing is loaded row by row except the export's person lists. The
section queries are in storage/summary/sql/; pre-aggregated figures of wide scopes in
storage/summary/snapshot.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    and_,
    func,
    select,
    true,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.summary import domain
from storage.core.models import PersonRow, UnitRow
from storage.core.sql import in_subtrees
from storage.records.models import (
    AccountabilityCaseRow,
    AssessmentRow,
    CasePersonRow,
)
from storage.summary.models import reminder_tables
from storage.summary.snapshot import SqlSummarySnapshots
from storage.summary.sql import (
    WIDTH,
    BoundQuery,
    Scope,
    assemble,
    bound_query,
    case_kinds_cte,
    count_if,
    kinds_rows,
    sections,
    subtree,
    unindexed,
)

#: Subtrees holding more than this share of all units read whole indexes (see Scope).
WIDE_SCOPE = 0.25


@dataclass(frozen=True)
class Shape:
    """What the figures statement's SQL depends on besides values (bound parameters)."""

    dialect: str
    narrow: bool  # pre-filter by the subtree's unit ids (see Scope)
    whole: bool  # the subtree is the whole organisation
    path_length: int  # cut into the statement by bucket_of
    windows: int  # check-in windows closing in the period


#: Built statements by shape: building one costs a few milliseconds of Python, a sizeable
#: part of a county's summary; there are only a few dozen shapes.
_STATEMENTS: dict[Shape, Any] = {}
_MAX_STATEMENTS = 256


def figures_statement(shape: Shape, bq: BoundQuery) -> Any:
    """The figures statement for queries of ``shape`` (parameters named as in ``bq``).

    One statement: every section aggregates its table per unit id (index-only range scans
    per unit of a small subtree, one pass per covering index for a wide one), the per-unit
    rows of all sections are stacked with UNION ALL, and only those rows are mapped to
    buckets — the subtree's units are read and their paths cut once, not once per section
    or per record. It also returns the (category, kind) table.
    """
    stmt = _STATEMENTS.get(shape)
    if stmt is not None:
        return stmt
    dialect = shape.dialect
    scope = Scope.of(bq.unit_path, dialect, narrow=shape.narrow, bound=True)
    case_kinds = case_kinds_cte(bq, scope)
    parts = sections(bq, scope, case_kinds)
    stacked = union_all(*[s for _, s in parts]).subquery("stacked")
    bucket = scope.map.c.bucket
    keys = (stacked.c.sec, stacked.c.k_year, stacked.c.k_period)
    rolled_up = (
        select(bucket, *keys, *[func.sum(stacked.c[f"v{i}"]) for i in range(WIDTH)])
        .select_from(stacked)
        .join(scope.map, scope.map.c.unit_id == stacked.c.unit_id)
        .group_by(bucket, *keys)
    )
    # The whole organisation needs no unit filter; a part, its units by path.
    units = select(UnitRow.id).where(subtree(bq.unit_path, dialect, bound=True))
    mine = true() if shape.whole else case_kinds.c.unit_id.in_(units)
    stmt = union_all(rolled_up, kinds_rows(case_kinds, mine))
    if len(_STATEMENTS) >= _MAX_STATEMENTS:
        _STATEMENTS.clear()
    _STATEMENTS[shape] = stmt
    return stmt


class SqlSummaryRepository:
    """Summary figures straight from the record tables."""

    def __init__(self, session: AsyncSession) -> None:
        self.s = session
        #: The (category, kind) table of the last figures() call, computed with them.
        self._kinds: tuple[domain.SummaryQuery, list[domain.KindCount]] | None = None
        self._snapshots = SqlSummarySnapshots(session)

    async def _size(self, unit_path: str) -> tuple[int, int]:
        """(units in the subtree at ``unit_path``, all units), in one round trip that on
        PostgreSQL also sets up the transaction for the summary statement that follows.

        * ``plan_cache_mode``: asyncpg prepares each statement once per connection, and after
          five runs PostgreSQL may switch to a generic plan that ignores the subtree's path;
          that plan took ~140 ms for a county whose custom plan runs in ~20 ms.
        * ``jit`` off: a wide scope's cost estimate triggers JIT compilation, which alone
          took seconds on a province; the query does not need it.
        * ``work_mem``: a wide scope's hash tables (~100,000 per-unit rows before the
          roll-up) spilled to disk with the default.

        All three end with the transaction (set_config's ``is_local``).
        """
        cols: list[Any] = [count_if(subtree(unit_path, self._dialect)), func.count()]
        if self._dialect == "postgresql":
            cols += [
                func.set_config("plan_cache_mode", "force_custom_plan", True),
                func.set_config("jit", "off", True),
                func.set_config("work_mem", "64MB", True),
            ]
        inside, total, *_ = (await self._rows(select(*cols).select_from(UnitRow)))[0]
        return int(inside or 0), int(total or 0)

    @property
    def _dialect(self) -> str:
        return self.s.get_bind().dialect.name

    async def snapshot(self, query: domain.SummaryQuery) -> domain.SnapshotFigures | None:
        """The kept figures of the query's unit and period (storage/summary/snapshot.py)."""
        return await self._snapshots.read(query)

    async def snapshot_state(self) -> domain.SnapshotState:
        """Which snapshot is current and when it was taken."""
        return await self._snapshots.state() or domain.SnapshotState()

    async def claim_snapshot(self, generation: int, now: datetime, until: datetime) -> bool:
        """Take the refresh lease (see SqlSummarySnapshots.claim)."""
        return await self._snapshots.claim(generation, now, until)

    async def refresh_snapshot(self, plan: domain.SnapshotPlan) -> domain.SnapshotReport:
        """Recompute the snapshot (see SqlSummarySnapshots.refresh)."""
        return await self._snapshots.refresh(plan)

    async def expire_snapshot(self) -> None:
        """Mark the snapshot out of date (see SqlSummarySnapshots.expire)."""
        await self._snapshots.expire()

    def has_reminders(self) -> bool:
        """True: the reminders tables exist in this schema."""
        return reminder_tables() is not None

    def has_quiz(self) -> bool:
        """True: the quiz tables exist in this schema."""
        return reminder_tables() is not None

    async def _scalar(self, stmt: Any) -> Any:
        conn = await self.s.connection()
        return (await conn.execute(stmt)).scalar()

    async def _rows(self, stmt: Any) -> list[Any]:
        # Core execution on the session's connection: these are plain aggregate SELECTs,
        # and skipping the ORM layer saves a few milliseconds per query.
        conn = await self.s.connection()
        return list((await conn.execute(stmt)).all())

    async def figures(self, query: domain.SummaryQuery) -> dict[str, domain.Figures]:
        """Figures per bucket (see :class:`handlers.summary.ports.SummaryRepository`), from
        one statement (:func:`figures_statement`). It also sums the (category, kind) table,
        which :meth:`kinds` then hands out without joining cases and people a second time.
        """
        q = query
        # Above WIDE_SCOPE of all units, read whole covering indexes in one pass each
        # instead of probing them unit by unit (see Scope). (Also prepares PostgreSQL.)
        inside, total = await self._size(q.unit_path)
        narrow = inside <= WIDE_SCOPE * total
        shape = Shape(self._dialect, narrow, inside == total, len(q.unit_path), len(q.windows))
        bq, values = bound_query(q)
        stmt = figures_statement(shape, bq)
        conn = await self.s.connection()
        rows = (await conn.execute(stmt, values)).all()
        buckets, kinds = assemble(rows, q)
        self._kinds = (query, kinds)
        return buckets

    async def kinds(self, query: domain.SummaryQuery) -> list[domain.KindCount]:
        """People and cases per (category, kind) for the whole subtree and period."""
        cached, self._kinds = self._kinds, None
        if cached is not None and cached[0] == query:
            # The figures() call just before, in this unit of work (one transaction), already
            # summed them in its statement; used once, so a later call reads afresh.
            return cached[1]
        c, cp = AccountabilityCaseRow, CasePersonRow
        p = query.period
        inside, total = await self._size(query.unit_path)
        mine: ColumnElement[bool]
        if inside < total:
            mine = c.unit_id.in_(select(UnitRow.id).where(subtree(query.unit_path, self._dialect)))
            opened_on: Any = c.opened_on
        else:
            # The whole organisation: no unit filter, and one pass over the covering index
            # rather than a date range plus ~50,000 visits to case rows (see unindexed).
            mine, opened_on = true(), unindexed(c.opened_on)
        stmt = (
            select(cp.category, cp.kind, func.count(cp.id), func.count(func.distinct(c.id)))
            .select_from(c)
            .join(
                cp,
                and_(cp.case_id == c.id, cp.deleted_at.is_(None), cp.revoked_on.is_(None)),
            )
            .where(mine, opened_on.between(p.start, p.end), c.deleted_at.is_(None))
            .group_by(cp.category, cp.kind)
            .order_by(cp.category.desc(), func.count(cp.id).desc(), cp.kind)
        )
        return [
            domain.KindCount(cat, kind, int(n), int(k))
            for cat, kind, n, k in await self._rows(stmt)
        ]

    async def accountable_people(
        self, query: domain.SummaryQuery, limit: int
    ) -> list[domain.AccountablePerson]:
        """One row per person handled, ordered by case opening day and case."""
        c, cp = AccountabilityCaseRow, CasePersonRow
        p = query.period
        stmt = (
            select(
                c.id,
                c.opened_on,
                PersonRow.name,
                UnitRow.name,
                UnitRow.code,
                cp.category,
                cp.kind,
                cp.effective_on,
            )
            .select_from(c)
            .join(
                cp,
                and_(cp.case_id == c.id, cp.deleted_at.is_(None), cp.revoked_on.is_(None)),
            )
            .join(UnitRow, UnitRow.id == c.unit_id)
            .join(PersonRow, PersonRow.id == cp.person_id)
            .where(
                in_subtrees(UnitRow.path, [query.unit_path]),
                c.opened_on.between(p.start, p.end),
                c.deleted_at.is_(None),
            )
            .order_by(c.opened_on, c.id, cp.id)
            .limit(limit)
        )
        return [domain.AccountablePerson(*row) for row in await self._rows(stmt)]

    async def assessments(
        self, query: domain.SummaryQuery, limit: int
    ) -> list[domain.UnitAssessment]:
        """One row per assessment result in the period's years."""
        a = AssessmentRow
        p = query.period
        stmt = (
            select(a.year, UnitRow.name, UnitRow.code, PersonRow.name, a.result, a.commendation)
            .join(UnitRow, UnitRow.id == a.unit_id)
            .outerjoin(PersonRow, PersonRow.id == a.person_id)
            .where(
                in_subtrees(UnitRow.path, [query.unit_path]),
                a.year.between(p.years[0], p.years[-1]),
                a.deleted_at.is_(None),
            )
            .order_by(a.year, UnitRow.path, a.person_id.is_not(None), a.person_id)
            .limit(limit)
        )
        return [
            domain.UnitAssessment(year, uname, ucode, pname or "", result, comm or "")
            for year, uname, ucode, pname, result, comm in await self._rows(stmt)
        ]
