"""What people type into record forms: dates in the many ways they are written, and free
texts of bounded length; and how dates and moments are shown back."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from handlers.core.context import Ctx
from handlers.core.dates import (
    MAX_ROLL_DAYS,
    coming_day_of_month,
    no_such_day,
    no_such_day_message,
    parse_date,
    span_from,
)
from handlers.core.errors import UserError
from handlers.core.forms import Data
from handlers.core.typed_words import says_nothing

#: The earliest date accepted anywhere (the responsibility system dates from 1998).
EARLIEST = date(1990, 1, 1)
#: Longest free texts stored (a form refuses longer input anyway).
MAX_TEXT = 2000


def date_hint(ctx: Ctx) -> str:
    """How to type a date, with today's as the example (a fixed example date read as stale)."""
    day = ctx.local_now.date()
    return ctx._(
        "Please give a date like {iso} or {md} (or “today”).",
        iso=day.isoformat(),
        md=f"{day.month}/{day.day}",
    )


def read_date(ctx: Ctx, text: str) -> date:
    """Parse a date the person typed, or explain the accepted forms."""
    value = parse_date(text, ctx.local_now.date())
    if value is None and no_such_day(text):
        raise UserError(no_such_day_message(ctx, text))
    if value is None or value < EARLIEST or value.year > 2100:
        raise UserError(date_hint(ctx))
    return value


def read_coming_date(ctx: Ctx, text: str, after: date, past_hint: str = "") -> date:
    """A date ahead: typed without its year (1月31日, jan 31, 1/31) it is the next such day
    on or after ``after`` (in December, 1月31日 is next January's), not one that has passed;
    15号 alone is the next 15th. A yearless date whose next occurrence is more than half a
    year away is refused with both readings (``past_hint`` adds what to type for a past
    one)."""
    monthly = coming_day_of_month(text, after)
    if monthly is not None:
        return monthly
    today = ctx.local_now.date()
    if parse_date(text, today) is None and not no_such_day(text):
        # The examples are days ahead: the general hint (昨天, 上周五) is for past events.
        example = max(today, after) + timedelta(days=14)
        raise UserError(
            ctx._(
                "Please give a date from today on, such as {iso}, {md}, next friday or the 15th.",
                iso=example.isoformat(),
                md=f"{example.month}/{example.day}",
            )
        )
    value = read_date(ctx, text)
    next_year = parse_date(text, today, year=today.year + 1)
    if value < after and next_year is not None and next_year.year == value.year + 1:
        if (next_year - after).days > MAX_ROLL_DAYS:
            raise UserError(
                " ".join(
                    part
                    for part in (
                        ctx._(
                            "{date} has passed. If you mean next year's, type it with the year: {next}.",
                            date=fmt_date(value),
                            next=fmt_date(next_year),
                        ),
                        past_hint,
                    )
                    if part
                )
            )
        return next_year
    return value


#: A weekday named alone (周五, 星期五, friday): for something that happened, the last one.
_BARE_WEEKDAY = re.compile(
    r"^(?:(?:周|星期|礼拜)[一二三四五六日天1-7]|monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
    r"\s*(?:上午|下午|晚上|中午|早上|morning|afternoon|evening)?$"  # 周五下午: still that Friday
)


def read_past_date(ctx: Ctx, text: str) -> date:
    """A date that is today or earlier (for things that already happened); a weekday named
    alone is the latest one (周五 typed on a Monday is last Friday, not the coming one)."""
    value = read_date(ctx, text)
    today = ctx.local_now.date()
    if value > today and _BARE_WEEKDAY.match(text.strip().lower()):
        value -= timedelta(days=7)
    if value > today:
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


#: A date or span typed after a command's person or unit (/talk 高峰 昨天, /notice 岳村镇
#: 月底前): the words of dates only, so a name with characters of its own is never taken.
DATE_WORDS = re.compile(
    r"^[\d０-９一二三四五六七八九十两年月号日周天底前内下上个本明今昨去星期末初中旬大./-]+$"
)


def names_a_date(ctx: Ctx, text: str) -> bool:
    """Whether ``text`` (typed after a name) is a date or a span, in either language
    (昨天, 月底之前, 春节前, yesterday, 15天): read at the date's step, not as part of the name."""
    text = text.strip()
    if not text:
        return False
    today = ctx.local_now.date()
    if DATE_WORDS.match(text) or parse_date(text, today) is not None:
        return True
    return span_from(text, today) is not None


def read_text(ctx: Ctx, text: str, max_len: int = MAX_TEXT, min_len: int = 1) -> str:
    """Free text of bounded length, in words: a lone number, date or emoji is refused (it
    is a slip of the keyboard or an answer to another question, never a place, a name or
    what was said)."""
    text = text.strip()
    # Before the length: "at least 4 characters" said to 同上 invited padding it out.
    if any(ch.isalpha() for ch in text) and says_nothing(text):
        raise UserError(said_nothing(ctx, text))
    if len(text) < min_len:
        raise UserError(ctx._("Please write at least {n} characters.", n=min_len))
    if len(text) > max_len:
        raise UserError(ctx._("That is too long (at most {n} characters).", n=max_len))
    # A date written in characters (1月10号, 昨天) is letters too: read as a date, it is one.
    if not any(ch.isalpha() for ch in text) or parse_date(text, ctx.local_now.date()):
        raise UserError(
            ctx._("Please write this in words; a number, a date or an emoji alone is not enough.")
        )
    if says_nothing(text):
        raise UserError(said_nothing(ctx, text))
    return text


def said_nothing(ctx: Ctx, text: str) -> str:
    """The refusal of text that says nothing (asdf, xxxx, 好的谢谢): said as such, not as "a
    number or a date"."""
    return ctx._("“{text}” says nothing the record could keep; please write it out.", text=text)


def clip(text: str | None, n: int = 60) -> str:
    """Shorten a text for a list line or a button."""
    text = (text or "").replace("\n", " ").strip()
    return text if len(text) <= n else text[: n - 1] + "…"
