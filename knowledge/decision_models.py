"""The fitted side of the Q&A decision: its cut-offs, the inputs it reads, and the two
small logistic models (is the best entry right? is a right entry among the first three?).

They are fitted by ``bench/calibrate_retrieval.py`` and kept per mode in
``data/decision_model.yaml`` (with the meaning signal) and
``data/decision_model_lexical.yaml`` (words only); :mod:`knowledge.decision` applies them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from knowledge import DATA_DIR


@dataclass(frozen=True)
class Thresholds:
    """Cut-offs of the decision (chosen on the dev set by ``bench/calibrate_retrieval.py``).

    ``answer`` is a minimum on the answer model's probability that the best entry is right;
    ``offer`` one on the offer model's probability that a right entry is among the first
    three, below which the assistant declines instead of offering buttons. ``floor`` is a
    minimum combined score for answering; ``band`` keeps as options only entries close to the
    best; ``clarify_share`` drops options that use too little of the question's own words (a
    button about another subject is worse than none). An out-of-scope example scoring
    ``out_of_scope_gap`` above the best entry means decline. When the best entry is the only
    one within the band, ``lone_answer`` (a lower cut on the answer model) and ``lone_floor``
    (a minimum score) decide whether it is answered rather than named under a decline.
    """

    answer: float = 0.6
    offer: float = 0.5
    floor: float = 0.15
    band: float = 0.15
    clarify_share: float = 0.5
    out_of_scope_gap: float = 0.0
    # A query this short (characters) names a subject, not a question (民主生活会, 处分): when
    # another entry scores within the band, the person chooses instead of being answered.
    short_query: int = 6
    # No other entry within the band: a clear lead the answer model does not see directly.
    lone_answer: float = 1.01
    lone_floor: float = 1.01
    # An entry this close in meaning (cosine) is about the question's subject even with few
    # of its words (a case told in a sentence): it may be offered. Above 1: words decide.
    option_meaning: float = 1.01


# The decision models' inputs, in order (see :meth:`KnowledgeBase.features`).
FEATURES = (
    "score",  # the best entry's combined score
    "margin",  # its lead over the runner-up
    "lexical_margin",  # lead in the lexical signal alone
    "fuzzy_margin",  # lead in the character-level signal alone
    "same_topic",  # 1 when the first two are on the same topic (siblings split questions)
    "share",  # idf share of the query's words the best entry uses
    "runner_share",  # the same for the runner-up
    "coverage",  # idf share of the query's words the rule base knows at all
    "similar",  # the best entry's nearest-question cosine
    "oos_gap",  # best entry's score minus the closest out-of-scope example's
    "length",  # the query's length (short keyword queries are subjects, not questions)
    "semantic",  # the best entry's cosine in meaning with its closest question
    "semantic_lead",  # that cosine over the closest other entry's (negative: meaning disagrees)
    "semantic_oos",  # that cosine over the closest out-of-scope example's
)
#: The inputs of an index without the meaning signal (the lexical-only mode).
LEXICAL_FEATURES = FEATURES[: FEATURES.index("semantic")]


@dataclass(frozen=True)
class DecisionModel:
    """A logistic model over :data:`FEATURES` (coefficients on the raw scale)."""

    intercept: float
    coefficients: tuple[float, ...]

    def probability(self, features: Sequence[float]) -> float:
        """P(outcome) for ``features`` as returned by :meth:`KnowledgeBase.features`."""
        z = self.intercept + sum(c * f for c, f in zip(self.coefficients, features, strict=True))
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


@dataclass(frozen=True)
class DecisionModels:
    """The two models behind a decision, read from ``data/decision_model.yaml``.

    ``answer`` estimates the chance that the best entry is a right answer, ``offer`` the
    chance that a right entry is among the first three. Both were fitted by
    ``bench/calibrate_retrieval.py`` on the rule base's own questions asked with their fold
    held out, on questions of whole entries held out (which stand for questions the rule base
    does not cover) and on held-out out-of-scope examples; the thresholds were then chosen on
    the dev set.
    """

    answer: DecisionModel
    offer: DecisionModel
    thresholds: Thresholds

    @classmethod
    def untrained(cls, features: tuple[str, ...] = FEATURES) -> DecisionModels:
        """Models that know nothing yet (every probability 0.5): the calibration's start."""
        zero = DecisionModel(0.0, (0.0,) * len(features))
        return cls(zero, zero, Thresholds())

    @classmethod
    def load(cls, path: Path, features: tuple[str, ...] = FEATURES) -> DecisionModels:
        """Read the fitted models and thresholds (fitted for ``features``)."""
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if tuple(data["features"]) != features:
            raise ValueError(f"{path}: fitted for other features; re-run the calibration")
        answer, offer = (
            DecisionModel(float(m["intercept"]), tuple(float(c) for c in m["coefficients"]))
            for m in (data["answer"], data["offer"])
        )
        return cls(answer, offer, Thresholds(**data["thresholds"]))


DECISION_MODEL = DATA_DIR / "decision_model.yaml"
#: The models of the lexical-only mode (no sentence encoder: faster, less accurate).
LEXICAL_DECISION_MODEL = DATA_DIR / "decision_model_lexical.yaml"


def features_of(semantic: bool) -> tuple[str, ...]:
    """The decision models' inputs in one mode (with the meaning signal or words only)."""
    return FEATURES if semantic else LEXICAL_FEATURES


def model_file(semantic: bool) -> Path:
    """Where one mode's fitted models and thresholds are kept."""
    return DECISION_MODEL if semantic else LEXICAL_DECISION_MODEL
