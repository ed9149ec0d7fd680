"""Parsing the period of a summary: a year, a quarter, a month or a date range.

Accepted forms (whitespace is ignored): ``2026``, ``2026年``, ``2026Q2``, ``2026-Q2``,
``2026年第二季度``, ``2026年2季度``, ``2026-05``, ``2026年5月``, ``2026-01-01..2026-03-31``
(also ``~``, ``～``, ``至`` or ``到`` between the days). ``code`` is a compact, unambiguous
form used in button data and file names; :func:`parse_period` reads it back.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from handlers.core.dates import add_months
from handlers.core.parsing import EN_MONTHS, small_number
from handlers.summary.domain import Period

MIN_YEAR, MAX_YEAR = 1990, 2100
#: Longest range accepted, so one request cannot ask for a century of figures.
MAX_DAYS = 366 * 10

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_YEAR = re.compile(r"(\d{4})(?:年度|年全年|全年|年)?")
_QUARTER = re.compile(r"(\d{4})(?:年?-?[qQ]([1-4])|年第?([一二三四1-4])季度?)")
_MONTH = re.compile(r"(\d{4})(?:[-/.](\d{1,2})|年(\d{1,2})月份?)")
_DAY = r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?"
_RANGE = re.compile(_DAY + r"(?:\.\.|~|～|至|到|—|--|-)" + _DAY)
_CODE_RANGE = re.compile(r"(\d{8})-(\d{8})")
_EN_MONTH = re.compile(r"(\d{4})?([a-z]+)\.?,?(\d{4})?")


def year_period(year: int) -> Period:
    """The whole calendar year."""
    return Period(date(year, 1, 1), date(year, 12, 31), str(year))


def quarter_period(year: int, quarter: int) -> Period:
    """Quarter 1–4 of a year."""
    first = 3 * (quarter - 1) + 1
    last = first + 2
    end = date(year, last, calendar.monthrange(year, last)[1])
    return Period(date(year, first, 1), end, f"{year}Q{quarter}")


def month_period(year: int, month: int) -> Period:
    """One month."""
    end = date(year, month, calendar.monthrange(year, month)[1])
    return Period(date(year, month, 1), end, f"{year}-{month:02d}")


def range_period(start: date, end: date) -> Period:
    """An explicit inclusive range of days."""
    return Period(start, end, f"{start:%Y%m%d}-{end:%Y%m%d}")


#: Periods named relative to today, as people say them (what a typed request may name).
THIS_YEAR_NAMES = ("今年", "本年", "本年度", "今年以来", "全年", "今年全年", "this year")
LAST_YEAR_NAMES = ("去年", "上年", "上一年", "上年度", "上一年度", "去年全年", "去年一年", "last year")  # fmt: skip
THIS_QUARTER_NAMES = ("本季度", "这季度", "本季", "这个季度", "当季", "this quarter")
LAST_QUARTER_NAMES = ("上季度", "上个季度", "上一季度", "上一个季度", "上季", "last quarter")
THIS_MONTH_NAMES = ("本月", "这个月", "这月", "当月", "本月份", "this month")
LAST_MONTH_NAMES = ("上月", "上个月", "上一个月", "上月份", "last month")
MONTH_BEFORE_LAST_NAMES = ("上上个月", "上上月", "month before last", "the month before last")
THIS_WEEK_NAMES = (
    "本周",
    "这周",
    "这个星期",
    "本星期",
    "这星期",
    "这礼拜",
    "这个礼拜",
    "this week",
)
LAST_WEEK_NAMES = ("上周", "上个星期", "上星期", "上一周", "上礼拜", "上个礼拜", "last week")
TODAY_NAMES = ("今天", "今日", "today")
YESTERDAY_NAMES = ("昨天", "昨日", "yesterday")
NEXT_YEAR_NAMES = ("明年", "下一年", "next year")
NEXT_MONTH_NAMES = ("下个月", "下月", "next month")
RELATIVE_NAMES = (
    *THIS_YEAR_NAMES,
    *LAST_YEAR_NAMES,
    *THIS_QUARTER_NAMES,
    *LAST_QUARTER_NAMES,
    *THIS_MONTH_NAMES,
    *LAST_MONTH_NAMES,
    *MONTH_BEFORE_LAST_NAMES,
    *THIS_WEEK_NAMES,
    *LAST_WEEK_NAMES,
    *TODAY_NAMES,
    *YESTERDAY_NAMES,
    *NEXT_YEAR_NAMES,
    *NEXT_MONTH_NAMES,
)


def _without_spaces(names: tuple[str, ...]) -> frozenset[str]:
    """``names`` as :func:`parse_period` sees them, with their spaces removed ("this year"
    arrives as "thisyear"); without this the English names never matched."""
    return frozenset(w.replace(" ", "") for w in names)


_THIS_YEAR = _without_spaces(THIS_YEAR_NAMES)
_LAST_YEAR = _without_spaces(LAST_YEAR_NAMES)
_THIS_QUARTER = _without_spaces(THIS_QUARTER_NAMES)
_LAST_QUARTER = _without_spaces(LAST_QUARTER_NAMES)
_THIS_MONTH = _without_spaces(THIS_MONTH_NAMES)
_LAST_MONTH = _without_spaces(LAST_MONTH_NAMES)
_MONTH_BEFORE_LAST = _without_spaces(MONTH_BEFORE_LAST_NAMES)
_THIS_WEEK = _without_spaces(THIS_WEEK_NAMES)
_LAST_WEEK = _without_spaces(LAST_WEEK_NAMES)
_TODAY = _without_spaces(TODAY_NAMES)
_YESTERDAY = _without_spaces(YESTERDAY_NAMES)
_NEXT_YEAR = _without_spaces(NEXT_YEAR_NAMES)
_NEXT_MONTH = _without_spaces(NEXT_MONTH_NAMES)
#: Months from one to another (今年1到11月, 2026年3-5月, 1至6月份).
_MONTHS = re.compile(r"(今年|去年|(\d{4})年?)?(\d{1,2})月?(?:到|至|-|~)(\d{1,2})月份?")
_BARE_QUARTER = re.compile(r"第?([一二三四1-4])季度|[qQ]([1-4])")
_BARE_MONTH = re.compile(r"(\d{1,2}|十?[一二三四五六七八九十])月份?")
#: The last months up to today (近三个月, 最近3个月, 过去半年, 近一年, last 3 months).
_RECENT = re.compile(
    r"(?:近|最近|过去)的?(\d{1,3}|[一二两三四五六七八九十]{1,2}|半)个?(月|年|天|日|周|星期)(?:以来|来|内)?"
    r"|(?:the)?(?:last|past)(\d{1,3})?(months?|years?|days?|weeks?)"
)
#: Days of this year without the year (12月1日到12月7日, 12月1日-7日).
_DAYS = re.compile(r"(\d{1,2})月(\d{1,2})[日号]?(?:到|至|-|~|～)(?:(\d{1,2})月)?(\d{1,2})[日号]?")


def _relative(s: str, today: date) -> Period | None:
    """今年, 去年, 本季度, 上个月, 第二季度 (this year's), 5月 (this year's) …"""
    s = s.lower()
    quarter = (today.month - 1) // 3 + 1
    if s in _THIS_YEAR:
        return year_period(today.year)
    if s in _LAST_YEAR:
        return year_period(today.year - 1)
    if s in _THIS_QUARTER:
        return quarter_period(today.year, quarter)
    if s in _LAST_QUARTER:
        return quarter_period(today.year - (quarter == 1), 4 if quarter == 1 else quarter - 1)
    if s in _THIS_MONTH:
        return month_period(today.year, today.month)
    if s in _LAST_MONTH:
        first = today.replace(day=1) - timedelta(days=1)
        return month_period(first.year, first.month)
    if s in _MONTH_BEFORE_LAST:  # 上上个月 had been read as 上 + 上个月 (a unit 上)
        first = (today.replace(day=1) - timedelta(days=1)).replace(day=1) - timedelta(days=1)
        return month_period(first.year, first.month)
    days = _days(s, today)
    if days is not None:
        return days
    if s in _NEXT_YEAR:  # named to be refused as not begun, not looked up as a unit
        return year_period(today.year + 1)
    if s in _NEXT_MONTH:
        return month_period(today.year + today.month // 12, today.month % 12 + 1)
    if m := _MONTHS.fullmatch(s):
        year = int(m[2]) if m[2] else today.year - (m[1] == "去年")
        month_from, month_to = int(m[3]), int(m[4])
        if not 1 <= month_from <= month_to <= 12:
            return None
        return range_period(date(year, month_from, 1), month_period(year, month_to).end)
    if m := _BARE_QUARTER.fullmatch(s):
        return quarter_period(today.year, _CN_DIGITS[m[1] or m[2]])
    if m := _RECENT.fullmatch(s):
        return _recent(m, today)
    if m := _DAYS.fullmatch(s):
        first = date(today.year, int(m[1]), int(m[2]))
        last = date(today.year, int(m[3] or m[1]), int(m[4]))
        return range_period(first, last)
    if named := _english_month(s):
        return month_period(today.year, named[1])
    if m := _BARE_MONTH.fullmatch(s):
        month = small_number(m[1])
        return month_period(today.year, month) if month and 1 <= month <= 12 else None
    return _to_date(s, today)


#: Years named relative to this one (去年12月, 前年).
_YEARS_BACK = {"今年": 0, "本年": 0, "去年": 1, "上年": 1, "前年": 2}
#: A month of a named year: 去年12月, 前年5月份, 今年十一月.
_NAMED_YEAR_MONTH = re.compile(
    r"(今年|本年|去年|上年|前年)(\d{1,2}|十?[一二三四五六七八九十])月份?"
)
#: From a day (or the year's start) up to today: 年初至今, 今年以来, 1月1日至今.
_SINCE = re.compile(
    r"(?:(?:今年)?年初|(\d{1,2})月(\d{1,2})[日号]?)(?:至今|到现在|到今天|以来|迄今)"
)
#: The first quarters of a year: 前三季度, 今年前两个季度, 去年前3季度.
_FIRST_QUARTERS = re.compile(r"(今年|本年|去年|上年|前年)?前([一二两三1-3])个?季度")
#: The first months of a year, as statistics name them: 前两个月, 今年前5个月, 去年前十个月
#: (bare 前两个月 had been looked up as a unit).
_FIRST_MONTHS = re.compile(
    r"(今年|本年|去年|上年|前年)?前(\d{1,2}|十?[一二两三四五六七八九十])个月份?"
)
#: A quarter of a named year: 去年第四季度, 去年Q4, 今年二季度.
_NAMED_YEAR_QUARTER = re.compile(
    r"(今年|本年|去年|上年|前年)(?:第?([一二三四1-4])季度?|[qQ]([1-4]))"
)


def _to_date(s: str, today: date) -> Period | None:
    """前年, 去年12月, 年初至今, 1月1日至今, 前三季度; None for anything else."""
    if s in ("前年", "前一年"):
        return year_period(today.year - 2)
    if m := _NAMED_YEAR_MONTH.fullmatch(s):
        month = small_number(m[2])
        year = today.year - _YEARS_BACK[m[1]]
        return month_period(year, month) if month and 1 <= month <= 12 else None
    if m := _SINCE.fullmatch(s):
        start = date(today.year, int(m[1]), int(m[2])) if m[1] else date(today.year, 1, 1)
        return range_period(start, today)
    if m := _FIRST_QUARTERS.fullmatch(s):
        year = today.year - _YEARS_BACK.get(m[1] or "今年", 0)
        n = _CN_DIGITS.get(m[2]) or (2 if m[2] == "两" else 0)
        return range_period(date(year, 1, 1), quarter_period(year, n).end)
    if m := _FIRST_MONTHS.fullmatch(s):
        year = today.year - _YEARS_BACK.get(m[1] or "今年", 0)
        months = small_number(m[2].replace("两", "二"))
        if not months or not 1 <= months <= 12:
            return None
        return range_period(date(year, 1, 1), month_period(year, months).end)
    if m := _NAMED_YEAR_QUARTER.fullmatch(s):
        return quarter_period(today.year - _YEARS_BACK[m[1]], _CN_DIGITS[m[2] or m[3]])
    return None


def _days(s: str, today: date) -> Period | None:
    """本周 (Monday to Sunday), 上周, 今天, 昨天; None for other names."""
    monday = today - timedelta(days=today.weekday())
    if s in _THIS_WEEK:
        return range_period(monday, monday + timedelta(days=6))
    if s in _LAST_WEEK:
        return range_period(monday - timedelta(days=7), monday - timedelta(days=1))
    if s in _TODAY:
        return range_period(today, today)
    if s in _YESTERDAY:
        return range_period(today - timedelta(days=1), today - timedelta(days=1))
    return None


def _recent(m: re.Match[str], today: date) -> Period | None:
    """The months up to and including today that 近三个月 or "last 3 months" names."""
    count, unit = (m[1], m[2]) if m[2] else (m[3] or "1", m[4])
    yearly = unit.startswith(("年", "year"))
    if unit.startswith(("天", "日", "周", "星期", "day", "week")):
        n = small_number(count.replace("两", "二")) if count != "半" else None
        if not n:
            return None
        days = n * (7 if unit.startswith(("周", "星期", "week")) else 1)
        return range_period(today - timedelta(days=days - 1), today)
    if count == "半":  # 近半年: six months; 近半个月: fifteen days
        start = add_months(today, -6) if yearly else today - timedelta(days=15)
        return range_period(start + timedelta(days=1), today)
    n = small_number(count.replace("两", "二"))
    if not n:
        return None
    return range_period(add_months(today, -n * (12 if yearly else 1)) + timedelta(days=1), today)


def range_problem(text: str) -> str | None:
    """Why a typed date range is no period: ``reversed`` (it ends before it starts) or
    ``no_such_day`` (2026-02-30..); None when it is no range or nothing is wrong with it."""
    m = _RANGE.fullmatch(re.sub(r"\s+", "", text))
    if m is None:
        return None
    g = [int(x) for x in m.groups()]
    try:
        start, end = date(g[0], g[1], g[2]), date(g[3], g[4], g[5])
    except ValueError:
        return "no_such_day"
    return "reversed" if end < start else None


_HALF = re.compile(
    r"^(?P<year>\d{4}年?|今年|去年|前年)?的?(?P<half>上半年|下半年|h1|h2|(?:the)?(?:first|second)half)"
    r"(?:of)?(?P<after>\d{4})?$",
    re.IGNORECASE,
)


#: Two days as month.day without a year (12.1-12.7, 12.1到12.7, 12/1~12/7).
_SHORT_DAYS = re.compile(
    r"^(?P<m1>\d{1,2})[./](?P<d1>\d{1,2})(?:-|到|至|~|～|—)(?P<m2>\d{1,2})[./](?P<d2>\d{1,2})$"
)


def halves_and_short_years(raw: str, today: date | None) -> str:
    """A half year as its date range (2026上半年 → 2026-01-01..2026-06-30), a two-digit
    year as four (26年 → 2026年) and two days without a year as this year's (12.1-12.7);
    anything else unchanged."""
    raw = re.sub(r"^(\d{2})年", r"20\1年", raw)
    days = _SHORT_DAYS.match(raw)
    if days is not None and today is not None:
        # 12.1-12.7 (no year): this year's days, as 12月1日到12月7日 are read.
        return f"{today.year}.{days['m1']}.{days['d1']}-{today.year}.{days['m2']}.{days['d2']}"
    m = _HALF.match(raw)
    if m is None:
        return raw
    year_text = m["year"] or m["after"] or ""
    if year_text.rstrip("年").isdecimal():
        year = int(year_text.rstrip("年"))
    elif today is not None:
        # 去年上半年 is last year's (stripping 年 from 去年 had read it as this year's).
        year = today.year - {"去年": 1, "前年": 2}.get(year_text, 0)
    else:
        return raw
    first = m["half"].lower().removeprefix("the") in ("上半年", "h1", "firsthalf")
    return f"{year}-01-01..{year}-06-30" if first else f"{year}-07-01..{year}-12-31"


def parse_period(text: str, today: date | None = None) -> Period | None:
    """The period written in ``text``, or None when it is not one (or out of bounds).

    With ``today``, periods named relative to it count too (今年, 上个月, 第二季度 …).
    """
    s = halves_and_short_years(re.sub(r"\s+", "", text), today)
    if not s:
        return None
    try:
        period = _parse(s)
        if period is None and today is not None:
            period = _relative(s, today)
    except ValueError:  # 2026-02-30 and the like
        return None
    if period is None or period.end < period.start:
        return None
    if not (period.start.year >= MIN_YEAR and period.end.year <= MAX_YEAR):
        return None
    if (period.end - period.start).days > MAX_DAYS:
        return None
    return period


def _english_month(s: str) -> tuple[int | None, int] | None:
    """(year or None, month) of "nov", "november 2026", "2026 nov" (spaces removed)."""
    m = _EN_MONTH.fullmatch(s.lower())
    if m is None or m[2] not in EN_MONTHS or (m[1] and m[3]):
        return None
    year = m[1] or m[3]
    return (int(year) if year else None), EN_MONTHS[m[2]]


def _parse(s: str) -> Period | None:
    if (named := _english_month(s)) and named[0] is not None:
        return month_period(named[0], named[1])
    if m := _YEAR.fullmatch(s):
        return year_period(int(m[1]))
    if m := _QUARTER.fullmatch(s):
        return quarter_period(int(m[1]), int(m[2]) if m[2] else _CN_DIGITS[m[3]])
    if m := _MONTH.fullmatch(s):
        month = int(m[2] or m[3])
        return month_period(int(m[1]), month) if 1 <= month <= 12 else None
    if m := _RANGE.fullmatch(s):
        g = [int(x) for x in m.groups()]
        return range_period(date(g[0], g[1], g[2]), date(g[3], g[4], g[5]))
    if m := _CODE_RANGE.fullmatch(s):
        a, b = m[1], m[2]
        start = date(int(a[:4]), int(a[4:6]), int(a[6:]))
        end = date(int(b[:4]), int(b[4:6]), int(b[6:]))
        return range_period(start, end)
    return None
