"""The SQL of the supervisor summaries' figures, shared by the live statement
(storage/summary/repository.py) and the pre-aggregated snapshot (storage/summary/snapshot.py).

Every section (assessments, cases, talks, …) is a per-unit SELECT over its record table; the
live statement stacks them and sums them per bucket of one subtree, the snapshot also keys
them by a :class:`Grain` (month or year) and sums them per scope and kept period. Either
way :func:`assemble` turns the resulting rows into :class:`Figures`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Integer,
    String,
    and_,
    bindparam,
    case,
    cast,
    false,
    func,
    literal,
    literal_column,
    not_,
    or_,
    select,
    true,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from handlers.reminders.domain import ACKNOWLEDGEABLE_KINDS
from handlers.summary.domain import Figures, KindCount, SummaryQuery
from storage.core.models import PersonRow, UnitRow, UTCDateTime
from storage.core.sql import in_subtrees
from storage.pledges.models import AppraisalRow, CheckinRow, PledgeRow
from storage.records.models import (
    AccountabilityCaseRow,
    AssessmentRow,
    CasePersonRow,
    RectificationNoticeRow,
    WarningTalkRow,
)
from storage.summary.models import reminder_tables


class strpos(FunctionElement[int]):
    """Position of a substring (1-based, 0 when absent): ``instr`` / ``strpos``."""

    type = Integer()
    inherit_cache = True


@compiles(strpos)
def _strpos_default(element: strpos, compiler: Any, **kw: Any) -> str:
    return f"instr({compiler.process(element.clauses, **kw)})"


@compiles(strpos, "postgresql")
def _strpos_pg(element: strpos, compiler: Any, **kw: Any) -> str:
    return f"strpos({compiler.process(element.clauses, **kw)})"


class unindexed(FunctionElement[Any]):
    """A column the planner must not pick an index for: ``+col`` on SQLite, ``col`` elsewhere.

    A whole-province summary reads each table once through its covering (unit id first)
    index; SQLite would otherwise range-scan a date index and visit ~50,000 table rows.
    """

    inherit_cache = True

    def __init__(self, column: Any) -> None:
        super().__init__(column)
        self.type = column.type


@compiles(unindexed)
def _unindexed_default(element: unindexed, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(element.clauses, **kw))


@compiles(unindexed, "sqlite")
def _unindexed_sqlite(element: unindexed, compiler: Any, **kw: Any) -> str:
    return f"+{compiler.process(element.clauses, **kw)}"


class year_month(FunctionElement[int]):
    """A date's year and month as one number, ``2026-05-17`` -> ``202605``."""

    type = Integer()
    inherit_cache = True


@compiles(year_month)
def _year_month_sqlite(element: year_month, compiler: Any, **kw: Any) -> str:
    return f"CAST(strftime('%Y%m', {compiler.process(element.clauses, **kw)}) AS INTEGER)"


@compiles(year_month, "postgresql")
def _year_month_pg(element: year_month, compiler: Any, **kw: Any) -> str:
    return f"CAST(to_char({compiler.process(element.clauses, **kw)}, 'YYYYMM') AS INTEGER)"


def int_literal(value: int) -> ColumnElement[int]:
    """A literal integer computed here (never user input), typed for every driver."""
    return literal_column(str(int(value)), Integer)


@dataclass(frozen=True)
class Grain:
    """Snapshot mode of the section queries: each per-unit row is also keyed by a *grain*,
    the finest piece of time it can be attributed to, so rows can later be summed into any
    year, quarter or month.

    Grains are numbers: ``YYYYMM`` for rows of one month (records by their date, reminders
    by their local sending month, check-ins by the month their window closes), ``YYYY00``
    for annual rows (assessments, pledges, appraisals) and 0 for rows that belong to every
    period (the people a test is meant for).

    Rows are grouped by ``units.c.fine`` (a unit -> key map, see
    storage/summary/snapshot.py) instead of the unit id, so each section's aggregate
    already has a few hundred keys rather than one per unit.
    """

    #: (YYYYMM, the UTC instant the local month ends) of every month covered, in order.
    months: tuple[tuple[int, datetime], ...]
    #: (pledge year, check-in period, YYYYMM its window closes in): windows follow the
    #: meeting date set for each year, so the month may differ between years.
    window_months: tuple[tuple[int, str, int], ...]
    #: CTE (unit_id, fine): the key each unit's rows are grouped by.
    units: Any

    def of_date(self, column: Any) -> ColumnElement[int]:
        """The month of a date column."""
        return year_month(column)

    def of_time(self, column: Any) -> ColumnElement[int]:
        """The local month of a UTC timestamp (rows are pre-filtered to the covered range)."""
        return case(
            *[(column < end, int_literal(g)) for g, end in self.months], else_=int_literal(0)
        )

    def of_year(self, column: Any) -> ColumnElement[int]:
        """An annual row of the year in ``column``."""
        return column * int_literal(100)

    def of_window(self, year: Any, period: Any) -> ColumnElement[int]:
        """The month in which check-in period ``period`` of pledge year ``year`` closes."""
        return case(
            *[(and_(year == y, period == p), int_literal(g)) for y, p, g in self.window_months],
            else_=year * int_literal(100),
        )

    @property
    def always(self) -> ColumnElement[int]:
        """Rows that belong to every period."""
        return int_literal(0)


