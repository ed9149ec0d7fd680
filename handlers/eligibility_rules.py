"""Pure eligibility computation: may a person be rated advanced this year, promoted now?

No storage and no clock: the caller passes the date and the person's effects (warning talks,
handlings in accountability cases) and own assessment results. Every period comes from the
sanction catalogue (``knowledge/data/sanctions.yaml``), never from this module.

How periods are counted (one convention everywhere, tested at the edges):

* A period of N months starts on the effective date, which counts as its first day.
* It lasts until the day before the same day-of-month N months later; if that month has no
  such day (31 August + 6 months), the period runs to the end of that month.
  So a talk on 10 March 2026 bars promotion through 9 September 2026, and a sanction
  effective 31 August 2025 with 6 months runs through 28 February 2026.
* ``advanced_rating: year`` bars rating as advanced for the rest of the calendar year in
  which the effect took hold (for an assessment: the assessment's own year).
* ``advanced_rating: period`` bars it for the same period as promotion.
* ``permanent`` bars both with no end.
* A failed assessment with ``promotion_months: 0`` bars promotion until a later assessment of
  the person is not failed (the rule names no period).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

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


@dataclass(frozen=True)
class Eligibility:
    """The answer for one person on one day."""

    as_of: date
    advanced: tuple[Bar, ...]
    promotion: tuple[Bar, ...]
    unknown_kinds: tuple[str, ...] = ()

    @property
    def advanced_ok(self) -> bool:
        """True when nothing on record bars rating as advanced this year."""
        return not self.advanced

    @property
    def promotion_ok(self) -> bool:
        """True when nothing on record bars promotion now."""
        return not self.promotion


def first_free_day(start: date, months: int) -> date:
    """The first day after a period of ``months`` months that began on ``start``.

    The same day-of-month ``months`` later, or the first of the following month when that
    month is too short (31 Aug + 6 months -> 1 Mar).
    """
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    if start.day <= calendar.monthrange(year, month)[1]:
        return date(year, month, start.day)
    year, month = divmod(index + 1, 12)
    return date(year, month + 1, 1)


def period_last_day(start: date, months: int) -> date:
    """The last day (inclusive) of a period of ``months`` months beginning on ``start``."""
    return first_free_day(start, months) - timedelta(days=1)


def _promotion_bar(kind: SanctionKind, effect: Effect, as_of: date) -> Bar | None:
    entry = kind.promotion_entry or kind.entry
    if kind.permanent:
        return Bar(
            kind.code, effect.source, effect.record_id, effect.start, None, entry, OpenEnd.PERMANENT
        )
    if kind.promotion_months <= 0:
        return None
    end = period_last_day(effect.start, kind.promotion_months)
    if as_of > end:
        return None
    return Bar(kind.code, effect.source, effect.record_id, effect.start, end, entry)


def _advanced_bar(kind: SanctionKind, effect: Effect, rating_year: int, as_of: date) -> Bar | None:
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
    if kind.advanced_rating == "year":
        end = date(rating_year, 12, 31)
        if rating_year != as_of.year:
            return None
    elif kind.advanced_rating == "period" and kind.promotion_months > 0:
        end = period_last_day(effect.start, kind.promotion_months)
        if as_of > end:
            return None
    else:
        return None
    return Bar(kind.code, effect.source, effect.record_id, effect.start, end, kind.entry)


def evaluate(
    as_of: date,
    effects: Iterable[Effect],
    assessments: Iterable[AssessmentFact],
    catalogue: SanctionCatalogue,
) -> Eligibility:
    """Every bar in force on ``as_of``, for rating as advanced in ``as_of.year`` and for promotion.

    Effects that start after ``as_of`` are not in force yet. Effects whose kind the catalogue
    does not know are reported in ``unknown_kinds`` instead of being guessed at.
    """
    advanced: list[Bar] = []
    promotion: list[Bar] = []
    unknown: set[str] = set()
    for effect in effects:
        kind = catalogue.get(effect.kind)
        if kind is None:
            unknown.add(effect.kind)
            continue
        if effect.start > as_of:
            continue
        if bar := _advanced_bar(kind, effect, effect.start.year, as_of):
            advanced.append(bar)
        if bar := _promotion_bar(kind, effect, as_of):
            promotion.append(bar)

    failed_kind = catalogue.failed_assessment
    past = [a for a in assessments if a.assessed_on <= as_of]
    for a in past:
        if not a.failed:
            continue
        effect = Effect(failed_kind.code, Source.ASSESSMENT, a.record_id, a.assessed_on)
        if bar := _advanced_bar(failed_kind, effect, a.year, as_of):
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

    def order(bar: Bar) -> tuple[date, str, int]:
        return (bar.start, bar.kind, bar.record_id)

    return Eligibility(
        as_of,
        tuple(sorted(advanced, key=order)),
        tuple(sorted(promotion, key=order)),
        tuple(sorted(unknown)),
    )
