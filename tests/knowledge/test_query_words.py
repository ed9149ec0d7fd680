"""Which words of a question count: a stopword goes whole, with its parts."""

from __future__ import annotations

import pytest

from knowledge.text import AliasTable, Analyzer


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer(["留置", "诫勉", "廉政考核"], aliases=AliasTable({}))


def test_a_stopword_goes_with_its_parts() -> None:
    plain = Analyzer(["留置"], aliases=AliasTable({}), stopwords=frozenset({"前提条件"}))
    # jieba's search mode would also yield 前提, 条件 and 提条件 from 前提条件.
    assert plain.words("留置前提条件") == ["留置"]


def test_parts_of_a_content_word_still_count(analyzer: Analyzer) -> None:
    words = analyzer.words("廉政考核怎么搞")
    assert {"廉政", "考核", "廉政考核"} <= set(words)
