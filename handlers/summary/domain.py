"""Figures of a supervisor's summary: what storage aggregates and the core renders.

Storage computes every number with SQL aggregations and returns them as these small
dataclasses; nothing here holds individual records except :class:`AccountablePerson`, used
only by the spreadsheet export.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime

from handlers.core.domain import Unit

# Defined in the core, which carries it in its configuration; part of this domain.
from handlers.core.settings import SnapshotConfig as SnapshotConfig


@dataclass(frozen=True)
class Period:
    """An inclusive range of local dates; ``code`` is its compact form for buttons and files."""

    start: date
    end: date
    code: str

    @property
    def years(self) -> tuple[int, ...]:
        """Calendar years the period touches (annual figures count for each of them)."""
        return tuple(range(self.start.year, self.end.year + 1))

    @property
    def whole_years(self) -> bool:
        """True when the period is made of whole calendar years (annual figures then belong
        to it exactly; in a month or quarter they are the whole year's)."""
        return self.start == date(self.start.year, 1, 1) and self.end == date(self.end.year, 12, 31)

    def contains(self, day: date) -> bool:
        """True when ``day`` lies in the period."""
        return self.start <= day <= self.end

    @property
    def calendar_aligned(self) -> bool:
        """True for a year, a quarter or a month (``2026``, ``2026Q2``, ``2026-05``): the
        periods pre-aggregated figures are kept for; False for an arbitrary date range."""
        c = self.code
        return len(c) == 4 or (len(c) == 6 and c[4] == "Q") or (len(c) == 7 and c[4] == "-")


@dataclass(frozen=True)
class CheckinWindow:
    """A check-in period of one pledge year and the last day it accepts on-time reports."""

    year: int
    period: str
    ends_on: date


@dataclass(frozen=True)
class SummaryQuery:
    """What to aggregate: a subtree, a period, and the facts the figures depend on."""

    unit_path: str
    period: Period
    today: date
    start_at: datetime  # the period's first local midnight, in UTC
    end_at: datetime  # the local midnight after the period's last day, in UTC
    windows: tuple[CheckinWindow, ...]  # check-in windows that close inside the period
    unit_id: int = 0  # the unit at ``unit_path`` (0 for a query not about one unit)
    #: (year, last day for making that year's pledge public), for the period's years: a
    #: pledge made public later counts as late.
    pledge_due: tuple[tuple[int, date], ...] = ()


@dataclass(frozen=True)
class Figures:
    """Every count of the summary for one subtree (or one bucket of a subtree).

    Only additive counts are stored, so the figures of sub-units add up to the whole
    (``a + b``); rates are derived properties.
    """

    units_excellent: int = 0
    units_passed: int = 0
    units_failed: int = 0
    advanced_units: int = 0
    advanced_workers: int = 0
    #: People rated 优秀/先进 although an effect period barred it (confirmed knowingly).
    ratings_despite_bar: int = 0
    cases: int = 0
    people: int = 0
    org_cases: int = 0
    org_people: int = 0
    disc_cases: int = 0
    disc_people: int = 0
    talks: int = 0
    notices_open: int = 0
    notices_overdue: int = 0
    notices_closed_on_time: int = 0
    notices_closed_late: int = 0
    pledges: int = 0
    #: Pledges made public after the year's due date (the January deadline).
    pledges_late: int = 0
    checkins_on_time: int = 0
    checkins_late: int = 0
    checkins_missing: int = 0
    appraisal_excellent: int = 0
    appraisal_passed: int = 0
    appraisal_failed: int = 0
    reminders_sent: int = 0
    reminders_acked: int = 0
    quiz_eligible: int = 0
    quiz_takers: int = 0
    quiz_score_total: int = 0

    def __add__(self, other: Figures) -> Figures:
        return Figures(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        )

    @property
    def notices(self) -> int:
        """Notices issued in the period."""
        return (
            self.notices_open
            + self.notices_overdue
            + self.notices_closed_on_time
            + self.notices_closed_late
        )

    @property
    def checkins_expected(self) -> int:
        """Check-ins due in windows that closed in the period (submitted or missing)."""
        return self.checkins_on_time + self.checkins_late + self.checkins_missing

    @property
    def units_assessed(self) -> int:
        """Unit-times assessed."""
        return self.units_excellent + self.units_passed + self.units_failed

    @property
    def checkin_on_time_rate(self) -> float | None:
        """Share of due check-ins submitted on time."""
        return _rate(self.checkins_on_time, self.checkins_expected)

    @property
    def notice_on_time_rate(self) -> float | None:
        """Share of closed notices closed by their deadline."""
        closed = self.notices_closed_on_time + self.notices_closed_late
        return _rate(self.notices_closed_on_time, closed)

    @property
    def ack_rate(self) -> float | None:
        """Share of reminders sent that were acknowledged."""
        return _rate(self.reminders_acked, self.reminders_sent)

    @property
    def quiz_participation(self) -> float | None:
        """Share of section-level cadres who finished a scored test."""
        return _rate(self.quiz_takers, self.quiz_eligible)

    @property
    def quiz_average(self) -> float | None:
        """Average of each participant's best score."""
        return self.quiz_score_total / self.quiz_takers if self.quiz_takers else None

    @property
    def pass_rate(self) -> float | None:
        """Share of assessed unit-times that passed (excellent or passed)."""
        return _rate(self.units_excellent + self.units_passed, self.units_assessed)


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True)
class KindCount:
    """People (person-times) and cases handled with one kind of sanction or handling."""

    category: str  # 'organisational' | 'discipline'
    kind: str
    people: int
    cases: int


