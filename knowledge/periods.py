"""How effect periods are counted: one convention everywhere, tested at the edges.

* A period of N months starts on the effective date, which counts as its first day.
* It lasts until the day before the same day-of-month N months later; if that month has no
  such day (31 August + 6 months), the period runs to the end of that month.
  So a talk on 10 March 2026 bars promotion through 9 September 2026, and a sanction
  effective 31 August 2025 with 6 months runs through 28 February 2026.

A sanction given inside an earlier one's period carries the rest of that period as well
(:func:`stacked_last_day`).
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta


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


def stacked_last_day(start: date, months: int, earlier_end: date) -> date:
    """The last day of a ``months`` period from ``start`` that also carries the rest of an
    earlier period running to ``earlier_end`` (inclusive), counted from ``start``.

    The rest is counted in whole months from ``start`` plus the days left over, so the
    official example holds: a warning (one year) from 1 March 2025, then a serious warning
    (eighteen months) on 1 September 2025: six months are left, 6 + 18 = 24 months from
    1 September 2025, through 31 August 2027.
    """
    free = earlier_end + timedelta(days=1)
    whole = 0
    while first_free_day(start, whole + 1) <= free:
        whole += 1
    leftover = free - first_free_day(start, whole)
    return period_last_day(start, months + whole) + leftover
