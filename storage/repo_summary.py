"""SQL aggregations behind the supervisor summaries (portable: SQLite and PostgreSQL).

Every figure is a COUNT/SUM over a join with ``units`` restricted to a subtree by the
materialised path prefix (:func:`storage.repositories.in_subtrees`), grouped by *bucket*:
the path of the direct sub-unit a row falls under, cut out of the row's unit path with
``substr``/``instr`` — so one pass gives the figures of every sub-unit at once and the
whole is their sum. Nothing is loaded row by row except the export's person lists.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    String,
    and_,
    case,
    false,
    func,
    literal_column,
    not_,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from handlers.domain_reminders import ACKNOWLEDGEABLE_KINDS
from handlers.domain_summary import (
    AccountablePerson,
    Figures,
    KindCount,
    SummaryQuery,
    UnitAssessment,
)
from storage.models import PersonRow, UnitRow
from storage.models_pledges import AppraisalRow, CheckinRow, PledgeRow
from storage.models_records import (
    AccountabilityCaseRow,
    AssessmentRow,
    CasePersonRow,
    RectificationNoticeRow,
    WarningTalkRow,
)
from storage.models_summary import reminder_tables
from storage.repositories import in_subtrees


class _strpos(FunctionElement[int]):
    """Position of a substring (1-based, 0 when absent): ``instr`` / ``strpos``."""

    type = Integer()
    inherit_cache = True


@compiles(_strpos)
def _strpos_default(element: _strpos, compiler: Any, **kw: Any) -> str:
    return f"instr({compiler.process(element.clauses, **kw)})"


@compiles(_strpos, "postgresql")
def _strpos_pg(element: _strpos, compiler: Any, **kw: Any) -> str:
    return f"strpos({compiler.process(element.clauses, **kw)})"


class _unindexed(FunctionElement[Any]):
    """A column the planner must not pick an index for: ``+col`` on SQLite, ``col`` elsewhere.

    A whole-province summary reads each table once through its covering (unit id first)
    index; SQLite would otherwise range-scan a date index and visit ~50,000 table rows.
    """

    inherit_cache = True

    def __init__(self, column: Any) -> None:
        super().__init__(column)
        self.type = column.type


@compiles(_unindexed)
def _unindexed_default(element: _unindexed, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(element.clauses, **kw))


@compiles(_unindexed, "sqlite")
def _unindexed_sqlite(element: _unindexed, compiler: Any, **kw: Any) -> str:
    return f"+{compiler.process(element.clauses, **kw)}"


def bucket_of(path: Any, unit_path: str) -> ColumnElement[str]:
    """SQL: the path of the direct child of ``unit_path`` that ``path`` lies under, or
    ``unit_path`` itself for the unit's own rows (``/1/4/9/`` under ``/1/`` -> ``/1/4/``)."""
    # A literal int (computed here, never user text) keeps asyncpg from guessing types.
    n = literal_column(str(len(unit_path)), Integer)
    rest = func.substr(path, n + 1)
    return func.substr(path, 1, n + _strpos(rest, "/"))


#: Answers to a reminder that count as acknowledging it (a snooze does not).
ACKNOWLEDGED = ("received", "done")


def _count_if(cond: ColumnElement[bool]) -> ColumnElement[int]:
    return func.sum(case((cond, 1), else_=0))


