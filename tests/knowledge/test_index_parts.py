"""The packed postings add up per document exactly as a plain loop over the words would."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from knowledge.index_parts import Postings

WORDS = ["诫勉", "谈话", "处分", "礼金"]
SIZE = 6

postings_strategy = st.dictionaries(
    st.sampled_from(WORDS),
    st.lists(
        st.tuples(st.integers(0, SIZE - 1), st.floats(0.01, 5.0)),
        min_size=1,
        max_size=SIZE,
        unique_by=lambda pair: pair[0],
    ),
)
weights_strategy = st.dictionaries(st.sampled_from([*WORDS, "未知"]), st.floats(0.1, 3.0))


@given(postings_strategy, weights_strategy)
def test_weighted_sums_match_a_loop_over_the_words(
    raw: dict[str, list[tuple[int, float]]], weights: dict[str, float]
) -> None:
    table = Postings(
        {w: ([i for i, _ in pairs], [v for _, v in pairs]) for w, pairs in raw.items()},
        np.int32,
        np.float64,
    )
    expected_sums = np.zeros(SIZE)
    expected_presence = np.zeros(SIZE)
    for word, weight in weights.items():
        for slot, value in raw.get(word, []):
            expected_sums[slot] += weight * value
            expected_presence[slot] += weight

    sums, presence = table.weighted_sums(weights, SIZE, presence=True)
    assert np.allclose(sums, expected_sums)
    assert np.allclose(presence, expected_presence)
    without, nothing = table.weighted_sums(weights, SIZE)
    assert np.allclose(without, expected_sums)
    assert nothing.size == 0


def test_an_unknown_word_adds_nothing() -> None:
    table = Postings({"诫勉": ([1], [2.0])}, np.int32, np.float64)
    sums, presence = table.weighted_sums({"足球": 1.0}, 3, presence=True)
    assert sums.tolist() == [0.0, 0.0, 0.0]
    assert presence.tolist() == [0.0, 0.0, 0.0]
