"""Bounds for numbers that arrive in text or button data.

Button payloads and arguments are untrusted: a forged payload may carry a year like 99999
(which ``datetime.date`` rejects) or an id past 64 bits (which the database rejects).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from handlers.core.types import Request

MIN_YEAR, MAX_YEAR = 1990, 2100
#: Database ids are signed 64-bit integers; anything longer than 18 digits is forged.
MAX_ID_DIGITS = 18
_LONG_NUMBER = re.compile(rf"\d{{{MAX_ID_DIGITS + 1},}}")


#: Telegram's user, chat and update ids fit a signed 64-bit integer (and so do our columns).
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


def fits_int64(*values: int | None) -> bool:
    """True when every given id (None aside) fits a signed 64-bit integer."""
    return all(v is None or INT64_MIN <= v <= INT64_MAX for v in values)


def encodable(text: str) -> str:
    """``text`` with every lone surrogate replaced by "?".

    JSON may carry a lone surrogate (``"\\udbb0"``), which decodes to a Python string that
    cannot be encoded as UTF-8: stored (encrypted) or sent back to Telegram it raised. No
    real keyboard types one, so nothing of a person's message is lost."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")
    return text


def has_overlong_number(text: str) -> bool:
    """True when ``text`` contains a digit run no real id or year could have."""
    return bool(_LONG_NUMBER.search(text))


_CN_DIGITS = {
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


def small_number(text: str) -> int | None:
    """12 or 十二, as people write a count of days or a month (up to 99 in characters);
    None when ``text`` is neither."""
    if text.isdecimal():  # not isdigit: ² is a digit int() cannot read
        return int(text)
    if "十" not in text:
        return _CN_DIGITS.get(text) if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    t = 1 if tens == "" else _CN_DIGITS.get(tens)
    o = 0 if ones == "" else _CN_DIGITS.get(ones)
    return None if t is None or o is None else t * 10 + o


def clean_display_name(text: str) -> str:
    """A person's or unit's name as stored and shown: NFC-normalised (not NFKC, which would
    turn the full-width brackets of Chinese names into ASCII ones), without invisible
    format characters (zero-width spaces and joiners, right-to-left and other direction
    marks, BOM) or control characters, and with runs of spaces collapsed. Two names that look
    the same are then the same string, so nobody can pass for someone else."""
    normal = unicodedata.normalize("NFC", text)
    visible = "".join(ch for ch in normal if unicodedata.category(ch) not in ("Cf", "Cc"))
    return " ".join(visible.split())


#: A unit code: letters, digits, ``_`` and ``-``, starting with a letter or digit, at most 32.
UNIT_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,31}")


def valid_unit_code(code: str) -> bool:
    """Whether ``code`` may name a unit (checked wherever a code enters: import, CLI)."""
    return UNIT_CODE.fullmatch(code) is not None


def decode_text(data: bytes) -> str | None:
    """A text file's content: UTF-8 (with or without a BOM) or, as Chinese spreadsheet
    programs save CSV, GBK (read as GB18030, its superset); None when it is neither."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


#: Telegram user ids are positive and (today) under 2**52: at most fifteen digits.
MAX_TELEGRAM_ID = 10**15 - 1


def telegram_id(text: str) -> int | None:
    """A Telegram user id typed or read from a file (spreadsheets write 7001.0), or None."""
    raw = text.strip().removesuffix(".0")
    if not raw.isdecimal() or not 1 <= int(raw) <= MAX_TELEGRAM_ID:
        return None
    return int(raw)


#: Years named relative to this one, as typed (0 = this year, 1 = last year …).
YEARS_BACK = {
    "今年": 0, "本年": 0, "去年": 1, "上年": 1, "前年": 2, "明年": -1, "下一年": -1, "下年": -1,
    "this year": 0, "last year": 1, "next year": -1,
}  # fmt: skip


def typed_year(text: str, this_year: int) -> int | None:
    """The year named by ``text``: 2025, 2025年, 25, 去年, last year; None if it names none."""
    said = " ".join(text.lower().split())
    for word in (said, said.removesuffix("的"), said.removesuffix("度")):
        if word in YEARS_BACK:  # before the suffixes go: 去年 ends in 年 itself
            return this_year - YEARS_BACK[word]
    word = said.rstrip("年度的 ")
    if word.isdecimal() and len(word) in (2, 4):
        return int(word) if len(word) == 4 else 2000 + int(word)
    return None


#: English month names, full and short (sept too): dates and periods typed in English.
EN_MONTHS = {
    name: number
    for number, full in enumerate(
        ("january", "february", "march", "april", "may", "june", "july", "august",
         "september", "october", "november", "december"),
        1,
    )
    for name in (full, full[:3], *(("sept",) if number == 9 else ()))
}  # fmt: skip


def encodable_request(req: Request) -> Request:
    """The request with its texts made encodable as UTF-8 (see :func:`encodable`): every
    text the core may store or echo back, once, before anything reads it."""
    attachment = req.attachment
    if attachment is not None:
        attachment = replace(
            attachment,
            file_ref=encodable(attachment.file_ref),
            file_name=encodable(attachment.file_name),
        )
    poll = req.poll_answer
    if poll is not None:
        poll = replace(poll, poll_id=encodable(poll.poll_id))
    return replace(
        req,
        poll_answer=poll,
        text=encodable(req.text),
        callback_data=None if req.callback_data is None else encodable(req.callback_data),
        display_name=encodable(req.display_name),
        attachment=attachment,
    )
