"""Rating years and judging days of eligibility; no records, no catalogue.

Rating as advanced is decided for a *rating year* on a *judging day*. Commendations at the
start of a year (年初总结表彰) are for the year just ended, so until the commendation meeting
of year Y has been held the rating year is Y-1 (:func:`default_rating_year`). The judging
day is today, or for a year whose commendation meeting is already past, that meeting's day
(:func:`rating_judging_day`): a sanction of 2026 does not bar a 2024 rating.

How effect periods are counted lives in :mod:`knowledge.periods` (records show them too).
"""

from __future__ import annotations

from datetime import date


def default_rating_year(today: date, commendation_day: date | None) -> int:
    """The year whose rating as advanced is pending on ``today``.

    ``commendation_day`` is this calendar year's commendation meeting (None: no such
    meeting, the year's own rating is pending from 1 January). Up to and including that day
    commendations are for the year just ended.
    """
    if commendation_day is not None and today <= commendation_day:
        return today.year - 1
    return today.year


def rating_judging_day(rating_year: int, today: date, next_commendation_day: date | None) -> date:
    """The day on which rating as advanced for ``rating_year`` is judged.

    Today while the rating is pending; the commendation meeting of the following year
    (``next_commendation_day``) once that meeting is past, so that a later record does not
    bar an earlier year's rating. Without a meeting, the end of ``rating_year``. A year not
    yet begun is judged on its own deciding day.
    """
    decided = next_commendation_day or date(rating_year, 12, 31)
    if rating_year > today.year:
        # A year not yet begun is foreseen on the day it will be decided, from the records
        # as they stand: a warning whose period ends before then no longer bars it.
        return decided
    return min(today, decided)
