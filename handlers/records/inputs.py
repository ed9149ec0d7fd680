"""What people type into record forms: dates in the many ways they are written, and free
texts of bounded length; and how dates and moments are shown back."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta
from typing import Any

from handlers.core.context import Ctx
from handlers.core.errors import UserError
from handlers.core.forms import Data
from handlers.core.parsing import small_number

#: The earliest date accepted anywhere (the responsibility system dates from 1998).
EARLIEST = date(1990, 1, 1)
#: Longest free texts stored (a form refuses longer input anyway).
MAX_TEXT = 2000

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
    "大前天": -3,
    "后天": 2,
}
_DAYS_AGO = re.compile(
    r"^(\d{1,3}|[零一二两三四五六七八九十]{1,3})\s*天\s*(前|以前|之前|后|以后|之后)$"
)
_WEEKDAY = re.compile(
    r"^(上上|上|本|这|下)?\s*(?:个)?\s*(?:周|星期|礼拜)\s*([一二三四五六日天1-7])$"
)
_WEEKDAY_INDEX = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_WEEK_SHIFT = {"上上": -2, "上": -1, "本": 0, "这": 0, "下": 1, None: 0}


def _relative_day(cleaned: str, today: date) -> date | None:
    """前天, 3天前, 三天以后, 上周五, 星期一, 下礼拜三 …; None when it is none of these."""
    m = _DAYS_AGO.match(cleaned)
    if m:
        n = small_number(m[1])
        if n is None:
            return None
        return today + timedelta(days=-n if m[2] in ("前", "以前", "之前") else n)
    m = _WEEKDAY.match(cleaned)
    if m:
        day = _WEEKDAY_INDEX.get(m[2], int(m[2]) - 1 if m[2].isdigit() else 0)
        monday = today - timedelta(days=today.weekday())
        return monday + timedelta(weeks=_WEEK_SHIFT[m[1]], days=day)
    return None


def parse_date(text: str, today: date) -> date | None:
    """A date from what people type: 2026-03-10, 2026/3/10, 2026年3月10日, 20260310,
    3月10日 (this year), today / 今天, yesterday / 昨天, 前天, 3天前, 上周五, 星期一 (this
    week); None when it is not a date."""
    # NFKC turns full-width digits and punctuation into ASCII.
    cleaned = unicodedata.normalize("NFKC", text or "").strip().lower().rstrip("。.")
    if cleaned in _RELATIVE:
        return today + timedelta(days=_RELATIVE[cleaned])
    relative = _relative_day(cleaned, today)
    if relative is not None:
        return relative
    for pattern in _DATE_PATTERNS:
        m = pattern.match(cleaned)
        if m:
            return _safe_date(int(m[1]), int(m[2]), int(m[3]))
    m = _SHORT_DATE.match(cleaned)
    if m:
        return _safe_date(today.year, int(m[1]), int(m[2]))
    return None


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def read_date(ctx: Ctx, text: str) -> date:
    """Parse a date the person typed, or explain the accepted forms."""
    value = parse_date(text, ctx.local_now.date())
    if value is None or value < EARLIEST or value.year > 2100:
        raise UserError(ctx._("Please give a date like 2026-03-10 (or “today”)."))
    return value


def read_past_date(ctx: Ctx, text: str) -> date:
    """A date that is today or earlier (for things that already happened)."""
    value = read_date(ctx, text)
    if value > ctx.local_now.date():
        raise UserError(
            ctx._("That date is in the future; please give the date on which it happened.")
        )
    return value


def from_iso(value: Any) -> date | None:
    """A date kept as ISO text in form data (None stays None)."""
    return date.fromisoformat(value) if isinstance(value, str) and value else None


def fmt_date(value: date | None) -> str:
    """Dates are shown as ISO (unambiguous in both languages)."""
    return value.isoformat() if value else "—"


def fmt_time(ctx: Ctx, value: datetime | None) -> str:
    """A moment in the configured time zone."""
    if value is None:
        return "—"
    return value.astimezone(ctx.services.config.timezone).strftime("%Y-%m-%d %H:%M")


def today_choice(ctx: Ctx, data: Data) -> list[tuple[str, str]]:
    """A "Today" button for date steps."""
    return [(ctx._("Today"), ctx.local_now.date().isoformat())]


def show_date(ctx: Ctx, value: Any) -> str:
    """Review-screen text of a date kept as ISO text."""
    return str(value) if value else "—"


def read_text(ctx: Ctx, text: str, max_len: int = MAX_TEXT, min_len: int = 1) -> str:
    """Free text of bounded length, in words: a lone number, date or emoji is refused (it
    is a slip of the keyboard or an answer to another question, never a place, a name or
    what was said)."""
    text = text.strip()
    if len(text) < min_len:
        raise UserError(ctx._("Please write at least {n} characters.", n=min_len))
    if len(text) > max_len:
        raise UserError(ctx._("That is too long (at most {n} characters).", n=max_len))
    if not any(ch.isalpha() for ch in text):
        raise UserError(
            ctx._("Please write this in words; a number, a date or an emoji alone is not enough.")
        )
    return text


def clip(text: str | None, n: int = 60) -> str:
    """Shorten a text for a list line or a button."""
    text = (text or "").replace("\n", " ").strip()
    return text if len(text) <= n else text[: n - 1] + "…"
