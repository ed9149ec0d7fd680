"""The one row shape every section returns, so that all sections stack with UNION ALL, and
the help each section's SELECT gets to build it in either mode (live or snapshot).

A stacked row is (sec, unit_id, k_year, k_period, [grain,] v0 … v5): the section's id, the
unit (in snapshot mode the unit's key, see :class:`Grain`), two key columns only some
sections use, and up to :data:`WIDTH` figures, whose names are in :data:`SECTION_NAMES`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Integer, String, literal_column, select

from storage.summary.sql.scope import AnyQuery, Grain, Scope

#: Value columns of a stacked section row (the widest section has six figures).
WIDTH = 6
SEC_ASSESS, SEC_CASES, SEC_TALKS, SEC_NOTICES, SEC_PLEDGES, SEC_CHECKINS = range(1, 7)
SEC_APPRAISALS, SEC_ELIGIBLE, SEC_REMINDERS, SEC_QUIZ = range(7, 11)
#: Rows of :meth:`SqlSummaryRepository.kinds`, returned by the figures statement too.
SEC_KINDS = 99

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


def stacked_row(
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


@dataclass(frozen=True)
class Build:
    """What a section's SELECT is built from: the query (values, or their parameters), the
    subtree and, in snapshot mode, the grain."""

    q: AnyQuery
    scope: Scope
    grain: Grain | None = None

    def g(self, make: Callable[[Grain], Any]) -> Any:
        """``make(grain)`` in snapshot mode, else None (no grain column)."""
        return make(self.grain) if self.grain is not None else None

    def unit_key(self, unit_id: Any) -> Any:
        """What rows are grouped by: the unit id, or in snapshot mode the unit's key."""
        return self.grain.units.c.fine if self.grain is not None else unit_id

    def keyed(self, stmt: Any, unit_id: Any) -> Any:
        """``stmt`` joined to the unit -> key map in snapshot mode."""
        g = self.grain
        return stmt.join(g.units, g.units.c.unit_id == unit_id) if g is not None else stmt

    def source(self, table: Any, unit_id: Any) -> Any:
        """``table``, joined to the unit -> key map in snapshot mode (a FROM clause)."""
        if self.grain is None:
            return table
        return table.__table__.join(self.grain.units, self.grain.units.c.unit_id == unit_id)


def group_keys(grain: Any, *columns: Any) -> list[Any]:
    """GROUP BY columns: ``columns``, plus the grain in snapshot mode."""
    return [*columns, grain] if grain is not None else list(columns)


def per_unit(
    b: Build,
    sec: int,
    table: Any,
    values: list[Any],
    *,
    grain: Any,
    where: Sequence[Any],
    join: tuple[Any, Any] | None = None,
    by: Sequence[Any] = (),
    year: Any = None,
    period: Any = None,
) -> Any:
    """The SELECT of section ``sec`` over ``table`` (joined to ``join``, rows kept by
    ``where``): one row of ``values`` per unit (per unit key and ``grain`` in snapshot
    mode) and per ``by``, with ``year`` and ``period`` as its key columns."""
    unit = b.unit_key(table.unit_id)
    stmt = select(
        *stacked_row(sec, unit, values, year=year, period=period, grain=grain)
    ).select_from(b.source(table, table.unit_id))
    if join is not None:
        stmt = stmt.join(*join)
    return stmt.where(*where).group_by(*group_keys(grain, unit, *by))