def bucket_of(path: Any, unit_path: str) -> ColumnElement[str]:
    """SQL: the path of the direct child of ``unit_path`` that ``path`` lies under, or
    ``unit_path`` itself for the unit's own rows (``/1/4/9/`` under ``/1/`` -> ``/1/4/``)."""
    # A literal int (computed here, never user text) keeps asyncpg from guessing types.
    n = literal_column(str(len(unit_path)), Integer)
    rest = func.substr(path, n + 1)
    return func.substr(path, 1, n + strpos(rest, "/"))


#: Answers to a reminder that count as acknowledging it (a snooze does not).
ACKNOWLEDGED = ("received", "done")


def count_if(cond: ColumnElement[bool]) -> ColumnElement[int]:
    return func.sum(case((cond, 1), else_=0))


def subtree(unit_path: str, dialect: str, bound: bool = False) -> ColumnElement[bool]:
    """SQL: ``units.path`` lies in the subtree at ``unit_path``.

    The prefix LIKE decides on both engines. SQLite's LIKE is case-insensitive and so cannot
    use the path index; there a byte-wise range (paths are digits and ``/``, all below ``~``)
    is added so a county's units come from an index range, not a scan of every unit. The
    range is not used on PostgreSQL, whose collation may not compare byte-wise.

    With ``bound``, the path is the named parameters of :func:`bound_query` instead.
    """
    like: ColumnElement[bool]
    if bound:
        # Paths are digits and slashes: nothing in them needs escaping for LIKE.
        like = UnitRow.path.like(bindparam("v_path_like", type_=String()))
        low, high = bindparam("v_path", type_=String()), bindparam("v_path_end", type_=String())
    else:
        like = in_subtrees(UnitRow.path, [unit_path])
        low, high = literal(unit_path, String()), literal(unit_path + "~", String())
    if dialect != "sqlite":
        return like
    return and_(UnitRow.path >= low, UnitRow.path < high, like)


@dataclass(frozen=True)
class _BoundPeriod:
    start: Any
    end: Any
    years: tuple[Any, Any]


@dataclass(frozen=True)
class _BoundWindow:
    year: Any
    period: Any


@dataclass(frozen=True)
class BoundQuery:
    """A :class:`SummaryQuery` whose values are named bind parameters (``v_*``), so the
    statement built from it depends only on the query's *shape* and can be kept and run
    again with other values (see storage/summary/repository.py)."""

    unit_path: str  # only its length shapes the statement (see bucket_of)
    period: _BoundPeriod
    today: Any
    start_at: Any
    end_at: Any
    windows: tuple[_BoundWindow, ...]


def bound_query(q: SummaryQuery) -> tuple[BoundQuery, dict[str, Any]]:
    """The parametric form of ``q`` and the parameter values for it."""
    p = q.period
    values: dict[str, Any] = {
        "v_path": q.unit_path,
        "v_path_end": q.unit_path + "~",
        "v_path_like": q.unit_path + "%",
        "v_start": p.start,
        "v_end": p.end,
        "v_first_year": p.years[0],
        "v_last_year": p.years[-1],
        "v_today": q.today,
        "v_start_at": q.start_at,
        "v_end_at": q.end_at,
    }
    windows = []
    for i, w in enumerate(q.windows):
        values[f"v_w{i}_year"], values[f"v_w{i}_period"] = w.year, w.period
        windows.append(
            _BoundWindow(
                bindparam(f"v_w{i}_year", type_=Integer()),
                bindparam(f"v_w{i}_period", type_=String()),
            )
        )
    bq = BoundQuery(
        unit_path=q.unit_path,
        period=_BoundPeriod(
            bindparam("v_start", type_=Date()),
            bindparam("v_end", type_=Date()),
            (bindparam("v_first_year", type_=Integer()), bindparam("v_last_year", type_=Integer())),
        ),
        today=bindparam("v_today", type_=Date()),
        start_at=bindparam("v_start_at", type_=UTCDateTime()),
        end_at=bindparam("v_end_at", type_=UTCDateTime()),
        windows=tuple(windows),
    )
    return bq, values


