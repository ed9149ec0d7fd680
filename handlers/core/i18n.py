"""Translations through gettext catalogs managed with Babel.

Message ids are English; ``zh_CN`` is the default interface language. Catalogs are kept as
``.po`` files (``handlers/locales/<lang>/LC_MESSAGES/messages.po``) and compiled in memory
on first use, so there is no build step to forget.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LOCALES_DIR = Path(__file__).parents[1] / "locales"
DEFAULT_LANGUAGE = "zh_CN"
SUPPORTED_LANGUAGES = ("zh_CN", "en")


def normalise_language(code: str | None) -> str:
    """Map a Telegram ``language_code`` (``en-US``, ``zh-hans`` …) to a supported language."""
    if code and code.lower().startswith("en"):
        return "en"
    return DEFAULT_LANGUAGE


@cache
def _catalog(language: str) -> NullTranslations:
    po_path = LOCALES_DIR / language / "LC_MESSAGES" / "messages.po"
    if not po_path.exists():
        return NullTranslations()
    with po_path.open("rb") as fh:
        catalog = read_po(fh, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer)


class Translator:
    """Translates message ids for one language and fills in ``{placeholders}``."""

    def __init__(self, language: str) -> None:
        self.language = language if language in SUPPORTED_LANGUAGES else DEFAULT_LANGUAGE
        self._translations = _catalog(self.language)

    def _(self, message: str, **values: Any) -> str:
        """Translate ``message`` and format it with ``values``."""
        text = self._translations.gettext(message)
        return text.format(**values) if values else text

    def join(self, items: Iterable[object]) -> str:
        """A list as the language writes one: 甲、乙 in Chinese, "a, b" in English."""
        return ("、" if self.chinese else ", ").join(str(i) for i in items)

    def listing(self, items: Iterable[object]) -> str:
        """Parts of one note, comma-separated: 2026年，已回访 in Chinese, "2026, followed up"."""
        return ("，" if self.chinese else ", ").join(str(i) for i in items)

    def sentences(self, *parts: str) -> str:
        """Sentences one after another: no space between them in Chinese, one in English."""
        return ("" if self.chinese else " ").join(p for p in parts if p)

    def aside(self, main: object, note: object) -> str:
        """``main`` with ``note`` in brackets: 岳村镇（HL-YC） in Chinese, "Yuecun (HL-YC)"
        in English (full-width brackets read as a typo there)."""
        return f"{main}（{note}）" if self.chinese else f"{main} ({note})"

    def span(self, first: object, last: object) -> str:
        """A range of days: 2026-12-01～2026-12-14, or "2026-12-01 – 2026-12-14"."""
        return f"{first}～{last}" if self.chinese else f"{first} – {last}"

    @property
    def colon(self) -> str:
        """The colon before what a label introduces (full width in Chinese)."""
        return "：" if self.chinese else ": "

    @property
    def chinese(self) -> bool:
        """Whether the interface speaks Chinese."""
        return self.language.startswith("zh")

    def n_(self, singular: str, plural: str, count: int, **values: Any) -> str:
        """Translate with plural forms; ``count`` is available as ``{n}``."""
        text = self._translations.ngettext(singular, plural, count)
        return text.format(n=count, **values)


def translator(language: str | None) -> Translator:
    """A translator for ``language`` (falls back to the default)."""
    return Translator(language or DEFAULT_LANGUAGE)


def N_(message: str) -> str:
    """Mark a message id for extraction without translating it yet (used for /help texts)."""
    return message
