"""Pure eligibility computation: may a person be rated advanced for a year, promoted now?

No storage and no clock: the caller passes the date and the person's effects (warning talks,
handlings in accountability cases) and own assessment results. Every period comes from the
sanction catalogue (``knowledge/data/sanctions.yaml``), never from this module.

Periods are counted as :mod:`knowledge.periods` describes (the effective date is
the first day; N months end the day before the same day-of-month N months later), and a
rating year is judged on its judging day (:mod:`handlers.eligibility.dates`). On top of that:

* ``advanced_rating: year`` bars rating as advanced for the calendar year in which the
  effect took hold (for an assessment: the assessment's own year).
* ``advanced_rating: period`` bars it for the year in which the effect took hold and for any
  rating judged while the period runs (the same period as promotion). So a period kind
  never bars less than a ``year`` kind, even when its period ends before the commendation.
* ``permanent`` bars both with no end.
* A failed assessment with ``promotion_months: 0`` bars promotion until a later assessment of
  the person is not failed (the rule names no period).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from knowledge.periods import period_last_day, stacked_last_day
from knowledge.sanctions import SanctionCatalogue, SanctionKind


class Source(StrEnum):
    """Which kind of record an effect comes from."""

    TALK = "talk"
    CASE = "case"
    ASSESSMENT = "assessment"


class OpenEnd(StrEnum):
    """Why a bar has no end date."""

    PERMANENT = "permanent"
    UNTIL_PASSED = "until_passed"


@dataclass(frozen=True)
class Effect:
    """Something on a person's record that may bar rating or promotion from ``start`` on."""

    kind: str  # a code of the sanction catalogue
    source: Source
    record_id: int
    start: date


@dataclass(frozen=True)
class AssessmentFact:
    """One of the person's own assessment results."""

    record_id: int
    year: int
    assessed_on: date
    failed: bool


@dataclass(frozen=True)
class Bar:
    """One reason the person may not be rated advanced or promoted, with its dates.

    ``end`` is the last day the bar applies (inclusive); None with ``open_end`` set when the
    bar has no fixed end.
    """

    kind: str
    source: Source
    record_id: int
    start: date
    end: date | None
    entry: str
    open_end: OpenEnd | None = None
    #: True when ``end`` includes the unexpired rest of an earlier party sanction's period
    #: (2023 条例 第二十一条).
    stacked: bool = False


@dataclass(frozen=True)
class GradeBar:
    """What one effect does to the annual assessment of ``year`` (《公务员考核规定》第二十九条
    for civil servants): ``no_excellent`` (not 优秀) or ``no_grade`` (comments only, 不确定等次).

    The effect reaches from the assessment of the year it takes effect (``first_year``) to
    that of ``last_year``; ``entry`` is the rule-base entry that states it.
    """

    kind: str
    source: Source
    record_id: int
    start: date
    year: int
    effect: str
    entry: str
    first_year: int = 0
    last_year: int = 0


@dataclass(frozen=True)
class Eligibility:
    """The answer for one person on one day.

    ``advanced`` concerns rating as advanced for ``rating_year`` judged on ``judged_on``;
    ``promotion`` concerns promotion on ``as_of``.
    """

    as_of: date
    advanced: tuple[Bar, ...]
    promotion: tuple[Bar, ...]
    unknown_kinds: tuple[str, ...] = ()
    rating_year: int = 0
    judged_on: date | None = None
    grade: tuple[GradeBar, ...] = ()
    #: Records whose period no checked text gives (organisational handling): shown with a
    #: request to check by hand, never treated as clear or as barred.
    to_check: tuple[Bar, ...] = ()

    @property
    def promotion_until(self) -> date | None:
        """The last barred day when every promotion bar has an end (None otherwise)."""
        ends = [b.end for b in self.promotion]
        if not ends or any(e is None for e in ends):
            return None
        return max(e for e in ends if e is not None)

    @property
    def advanced_ok(self) -> bool:
        """True when nothing on record bars rating as advanced this year."""
        return not self.advanced

    @property
    def promotion_ok(self) -> bool:
        """True when nothing on record bars promotion now."""
        return not self.promotion


def stacked_ends(effects: Iterable[Effect], catalogue: SanctionCatalogue) -> dict[Effect, date]:
    """For effects whose period is lengthened by stacking, their real last day.

    A kind with ``stacks`` given while an earlier one of the same group still runs carries
    that period's unexpired rest on top of its own, from its own decision (2023 条例
    第二十一条); the chain continues through later ones. Others are left out.
    """
    out: dict[Effect, date] = {}
    running: dict[str, date] = {}
    for effect in sorted(effects, key=lambda e: (e.start, e.record_id)):
        kind = catalogue.get(effect.kind)
        if kind is None or kind.stacks is None or kind.promotion_months <= 0:
            continue
        own = period_last_day(effect.start, kind.promotion_months)
        earlier = running.get(kind.stacks)
        if earlier is not None and effect.start <= earlier:
            own = stacked_last_day(effect.start, kind.promotion_months, earlier)
            out[effect] = own
        running[kind.stacks] = max(own, earlier) if earlier else own
    return out


