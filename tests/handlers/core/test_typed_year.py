"""Years as people type them: digits, two digits, and words relative to this year."""

from __future__ import annotations

import pytest

from handlers.core.app import Assistant
from handlers.core.parsing import typed_year
from tests.handlers.core.helpers import say, texts


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("2025", 2025),
        ("2025年", 2025),
        ("2026年度", 2026),
        ("25", 2025),
        ("今年", 2026),
        ("本年", 2026),
        ("去年", 2025),  # 去年 ends in 年: it had been cut to 去 and not read
        ("去年的", 2025),
        ("上年", 2025),
        ("前年", 2024),
        ("明年", 2027),
        ("last year", 2025),
        ("Next Year", 2027),
        ("年", None),
        ("abc", None),
        ("2", None),
    ],
)
def test_typed_years(text: str, year: int | None) -> None:
    assert typed_year(text, 2026) == year


async def test_a_pledge_for_next_year_named_in_words(core: Assistant) -> None:
    reply = texts(await say(core, 1109, "/pledge 明年"))
    assert "岗位类型" in reply and "只能为" not in reply
