"""Which units and which time a summary statement covers: the subtree (:class:`Scope`,
:func:`subtree`, :func:`bucket_of`), the query's values as bind parameters
(:class:`BoundQuery`) and, in snapshot mode, the grain each row is keyed by (:class:`Grain`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    Date,
    Integer,
    String,
    and_,
    bindparam,
    case,
    func,
    literal,
    literal_column,
    select,
    true,
)

from handlers.summary.domain import SummaryQuery
from storage.core.models import UnitRow, UTCDateTime
from storage.core.sql import in_subtrees
from storage.summary.sql.functions import int_literal, strpos, unindexed, year_month


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


class _BoundPeriod(NamedTuple):
    """A period's first and last day and years, as bind parameters."""

    start: Any
    end: Any
    years: tuple[Any, Any]


class _BoundWindow(NamedTuple):
    """A check-in window's year and period, as bind parameters."""

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