#: A summary query: real values, or their parameters (:class:`BoundQuery`).
AnyQuery = SummaryQuery | BoundQuery


@dataclass(frozen=True)
class Scope:
    """A subtree: the unit -> bucket map (a CTE computed once per query, so paths are cut
    once per unit, not once per record) and whether record tables are pre-filtered by it.

    The final join with the map alone keeps rows outside the subtree out. Pre-filtering each
    table by ``unit_id IN (subtree)`` lets a small subtree read only its own index ranges;
    for a subtree holding most units, one pass over each covering index is cheaper than
    thousands of range probes, so the filter is left out (``narrow`` False) and the date
    columns are kept away from SQLite's index choice (:meth:`col`), and per-person tables
    are aggregated per person before their people's units are looked up.
    """

    map: Any  # CTE (unit_id, bucket)
    narrow: bool

    @classmethod
    def of(cls, unit_path: str, dialect: str, narrow: bool = True, bound: bool = False) -> Scope:
        """The scope of the subtree at ``unit_path`` (see :func:`subtree` for ``bound``)."""
        cte = (
            select(
                UnitRow.id.label("unit_id"),
                bucket_of(UnitRow.path, unit_path).label("bucket"),
            )
            .where(subtree(unit_path, dialect, bound))
            .cte("unit_bucket")
        )
        return cls(cte, narrow)

    def has(self, unit_id: Any) -> ColumnElement[bool]:
        """SQL: the record's unit lies in the subtree (or TRUE when not pre-filtering)."""
        return unit_id.in_(select(self.map.c.unit_id)) if self.narrow else true()

    def col(self, column: Any) -> Any:
        """A filter column: as is when pre-filtering (index ranges per unit), else kept away
        from the planner's index choice so the whole covering index is read in one pass."""
        return column if self.narrow else unindexed(column)


#: Value columns of a stacked section row (the widest section has six figures).
WIDTH = 6
SEC_ASSESS, SEC_CASES, SEC_TALKS, SEC_NOTICES, SEC_PLEDGES, SEC_CHECKINS = range(1, 7)
SEC_APPRAISALS, SEC_ELIGIBLE, SEC_REMINDERS, SEC_QUIZ = range(7, 11)
#: Rows of :meth:`SqlSummaryRepository.kinds`, returned by the figures statement too.
SEC_KINDS = 99


def _row(
    sec: int,
    unit_id: Any,
    values: list[Any],
    year: Any = None,
    period: Any = None,
    grain: Any = None,
) -> list[Any]:
    """The columns of one stacked section: sec, unit_id, k_year, k_period, [grain,] v0 … v5
    (``grain`` only in snapshot mode, see :class:`Grain`)."""
    zero = literal_column("0", Integer)
    cols = [
        literal_column(str(sec), Integer).label("sec"),
        unit_id.label("unit_id"),
        (zero if year is None else year).label("k_year"),
        (literal_column("''", String) if period is None else period).label("k_period"),
    ]
    if grain is not None:
        cols.append(grain.label("grain"))
    padded = [*values, *[zero] * (WIDTH - len(values))]
    return cols + [v.label(f"v{i}") for i, v in enumerate(padded)]


def _unit_key(grain: Grain | None, unit_id: Any) -> Any:
    """What rows are grouped by: the unit id, or in snapshot mode the unit's key."""
    return grain.units.c.fine if grain is not None else unit_id


def _keyed(stmt: Any, grain: Grain | None, unit_id: Any) -> Any:
    """``stmt`` joined to the unit -> key map in snapshot mode."""
    return stmt.join(grain.units, grain.units.c.unit_id == unit_id) if grain is not None else stmt