def subtree(unit_path: str, dialect: str) -> ColumnElement[bool]:
    """SQL: ``units.path`` lies in the subtree at ``unit_path``.

    The prefix LIKE decides on both engines. SQLite's LIKE is case-insensitive and so cannot
    use the path index; there a byte-wise range (paths are digits and ``/``, all below ``~``)
    is added so a county's units come from an index range, not a scan of every unit. The
    range is not used on PostgreSQL, whose collation may not compare byte-wise.
    """
    like = in_subtrees(UnitRow.path, [unit_path])
    if dialect != "sqlite":
        return like
    return and_(UnitRow.path >= unit_path, UnitRow.path < unit_path + "~", like)


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
    def of(cls, unit_path: str, dialect: str, narrow: bool = True) -> Scope:
        """The scope of the subtree at ``unit_path``."""
        cte = (
            select(
                UnitRow.id.label("unit_id"),
                bucket_of(UnitRow.path, unit_path).label("bucket"),
            )
            .where(subtree(unit_path, dialect))
            .cte("unit_bucket")
        )
        return cls(cte, narrow)

    def has(self, unit_id: Any) -> ColumnElement[bool]:
        """SQL: the record's unit lies in the subtree (or TRUE when not pre-filtering)."""
        return unit_id.in_(select(self.map.c.unit_id)) if self.narrow else true()

    def col(self, column: Any) -> Any:
        """A filter column: as is when pre-filtering (index ranges per unit), else kept away
        from the planner's index choice so the whole covering index is read in one pass."""
        return column if self.narrow else _unindexed(column)


#: Subtrees holding more than this share of all units read whole indexes (see Scope).
WIDE_SCOPE = 0.25
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
) -> list[Any]:
    """The columns of one stacked section: sec, unit_id, k_year, k_period, v0 … v5."""
    zero = literal_column("0", Integer)
    cols = [
        literal_column(str(sec), Integer).label("sec"),
        unit_id.label("unit_id"),
        (zero if year is None else year).label("k_year"),
        (literal_column("''", String) if period is None else period).label("k_period"),
    ]
    padded = [*values, *[zero] * (WIDTH - len(values))]
    return cols + [v.label(f"v{i}") for i, v in enumerate(padded)]


def _case_kinds(q: SummaryQuery, scope: Scope) -> Any:
    """CTE: people per (unit, case, category, kind) of the subtree's cases in the period — one
    row with a NULL category and 0 people for a case nobody is handled in yet.

    Both the per-unit case figures and the (category, kind) table are sums over it, so the
    case-to-people join, the dearest part of a summary, runs once for both."""
    c, cp = AccountabilityCaseRow, CasePersonRow
    p = q.period
    return (
        select(
            c.unit_id.label("unit_id"),
            c.id.label("case_id"),
            cp.category.label("category"),
            cp.kind.label("kind"),
            func.count(cp.id).label("n"),
        )
        .select_from(c)
        .outerjoin(cp, and_(cp.case_id == c.id, cp.deleted_at.is_(None)))
        .where(
            scope.has(c.unit_id),
            scope.col(c.opened_on).between(p.start, p.end),
            c.deleted_at.is_(None),
        )
        .group_by(c.unit_id, c.id, cp.category, cp.kind)
        .cte("case_kinds")
    )


def _kinds_rows(case_kinds: Any, mine: ColumnElement[bool]) -> Any:
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


