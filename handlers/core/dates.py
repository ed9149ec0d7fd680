"""Dates as people type them (2026-03-10, 2026/3/10, 2026年3月10日, 3月10日, 昨天, 上周五,
dec 1, 7 Dec 2026, last friday, in 3 months): read by the record forms and by the calendar,
so both accept the same writings."""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date, timedelta
from typing import TYPE_CHECKING

from handlers.core.date_words import HALF_YEAR, add_months, plain_english, special_day
from handlers.core.parsing import EN_MONTHS, small_number

if TYPE_CHECKING:  # the context imports nothing of this module: no cycle at run time
    from handlers.core.context import Ctx

_DATE_PATTERNS = (
    re.compile(r"^(\d{4})\s*[-/.年\s]\s*(\d{1,2})\s*[-/.月\s]\s*(\d{1,2})\s*[日号]?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_SHORT_DATE = re.compile(r"^(\d{1,2})\s*[-/.月\s]\s*(\d{1,2})\s*[日号]?$")
_RELATIVE = {
    "today": 0,
    "今天": 0,
    "今日": 0,
    "yesterday": -1,
    "昨天": -1,
    "昨日": -1,
    "tomorrow": 1,
    "明天": 1,
    "明日": 1,
    "前天": -2,
    "前日": -2,
    # As it is said in the north (今儿 / 昨儿个 / 明儿).
    "今儿": 0,
    "今儿个": 0,
    "昨儿": -1,
    "昨儿个": -1,
    "明儿": 1,
    "明儿个": 1,
    "大前天": -3,
    "后天": 2,
    # A plan typed loosely (a follow-up "next week"): a week or a month from today, shown
    # back for the person to confirm.
    "下周": 7,
    "下星期": 7,
    "下礼拜": 7,
    "next week": 7,
}
#: 下个月 / next month: the same day next month.
_NEXT_MONTH = frozenset({"下个月", "下月", "next month"})
_DAYS_AGO = re.compile(
    r"^(\d{1,3}|[零一二两三四五六七八九十]{1,3})\s*天\s*(前|以前|之前|后|以后|之后)$"
)
#: A span ahead, as deadlines are given: 30天, 30天内, 两周, 一个月, 3个月以内. 日 counts
#: days only with 内 after it (15日内): 15日 alone is the 15th of a month.
_SPAN_AHEAD = re.compile(
    r"^(\d{1,3}|[零一二两三四五六七八九十]{1,3})\s*(天|日(?=\s*(?:内|以内|之内|后|以后))|周|个星期|星期|个礼拜|礼拜|个月)"
    r"\s*(?:内|以内|之内|后|以后)?$"
)
#: Working days ahead (15个工作日, 10个工作日内, 5 working days): Monday to Friday.
_WORKING_DAYS = re.compile(
    r"^(?:(\d{1,3}|[零一二两三四五六七八九十]{1,3})\s*个?\s*工作日\s*(?:内|以内|之内)?"
    r"|(?:within\s+|in\s+)?(\d{1,3})\s+(?:working|business)\s+days?)$"
)
#: A day of the month alone (15号, 15日, 十五号): this month's, as people say it.
_DAY_OF_MONTH = re.compile(r"^(\d{1,2}|[一二三四五六七八九十]{1,3})\s*[日号]$")
_WEEKDAY = re.compile(
    r"^(上上|上|本|这|下)?\s*(?:个)?\s*(?:周|星期|礼拜)\s*([一二三四五六日天1-7])$"
)
_WEEKDAY_INDEX = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_EN_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
#: dec 1, december 1st, dec 7 2026, dec 7, 2026 (month first) …
_EN_MONTH_FIRST = re.compile(rf"^([a-z]+)\.?\s+{_EN_DAY},?(?:\s+(\d{{4}}))?$")
#: 1 dec, 7 december 2026, 1st of december (day first) …
_EN_DAY_FIRST = re.compile(rf"^{_EN_DAY}\s+(?:of\s+)?([a-z]+)\.?,?(?:\s+(\d{{4}}))?$")
_EN_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_EN_WEEKDAY = re.compile(r"^(last|this|next)?\s*([a-z]+)$")
#: 3 days ago, in 2 weeks, in 3 months.
_EN_SPAN = re.compile(
    r"^(?:(?:in\s+|within\s+)?(\d{1,3})\s+(day|week|month)s?|(\d{1,3})\s+(day|week|month)s?\s+ago)$"
)
#: A date typed without its year that has passed is taken as next year's only when that
#: is within this many days; further ahead, it is more likely a slip (11/20 typed on
#: 7 December for a date just gone), and the year is asked for or the date refused.
MAX_ROLL_DAYS = 183
_WEEK_SHIFT = {"上上": -2, "上": -1, "本": 0, "这": 0, "下": 1, None: 0}


def _relative_day(cleaned: str, today: date) -> date | None:
    """前天, 3天前, 三天以后, 上周五, 星期一, 下礼拜三 …; None when it is none of these."""
    m = _DAYS_AGO.match(cleaned)
    if m:
        n = small_number(m[1])
        if n is None:
            return None
        return today + timedelta(days=-n if m[2] in ("前", "以前", "之前") else n)
    if _SPAN_AHEAD.match(cleaned):
        return _span_ahead(cleaned, today)
    if _WORKING_DAYS.match(cleaned):
        return _working_days_ahead(cleaned, today)
    m = _WEEKDAY.match(cleaned)
    if m:
        day = _WEEKDAY_INDEX.get(m[2], int(m[2]) - 1 if m[2].isdigit() else 0)
        monday = today - timedelta(days=today.weekday())
        return monday + timedelta(weeks=_WEEK_SHIFT[m[1]], days=day)
    return None


def _english_month_day(cleaned: str, year: int) -> date | None:
    """dec 1, 1 dec 2026, december 1st (without a year: ``year``'s); None otherwise."""
    for pattern, month_at, day_at in ((_EN_MONTH_FIRST, 1, 2), (_EN_DAY_FIRST, 2, 1)):
        m = pattern.match(cleaned)
        if m and m[month_at] in EN_MONTHS:
            return _safe_date(int(m[3]) if m[3] else year, EN_MONTHS[m[month_at]], int(m[day_at]))
    return None


#: 年底 / 年底前 / 年末 / by the end of the year: a deadline on the last day of the year.
_YEAR_END = frozenset({"年底", "年底前", "年底之前", "年末", "年末前", "本年底", "今年年底",
                       "今年底", "end of year", "end of the year", "by the end of the year"})  # fmt: skip

#: 月底 / 本月底 / 月底前: the last day of the start's month; 半个月: fifteen days.
_MONTH_END = frozenset({"月底", "本月底", "月底前", "本月底前", "这个月底", "月末", "月底之前",
                        "月底以前", "月末前", "本月内", "这个月内", "end of the month",
                        "end of month"})  # fmt: skip
_HALF_MONTH = frozenset({"半个月", "半个月内", "半月", "半月内"})
#: 元旦前: before New Year's Day, the last day of the start's year.
_NEW_YEAR = frozenset(
    {"元旦前", "元旦之前", "元旦以前", "before new year", "before new year's day"}
)


def span_from(text: str, start: date) -> date | None:
    """A span typed as a deadline (15天, 两周, 一个月内, in 2 weeks) counted from ``start``
    (a notice's issue date, not the day it is typed), or the year's end (年底前) of
    ``start``'s year; None when the text is neither."""
    cleaned = plain_english(_clean(text))
    if cleaned in _YEAR_END or cleaned in _NEW_YEAR:
        return date(start.year, 12, 31)
    if cleaned in _MONTH_END:
        return date(start.year, start.month, calendar.monthrange(start.year, start.month)[1])
    if cleaned in _HALF_MONTH:
        return start + timedelta(days=15)
    if cleaned in HALF_YEAR:
        return add_months(start, 6)
    if _SPAN_AHEAD.match(cleaned):
        return _span_ahead(cleaned, start)
    if _WORKING_DAYS.match(cleaned):
        return _working_days_ahead(cleaned, start)
    m = _EN_SPAN.match(cleaned)
    return _english_relative(cleaned, start) if m and m[1] else None


def _working_days_ahead(cleaned: str, start: date) -> date | None:
    """The day ``n`` working days (Monday to Friday) after ``start``; None when ``cleaned``
    is not such a span. Public holidays are not known here: the date is shown for the
    person to confirm before it is saved."""
    m = _WORKING_DAYS.match(cleaned)
    n = small_number(m[1] or m[2]) if m else None
    if n is None or n == 0:
        return None
    day = start
    while n:
        day += timedelta(days=1)
        n -= day.weekday() < 5
    return day


def _day_number(cleaned: str) -> int | None:
    """The day of 15号 / 十五日 typed alone (cleaned text), or None."""
    m = _DAY_OF_MONTH.match(cleaned)
    return small_number(m[1]) if m else None


def day_of_month(text: str, today: date) -> date | None:
    """15号 / 15日 alone: that day of ``today``'s month; None when ``text`` is not a day of
    the month alone or the month has no such day (31号 in November)."""
    n = _day_number(_clean(text))
    return _safe_date(today.year, today.month, n) if n else None


def coming_day_of_month(text: str, after: date) -> date | None:
    """15号 (or 15号前) typed for a day ahead: the next 15th on or after ``after`` (this
    month's if it has not passed, else next month's); None when ``text`` is not a day of the
    month."""
    cleaned = _clean(text)
    before = _BEFORE.match(cleaned)
    n = _day_number(before[1] if before else cleaned)
    if not n or n > 31:
        return None
    month = date(after.year, after.month, 1)
    for _ in range(3):  # 31号 skips the months without a 31st
        day = _safe_date(month.year, month.month, n)
        if day is not None and day >= after:
            return day
        month = add_months(month, 1)
    return None


def _span_ahead(cleaned: str, start: date) -> date | None:
    """30天 / 两周 / 一个月内 after ``start``; None when it is not such a span."""
    m = _SPAN_AHEAD.match(cleaned)
    n = small_number(m[1]) if m else None
    if m is None or n is None:
        return None
    if m[2] == "个月":
        return add_months(start, n)
    return start + timedelta(days=n * (1 if m[2] in ("天", "日") else 7))


def _english_relative(cleaned: str, today: date) -> date | None:
    """last friday, monday (this week's), 3 days ago, in 2 weeks, in 3 months; None
    otherwise."""
    m = _EN_WEEKDAY.match(cleaned)
    # fri, tues, thurs: the short names people type for the weekdays.
    day = next((d for d in _EN_WEEKDAYS if m and len(m[2]) >= 3 and d.startswith(m[2])), None)
    if m and day is not None:
        monday = today - timedelta(days=today.weekday())
        shift = {"last": -1, "next": 1}.get(m[1] or "", 0)
        return monday + timedelta(weeks=shift, days=_EN_WEEKDAYS.index(day))
    m = _EN_SPAN.match(cleaned)
    if m:
        n, unit = (int(m[1]), m[2]) if m[1] else (-int(m[3]), m[4])
        if unit == "month":
            return add_months(today, n)
        return today + timedelta(days=n * (7 if unit == "week" else 1))
    return None


def parse_absolute_date(text: str) -> date | None:
    """A date written with its year (2026-03-10, 2026/3/10, 2026年3月10日, 20260310);
    None otherwise (a file's cell has no "today" to read 昨天 against)."""
    parts = _full_date_parts(_clean(text))
    return _safe_date(*parts) if parts else None


def _clean(text: str) -> str:
    """NFKC (full-width digits and punctuation to ASCII), trimmed, lower case, no full stop."""
    return unicodedata.normalize("NFKC", text or "").strip().lower().rstrip("。.")


def _full_date_parts(cleaned: str) -> tuple[int, int, int] | None:
    """(year, month, day) as written with a year (2026-02-30 too), or None."""
    for pattern in _DATE_PATTERNS:
        m = pattern.match(cleaned)
        if m:
            return int(m[1]), int(m[2]), int(m[3])
    return None


def parse_date(text: str, today: date, year: int | None = None) -> date | None:
    """A date from what people type: 2026-03-10, 2026/3/10, 2026年3月10日, 20260310,
    3月10日 and dec 1 (this year, or ``year``), today / 今天, yesterday / 昨天, 前天, 3天前,
    上周五, 星期一 (this week), last friday, in 3 months; also as deadlines are written
    (12月31日前, 明年1月10号, 27年1月10日, 一月十日, 元月10日, 12月底, 下月15号); None when it is
    not a date."""
    cleaned = _clean(text)
    plain = _plain_date(cleaned, today, year)
    if plain is not None:
        return plain
    found = _written_deadline(cleaned, today, year)
    if found is None:
        # 12月5日下午, 昨天上午9点: records are kept by the day, so the time is dropped.
        day = _TIME_OF_DAY.sub("", cleaned)
        if day != cleaned and day:
            return parse_date(day, today, year)
    return found


#: A time of day after a date (下午, 上午9点, 晚上8点半, 14:30): dropped, days are kept.
_TIME_OF_DAY = re.compile(
    r"(?<=[日号天\d一二三四五六])\s*(?:上午|下午|晚上|中午|早上|早晨|傍晚|凌晨)\s*"
    r"(?:\d{1,2}(?:[:：]\d{2}|点半?(?:\d{1,2}分)?))?$"
    r"|(?<=[日号天])\s*\d{1,2}(?:[:：]\d{2}|点半?(?:\d{1,2}分)?)$"
    r"|\s+(?:morning|afternoon|evening|night|am|pm)$"
)


def _plain_date(cleaned: str, today: date, year: int | None) -> date | None:
    """:func:`parse_date` for the forms without a deadline's wording."""
    if cleaned in _RELATIVE:
        return today + timedelta(days=_RELATIVE[cleaned])
    if cleaned in _NEXT_MONTH:
        return add_months(today, 1)
    relative = _relative_day(cleaned, today) or _english_relative(cleaned, today)
    if relative is not None:
        return relative
    absolute = parse_absolute_date(cleaned)
    if absolute is not None:
        return absolute
    m = _SHORT_DATE.match(cleaned)
    if m:
        return _safe_date(year or today.year, int(m[1]), int(m[2]))
    if _DAY_OF_MONTH.match(cleaned):
        return day_of_month(cleaned, today)
    return _english_month_day(cleaned, year or today.year)


def no_such_day(text: str) -> bool:
    """Whether ``text`` is written as a date the calendar does not have (2月30日,
    2026-04-31): the person wrote a date, only not a real one, and is told so
    rather than shown the accepted forms."""
    cleaned = _clean(text)
    parts = _full_date_parts(cleaned)
    # A month past 12 is a date written another way (20.7. for 20 July): a format question.
    if parts:
        return 1 <= parts[1] <= 12 and _safe_date(*parts) is None
    short = _SHORT_DATE.match(cleaned)
    if short is None or not 1 <= int(short[1]) <= 12:
        return False
    # 2000 is a leap year: only days no year has are meant (2月29日 may be real).
    return _safe_date(2000, int(short[1]), int(short[2])) is None


def no_such_day_message(ctx: Ctx, text: str) -> str:
    """The refusal of a date the calendar does not have (2月30日)."""
    return ctx._(
        "There is no such day as “{text}”: please check the month and the day.", text=text.strip()
    )


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


#: 明年 / 今年 / 去年 / 27年 before a date: its year.
_YEAR_PREFIX = re.compile(r"^(?:(今年|明年|后年|去年|前年)|(\d{2})年)\s*(.+)$")
_YEAR_WORDS = {"今年": 0, "明年": 1, "后年": 2, "去年": -1, "前年": -2}
#: A month's end (12月底, 1月末): its last day.
_MONTH_END_OF = re.compile(r"^(\d{1,2})\s*月\s*(?:底|末|份底)$")
#: Next month's day (下月15号, 下个月15日).
_NEXT_MONTH_DAY = re.compile(r"^下个?月\s*(.+)$")
#: "Before" after a date (12月31日前, 20号之前, 周五前): the date is the deadline.
_BEFORE = re.compile(r"^(.+?)\s*(?:之前|以前|前)$")
#: Months and days in characters (一月十日, 十二月三号, 元月10日).
_CN_MONTH = re.compile(r"(元|[一二三四五六七八九十]{1,3})月")
_CN_DAY = re.compile(r"月([一二三四五六七八九十]{1,3})([日号])")
#: 15th / the 15th: a day of the month in English.
_EN_ORDINAL_DAY = re.compile(r"^(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)$")


def _written_deadline(cleaned: str, today: date, year: int | None) -> date | None:
    """The deadline wordings of :func:`parse_date`; None when ``cleaned`` is none of them."""
    digits = _digits_in_dates(cleaned)
    if digits != cleaned:
        return parse_date(digits, today, year)
    special = special_day(cleaned, today, year)
    if special is not None:
        return special
    english = plain_english(cleaned)
    if english != cleaned:
        return parse_date(english, today, year)
    m = _BEFORE.match(cleaned)
    if m and (_dated(m[1]) or _WEEKDAY.match(m[1]) or _NEXT_MONTH_DAY.match(m[1])):
        return parse_date(m[1], today, year)
    m = _YEAR_PREFIX.match(cleaned)
    if m and _dated(m[3]):
        shift = _YEAR_WORDS[m[1]] if m[1] else None
        return parse_date(
            m[3], today, today.year + shift if shift is not None else 2000 + int(m[2])
        )
    m = _MONTH_END_OF.match(cleaned)
    if m and 1 <= int(m[1]) <= 12:
        y = year or today.year
        return date(y, int(m[1]), calendar.monthrange(y, int(m[1]))[1])
    m = _NEXT_MONTH_DAY.match(cleaned)
    if m and _DAY_OF_MONTH.match(m[1]):
        return day_of_month(m[1], add_months(date(today.year, today.month, 1), 1))
    m = _EN_ORDINAL_DAY.match(cleaned)
    return _safe_date(today.year, today.month, int(m[1])) if m else None


def _dated(text: str) -> bool:
    """Whether ``text`` is written as a calendar date (3月10日, 15号, 2026-03-10, 12月底)."""
    return bool(
        _SHORT_DATE.match(text)
        or _DAY_OF_MONTH.match(text)
        or _full_date_parts(text)
        or _MONTH_END_OF.match(text)
    )


def _digits_in_dates(cleaned: str) -> str:
    """一月十日 → 1月10日, 元月10日 → 1月10日; other text unchanged."""

    def month(m: re.Match[str]) -> str:
        n = 1 if m[1] == "元" else small_number(m[1])
        return f"{n}月" if n else m[0]

    def day(m: re.Match[str]) -> str:
        n = small_number(m[1])
        return f"月{n}{m[2]}" if n else m[0]

    return _CN_DAY.sub(day, _CN_MONTH.sub(month, cleaned))
