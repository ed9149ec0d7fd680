"""A rule answer read in English says that the rule base's text is Chinese, quoted as written;
in Chinese nothing is added."""

from __future__ import annotations

from handlers.core.app import Assistant
from handlers.core.i18n import translator
from handlers.qa.ask import TEXT_IN_CHINESE
from tests.handlers.core.helpers import say, texts

EN = translator("en")
CADRE = 1110
QUESTION = "诫勉谈话后多久不能提拔"


async def test_an_english_reader_is_told_the_answer_is_quoted_in_chinese(core: Assistant) -> None:
    await say(core, CADRE, "/lang en")
    answer = texts(await say(core, CADRE, QUESTION))
    assert "【" in answer and EN._(TEXT_IN_CHINESE) in answer
    assert answer.index(EN._(TEXT_IN_CHINESE)) < answer.index("\n\n")  # under the title


async def test_a_chinese_reader_gets_the_answer_alone(core: Assistant) -> None:
    answer = texts(await say(core, CADRE, QUESTION))
    assert "【" in answer and "Chinese" not in answer and "规则库以中文编写" not in answer
