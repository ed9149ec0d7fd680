"""SQL functions the summary statements need that differ by database: a substring's
position, a column kept away from the planner's index choice, a date's year and month, a
typed integer literal, and a conditional count."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Integer, case, func, literal_column
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


def _render(cls: type[FunctionElement[Any]], **templates: str) -> None:
    """Compile ``cls`` as ``templates[dialect]`` (``default`` for the other databases), with
    ``{}`` standing for its arguments."""
    for dialect, template in templates.items():

        def render(element: Any, compiler: Any, _template: str = template, **kw: Any) -> str:
            return _template.format(compiler.process(element.clauses, **kw))

        compiles(cls, *(() if dialect == "default" else (dialect,)))(render)


class strpos(FunctionElement[int]):
    """Position of a substring (1-based, 0 when absent): ``instr`` / ``strpos``."""

    type = Integer()
    inherit_cache = True


_render(strpos, default="instr({})", postgresql="strpos({})")


class unindexed(FunctionElement[Any]):
    """A column the planner must not pick an index for: ``+col`` on SQLite, ``col`` elsewhere.

    A whole-province summary reads each table once through its covering (unit id first)
    index; SQLite would otherwise range-scan a date index and visit ~50,000 table rows.
    """

    inherit_cache = True

    def __init__(self, column: Any) -> None:
        super().__init__(column)
        self.type = column.type


_render(unindexed, default="{}", sqlite="+{}")


class year_month(FunctionElement[int]):
    """A date's year and month as one number, ``2026-05-17`` -> ``202605``."""

    type = Integer()
    inherit_cache = True


_render(
    year_month,
    default="CAST(strftime('%Y%m', {}) AS INTEGER)",
    postgresql="CAST(to_char({}, 'YYYYMM') AS INTEGER)",
)


def int_literal(value: int) -> ColumnElement[int]:
    """A literal integer computed here (never user input), typed for every driver."""
    return literal_column(str(int(value)), Integer)


def count_if(cond: ColumnElement[bool]) -> ColumnElement[int]:
    """SQL: how many rows meet ``cond`` (a SUM of CASE, so it works inside any GROUP BY)."""
    return func.sum(case((cond, 1), else_=0))
