"""Retrieval quality on the labelled question set (tests/data/qa_eval.yaml).

Thresholds sit a little under the measured figures (BENCHMARKS.md) so that a change which
makes the assistant noticeably worse fails, while the priority is explicit: wrong answers
(in scope or out of scope) are held very low, because a confident wrong answer about
discipline rules is the worst outcome; offering the right entry among two or three choices
is acceptable.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.evaluation import Metrics, evaluate, load_labelled
from knowledge.retrieval import KnowledgeBase
from knowledge.schema import TOPICS

EVAL = Path(__file__).resolve().parents[1] / "data" / "qa_eval.yaml"


@pytest.fixture(scope="module")
def metrics(kb: KnowledgeBase) -> Metrics:
    labelled, out_of_scope = load_labelled(EVAL)
    return evaluate(kb, labelled, out_of_scope)


def test_the_set_is_big_and_covers_every_topic(kb: KnowledgeBase) -> None:
    labelled, out_of_scope = load_labelled(EVAL)
    assert len(labelled) >= 200 and len(out_of_scope) >= 60
    topics = {kb.entries[e].topic for item in labelled for e in item.entries}
    # The written set predates today's topics; the real-question sets cover those.
    assert topics <= set(TOPICS) and len(topics) >= 12


def test_wrong_answers_are_rare(metrics: Metrics) -> None:
    assert metrics.wrong_answer_rate <= 0.04, metrics.misses  # 3.0% on 2026-12-04


def test_out_of_scope_is_declined(metrics: Metrics) -> None:
    assert metrics.refusal_rate >= 0.80
    assert metrics.oos_answer_rate <= 0.03


def test_right_entry_is_answered_or_offered(metrics: Metrics) -> None:
    # 0.74 until 2026-12-04: since then one entry alone near a question is named in an
    # honest decline instead of offered as "did you mean" (on real questions such a lone
    # entry is far more often a neighbour than the answer); see BENCHMARKS.md.
    assert metrics.clarify_recall >= 0.62


def test_top1_accuracy(metrics: Metrics) -> None:
    assert metrics.top1_accuracy >= 0.22