def _from(table: Any, grain: Grain | None, unit_id: Any) -> Any:
    """``table``, joined to the unit -> key map in snapshot mode (a FROM clause)."""
    if grain is None:
        return table
    return table.__table__.join(grain.units, grain.units.c.unit_id == unit_id)


def _keys(grain: Any, *columns: Any) -> list[Any]:
    """GROUP BY columns: ``columns``, plus the grain in snapshot mode."""
    return [*columns, grain] if grain is not None else list(columns)


def case_kinds_cte(q: AnyQuery, scope: Scope, grain: Grain | None = None) -> Any:
    """CTE: people per (unit, case, category, kind) of the subtree's cases in the period — one
    row with a NULL category and 0 people for a case nobody is handled in yet (in snapshot
    mode also keyed by the month the case was opened, column ``grain``).

    Both the per-unit case figures and the (category, kind) table are sums over it, so the
    case-to-people join, the dearest part of a summary, runs once for both."""
    c, cp = AccountabilityCaseRow, CasePersonRow
    p = q.period
    month = grain.of_date(c.opened_on) if grain is not None else None
    unit = _unit_key(grain, c.unit_id)
    cols: list[Any] = [
        unit.label("unit_id"),
        c.id.label("case_id"),
        cp.category.label("category"),
        cp.kind.label("kind"),
        func.count(cp.id).label("n"),
    ]
    if month is not None:
        cols.append(month.label("grain"))
    stmt = _keyed(select(*cols).select_from(c), grain, c.unit_id)
    return (
        stmt.outerjoin(
            cp, and_(cp.case_id == c.id, cp.deleted_at.is_(None), cp.revoked_on.is_(None))
        )
        .where(
            scope.has(c.unit_id),
            scope.col(c.opened_on).between(p.start, p.end),
            c.deleted_at.is_(None),
        )
        .group_by(*_keys(month, unit, c.id, cp.category, cp.kind))
        .cte("case_kinds")
    )


def kinds_rows(case_kinds: Any, mine: ColumnElement[bool]) -> Any:
    """SELECT in the figures statement's columns: (category, SEC_KINDS, 0, kind, people,
    cases) of the cases ``mine`` keeps; a case is counted once per (category, kind) it has
    people in. (``mine`` is not a join with the unit -> bucket map: a second reference
    would make PostgreSQL materialise that CTE and misjudge the main roll-up's join.)"""
    ck = case_kinds
    zero = literal_column("0", Integer)
    return (
        select(
            ck.c.category,
            literal_column(str(SEC_KINDS), Integer),
            zero,
            ck.c.kind,
            func.sum(ck.c.n),
            func.count(),
            *[zero] * (WIDTH - 2),
        )
        .where(mine, ck.c.category.is_not(None))
        .group_by(ck.c.category, ck.c.kind)
    )


