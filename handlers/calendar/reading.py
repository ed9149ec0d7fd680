"""Reading what ``/calendar set`` and ``lianzheng calendar import`` are given: an event by
its code, name or short name, and a day or a period written as people type dates."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import date, timedelta

from handlers.core.dates import add_months, day_of_month, parse_absolute_date, parse_date
from handlers.core.i18n import Translator
from knowledge.calendar import EventSpec, default_calendar, event_by_code

#: How far ahead a yearless date that has passed may be read as next year's: next August's
#: education month is planned in December, but 12月5日 typed on 7 December is a slip (it is
#: refused as past instead of rewriting next year's plan).
PLAN_AHEAD_DAYS = 300
_RANGE_MARKS = ("..", "~", "到", "至")  # text is NFKC-normalised first: ～ is ~ then


def parse_dates(text: str, today: date | None = None) -> tuple[date, date | None]:
    """``2026-08-01`` or ``2026-08-01..2026-08-31`` (also with ～ or 到, as /calendar shows
    ranges), each day written as people type dates (2026/8/1, 2026年8月1日; with ``today``
    also 8月1日 or 明天); raises ValueError."""
    raw = _TIME_OF_DAY.sub("", unicodedata.normalize("NFKC", text).strip())
    for mark in _RANGE_MARKS:
        raw = raw.replace(mark, "..")
    first, _, last = raw.partition("..") if ".." in raw else _dash_range(raw, today)
    start, end = _span(first, last, today)
    if today is not None and (end or start) < today:
        # 1月5日 typed in December is next year's (the notice form reads it so too); a
        # date written with its year, or 昨天, stays as typed (and is refused as past).
        later, later_end = _span(first, last, today, today.year + 1)
        near = (later - today).days <= PLAN_AHEAD_DAYS
        if (
            near
            and later.year == start.year + 1
            and (later_end is None or later_end.year == later.year)
        ):
            start, end = later, later_end
    if end is not None and (end < start or end.year != start.year):
        raise ValueError("the end must be on or after the start, in the same year")
    return start, end


#: A time of day after the date (2月8号下午, 8月1日上午9点): events are kept by the day.
_TIME_OF_DAY = re.compile(
    r"(?<=[日号\d])\s*(?:上午|下午|晚上|中午|早上|早晨)?\s*(?:\d{1,2}(?:[:：]\d{2}|点半?))?$"
)


def _dash_range(raw: str, today: date | None) -> tuple[str, str, str]:
    """``12.1-12.20`` or ``12月1日-12月20日``: a range with a dash between two days, where
    a dash is also inside a day (2026-08-01); the first split whose both sides are days."""
    for at, ch in enumerate(raw):
        if ch == "-" and 0 < at < len(raw) - 1:
            first, last = raw[:at], raw[at + 1 :]
            try:
                _span(first, last, today)
            except ValueError:
                continue
            return first, "-", last
    return raw, "", ""


def _span(
    first: str, last: str, today: date | None, year: int | None = None
) -> tuple[date, date | None]:
    """The first and (optional) last day; a last day written as a day alone (8月1日到31日)
    is in the first day's month."""
    start = _one_date(first, today, year)
    if not last.strip():
        return start, None
    return start, day_of_month(last, start) or _one_date(last, today, year)


#: A whole month (8月, 8月份, 明年8月, 2027年8月, 2027-08): a period event's first and last day.
_MONTH = re.compile(r"^(?:(今年|明年|\d{4})(?:年|-|/|\.)?)?(\d{1,2})(?:月份?)?$")


def whole_month(text: str, today: date) -> tuple[date, date] | None:
    """The first and last day of a month typed alone (``明年8月``), or None. A month without
    a year that has already ended is next year's (the education month planned in December)."""
    raw = unicodedata.normalize("NFKC", text).strip()
    m = _MONTH.match(raw)
    if m is None or (m[1] is None and not raw.endswith(("月", "月份"))):
        return None  # a bare number is not a month
    month = int(m[2])
    if not 1 <= month <= 12:
        return None
    years = {None: today.year, "今年": today.year, "明年": today.year + 1}
    year = years[m[1]] if m[1] in years else int(m[1])
    if m[1] is None and (year, month) < (today.year, today.month):
        year += 1
    first = date(year, month, 1)
    last = add_months(first, 1) - timedelta(days=1)
    return first, last


def _one_date(text: str, today: date | None, year: int | None = None) -> date:
    value = parse_date(text, today, year) if today is not None else parse_absolute_date(text)
    if value is None:
        raise ValueError(f"not a date: {text!r}")
    return value


def find_event(text: str) -> EventSpec | None:
    """The event by its code, by its name in either language (as /calendar shows it) or by
    one of its shorter names (年初会议, 教育月)."""
    wanted = text.strip().casefold()
    by_code = event_by_code(wanted)
    if by_code is not None:
        return by_code
    exact = next((e for e in default_calendar() if e.known_as(wanted)), None)
    if exact is not None or sum("\u4e00" <= ch <= "\u9fff" for ch in wanted) < 3:
        return exact
    # Part of one Chinese name (民主生活会 for 专题民主生活会): that event, when no other
    # has it (an English word such as "party" is too loose to pick one by).
    partial = [e for e in default_calendar() if any(wanted in n for n in e.name.values())]
    return partial[0] if len(partial) == 1 else None


def event_names(t: Translator) -> str:
    """Every event's name, for usage messages."""
    sep = "、" if t.language.startswith("zh") else ", "
    return sep.join(e.label(t.language) for e in default_calendar())


def is_dates(word: str, today: date) -> bool:
    """Whether a word of ``/calendar set`` is its date or range (what ends the event's name)."""
    try:
        parse_dates(word, today)
    except ValueError:
        return False
    return True


#: An event's Chinese name with its date stuck to it (民主生活会12月10日, 教育月8月1日到31日).
_STUCK = re.compile(
    r"^(.*?[\u4e00-\u9fff])(\d[\d\-/.年月日号到至~]*(?:上午|下午|晚上|中午|早上|早晨)?(?:\d{1,2}点半?)?)$"
)


def split_stuck_date(words: Sequence[str], today: date) -> list[str]:
    """The words of ``/calendar set`` with a date typed straight after the event's name
    made a word of its own, when no word is a date already."""
    if any(i > 0 and is_dates(w, today) for i, w in enumerate(words)):
        return list(words)
    for i, word in enumerate(words):
        m = _STUCK.match(word)
        if m and is_dates(m[2], today):
            return [*words[:i], m[1], m[2], *words[i + 1 :]]
    return list(words)
