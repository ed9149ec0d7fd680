"""The meaning signal: the vector store, the per-entry cosines, and how the index uses them."""

from __future__ import annotations

import pickle
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
import threadpoolctl

from knowledge import index_cache
from knowledge.retrieval import (
    DECISION_MODEL,
    FEATURES,
    LEXICAL_DECISION_MODEL,
    LEXICAL_FEATURES,
    DecisionModel,
    DecisionModels,
    KnowledgeBase,
    Thresholds,
)
from knowledge.semantic import E5Embedder, PhraseVectors, VectorStore
from knowledge.startup import load_knowledge_base
from tests.knowledge.test_retrieval_decisions import SMALL, entry


class TableEmbedder:
    """Vectors chosen by the test: a text's vector is the axis the table gives it (others
    share one neutral axis); counts how many texts it was asked to encode."""

    name = "table"

    def __init__(self, axes: dict[str, int], dim: int = 8) -> None:
        self.axes, self.dim, self.encoded = axes, dim, 0

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.encoded += len(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            out[row, self.axes.get(text, self.dim - 1)] = 1.0
        return out


def test_the_store_encodes_each_text_once_and_keeps_it_on_disk(tmp_path: Path) -> None:
    emb = TableEmbedder({"甲": 0, "乙": 1})
    store = VectorStore(tmp_path)
    first = store.vectors(emb, ["甲", "乙", "甲"])
    assert emb.encoded == 2 and first.shape == (3, 8)
    assert np.array_equal(first[0], first[2])
    store.vectors(emb, ["乙", "丙"])
    assert emb.encoded == 3  # only 丙 was new
    # A new process (a new store on the same folder) reads them back instead of encoding.
    again = TableEmbedder({"甲": 0, "乙": 1})
    assert np.array_equal(VectorStore(tmp_path).vectors(again, ["甲", "乙", "丙"])[0], first[0])
    assert again.encoded == 0
    # Another encoder's vectors are never mixed in.
    other = TableEmbedder({"甲": 3})
    other.name = "other"
    assert VectorStore(tmp_path).vectors(other, ["甲"])[0, 3] == 1.0 and other.encoded == 1


def test_a_damaged_or_unwritable_store_costs_time_not_answers(tmp_path: Path) -> None:
    (tmp_path / "vectors-table.npz").write_bytes(b"not a numpy file")
    emb = TableEmbedder({"甲": 0})
    assert VectorStore(tmp_path).vectors(emb, ["甲"])[0, 0] == 1.0
    assert emb.encoded == 1
    blocked = tmp_path / "file"
    blocked.write_text("x")  # a file where the folder should be: nothing can be written
    assert VectorStore(blocked / "sub").vectors(emb, ["乙"]).shape == (1, 8)


def test_each_document_scores_its_closest_phrase() -> None:
    emb = TableEmbedder({"a1": 0, "a2": 1, "b1": 2})
    vectors = PhraseVectors(emb, [["a1", "a2"], ["b1"]], VectorStore(None))
    query = np.zeros(8, dtype=np.float32)
    query[1] = 1.0
    assert vectors.best_cosines(query).tolist() == [1.0, 0.0]
    with pytest.raises(ValueError):
        PhraseVectors(emb, [["a1"], []], VectorStore(None))


def _models(n: int) -> DecisionModels:
    # p(answer) rises with the meaning lead alone, so the test reads the signal directly.
    coefs = [0.0] * n
    if n == len(FEATURES):
        coefs[FEATURES.index("semantic_lead")] = 20.0
    return DecisionModels(
        DecisionModel(-5.0, tuple(coefs)), DecisionModel(0.0, (0.0,) * n), Thresholds()
    )


CARS = [
    entry(
        "integrity.rules.cars_private",
        "公车私用怎么处理",
        "公车私用怎么处理 公车私用处分 私用公车后果",
        "公车私用 公车",
    ),
    entry(
        "integrity.rules.car_allowance",
        "公车改革补贴",
        "车补怎么发 公务交通补贴标准 单位车改补贴",
        "车改 车补 单位",
    ),
    *SMALL,
]
# Worded like neither entry: 单位 is the only word it shares, and with the reform entry.
QUERY = "单位那辆桑塔纳下班能开回家吗"


def test_a_question_worded_unlike_its_entry_is_reached_by_its_meaning() -> None:
    axes = {QUERY: 0, "公车私用怎么处理": 0, "车补怎么发": 1}
    lexical = KnowledgeBase(CARS, semantic=False, models=_models(len(LEXICAL_FEATURES)))
    assert [k for k, _, _ in lexical.rank(QUERY).entries][:1] == ["integrity.rules.car_allowance"]
    kb = KnowledgeBase(
        CARS, embedder=TableEmbedder(axes), vectors=VectorStore(None), models=_models(len(FEATURES))
    )
    ranking = kb.rank(QUERY)
    # The closest entry in meaning joins the candidates and leads them.
    assert ranking.entries[0][0] == "integrity.rules.cars_private"
    features = kb.features(ranking)
    assert len(features) == len(FEATURES)
    assert features[FEATURES.index("semantic")] == pytest.approx(1.0)
    assert features[FEATURES.index("semantic_lead")] > 0
    assert kb.confidence(ranking) > 0.99
    # When meaning points elsewhere than the words, the lead is negative (re-ordering off,
    # to see the feature on the words' own first entry).
    asked = "诫勉了以后多久能提拔"
    kb_other = KnowledgeBase(
        CARS,
        embedder=TableEmbedder({asked: 1, "诫勉谈话谁来谈": 1}),
        vectors=VectorStore(None),
        models=_models(len(FEATURES)),
    )
    kb_other.semantic_weight = 0.0
    ranking = kb_other.rank(asked)
    assert ranking.entries[0][0] == "check.warning_talk.effects"
    assert kb_other.features(ranking)[FEATURES.index("semantic_lead")] == pytest.approx(-1.0)
    assert kb_other.confidence(ranking) < 0.01


def test_the_lexical_mode_has_its_own_fitted_models_and_no_vectors() -> None:
    assert len(
        DecisionModels.load(LEXICAL_DECISION_MODEL, LEXICAL_FEATURES).answer.coefficients
    ) == len(LEXICAL_FEATURES)
    with pytest.raises(ValueError):  # each mode's file is fitted for its own features
        DecisionModels.load(DECISION_MODEL, LEXICAL_FEATURES)
    kb = KnowledgeBase(SMALL, semantic=False)
    assert len(kb.answer_model.coefficients) == len(LEXICAL_FEATURES)
    ranking = kb.rank("诫勉后多久能提拔")
    assert len(kb.features(ranking)) == len(LEXICAL_FEATURES)
    assert all(s.semantic == 0.0 for _, _, s in ranking.entries)
    assert kb.decide("诫勉后多久能提拔").status.value in {"answer", "clarify", "none"}


def test_the_real_encoder_reads_meaning_and_survives_the_index_cache() -> None:
    e5 = E5Embedder()
    a, b, c = e5.embed(["公车私用怎么处理", "开单位的车去办私事会怎样", "党员赌博给什么处分"])
    assert float(a @ b) > float(a @ c)
    assert np.linalg.norm(a) == pytest.approx(1.0, abs=1e-3)
    clone = pickle.loads(pickle.dumps(e5))  # the engine is not pickled; it loads again
    assert float(clone.embed(["公车私用怎么处理"])[0] @ a) == pytest.approx(1.0, abs=1e-5)
    # Once the encoder runs, numpy's BLAS pool is held to one thread (no spin-wait fight).
    blas = [p for p in threadpoolctl.threadpool_info() if p["user_api"] == "blas"]
    assert blas and all(p["num_threads"] == 1 for p in blas)


def test_the_index_cache_keeps_the_two_modes_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[bool] = []
    real_save = index_cache.save

    def save(folder: Path, key: str, value: object) -> Path | None:
        built.append(getattr(value, "semantic", None))
        return real_save(folder, key, value)

    monkeypatch.setattr(index_cache, "save", save)
    assert load_knowledge_base(cache_dir=tmp_path).semantic
    lexical = load_knowledge_base(cache_dir=tmp_path, semantic=False)
    assert not lexical.semantic and built == [True, False]
    assert load_knowledge_base(cache_dir=tmp_path, semantic=False) is not lexical
    assert built == [True, False]  # the second lexical start read its own cache
