"""The numbers the summary chart shows: each rate as a numerator over a denominator, and
its label ("3/5 · 60%", "no data"). Needs no matplotlib (:mod:`handlers.summary.chart`
draws them).
"""

from __future__ import annotations

from dataclasses import dataclass

from handlers.core.i18n import Translator
from handlers.summary.domain import Figures, Summary
from handlers.summary.text import rate_cell


@dataclass(frozen=True)
class RateBar:
    """One rate of one subtree: what it counts and its numerator over its denominator."""

    key: str  # stable name of the rate, independent of the language
    label: str  # the rate's name, e.g. "check-ins on time"
    basis: str  # what is divided by what, e.g. "on time / due"
    numerator: int
    denominator: int

    @property
    def rate(self) -> float | None:
        """numerator / denominator, or None when there is nothing to divide by."""
        return self.numerator / self.denominator if self.denominator else None


def chart_rates(t: Translator, f: Figures, s: Summary) -> list[RateBar]:
    """Every rate the chart shows for the figures ``f`` of one subtree of summary ``s``.

    ``s`` only decides which optional rates apply (reminders, the education-month test).
    """
    # Notices still open past their deadline count against the rate: dividing by closed
    # notices only would read 100% while overdue ones are still waiting.
    notices_due = f.notices_closed_on_time + f.notices_closed_late + f.notices_overdue
    appraised = f.appraisal_excellent + f.appraisal_passed + f.appraisal_failed
    bars = [
        RateBar(
            "checkins",
            t._("check-ins on time"),
            t._("on time / due"),
            f.checkins_on_time,
            f.checkins_expected,
        ),
        RateBar(
            "notices",
            t._("notices closed on time"),
            t._("closed on time / (closed + open past the deadline)"),
            f.notices_closed_on_time,
            notices_due,
        ),
        RateBar(
            "assessment",
            t._("units passing assessment"),
            t._("excellent or passed / assessed (unit-times)"),
            f.units_excellent + f.units_passed,
            f.units_assessed,
        ),
        RateBar(
            "appraisal",
            t._("pledge appraisal rated good"),
            t._("excellent or passed / appraised (people)"),
            f.appraisal_excellent + f.appraisal_passed,
            appraised,
        ),
    ]
    if s.has_reminders:
        bars.append(
            RateBar(
                "reminders",
                t._("reminders acknowledged"),
                t._("acknowledged / sent"),
                f.reminders_acked,
                f.reminders_sent,
            )
        )
    if s.has_quiz:
        bars.append(
            RateBar(
                "quiz",
                t._("test participation"),
                t._("took the test / expected to take it"),
                f.quiz_takers,
                f.quiz_eligible,
            )
        )
    return bars


def percent_text(numerator: int, denominator: int) -> str:
    """A share as the summary text and spreadsheet show it (one decimal: ``66.7%``,
    ``60%``), except that it reads 0% or 100% only when it is exactly so.

    Rounding alone would show 19999/20000 as 100% and 1/20000 as 0%, the very readings a
    supervisor acts on; they show as 99.9% and 0.1%.
    """
    if numerator == 0:
        return "0%"
    if numerator == denominator:
        return "100%"
    value = rate_cell(numerator / denominator) or 0.0
    if numerator < denominator:
        value = min(99.9, max(0.1, value))
    return f"{value:g}%"


def value_label(t: Translator, bar: RateBar) -> str:
    """The label of a bar: ``3/5 · 60%``, or "no data" when the denominator is zero."""
    if bar.denominator == 0:
        return t._("no data")
    return t._(
        "{numerator}/{denominator} · {percent}",
        numerator=bar.numerator,
        denominator=bar.denominator,
        percent=percent_text(bar.numerator, bar.denominator),
    )
