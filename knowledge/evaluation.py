"""Measuring retrieval against a labelled question set (used by a test and by bench/)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from knowledge.retrieval import KnowledgeBase, Status


@dataclass(frozen=True)
class Labelled:
    """One in-scope question and the entries that correctly answer it."""

    query: str
    entries: frozenset[str]


@dataclass
class Metrics:
    """Outcome counts; rates are properties."""

    in_scope: int = 0
    out_of_scope: int = 0
    answered_right: int = 0
    answered_wrong: int = 0
    clarified_with_right: int = 0
    clarified_without: int = 0
    declined_in_scope: int = 0
    refused: int = 0
    oos_answered: int = 0
    oos_clarified: int = 0
    misses: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def top1_accuracy(self) -> float:
        """In-scope questions answered outright with a correct entry."""
        return self.answered_right / self.in_scope if self.in_scope else 0.0

    @property
    def clarify_recall(self) -> float:
        """In-scope questions where a correct entry is the answer or among the offered choices."""
        return (
            (self.answered_right + self.clarified_with_right) / self.in_scope
            if self.in_scope
            else 0.0
        )

    @property
    def wrong_answer_rate(self) -> float:
        """In-scope questions answered outright with a wrong entry (the worst outcome)."""
        return self.answered_wrong / self.in_scope if self.in_scope else 0.0

    @property
    def refusal_rate(self) -> float:
        """Out-of-scope questions declined."""
        return self.refused / self.out_of_scope if self.out_of_scope else 0.0

    @property
    def oos_answer_rate(self) -> float:
        """Out-of-scope questions answered outright (confidently wrong)."""
        return self.oos_answered / self.out_of_scope if self.out_of_scope else 0.0

    def as_rows(self) -> list[tuple[str, str]]:
        """Human-readable figures."""
        return [
            ("in-scope questions", str(self.in_scope)),
            ("out-of-scope questions", str(self.out_of_scope)),
            ("top-1 accuracy (answered, right entry)", f"{self.top1_accuracy:.1%}"),
            ("clarify recall (right entry answered or offered)", f"{self.clarify_recall:.1%}"),
            ("wrong answers on in-scope", f"{self.wrong_answer_rate:.1%}"),
            ("declined in-scope", f"{self.declined_in_scope / max(self.in_scope, 1):.1%}"),
            ("refusal rate on out-of-scope", f"{self.refusal_rate:.1%}"),
            ("out-of-scope answered outright", f"{self.oos_answer_rate:.1%}"),
        ]


def load_labelled(path: Path) -> tuple[list[Labelled], list[str]]:
    """Read a ``qa_eval.yaml`` file: ``in_scope`` (q, entry, also) and ``out_of_scope``."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    labelled = [
        Labelled(str(item["q"]), frozenset([item["entry"], *(item.get("also") or [])]))
        for item in data["in_scope"]
    ]
    return labelled, [str(q) for q in data["out_of_scope"]]


def evaluate(kb: KnowledgeBase, labelled: list[Labelled], out_of_scope: list[str]) -> Metrics:
    """Run every question through ``kb.decide`` and count the outcomes."""
    m = Metrics(in_scope=len(labelled), out_of_scope=len(out_of_scope))
    for item in labelled:
        d = kb.decide(item.query)
        ids = [c.entry.id for c in d.candidates]
        if d.status == Status.ANSWER:
            if ids[0] in item.entries:
                m.answered_right += 1
            else:
                m.answered_wrong += 1
                m.misses.append(("wrong", item.query, ids[0]))
        elif d.status == Status.CLARIFY:
            if item.entries & set(ids):
                m.clarified_with_right += 1
            else:
                m.clarified_without += 1
                m.misses.append(("clarify-miss", item.query, ",".join(ids)))
        else:
            m.declined_in_scope += 1
            m.misses.append(("declined", item.query, ",".join(ids[:2])))
    for q in out_of_scope:
        d = kb.decide(q)
        if d.status == Status.NONE:
            m.refused += 1
        elif d.status == Status.ANSWER:
            m.oos_answered += 1
            m.misses.append(("oos-answered", q, d.candidates[0].entry.id))
        else:
            m.oos_clarified += 1
            m.misses.append(("oos-clarify", q, ",".join(c.entry.id for c in d.candidates)))
    return m


def kinds(metrics: Metrics) -> Counter[str]:
    """How many misses of each kind."""
    return Counter(k for k, _, _ in metrics.misses)
