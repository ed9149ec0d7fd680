"""Fit the retrieval confidence model and choose the decision thresholds.

Run:  .venv/bin/python -m bench.calibrate_retrieval

1. Confidence model (``knowledge.retrieval.ConfidenceModel``): the rule base's own questions
   are held out five-fold (each fold's questions are removed from their entries, the index is
   rebuilt, and they are asked); a logistic regression learns from the shape of each ranking
   whether the best entry was the right one. The labelled set plays no part in this step.
2. Thresholds (``knowledge.retrieval.Thresholds``): a grid search on the dev half (even
   positions) of ``tests/data/qa_eval.yaml`` keeps the settings with few wrong answers (in and
   out of scope) and good recall, and takes the one with the best top-1 accuracy; the
   out-of-scope examples, each asked with its fold left out of the index, must rarely be
   answered too. The test half (odd positions) is only reported.

Prints coefficients, thresholds and aggregate figures; never prints the labelled questions.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from pathlib import Path

import numpy as np

from knowledge.evaluation import Labelled, Metrics, evaluate, load_labelled
from knowledge.loader import load_or_raise
from knowledge.retrieval import (
    ConfidenceModel,
    KnowledgeBase,
    Status,
    Thresholds,
    load_out_of_scope,
)

EVAL = Path(__file__).resolve().parents[1] / "tests" / "data" / "qa_eval.yaml"
FOLDS = 5
# Out-of-scope examples answered when left out of the index: a check on refusals that
# does not depend on the few out-of-scope questions of the dev half.
MAX_OOS_ANSWERED = 0.045


def held_out_rows(kb: KnowledgeBase) -> tuple[np.ndarray, np.ndarray, list[KnowledgeBase]]:
    """Features and outcomes of every rule-base question asked with its fold held out.

    Also returns the fold indexes, whose held-out out-of-scope examples measure how often
    an unseen out-of-scope question would be answered (see :func:`held_out_oos_answered`).
    """
    entries = list(kb.entries.values())
    xs: list[tuple[float, ...]] = []
    ys: list[float] = []
    fold_kbs: list[KnowledgeBase] = []
    oos = load_out_of_scope()
    for fold in range(FOLDS):
        train, held = [], []
        for e in entries:
            # The first question always stays, so no entry is left without one.
            keep = [q for i, q in enumerate(e.questions) if i == 0 or i % FOLDS != fold]
            held += [(q, e.id) for i, q in enumerate(e.questions) if i and i % FOLDS == fold]
            train.append(e.model_copy(update={"questions": keep}))
        kept_oos = [q for i, q in enumerate(oos) if i % FOLDS != fold]
        fold_kb = KnowledgeBase(train, kept_oos, analyzer=kb.analyzer)
        fold_kb.weights, fold_kb.coverage_power = kb.weights, kb.coverage_power
        fold_kbs.append(fold_kb)
        for q, right in held:
            ranking = fold_kb.rank(q)
            if ranking.entries:
                xs.append(fold_kb.features(ranking))
                ys.append(float(ranking.entries[0][0] == right))
    return np.asarray(xs), np.asarray(ys), fold_kbs


def held_out_oos_answered(fold_kbs: list[KnowledgeBase], kb: KnowledgeBase) -> float:
    """Share of out-of-scope examples answered when their own fold is left out of the index."""
    oos = load_out_of_scope()
    answered = 0
    for fold, fold_kb in enumerate(fold_kbs):
        fold_kb.confidence_model, fold_kb.thresholds = kb.confidence_model, kb.thresholds
        held = [q for i, q in enumerate(oos) if i % FOLDS == fold]
        answered += sum(fold_kb.decide(q).status == Status.ANSWER for q in held)
    return answered / max(len(oos), 1)


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1e-2) -> ConfidenceModel:
    """L2-regularised logistic regression by gradient descent, returned on the raw scale."""
    mu, sd = x.mean(0), x.std(0) + 1e-9
    z = np.c_[(x - mu) / sd, np.ones(len(x))]
    w = np.zeros(z.shape[1])
    for _ in range(5000):
        p = 1 / (1 + np.exp(-z @ w))
        w -= 0.5 * (z.T @ (p - y) / len(y) + l2 * np.r_[w[:-1], 0.0])
    coef = w[:-1] / sd
    intercept = w[-1] - float(coef @ mu)
    return ConfidenceModel(float(intercept), *(float(c) for c in coef))


def halves() -> dict[str, tuple[list[Labelled], list[str]]]:
    """The dev (even positions) and test (odd positions) halves of the labelled set."""
    labelled, oos = load_labelled(EVAL)
    return {
        "dev": (labelled[0::2], oos[0::2]),
        "test": (labelled[1::2], oos[1::2]),
        "all": (labelled, oos),
    }


def acceptable(m: Metrics) -> bool:
    """The guard rails a setting must keep on the dev half."""
    return (
        m.wrong_answer_rate <= 0.025
        and m.oos_answer_rate <= 0.0
        and m.clarify_recall >= 0.88
        and m.refusal_rate >= 0.85
    )


def main() -> None:
    """Fit, search, print."""
    kb = KnowledgeBase(load_or_raise(), load_out_of_scope())
    x, y, fold_kbs = held_out_rows(kb)
    model = fit_logistic(x, y)
    kb.confidence_model = model
    print(f"held-out rule-base questions: {len(y)}, best entry right: {y.mean():.1%}")
    print(f"confidence model: {model}")
    sets = halves()
    best: tuple[float, Thresholds] | None = None
    for answer, floor, clarify, gap, cover in itertools.product(
        (0.6, 0.7, 0.75, 0.8, 0.85, 0.9),
        (0.15, 0.2, 0.25, 0.3),
        (0.1, 0.12, 0.16),
        (0, 0.1, 0.2),
        (0.0, 0.7, 0.8),
    ):
        kb.thresholds = replace(
            Thresholds(),
            answer=answer,
            floor=floor,
            clarify=clarify,
            answer_gap=gap,
            answer_coverage=cover,
        )
        m = evaluate(kb, *sets["dev"])
        if not acceptable(m) or held_out_oos_answered(fold_kbs, kb) > MAX_OOS_ANSWERED:
            continue
        # Among acceptable settings prefer top-1, then refusals, then the more cautious.
        key = m.top1_accuracy + 0.2 * m.refusal_rate + 0.01 * answer + 0.01 * gap
        if best is None or key > best[0]:
            best = (key, kb.thresholds)
    if best is None:
        print("no setting keeps the guard rails on the dev half")
        return
    kb.thresholds = best[1]
    print(f"thresholds: {best[1]}")
    print(f"held-out out-of-scope examples answered: {held_out_oos_answered(fold_kbs, kb):.1%}")
    print("| measure | dev half | test half | all |")
    print("|---|---|---|---|")
    results = [evaluate(kb, *sets[name]).as_rows() for name in ("dev", "test", "all")]
    for i, (name, _) in enumerate(results[0]):
        print(f"| {name} | " + " | ".join(r[i][1] for r in results) + " |")


if __name__ == "__main__":
    main()
