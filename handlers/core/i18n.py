"""Translations through gettext catalogs managed with Babel.

Message ids are English; ``zh_CN`` is the default interface language. Catalogs are kept as
``.po`` files (``handlers/locales/<lang>/LC_MESSAGES/messages.po``) and compiled in memory
on first use, so there is no build step to forget.
"""

from __future__ import annotations

import io
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