def sections(
    q: AnyQuery, scope: Scope, case_kinds: Any, grain: Grain | None = None
) -> list[tuple[int, Any]]:
    """(section id, per-unit SELECT) for every section; the names of a section's values are
    in :data:`SECTION_NAMES`.

    With ``grain`` (snapshot mode), every row is also keyed by its grain and the quiz
    section is left out: a participant's best score is not a sum over months, so the
    snapshot computes it per period itself.
    """
    p = q.period
    out: list[tuple[int, Any]] = []

    def g(expr: Any) -> Any:
        """The grain expression in snapshot mode, else None (no grain column)."""
        return expr if grain is not None else None

    # Assessments (annual): unit results, advanced units, advanced workers (person-times).
    a = AssessmentRow
    unit_a = a.person_id.is_(None)
    a_grain = g(grain and grain.of_year(a.year))
    a_unit = _unit_key(grain, a.unit_id)
    out.append(
        (
            SEC_ASSESS,
            select(
                *_row(
                    SEC_ASSESS,
                    a_unit,
                    [
                        count_if(and_(unit_a, a.result == "excellent")),
                        count_if(and_(unit_a, a.result == "passed")),
                        count_if(and_(unit_a, a.result == "failed")),
                        count_if(and_(unit_a, a.commendation == "advanced_unit")),
                        count_if(and_(not_(unit_a), a.commendation == "advanced_worker")),
                        count_if(and_(not_(unit_a), a.rated_despite_bar == true())),
                    ],
                    grain=a_grain,
                )
            )
            .select_from(_from(a, grain, a.unit_id))
            .where(
                scope.has(a.unit_id),
                scope.col(a.year).between(p.years[0], p.years[-1]),
                a.deleted_at.is_(None),
            )
            .group_by(*_keys(a_grain, a_unit)),
        )
    )

    # Accountability: per case first (people by handling), then per unit; a case counts
    # under a category when at least one of its people is in it.
    ck = case_kinds
    case_grain = g(ck.c.grain if grain is not None else None)
    per_case = (
        select(
            ck.c.unit_id.label("unit_id"),
            *([case_grain.label("grain")] if case_grain is not None else []),
            func.sum(ck.c.n).label("n"),
            func.sum(case((ck.c.category == "organisational", ck.c.n), else_=0)).label("n_org"),
            func.sum(case((ck.c.category == "discipline", ck.c.n), else_=0)).label("n_disc"),
        )
        .group_by(*_keys(case_grain, ck.c.unit_id, ck.c.case_id))
        .subquery("per_case")
    )
    pc_grain = g(per_case.c.grain if grain is not None else None)
    out.append(
        (
            SEC_CASES,
            select(
                *_row(
                    SEC_CASES,
                    per_case.c.unit_id,
                    [
                        func.count(),
                        func.sum(per_case.c.n),
                        count_if(per_case.c.n_org > 0),
                        func.sum(per_case.c.n_org),
                        count_if(per_case.c.n_disc > 0),
                        func.sum(per_case.c.n_disc),
                    ],
                    grain=pc_grain,
                )
            ).group_by(*_keys(pc_grain, per_case.c.unit_id)),
        )
    )

    # Warning talks, by the day they were held.
    t = WarningTalkRow
    t_grain = g(grain and grain.of_date(t.talk_date))
    t_unit = _unit_key(grain, t.unit_id)
    out.append(
        (
            SEC_TALKS,
            select(*_row(SEC_TALKS, t_unit, [func.count()], grain=t_grain))
            .select_from(_from(t, grain, t.unit_id))
            .where(
                scope.has(t.unit_id),
                scope.col(t.talk_date).between(p.start, p.end),
                t.deleted_at.is_(None),
            )
            .group_by(*_keys(t_grain, t_unit)),
        )
    )

    # Rectification notices issued in the period, by where they stand today.
    n = RectificationNoticeRow
    closed = n.status == "closed"
    # Overdue: past the deadline and not accepted (a report awaiting review still counts).
    overdue = and_(not_(closed), n.deadline < q.today)
    n_grain = g(grain and grain.of_date(n.issued_on))
    n_unit = _unit_key(grain, n.unit_id)
    out.append(
        (
            SEC_NOTICES,
            select(
                *_row(
                    SEC_NOTICES,
                    n_unit,
                    [
                        count_if(and_(not_(closed), not_(overdue))),
                        count_if(overdue),
                        count_if(and_(closed, n.closed_on <= n.deadline)),
                        count_if(
                            and_(closed, or_(n.closed_on.is_(None), n.closed_on > n.deadline))
                        ),
                    ],
                    grain=n_grain,
                )
            )
            .select_from(_from(n, grain, n.unit_id))
            .where(
                scope.has(n.unit_id),
                scope.col(n.issued_on).between(p.start, p.end),
                n.deleted_at.is_(None),
            )
            .group_by(*_keys(n_grain, n_unit)),
        )
    )

    # Pledges (annual) and their appraisals; check-ins of windows closing in the period.
    pl, ci, ap = PledgeRow, CheckinRow, AppraisalRow
    pl_year = scope.col(pl.year)
    in_years = pl_year.between(p.years[0], p.years[-1])
    mine = scope.has(pl.unit_id)
    pl_grain = g(grain and grain.of_year(pl.year))
    pl_unit = _unit_key(grain, pl.unit_id)
    # Keyed by the day each pledge was made public too: a check-in window that closed
    # before a pledge was made public is not owed by it (a pledge made in December owes no
    # mid-year check-in), so missing check-ins are counted per window in assemble().
    published = cast(pl.publish_date, String)
    out.append(
        (
            SEC_PLEDGES,
            select(
                *_row(
                    SEC_PLEDGES,
                    pl_unit,
                    [func.count()],
                    year=pl.year,
                    period=published,
                    grain=pl_grain,
                )
            )
            .select_from(_from(pl, grain, pl.unit_id))
            .where(mine, in_years)
            .group_by(*_keys(pl_grain, pl_unit, pl.year, pl.publish_date)),
        )
    )
    if q.windows:
        window = or_(*[and_(pl_year == w.year, ci.period == w.period) for w in q.windows])
        ci_grain = g(grain and grain.of_window(pl.year, ci.period))
        out.append(
            (
                SEC_CHECKINS,
                select(
                    *_row(
                        SEC_CHECKINS,
                        pl_unit,
                        [count_if(ci.late == false()), count_if(ci.late == true())],
                        year=pl.year,
                        period=ci.period,
                        grain=ci_grain,
                    )
                )
                .select_from(_from(pl, grain, pl.unit_id))
                .join(ci, ci.pledge_id == pl.id)
                .where(mine, window)
                .group_by(*_keys(ci_grain, pl_unit, pl.year, ci.period)),
            )
        )
    out.append(
        (
            SEC_APPRAISALS,
            select(
                *_row(
                    SEC_APPRAISALS,
                    pl_unit,
                    [
                        count_if(ap.grade == "excellent"),
                        count_if(ap.grade == "passed"),
                        count_if(ap.grade == "failed"),
                    ],
                    grain=pl_grain,
                )
            )
            .select_from(_from(pl, grain, pl.unit_id))
            .join(ap, ap.pledge_id == pl.id)
            .where(mine, in_years)
            .group_by(*_keys(pl_grain, pl_unit)),
        )
    )

    # The people a test is meant for: active section-level cadres, by their current unit.
    person_mine = scope.has(PersonRow.unit_id)
    person_unit = _unit_key(grain, PersonRow.unit_id)
    out.append(
        (
            SEC_ELIGIBLE,
            select(
                *_row(
                    SEC_ELIGIBLE,
                    person_unit,
                    [func.count()],
                    grain=g(grain and grain.always),
                )
            )
            .select_from(_from(PersonRow, grain, PersonRow.unit_id))
            .where(person_mine, PersonRow.active.is_(True), PersonRow.section_level.is_(True))
            .group_by(person_unit),
        )
    )
    tables = reminder_tables()
    if tables is None:
        return out
    d, occ, qa = tables
    # Only reminders that ask for an acknowledgement count: digests and escalations carry no
    # buttons. Occurrences are few (one per event lead time, deadline day, period …), so the
    # semi-join is a small hash; occurrence_id is in the covering index.
    asking = select(occ.c.id).where(occ.c.kind.in_([k.value for k in ACKNOWLEDGEABLE_KINDS]))
    sent = and_(
        scope.col(d.c.sent_at) >= q.start_at,
        scope.col(d.c.sent_at) < q.end_at,
        d.c.occurrence_id.in_(asking),
    )
    counted = and_(
        qa.c.practice.is_(False),
        qa.c.score.is_not(None),
        scope.col(qa.c.finished_at) >= q.start_at,
        scope.col(qa.c.finished_at) < q.end_at,
    )
    if scope.narrow:
        # A few units: their people first, then each person's index range.
        reminders = (
            select(
                *_row(
                    SEC_REMINDERS,
                    PersonRow.unit_id,
                    [func.count(d.c.id), count_if(d.c.ack_status.in_(ACKNOWLEDGED))],
                )
            )
            .select_from(PersonRow)
            .join(d, d.c.person_id == PersonRow.id)
            .where(person_mine, sent)
            .group_by(PersonRow.unit_id)
        )
        best = (
            select(PersonRow.unit_id.label("unit_id"), func.max(qa.c.score).label("best"))
            .select_from(PersonRow)
            .join(qa, qa.c.person_id == PersonRow.id)
            .where(person_mine, counted)
            .group_by(PersonRow.unit_id, PersonRow.id)
            .subquery("best")
        )
        quiz = select(*_row(SEC_QUIZ, best.c.unit_id, [func.count(), func.sum(best.c.best)]))
        out += [(SEC_REMINDERS, reminders), (SEC_QUIZ, quiz.group_by(best.c.unit_id))]
        return out
    # Most units: one pass over each person-keyed index (rows arrive grouped by person),
    # then each person's unit by primary key — cheaper than probing every person's range.
    d_grain = g(grain and grain.of_time(d.c.sent_at))
    per_person = (
        select(
            d.c.person_id,
            *([d_grain.label("grain")] if d_grain is not None else []),
            func.count(d.c.id).label("n"),
            count_if(d.c.ack_status.in_(ACKNOWLEDGED)).label("acked"),
        )
        .where(sent)
        .group_by(*_keys(d_grain, d.c.person_id))
        .subquery("sent")
    )
    pp_grain = g(per_person.c.grain if grain is not None else None)
    reminders = _keyed(
        select(
            *_row(
                SEC_REMINDERS,
                person_unit,
                [func.sum(per_person.c.n), func.sum(per_person.c.acked)],
                grain=pp_grain,
            )
        )
        .select_from(per_person)
        .join(PersonRow, PersonRow.id == per_person.c.person_id),
        grain,
        PersonRow.unit_id,
    ).group_by(*_keys(pp_grain, person_unit))
    out.append((SEC_REMINDERS, reminders))
    if grain is not None:
        return out
    best = (
        select(qa.c.person_id, func.max(qa.c.score).label("best"))
        .where(counted)
        .group_by(qa.c.person_id)
        .subquery("best")
    )
    quiz = (
        select(*_row(SEC_QUIZ, PersonRow.unit_id, [func.count(), func.sum(best.c.best)]))
        .select_from(best)
        .join(PersonRow, PersonRow.id == best.c.person_id)
        .group_by(PersonRow.unit_id)
    )
    out.append((SEC_QUIZ, quiz))
    return out


