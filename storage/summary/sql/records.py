"""The sections of the discipline records: assessments, accountability cases (and the
(category, kind) table), warning talks and rectification notices."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    and_,
    case,
    func,
    literal_column,
    not_,
    or_,
    select,
    true,
)

from storage.records.models import (
    AccountabilityCaseRow,
    AssessmentRow,
    CasePersonRow,
    RectificationNoticeRow,
    WarningTalkRow,
)
from storage.summary.sql.functions import count_if
from storage.summary.sql.rows import (
    SEC_ASSESS,
    SEC_CASES,
    SEC_KINDS,
    SEC_NOTICES,
    SEC_TALKS,
    WIDTH,
    Build,
    group_keys,
    per_unit,
    stacked_row,
)
from storage.summary.sql.scope import AnyQuery, Grain, Scope


def case_kinds_cte(q: AnyQuery, scope: Scope, grain: Grain | None = None) -> Any:
    """CTE: people per (unit, case, category, kind) of the subtree's cases in the period — one
    row with a NULL category and 0 people for a case nobody is handled in yet (in snapshot
    mode also keyed by the month the case was opened, column ``grain``).

    Both the per-unit case figures and the (category, kind) table are sums over it, so the
    case-to-people join, the dearest part of a summary, runs once for both."""
    c, cp = AccountabilityCaseRow, CasePersonRow
    p = q.period
    b = Build(q, scope, grain)
    month = b.g(lambda g: g.of_date(c.opened_on))
    unit = b.unit_key(c.unit_id)
    cols: list[Any] = [
        unit.label("unit_id"),
        c.id.label("case_id"),
        cp.category.label("category"),
        cp.kind.label("kind"),
        func.count(cp.id).label("n"),
    ]
    if month is not None:
        cols.append(month.label("grain"))
    stmt = b.keyed(select(*cols).select_from(c), c.unit_id)
    return (
        stmt.outerjoin(
            cp, and_(cp.case_id == c.id, cp.deleted_at.is_(None), cp.revoked_on.is_(None))
        )
        .where(
            scope.has(c.unit_id),
            scope.col(c.opened_on).between(p.start, p.end),
            c.deleted_at.is_(None),
        )
        .group_by(*group_keys(month, unit, c.id, cp.category, cp.kind))
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


def _live_in(b: Build, model: Any, day: Any, first: Any, last: Any) -> list[Any]:
    """Conditions: a live record of a unit in scope, ``day`` from ``first`` to ``last``."""
    scope = b.scope
    return [
        scope.has(model.unit_id),
        scope.col(day).between(first, last),
        model.deleted_at.is_(None),
    ]


def assessments(b: Build) -> Any:
    """Assessments (annual): unit results, advanced units, advanced workers (person-times)."""
    a, p = AssessmentRow, b.q.period
    unit_a = a.person_id.is_(None)
    values = [
        count_if(and_(unit_a, a.result == "excellent")),
        count_if(and_(unit_a, a.result == "passed")),
        count_if(and_(unit_a, a.result == "failed")),
        count_if(and_(unit_a, a.commendation == "advanced_unit")),
        count_if(and_(not_(unit_a), a.commendation == "advanced_worker")),
        count_if(and_(not_(unit_a), a.rated_despite_bar == true())),
    ]
    grain = b.g(lambda g: g.of_year(a.year))
    where = _live_in(b, a, a.year, p.years[0], p.years[-1])
    return per_unit(b, SEC_ASSESS, a, values, grain=grain, where=where)


def cases(b: Build, case_kinds: Any) -> Any:
    """Accountability: per case first (people by handling), then per unit; a case counts
    under a category when at least one of its people is in it."""
    ck = case_kinds
    case_grain = b.g(lambda _: ck.c.grain)
    per_case = (
        select(
            ck.c.unit_id.label("unit_id"),
            *([case_grain.label("grain")] if case_grain is not None else []),
            func.sum(ck.c.n).label("n"),
            func.sum(case((ck.c.category == "organisational", ck.c.n), else_=0)).label("n_org"),
            func.sum(case((ck.c.category == "discipline", ck.c.n), else_=0)).label("n_disc"),
        )
        .group_by(*group_keys(case_grain, ck.c.unit_id, ck.c.case_id))
        .subquery("per_case")
    )
    pc_grain = b.g(lambda _: per_case.c.grain)
    values = [
        func.count(),
        func.sum(per_case.c.n),
        count_if(per_case.c.n_org > 0),
        func.sum(per_case.c.n_org),
        count_if(per_case.c.n_disc > 0),
        func.sum(per_case.c.n_disc),
    ]
    return select(*stacked_row(SEC_CASES, per_case.c.unit_id, values, grain=pc_grain)).group_by(
        *group_keys(pc_grain, per_case.c.unit_id)
    )


def talks(b: Build) -> Any:
    """Warning talks, by the day they were held."""
    t, p = WarningTalkRow, b.q.period
    grain = b.g(lambda g: g.of_date(t.talk_date))
    where = _live_in(b, t, t.talk_date, p.start, p.end)
    return per_unit(b, SEC_TALKS, t, [func.count()], grain=grain, where=where)


def notices(b: Build) -> Any:
    """Rectification notices issued in the period, by where they stand today."""
    n, p = RectificationNoticeRow, b.q.period
    closed = n.status == "closed"
    # Overdue: past the deadline and not accepted (a report awaiting review still counts).
    overdue = and_(not_(closed), n.deadline < b.q.today)
    values = [
        count_if(and_(not_(closed), not_(overdue))),
        count_if(overdue),
        count_if(and_(closed, n.closed_on <= n.deadline)),
        count_if(and_(closed, or_(n.closed_on.is_(None), n.closed_on > n.deadline))),
    ]
    grain = b.g(lambda g: g.of_date(n.issued_on))
    where = _live_in(b, n, n.issued_on, p.start, p.end)
    return per_unit(b, SEC_NOTICES, n, values, grain=grain, where=where)