def _sections(q: SummaryQuery, scope: Scope, case_kinds: Any) -> list[tuple[int, Any]]:
    """(section id, per-unit SELECT) for every section; the names of a section's values are
    in :data:`SECTION_NAMES`."""
    p = q.period
    out: list[tuple[int, Any]] = []

    # Assessments (annual): unit results, advanced units, advanced workers (person-times).
    a = AssessmentRow
    unit_a = a.person_id.is_(None)
    out.append(
        (
            SEC_ASSESS,
            select(
                *_row(
                    SEC_ASSESS,
                    a.unit_id,
                    [
                        _count_if(and_(unit_a, a.result == "excellent")),
                        _count_if(and_(unit_a, a.result == "passed")),
                        _count_if(and_(unit_a, a.result == "failed")),
                        _count_if(and_(unit_a, a.commendation == "advanced_unit")),
                        _count_if(and_(not_(unit_a), a.commendation == "advanced_worker")),
                    ],
                )
            )
            .where(
                scope.has(a.unit_id),
                scope.col(a.year).between(p.years[0], p.years[-1]),
                a.deleted_at.is_(None),
            )
            .group_by(a.unit_id),
        )
    )

    # Accountability: per case first (people by handling), then per unit; a case counts
    # under a category when at least one of its people is in it.
    ck = case_kinds
    per_case = (
        select(
            ck.c.unit_id.label("unit_id"),
            func.sum(ck.c.n).label("n"),
            func.sum(case((ck.c.category == "organisational", ck.c.n), else_=0)).label("n_org"),
            func.sum(case((ck.c.category == "discipline", ck.c.n), else_=0)).label("n_disc"),
        )
        .group_by(ck.c.unit_id, ck.c.case_id)
        .subquery("per_case")
    )
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
                        _count_if(per_case.c.n_org > 0),
                        func.sum(per_case.c.n_org),
                        _count_if(per_case.c.n_disc > 0),
                        func.sum(per_case.c.n_disc),
                    ],
                )
            ).group_by(per_case.c.unit_id),
        )
    )

    # Warning talks, by the day they were held.
    t = WarningTalkRow
    out.append(
        (
            SEC_TALKS,
            select(*_row(SEC_TALKS, t.unit_id, [func.count()]))
            .where(
                scope.has(t.unit_id),
                scope.col(t.talk_date).between(p.start, p.end),
                t.deleted_at.is_(None),
            )
            .group_by(t.unit_id),
        )
    )

    # Rectification notices issued in the period, by where they stand today.
    n = RectificationNoticeRow
    closed = n.status == "closed"
    overdue = and_(n.status == "open", n.deadline < q.today)
    out.append(
        (
            SEC_NOTICES,
            select(
                *_row(
                    SEC_NOTICES,
                    n.unit_id,
                    [
                        _count_if(and_(not_(closed), not_(overdue))),
                        _count_if(overdue),
                        _count_if(and_(closed, n.closed_on <= n.deadline)),
                        _count_if(
                            and_(closed, or_(n.closed_on.is_(None), n.closed_on > n.deadline))
                        ),
                    ],
                )
            )
            .where(
                scope.has(n.unit_id),
                scope.col(n.issued_on).between(p.start, p.end),
                n.deleted_at.is_(None),
            )
            .group_by(n.unit_id),
        )
    )

    # Pledges (annual) and their appraisals; check-ins of windows closing in the period.
    pl, ck, ap = PledgeRow, CheckinRow, AppraisalRow
    pl_year = scope.col(pl.year)
    in_years = pl_year.between(p.years[0], p.years[-1])
    mine = scope.has(pl.unit_id)
    out.append(
        (
            SEC_PLEDGES,
            select(*_row(SEC_PLEDGES, pl.unit_id, [func.count()], year=pl.year))
            .where(mine, in_years)
            .group_by(pl.unit_id, pl.year),
        )
    )
    if q.windows:
        window = or_(*[and_(pl_year == w.year, ck.period == w.period) for w in q.windows])
        out.append(
            (
                SEC_CHECKINS,
                select(
                    *_row(
                        SEC_CHECKINS,
                        pl.unit_id,
                        [_count_if(ck.late == false()), _count_if(ck.late == true())],
                        year=pl.year,
                        period=ck.period,
                    )
                )
                .select_from(pl)
                .join(ck, ck.pledge_id == pl.id)
                .where(mine, window)
                .group_by(pl.unit_id, pl.year, ck.period),
            )
        )
    out.append(
        (
            SEC_APPRAISALS,
            select(
                *_row(
                    SEC_APPRAISALS,
                    pl.unit_id,
                    [
                        _count_if(ap.grade == "excellent"),
                        _count_if(ap.grade == "passed"),
                        _count_if(ap.grade == "failed"),
                    ],
                )
            )
            .select_from(pl)
            .join(ap, ap.pledge_id == pl.id)
            .where(mine, in_years)
            .group_by(pl.unit_id),
        )
    )

    # The people a test is meant for: active section-level cadres, by their current unit.
    person_mine = scope.has(PersonRow.unit_id)
    out.append(
        (
            SEC_ELIGIBLE,
            select(*_row(SEC_ELIGIBLE, PersonRow.unit_id, [func.count()]))
            .where(person_mine, PersonRow.active.is_(True), PersonRow.section_level.is_(True))
            .group_by(PersonRow.unit_id),
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
                    [func.count(d.c.id), _count_if(d.c.ack_status.in_(ACKNOWLEDGED))],
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
    per_person = (
        select(
            d.c.person_id,
            func.count(d.c.id).label("n"),
            _count_if(d.c.ack_status.in_(ACKNOWLEDGED)).label("acked"),
        )
        .where(sent)
        .group_by(d.c.person_id)
        .subquery("sent")
    )
    reminders = (
        select(
            *_row(
                SEC_REMINDERS,
                PersonRow.unit_id,
                [func.sum(per_person.c.n), func.sum(per_person.c.acked)],
            )
        )
        .select_from(per_person)
        .join(PersonRow, PersonRow.id == per_person.c.person_id)
        .group_by(PersonRow.unit_id)
    )
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
    out += [(SEC_REMINDERS, reminders), (SEC_QUIZ, quiz)]
    return out


#: The Figures fields each section's values fill, in column order.
SECTION_NAMES: dict[int, tuple[str, ...]] = {
    SEC_ASSESS: (
        "units_excellent",
        "units_passed",
        "units_failed",
        "advanced_units",
        "advanced_workers",
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


class SqlSummaryRepository:
    """Summary figures straight from the record tables."""

    def __init__(self, session: AsyncSession) -> None:
        self.s = session
        #: (units in the subtree, all units) per subtree path, read once per unit of work.
        self._sizes: dict[str, tuple[int, int]] = {}
        #: The (category, kind) table of the last figures() call, computed with them.
        self._kinds: tuple[SummaryQuery, list[KindCount]] | None = None

    async def _size(self, unit_path: str) -> tuple[int, int]:
        """(units in the subtree at ``unit_path``, all units), in one round trip."""
        if unit_path not in self._sizes:
            stmt = select(_count_if(subtree(unit_path, self._dialect)), func.count()).select_from(
                UnitRow
            )
            inside, total = (await self._rows(stmt))[0]
            self._sizes[unit_path] = (int(inside or 0), int(total or 0))
        return self._sizes[unit_path]

    @property
    def _dialect(self) -> str:
        return self.s.get_bind().dialect.name

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

    async def figures(self, query: SummaryQuery) -> dict[str, Figures]:
        """Figures per bucket (see :class:`handlers.ports_summary.SummaryRepository`).

        One statement: every section aggregates its table per unit id (index-only range
        scans per unit of a small subtree, one pass per covering index for a wide one), the
        per-unit rows of all sections are stacked with UNION ALL, and only those rows are
        mapped to buckets — the subtree's units are read and their paths cut once, not once
        per section or per record. The same statement returns the (category, kind) table,
        which :meth:`kinds` then hands out without joining cases and people a second time.
        """
        q = query
        # Above WIDE_SCOPE of all units, read whole covering indexes in one pass each
        # instead of probing them unit by unit (see Scope).
        inside, total = await self._size(q.unit_path)
        narrow = inside <= WIDE_SCOPE * total
        scope = Scope.of(q.unit_path, self._dialect, narrow=narrow)
        case_kinds = _case_kinds(q, scope)
        sections = _sections(q, scope, case_kinds)
        stacked = union_all(*[stmt for _, stmt in sections]).subquery("stacked")
        bucket = scope.map.c.bucket
        keys = (stacked.c.sec, stacked.c.k_year, stacked.c.k_period)
        rolled_up = (
            select(bucket, *keys, *[func.sum(stacked.c[f"v{i}"]) for i in range(WIDTH)])
            .select_from(stacked)
            .join(scope.map, scope.map.c.unit_id == stacked.c.unit_id)
            .group_by(bucket, *keys)
        )
        # The whole organisation needs no unit filter; a part, its units by path.
        units = select(UnitRow.id).where(subtree(q.unit_path, self._dialect))
        mine = true() if inside == total else case_kinds.c.unit_id.in_(units)
        stmt = union_all(rolled_up, _kinds_rows(case_kinds, mine))
        names = SECTION_NAMES
        if self._dialect == "postgresql" and not narrow:
            # A wide scope's cost estimate is high enough to trigger PostgreSQL's JIT, whose
            # compilation alone took seconds on a province; the query itself does not need
            # it. Its hash tables (~100,000 per-unit rows before the roll-up) outgrow the
            # default work_mem and spilled to disk. Both settings end with this transaction
            # (set_config's is_local), and one round trip sets them.
            await (await self.s.connection()).exec_driver_sql(
                "SELECT set_config('jit', 'off', true), set_config('work_mem', '64MB', true)"
            )
        acc: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        pledges: dict[tuple[str, int], int] = defaultdict(int)
        submitted: dict[tuple[str, int, str], int] = defaultdict(int)
        kinds: list[KindCount] = []
        for b, sec, year, period, *values in await self._rows(stmt):
            if sec == SEC_KINDS:  # b: category, period: kind
                kinds.append(KindCount(b, period, int(values[0] or 0), int(values[1] or 0)))
                continue
            for name, value in zip(names[sec], values, strict=False):
                acc[b][name] += int(value or 0)
            if sec == SEC_PLEDGES:
                pledges[(b, int(year))] += int(values[0] or 0)
            elif sec == SEC_CHECKINS:
                submitted[(b, int(year), str(period))] += int(values[0] or 0) + int(values[1] or 0)
        # A check-in is missing once its window has closed without one.
        for w in q.windows:
            if w.ends_on >= q.today:
                continue
            for (b, year), count in pledges.items():
                if year == w.year:
                    missing = count - submitted.get((b, year, w.period), 0)
                    acc[b]["checkins_missing"] += max(missing, 0)
        # Categories last to first, then most people first, then kind (as kinds() orders).
        kinds.sort(key=lambda k: k.kind)
        kinds.sort(key=lambda k: k.people, reverse=True)
        kinds.sort(key=lambda k: k.category, reverse=True)
        self._kinds = (query, kinds)
        return {k: Figures(**v) for k, v in acc.items()}

    async def kinds(self, query: SummaryQuery) -> list[KindCount]:
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
            # rather than a date range plus ~50,000 visits to case rows (see _unindexed).
            mine, opened_on = true(), _unindexed(c.opened_on)
        stmt = (
            select(cp.category, cp.kind, func.count(cp.id), func.count(func.distinct(c.id)))
            .select_from(c)
            .join(cp, and_(cp.case_id == c.id, cp.deleted_at.is_(None)))
            .where(mine, opened_on.between(p.start, p.end), c.deleted_at.is_(None))
            .group_by(cp.category, cp.kind)
            .order_by(cp.category.desc(), func.count(cp.id).desc(), cp.kind)
        )
        return [KindCount(cat, kind, int(n), int(k)) for cat, kind, n, k in await self._rows(stmt)]

    async def accountable_people(self, query: SummaryQuery, limit: int) -> list[AccountablePerson]:
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
            .join(cp, and_(cp.case_id == c.id, cp.deleted_at.is_(None)))
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
        return [AccountablePerson(*row) for row in await self._rows(stmt)]

    async def assessments(self, query: SummaryQuery, limit: int) -> list[UnitAssessment]:
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
            UnitAssessment(year, uname, ucode, pname or "", result, comm or "")
            for year, uname, ucode, pname, result, comm in await self._rows(stmt)
        ]