#: The Figures fields each section's values fill, in column order.
SECTION_NAMES: dict[int, tuple[str, ...]] = {
    SEC_ASSESS: (
        "units_excellent",
        "units_passed",
        "units_failed",
        "advanced_units",
        "advanced_workers",
        "ratings_despite_bar",
    ),
    SEC_CASES: ("cases", "people", "org_cases", "org_people", "disc_cases", "disc_people"),
    SEC_TALKS: ("talks",),
    SEC_NOTICES: (
        "notices_open",
        "notices_overdue",
        "notices_closed_on_time",
        "notices_closed_late",
    ),
    SEC_PLEDGES: ("pledges",),
    SEC_CHECKINS: ("checkins_on_time", "checkins_late"),
    SEC_APPRAISALS: ("appraisal_excellent", "appraisal_passed", "appraisal_failed"),
    SEC_ELIGIBLE: ("quiz_eligible",),
    SEC_REMINDERS: ("reminders_sent", "reminders_acked"),
    SEC_QUIZ: ("quiz_takers", "quiz_score_total"),
}


def assemble(rows: Sequence[Any], q: SummaryQuery) -> tuple[dict[str, Figures], list[KindCount]]:
    """Figures per bucket and the (category, kind) table from the rows of the figures
    statement (or the same rows kept in the snapshot): (bucket, sec, k_year, k_period, v0 …).

    Check-ins missing are derived here, from pledges and check-ins submitted per bucket: a
    check-in is missing once its window has closed (before ``q.today``) without one.
    """
    names = SECTION_NAMES
    acc: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    # (bucket, year) -> [(day made public, pledges)]
    pledges: dict[tuple[str, int], list[tuple[str, int]]] = defaultdict(list)
    submitted: dict[tuple[str, int, str], int] = defaultdict(int)
    kinds: list[KindCount] = []
    for b, sec, year, period, *values in rows:
        if sec == SEC_KINDS:  # b: category, period: kind
            kinds.append(KindCount(b, period, int(values[0] or 0), int(values[1] or 0)))
            continue
        for name, value in zip(names[sec], values, strict=False):
            acc[b][name] += int(value or 0)
        if sec == SEC_PLEDGES:
            pledges[(b, int(year))].append((str(period or ""), int(values[0] or 0)))
        elif sec == SEC_CHECKINS:
            submitted[(b, int(year), str(period))] += int(values[0] or 0) + int(values[1] or 0)
    for w in q.windows:
        if w.ends_on >= q.today:
            continue
        closes = w.ends_on.isoformat()
        for (b, year), made in pledges.items():
            if year == w.year:
                # Only pledges made public by the window's last day owe a check-in in it
                # (ISO dates compare as text; an unknown day counts as owing).
                owing = sum(n for day, n in made if not day or day[:10] <= closes)
                missing = owing - submitted.get((b, year, w.period), 0)
                acc[b]["checkins_missing"] += max(missing, 0)
    # Categories last to first, then most people first, then kind (as kinds() orders).
    kinds.sort(key=lambda k: k.kind)
    kinds.sort(key=lambda k: k.people, reverse=True)
    kinds.sort(key=lambda k: k.category, reverse=True)
    return {k: Figures(**v) for k, v in acc.items()}, kinds