def _promotion_bar(
    kind: SanctionKind, effect: Effect, as_of: date, stacked_end: date | None = None
) -> Bar | None:
    entry = kind.promotion_entry or kind.entry
    if kind.permanent:
        return _bar(kind, effect, None, entry, OpenEnd.PERMANENT)
    if kind.promotion_months <= 0:
        return None
    end = stacked_end or period_last_day(effect.start, kind.promotion_months)
    if as_of > end:
        return None
    return _bar(kind, effect, end, entry, stacked=stacked_end is not None)


def _bar(
    kind: SanctionKind,
    effect: Effect,
    end: date | None,
    entry: str,
    open_end: OpenEnd | None = None,
    stacked: bool = False,
) -> Bar:
    """The bar of ``effect`` (of ``kind``) ending on ``end``, explained by ``entry``."""
    return Bar(
        kind.code, effect.source, effect.record_id, effect.start, end, entry, open_end, stacked
    )


def _advanced_bar(
    kind: SanctionKind,
    effect: Effect,
    rating_year: int,
    judged_on: date,
    stacked_end: date | None = None,
) -> Bar | None:
    """The bar ``effect`` puts on rating as advanced for ``rating_year``, judged on ``judged_on``."""
    if effect.start > judged_on:
        return None
    if kind.permanent:
        return _bar(kind, effect, None, kind.entry, OpenEnd.PERMANENT)
    if kind.advanced_rating == "year":
        if effect.start.year != rating_year:
            return None
        end = date(effect.start.year, 12, 31)
    elif kind.advanced_rating == "period" and kind.promotion_months > 0:
        end = stacked_end or period_last_day(effect.start, kind.promotion_months)
        if effect.start.year != rating_year and judged_on > end:
            return None
    else:
        return None
    stacked = stacked_end is not None and kind.advanced_rating == "period"
    return _bar(kind, effect, end, kind.entry, stacked=stacked)


def grade_bars(
    effects: Iterable[Effect], catalogue: SanctionCatalogue, year: int
) -> list[GradeBar]:
    """What the effects do to the annual assessment of ``year``: a kind with a ``grade``
    effect applies to the year it takes effect and, for ``years`` > 1, the years after."""
    out = []
    for effect in effects:
        kind = catalogue.get(effect.kind)
        if kind is None or kind.grade is None:
            continue
        first, last = effect.start.year, effect.start.year + kind.grade.years - 1
        if first <= year <= last:
            out.append(
                GradeBar(
                    kind.code,
                    effect.source,
                    effect.record_id,
                    effect.start,
                    year,
                    kind.grade.effect,
                    kind.grade.entry or kind.entry,
                    first,
                    last,
                )
            )
    return sorted(out, key=lambda g: (g.start, g.kind, g.record_id))


def evaluate(
    as_of: date,
    effects: Iterable[Effect],
    assessments: Iterable[AssessmentFact],
    catalogue: SanctionCatalogue,
    rating_year: int | None = None,
    judged_on: date | None = None,
) -> Eligibility:
    """Every bar on rating as advanced for ``rating_year`` and on promotion on ``as_of``.

    ``rating_year`` defaults to ``as_of.year`` and ``judged_on`` (the judging day of the
    rating, see :func:`rating_judging_day`) to ``as_of``. Effects that start after the day
    in question are not in force yet. Effects whose kind the catalogue does not know are
    reported in ``unknown_kinds`` instead of being guessed at.
    """
    year = as_of.year if rating_year is None else rating_year
    judged = as_of if judged_on is None else judged_on
    effects = list(effects)
    to_check = [
        Bar(k.code, e.source, e.record_id, e.start, None, k.entry)
        for e in effects
        if (k := catalogue.get(e.kind)) is not None and k.period_unverified and e.start <= as_of
    ]
    advanced, promotion, unknown = _effect_bars(effects, catalogue, as_of, year, judged)
    failed_kind = catalogue.failed_assessment
    if failed_kind.period_unverified:
        to_check += _failed_assessments_to_check(list(assessments), failed_kind, as_of, year)
    else:
        failed_advanced, failed_promotion = _failed_assessment_bars(
            list(assessments), failed_kind, as_of, year
        )
        advanced += failed_advanced
        promotion += failed_promotion

    def order(bar: Bar) -> tuple[date, str, int]:
        return (bar.start, bar.kind, bar.record_id)

    return Eligibility(
        as_of,
        tuple(sorted(advanced, key=order)),
        tuple(sorted(promotion, key=order)),
        tuple(sorted(unknown)),
        year,
        judged,
        tuple(grade_bars([e for e in effects if e.start <= judged], catalogue, year)),
        tuple(sorted(to_check, key=order)),
    )


