"""The two message catalogs parse cleanly and hold the same message ids.

Catalogs are edited by hand and merged between branches; a msgid that lost its msgstr line
in a merge made every catalog load print a warning, and a msgid present in one language
only would show English text in a Chinese reply.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from handlers.core.i18n import LOCALES_DIR, SUPPORTED_LANGUAGES


def _read(language: str) -> set[str]:
    path: Path = LOCALES_DIR / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as fh:
        # abort_invalid turns a malformed entry (a msgid without msgstr …) into an error.
        catalog = read_po(fh, locale=language, abort_invalid=True)
    return {str(m.id) for m in catalog if m.id}


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_each_catalog_parses_without_a_malformed_entry(language: str) -> None:
    assert _read(language)


def test_both_languages_have_the_same_message_ids() -> None:
    zh, en = _read("zh_CN"), _read("en")
    assert zh - en == set() and en - zh == set()


def test_every_chinese_message_is_translated() -> None:
    path = LOCALES_DIR / "zh_CN" / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as fh:
        catalog = read_po(fh, locale="zh_CN", abort_invalid=True)
    untranslated = [m.id for m in catalog if m.id and not m.string]
    assert untranslated == []


def test_english_counts_agree_with_their_noun_and_lists_read_as_english() -> None:
    from handlers.core.i18n import translator

    en, zh = translator("en"), translator("zh_CN")
    one = en.n_(
        "📅 In {n} day: {event} on {day}.",
        "📅 In {n} days: {event} on {day}.",
        1,
        event="x",
        day="d",
    )
    many = en.n_(
        "📅 In {n} day: {event} on {day}.",
        "📅 In {n} days: {event} on {day}.",
        3,
        event="x",
        day="d",
    )
    assert one.startswith("📅 In 1 day:") and many.startswith("📅 In 3 days:")
    assert (
        zh.n_(
            "📅 In {n} day: {event} on {day}.",
            "📅 In {n} days: {event} on {day}.",
            1,
            event="x",
            day="d",
        )
        == "📅 1 天后（d）：x。"
    )
    assert en.join(["a", "b"]) == "a, b" and zh.join(["甲", "乙"]) == "甲、乙"
    assert (
        en.aside("Yuecun", "HL-YC") == "Yuecun (HL-YC)"
        and zh.aside("岳村镇", "HL-YC") == "岳村镇（HL-YC）"
    )
