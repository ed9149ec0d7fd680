"""The SQL of a snapshot refresh: one SELECT of every row the snapshot keeps.

It is built from the same per-unit section queries as the live statement
(storage/summary/sql/), in snapshot mode: each per-unit row is also keyed by its *grain*
(:class:`storage.summary.sql.Grain`). The rows are then summed

1. per *fine bucket* — the deepest scope's direct sub-unit a unit lies in (or the scope
   itself for its own rows) — which shrinks ~10,000 units to a few hundred keys;
2. per scope and bucket — the scope's direct sub-unit the fine bucket lies in;
3. per period — each grain belongs to every kept period containing it (a month to its
   month, quarter and year; an annual row to every period of its year).

A test participant's best score is not a sum over months, so the quiz rows are computed per
person and period before being summed per unit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    BigInteger,
    Integer,
    String,
    column,
    func,
    literal,
    literal_column,
    select,
    union_all,
    values,
)

from handlers.summary.domain import SnapshotPlan
from storage.core.models import PersonRow, UnitRow, UTCDateTime
from storage.summary.models import reminder_tables
from storage.summary.sql import (
    DATED,
    SEC_ELIGIBLE,
    SEC_KINDS,
    SEC_QUIZ,
    WIDTH,
    Grain,
    Scope,
    case_kinds_cte,
    int_literal,
    sections,
    strpos,
    takes_tests,
    there_during,
)

#: ``period`` of the row marking a scope as kept in a snapshot.
MARKER = "*"
#: The figure columns of a stacked (and a kept) row.
VALUE_COLUMNS = tuple(f"v{i}" for i in range(WIDTH))


def scopes_of(units: Sequence[tuple[int, str]], min_units: int) -> list[tuple[int, str]]:
    """(id, path) of the units whose subtree holds at least ``min_units`` units.

    A unit's subtree is never smaller than a descendant's, so the scopes form a tree closed
    upwards: every unit has a deepest scope above it (or none), see :func:`_unit_fine`.
    """
    size: dict[str, int] = defaultdict(int)
    for _, path in units:
        parts = path.strip("/").split("/")
        for i in range(1, len(parts) + 1):
            size["/" + "/".join(parts[:i]) + "/"] += 1
    return sorted(
        ((uid, path) for uid, path in units if size[path] >= max(min_units, 1)),
        key=lambda s: s[1],
    )


def _bucket_at(path: Any, n: Any) -> Any:
    """SQL: the part of ``path`` up to the first ``/`` after its ``n``-th character — the
    direct sub-unit of a scope whose path has ``n`` characters (the scope itself when
    ``path`` is the scope's own)."""
    return func.substr(path, 1, n + strpos(func.substr(path, n + 1), "/"))


def _grain_periods(plan: SnapshotPlan) -> list[tuple[int, str]]:
    """(grain, period code): every kept period each grain belongs to."""
    out: list[tuple[int, str]] = []
    for p in plan.periods:
        period = p.period
        out.append((0, period.code))  # rows of every period
        out.append((period.start.year * 100, period.code))  # annual rows
        y, m = period.start.year, period.start.month
        while (y, m) <= (period.end.year, period.end.month):
            out.append((y * 100 + m, period.code))
            y, m = (y, m + 1) if m < 12 else (y + 1, 1)
    return out


def _grain(plan: SnapshotPlan, units: Any) -> Grain:
    months = sorted(
        (p.period.start.year * 100 + p.period.start.month, p.end_at)
        for p in plan.periods
        if len(p.period.code) == 7
    )
    windows = sorted(
        {(w.year, w.period, w.ends_on.year * 100 + w.ends_on.month) for w in plan.coverage.windows}
    )
    return Grain(months=tuple(months), window_months=tuple(windows), units=units)


def _values_cte(name: str, rows: list[tuple[Any, ...]], **columns: Any) -> Any:
    """A CTE ``name`` of literal ``rows`` in the typed ``columns``."""
    typed = [column(n, kind) for n, kind in columns.items()]
    return values(*typed, name=name, literal_binds=True).data(rows).cte(name)


def _period_rows(scoped: Any, sec: int, key: str, *figures: Any) -> Any:
    """Kept rows (scope_id, period, bucket, sec, 0, key, figures…, 0 …) of a section counted
    per period by the refresh itself, from rolled-up rows (scope_id, bucket, period, …)."""
    zero = int_literal(0)
    return select(
        scoped.c.scope_id,
        scoped.c.period,
        scoped.c.bucket,
        int_literal(sec),
        zero,
        literal_column(f"'{key}'", String),
        *figures,
        *[zero] * (WIDTH - len(figures)),
    )


class Refresh:
    """The refresh statement's shared pieces: scopes, fine buckets, grain -> periods."""

    def __init__(self, plan: SnapshotPlan, scopes: Sequence[tuple[int, str]]) -> None:
        self.plan = plan
        self.scopes = _values_cte("scopes", list(scopes), scope_id=BigInteger, path=String)
        self.periods = _values_cte(
            "grain_periods", _grain_periods(plan), grain=Integer, period=String
        )
        self.unit_fine = self._unit_fine()

    def _unit_fine(self) -> Any:
        """CTE (unit_id, fine): each unit of a scope and its fine bucket — the direct
        sub-unit of the deepest scope above it, or that scope itself for its own rows."""
        sc = self.scopes
        deepest = (
            select(
                UnitRow.id.label("unit_id"),
                UnitRow.path.label("path"),
                func.max(func.length(sc.c.path)).label("n"),
            )
            .join(sc, UnitRow.path.startswith(sc.c.path))
            .group_by(UnitRow.id, UnitRow.path)
            .subquery("deepest")
        )
        return select(deepest.c.unit_id, _bucket_at(deepest.c.path, deepest.c.n).label("fine")).cte(
            "unit_fine"
        )

    def roll_up(self, rows: Any, keys: Sequence[str], sums: Sequence[str]) -> Any:
        """Rows per fine bucket (``unit_id`` holds the fine bucket, *keys, *sums) summed per
        scope and bucket: a subquery (scope_id, bucket, *keys, *sums)."""
        sc = self.scopes
        bucket = _bucket_at(rows.c.unit_id, func.length(sc.c.path))
        return (
            select(
                sc.c.scope_id,
                bucket.label("bucket"),
                *[rows.c[k] for k in keys],
                *[func.sum(rows.c[v]).label(v) for v in sums],
            )
            .join(sc, rows.c.unit_id.startswith(sc.c.path))
            .group_by(sc.c.scope_id, bucket, *[rows.c[k] for k in keys])
            .subquery("scoped")
        )

    def statement(self) -> Any:
        """SELECT (scope_id, period, bucket, sec, k_year, k_period, v0 … v5) of every row."""
        q = self.plan.coverage
        grain = _grain(self.plan, self.unit_fine)
        # The whole organisation, one pass over each covering index (see Scope).
        scope = Scope(map=None, narrow=False)
        case_kinds = case_kinds_cte(q, scope, grain)
        stacked = union_all(*[s for _, s in sections(q, scope, case_kinds, grain)]).subquery(
            "stacked"
        )
        scoped = self.roll_up(stacked, ("sec", "k_year", "k_period", "grain"), VALUE_COLUMNS)
        gp = self.periods
        keys = (scoped.c.sec, scoped.c.k_year, scoped.c.k_period)
        main_rows = (
            select(
                scoped.c.scope_id,
                gp.c.period,
                scoped.c.bucket,
                *keys,
                *[func.sum(scoped.c[v]) for v in VALUE_COLUMNS],
            )
            .join(gp, gp.c.grain == scoped.c.grain)
            .group_by(scoped.c.scope_id, gp.c.period, scoped.c.bucket, *keys)
        )
        parts = [main_rows, self._kinds(case_kinds), self._markers(), self._dated_eligible()]
        quiz = self._quiz(grain)
        if quiz is not None:
            parts.append(quiz)
        return union_all(*parts)

    def _kinds(self, case_kinds: Any) -> Any:
        """The (category, kind) table per scope and period, in the live statement's shape:
        (scope_id, period, category, SEC_KINDS, 0, kind, people, cases, 0 …)."""
        ck = case_kinds
        per_unit = (
            select(
                ck.c.unit_id,
                ck.c.grain,
                ck.c.category,
                ck.c.kind,
                func.sum(ck.c.n).label("people"),
                func.count().label("cases"),
            )
            .where(ck.c.category.is_not(None))
            .group_by(ck.c.unit_id, ck.c.grain, ck.c.category, ck.c.kind)
            .subquery("kinds_unit")
        )
        scoped = self.roll_up(per_unit, ("grain", "category", "kind"), ("people", "cases"))
        gp = self.periods
        zero = int_literal(0)
        return (
            select(
                scoped.c.scope_id,
                gp.c.period,
                scoped.c.category,
                int_literal(SEC_KINDS),
                zero,
                scoped.c.kind,
                func.sum(scoped.c.people),
                func.sum(scoped.c.cases),
                *[zero] * (WIDTH - 2),
            )
            .join(gp, gp.c.grain == scoped.c.grain)
            .group_by(scoped.c.scope_id, gp.c.period, scoped.c.category, scoped.c.kind)
        )

    def _quiz(self, grain: Grain) -> Any:
        """Test participants and the sum of their best scores per scope, bucket and period:
        best per person and month, then per person and period, then per unit."""
        tables = reminder_tables()
        if tables is None:
            return None
        _, _, qa = tables
        q = self.plan.coverage
        month = grain.of_time(qa.c.finished_at)
        per_month = (
            select(qa.c.person_id, month.label("grain"), func.max(qa.c.score).label("best"))
            .where(
                qa.c.practice.is_(False),
                qa.c.score.is_not(None),
                qa.c.finished_at >= q.start_at,
                qa.c.finished_at < q.end_at,
            )
            .group_by(qa.c.person_id, month)
            .subquery("best_month")
        )
        gp = self.periods
        per_period = (
            select(per_month.c.person_id, gp.c.period, func.max(per_month.c.best).label("best"))
            .join(gp, gp.c.grain == per_month.c.grain)
            .group_by(per_month.c.person_id, gp.c.period)
            .subquery("best_period")
        )
        uf = self.unit_fine
        per_unit = (
            select(
                uf.c.fine.label("unit_id"),
                per_period.c.period,
                func.count().label("takers"),
                func.sum(per_period.c.best).label("total"),
            )
            .join(PersonRow, PersonRow.id == per_period.c.person_id)
            .join(uf, uf.c.unit_id == PersonRow.unit_id)
            .group_by(uf.c.fine, per_period.c.period)
            .subquery("quiz_unit")
        )
        scoped = self.roll_up(per_unit, ("period",), ("takers", "total"))
        return _period_rows(scoped, SEC_QUIZ, "", scoped.c.takers, scoped.c.total)

    def _dated_eligible(self) -> Any:
        """The people a test is meant for whose listing or leaving dates make them count in
        some periods only, counted per scope, bucket and period (few: most people are
        counted once for every period by the section query). Their rows carry the key
        ``dated`` so they sit beside the undated count and are summed with it."""
        bounds = union_all(
            *[
                select(
                    literal(p.period.code, String).label("period"),
                    literal(p.start_at, UTCDateTime()).label("start_at"),
                    literal(p.end_at, UTCDateTime()).label("end_at"),
                )
                for p in self.plan.periods
            ]
        ).subquery("period_bounds")
        uf = self.unit_fine
        per_unit = (
            select(uf.c.fine.label("unit_id"), bounds.c.period, func.count().label("n"))
            .select_from(PersonRow)
            .join(uf, uf.c.unit_id == PersonRow.unit_id)
            .join(bounds, there_during(bounds.c.start_at, bounds.c.end_at))
            .where(DATED, PersonRow.section_level.is_(True), takes_tests())
            .group_by(uf.c.fine, bounds.c.period)
            .subquery("dated_unit")
        )
        scoped = self.roll_up(per_unit, ("period",), ("n",))
        return _period_rows(scoped, SEC_ELIGIBLE, "dated", scoped.c.n)

    def _markers(self) -> Any:
        """One row per scope saying it is kept (a scope may have no figures at all)."""
        sc = self.scopes
        zero = int_literal(0)
        return select(
            sc.c.scope_id,
            literal_column(f"'{MARKER}'", String),
            sc.c.path,
            zero,
            zero,
            literal_column("''", String),
            *[zero] * WIDTH,
        )