@dataclass(frozen=True)
class Part:
    """One bucket of a summary: a direct sub-unit's whole subtree, or the unit's own rows."""

    unit: Unit
    own: bool  # True for the rows recorded on the summarised unit itself
    figures: Figures


@dataclass(frozen=True)
class Summary:
    """The figures of a unit subtree over a period, split by direct sub-unit."""

    unit: Unit
    period: Period
    total: Figures
    parts: tuple[Part, ...]
    kinds: tuple[KindCount, ...]
    has_reminders: bool = True
    has_quiz: bool = True
    #: When the figures come from the pre-aggregated snapshot: the moment they were taken.
    #: None for figures computed live from the records.
    as_of: datetime | None = None


@dataclass(frozen=True)
class SnapshotFigures:
    """A summary's figures as kept in the pre-aggregated snapshot, with when they were taken.

    ``day`` and ``timezone`` are the local day and zone the snapshot was computed for: the
    figures that depend on the day (notices overdue, check-ins missing) are as of that day.
    """

    taken_at: datetime
    day: date
    timezone: str
    buckets: dict[str, Figures]
    kinds: tuple[KindCount, ...]


@dataclass(frozen=True)
class SnapshotState:
    """The current snapshot: its generation (0 before the first refresh), when it was taken
    and for which time zone."""

    generation: int = 0
    taken_at: datetime | None = None
    timezone: str = ""


@dataclass(frozen=True)
class SnapshotPlan:
    """What one refresh of the snapshot computes.

    ``coverage`` spans every period kept (its windows are every check-in window closing in
    it); ``periods`` are the years, quarters and months kept, each as the query a live
    summary of the whole organisation would run. Scopes are the units whose subtree holds at
    least ``min_units`` units.
    """

    taken_at: datetime
    today: date
    timezone: str
    min_units: int
    coverage: SummaryQuery
    periods: tuple[SummaryQuery, ...]


@dataclass(frozen=True)
class SnapshotReport:
    """The outcome of one snapshot refresh."""

    scopes: int
    rows: int


@dataclass(frozen=True)
class AccountablePerson:
    """One person handled in an accountability case (a row of the export's people sheet)."""

    case_id: int
    opened_on: date
    person_name: str
    unit_name: str
    unit_code: str
    category: str
    kind: str
    effective_on: date


@dataclass(frozen=True)
class UnitAssessment:
    """One assessment result (a row of the export's assessments sheet)."""

    year: int
    unit_name: str
    unit_code: str
    person_name: str  # empty for a unit's assessment
    result: str
    commendation: str
