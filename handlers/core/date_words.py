"""Date wordings beyond the calendar's own forms: holidays (春节前), the thirds of a month
(下个月中旬), next month's end, and English as it is typed (by jan 10, two weeks, in a
month). :mod:`handlers.core.dates` reads these after its plain forms."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from handlers.core.parsing import small_number

#: 春节 (the first day of the lunar new year) by year; the lunar calendar has no rule short
#: enough to compute here, so the days are listed (2025–2035).
SPRING_FESTIVAL = {
    2025: date(2025, 1, 29), 2026: date(2026, 2, 17), 2027: date(2027, 2, 6),
    2028: date(2028, 1, 26), 2029: date(2029, 2, 13), 2030: date(2030, 2, 3),
    2031: date(2031, 1, 23), 2032: date(2032, 2, 11), 2033: date(2033, 1, 31),
    2034: date(2034, 2, 19), 2035: date(2035, 2, 8),
}  # fmt: skip
_BEFORE_SPRING_FESTIVAL = frozenset(
    # 年前 is said of the lunar new year (年底前 is 31 December).
    {"春节前", "春节之前", "春节以前", "过年前", "过年之前", "过年以前", "除夕前", "年前", "年前之前",
     "before spring festival", "before the spring festival", "before chinese new year"}
)  # fmt: skip
#: 上旬 / 中旬 / 下旬 (the thirds of a month) of next month, this month or a numbered one;
#: read as a day in the middle of that third (the form shows it back to confirm).
_THIRD = re.compile(r"^(下个?月|本月|这个月|(\d{1,2})\s*月)\s*(上|中|下)旬\s*(?:前|之前|以前)?$")
_THIRD_DAY = {"上": 5, "中": 15, "下": 25}
#: 下个月底 / 下月末 / end of next month: the last day of next month.
_NEXT_MONTH_END = re.compile(
    r"^(?:下个?月\s*(?:底|末)(?:前|之前)?|(?:by\s+)?(?:the\s+)?end of next month)$"
)
#: 半年后 / 半年内: six months on (a warning talk's follow-up comes when its effect ends).
HALF_YEAR = frozenset(
    {"半年后", "半年以后", "半年之后", "半年内", "半年之内", "半年", "in six months", "in half a year"}
)  # fmt: skip
#: 上月15号 / 上个月28日: a day of last month.
_LAST_MONTH_DAY = re.compile(r"^上个?月\s*(\d{1,2})\s*[日号]?$")
#: 下月初 / 下个月初 / 月初: the beginning of next month (read as its 5th, as 上旬 is).
_NEXT_MONTH_START = frozenset({"下月初", "下个月初", "下月初前", "下个月初前"})
#: "by jan 10", "before 15 march": the date itself is the deadline.
_BY = re.compile(r"^(?:by|before|until|till)\s+(.+)$")
_EN_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
_EN_COUNT = re.compile(r"\b(" + "|".join(_EN_NUMBERS) + r")\s+(day|week|month)")


def add_months(day: date, n: int) -> date:
    """``day`` moved by ``n`` months; 31 January + 1 month is the last day of February."""
    index = day.month - 1 + n
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def special_day(cleaned: str, today: date, year: int | None = None) -> date | None:
    """The day named by a holiday, a third of a month or next month's end (cleaned text:
    NFKC, lower case); None when ``cleaned`` is none of these. A numbered month's third
    (1月中旬) is in ``year``, else this year, as other dates typed without a year."""
    if cleaned in _BEFORE_SPRING_FESTIVAL:
        coming = [d for d in SPRING_FESTIVAL.values() if d > today]
        return min(coming) - timedelta(days=1) if coming else None
    if _NEXT_MONTH_END.match(cleaned):
        year, month = _next_month(today)
        return date(year, month, calendar.monthrange(year, month)[1])
    if cleaned in HALF_YEAR:
        return add_months(today, 6)
    if cleaned in _NEXT_MONTH_START:
        year, month = _next_month(today)
        return date(year, month, _THIRD_DAY["上"])
    last = _LAST_MONTH_DAY.match(cleaned)
    if last:
        year, month = (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)
        day = int(last[1])
        return date(year, month, day) if 1 <= day <= calendar.monthrange(year, month)[1] else None
    m = _THIRD.match(cleaned)
    if m is None:
        return None
    if m[2]:
        month = small_number(m[2]) or 0
        if not 1 <= month <= 12:
            return None
        year = year or today.year
    elif m[1].startswith("下"):
        year, month = _next_month(today)
    else:
        year, month = today.year, today.month
    return date(year, month, _THIRD_DAY[m[3]])


def plain_english(cleaned: str) -> str:
    """English as :mod:`handlers.core.dates` reads it: "by jan 10" is "jan 10", "two weeks"
    is "2 weeks", "in a month" is "in 1 month"; other text unchanged."""
    by = _BY.match(cleaned)
    text = by[1] if by else cleaned
    return _EN_COUNT.sub(lambda m: f"{_EN_NUMBERS[m[1]]} {m[2]}", text)


def _next_month(today: date) -> tuple[int, int]:
    return (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