def _effect_bars(
    effects: list[Effect], catalogue: SanctionCatalogue, as_of: date, year: int, judged: date
) -> tuple[list[Bar], list[Bar], set[str]]:
    """The bars the effects put on rating as advanced for ``year`` (judged on ``judged``)
    and on promotion on ``as_of``, and the kinds the catalogue does not know."""
    advanced: list[Bar] = []
    promotion: list[Bar] = []
    unknown: set[str] = set()
    # Stacking is judged on the records as they stand on the day in question.
    stacked = stacked_ends([e for e in effects if e.start <= max(as_of, judged)], catalogue)
    for effect in effects:
        kind = catalogue.get(effect.kind)
        if kind is None:
            unknown.add(effect.kind)
            continue
        if bar := _advanced_bar(kind, effect, year, judged, stacked.get(effect)):
            advanced.append(bar)
        if effect.start <= as_of and (
            bar := _promotion_bar(kind, effect, as_of, stacked.get(effect))
        ):
            promotion.append(bar)
    return advanced, promotion, unknown


def _failed_assessments_to_check(
    assessments: list[AssessmentFact], failed_kind: SanctionKind, as_of: date, year: int
) -> list[Bar]:
    """Failed assessments to be weighed by hand: today's central rules fix no bar for a failed
    clean-government assessment (the seed-era county barred rating and promotion outright),
    so the failure of the rating year, and the latest result when it is a failure, are named
    with their rule instead of deciding either question."""
    past = [a for a in assessments if a.assessed_on <= as_of]
    latest = max(past, key=lambda a: (a.year, a.assessed_on, a.record_id), default=None)
    named = [a for a in past if a.failed and (a.year == year or a is latest)]
    return [
        Bar(
            failed_kind.code, Source.ASSESSMENT, a.record_id, a.assessed_on, None, failed_kind.entry
        )
        for a in named
    ]


def _failed_assessment_bars(
    assessments: list[AssessmentFact], failed_kind: SanctionKind, as_of: date, year: int
) -> tuple[list[Bar], list[Bar]]:
    """The bars the person's failed assessments put on rating as advanced for ``year`` and
    on promotion on ``as_of``; without a period for the failure, promotion stays barred
    until a later assessment is not failed."""
    advanced: list[Bar] = []
    promotion: list[Bar] = []
    past = [a for a in assessments if a.assessed_on <= as_of]
    for a in past:
        if not a.failed:
            continue
        effect = Effect(failed_kind.code, Source.ASSESSMENT, a.record_id, a.assessed_on)
        # A failure bars rating for the assessment's own year, whenever it was recorded.
        if a.year == year and (bar := _failed_rating_bar(failed_kind, effect, year)):
            advanced.append(bar)
        has_period = failed_kind.promotion_months > 0 or failed_kind.permanent
        if has_period and (bar := _promotion_bar(failed_kind, effect, as_of)):
            promotion.append(bar)
    if past and failed_kind.promotion_months <= 0 and not failed_kind.permanent:
        latest = max(past, key=lambda a: (a.year, a.assessed_on, a.record_id))
        if latest.failed:
            promotion.append(
                Bar(
                    failed_kind.code,
                    Source.ASSESSMENT,
                    latest.record_id,
                    latest.assessed_on,
                    None,
                    failed_kind.promotion_entry or failed_kind.entry,
                    OpenEnd.UNTIL_PASSED,
                )
            )
    return advanced, promotion


def _failed_rating_bar(kind: SanctionKind, effect: Effect, year: int) -> Bar | None:
    """The bar a failed assessment of ``year`` puts on rating as advanced: that whole year.

    The assessment of a year is often recorded early in the next, so the bar runs from
    1 January to 31 December of the assessed year, not from the day it was recorded.
    """
    if kind.permanent:
        return Bar(
            kind.code,
            effect.source,
            effect.record_id,
            effect.start,
            None,
            kind.entry,
            OpenEnd.PERMANENT,
        )
    if kind.advanced_rating == "none":
        return None
    start, end = date(year, 1, 1), date(year, 12, 31)
    return Bar(kind.code, effect.source, effect.record_id, start, end, kind.entry)
