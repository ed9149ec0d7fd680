"""Retrieval over the rule base: field-weighted BM25, fuzzy matching, calibrated decisions.

The decision is one of ``answer`` (one confident entry), ``clarify`` (two or three close
candidates to choose from) or ``none`` (decline). A confident wrong answer about
discipline rules is the worst outcome, so the thresholds favour clarifying or declining.
Whether to answer is judged by a small logistic model of the chance that the best entry is
the right one (:class:`ConfidenceModel`), fitted on the rule base's own questions held out
five-fold (``bench/calibrate_retrieval.py``). Declining is also helped by examples of
out-of-scope questions (``data/out_of_scope.yaml``): when the closest thing to a query is one
of those, the assistant declines.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

import numpy as np
import yaml
from rapidfuzz import fuzz, process

from knowledge.loader import load_or_raise
from knowledge.schema import Entry, OutOfScopeFile
from knowledge.text import DATA_DIR, Analyzer

OUT_OF_SCOPE = "__out_of_scope__"

# Field weights of the BM25F score: what a question looks like matters more than the
# answer's wording, which shares many general words across entries.
FIELD_WEIGHTS = {"title": 2.5, "questions": 2.0, "keywords": 2.5, "answer": 0.8}
FIELD_B = {"title": 0.3, "questions": 0.6, "keywords": 0.3, "answer": 0.75}
K1 = 1.2


class Status(StrEnum):
    """What the assistant does with a question."""

    ANSWER = "answer"
    CLARIFY = "clarify"
    NONE = "none"


@dataclass(frozen=True)
class Thresholds:
    """Calibrated cut-offs (chosen on the dev half of the labelled set; see BENCHMARKS.md).

    ``answer`` is a minimum on the confidence model's probability, the others are on the
    combined score: answering also needs ``floor``, a lead of ``answer_gap`` over the
    closest out-of-scope example and at least ``answer_coverage`` of the query's words known
    to the rule base; ``clarify`` and ``band`` choose the buttons; an
    out-of-scope example scoring ``out_of_scope_gap`` above the best entry means decline.
    """

    answer: float = 0.75
    floor: float = 0.15
    answer_gap: float = 0.2
    answer_coverage: float = 0.0
    clarify: float = 0.12
    band: float = 0.2
    out_of_scope_gap: float = 0.0


@dataclass(frozen=True)
class ConfidenceModel:
    """Logistic model of the chance that the best-ranked entry is the right one.

    Its inputs describe the shape of the ranking: the best combined score, its lead over the
    runner-up (in the combined score, the lexical signal and the fuzzy signal) and whether
    the two are on the same topic (siblings of one topic split a question more often, and
    the best of them is then still usually right). A large lexical or fuzzy lead means a
    word or phrase that only the best entry has. Coefficients were fitted by
    ``bench/calibrate_retrieval.py`` and are on the raw scale of the inputs.
    """

    intercept: float = -0.6931
    score: float = 0.6448
    margin: float = 2.685
    lexical_margin: float = 7.37
    fuzzy_margin: float = 4.98
    same_topic: float = 0.4902

    def probability(self, features: Sequence[float]) -> float:
        """P(right) for ``features`` as returned by :meth:`KnowledgeBase.features`."""
        score, margin, lexical_margin, fuzzy_margin, same_topic = features
        z = (
            self.intercept
            + self.score * score
            + self.margin * margin
            + self.lexical_margin * lexical_margin
            + self.fuzzy_margin * fuzzy_margin
            + self.same_topic * same_topic
        )
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


@dataclass(frozen=True)
class Candidate:
    """One scored entry."""

    entry: Entry
    score: float


@dataclass(frozen=True)
class Ranking:
    """Entries ranked for one query, with what the decision needs besides their scores."""

    entries: list[tuple[str, float, Signals]]  # (entry id, combined score, signals), best first
    out_of_scope: float  # the best out-of-scope example's combined score (0 if none matched)
    coverage: float


@dataclass(frozen=True)
class Decision:
    """The outcome for one query."""

    query: str
    status: Status
    candidates: tuple[Candidate, ...] = ()

    @property
    def best(self) -> Candidate | None:
        """The top candidate, if any."""
        return self.candidates[0] if self.candidates else None

    def as_json(self) -> dict[str, object]:
        """The machine-readable form printed by ``lianzheng kb ask --json``."""
        best = self.best if self.status == Status.ANSWER else None
        return {
            "query": self.query,
            "status": self.status.value,
            "entry": best.entry.id if best else None,
            "topic": best.entry.topic if best else None,
            "score": round(self.candidates[0].score, 4) if self.candidates else 0.0,
            "candidates": [
                {"entry": c.entry.id, "topic": c.entry.topic, "score": round(c.score, 4)}
                for c in self.candidates
            ],
            "source": best.entry.source if best else None,
        }


@dataclass(frozen=True)
class Signals:
    """How well one document matches a query, signal by signal (each about 0–1)."""

    key: str
    lexical: float  # BM25F score over the query's total idf weight
    similar: float  # idf-weighted cosine with the closest question or title
    fuzzy: float  # character-level similarity with the closest phrase


@dataclass
class _Doc:
    key: str
    fields: dict[str, Counter[str]]
    lengths: dict[str, int]
    phrases: list[str] = field(default_factory=list)
    phrase_tokens: list[Counter[str]] = field(default_factory=list)


class KnowledgeBase:
    """An in-memory index over rule-base entries."""

    def __init__(
        self,
        entries: Sequence[Entry],
        out_of_scope: Sequence[str] = (),
        thresholds: Thresholds | None = None,
        analyzer: Analyzer | None = None,
    ) -> None:
        self.entries = {e.id: e for e in entries}
        self.thresholds = thresholds or Thresholds()
        self.unknown_quantile = 0.5
        self.confidence_model = ConfidenceModel()
        # Combined score = coverage^power × (lexical BM25F, nearest question, fuzzy) weighted;
        # chosen with the thresholds on the dev half of the labelled set.
        self.weights = (0.5, 0.3, 0.2)
        self.coverage_power = 1.5
        self.analyzer = analyzer or self.analyzer_for(entries)
        self._docs: list[_Doc] = []
        for e in entries:
            self._docs.append(self._doc(e.id, e.title, e.questions, e.keywords, e.answer))
        for i, example in enumerate(out_of_scope):
            self._docs.append(self._doc(f"{OUT_OF_SCOPE}{i}", "", [example], [], ""))
        self._index()

    # -- building --------------------------------------------------------------------------
    @staticmethod
    def analyzer_for(entries: Sequence[Entry]) -> Analyzer:
        """The analyzer with the entries' keywords and titles in its domain dictionary."""
        return Analyzer(
            domain_terms=[k for e in entries for k in e.keywords] + [e.title for e in entries]
        )

    def _doc(
        self, key: str, title: str, questions: Sequence[str], keywords: Sequence[str], answer: str
    ) -> _Doc:
        a = self.analyzer
        prepared_q = [a.prepare(q) for q in questions]
        fields = {
            "title": Counter(a.tokens(title)),
            "questions": Counter(t for q in prepared_q for t in a.tokens(q, prepared=True)),
            "keywords": Counter(t for k in keywords for t in a.tokens(k)),
            "answer": Counter(a.tokens(answer)),
        }
        phrases = [a.prepare(title), *prepared_q, *(a.prepare(k) for k in keywords)]
        phrase_tokens = [Counter(a.tokens(p, prepared=True)) for p in [phrases[0], *prepared_q]]
        return _Doc(
            key, fields, {f: sum(c.values()) for f, c in fields.items()}, phrases, phrase_tokens
        )

    def _index(self) -> None:
        n = len(self._docs)
        df: Counter[str] = Counter()
        for d in self._docs:
            df.update(set().union(*(c.keys() for c in d.fields.values())))
        self._idf = {t: math.log(1 + (n - c + 0.5) / (c + 0.5)) for t, c in df.items()}
        self._entry_terms = {
            t
            for d in self._docs
            if not d.key.startswith(OUT_OF_SCOPE)
            for c in d.fields.values()
            for t in c
        }
        self._max_idf = math.log(1 + (n + 0.5) / 0.5)
        # An unknown word weighs like a fairly common known one: enough that a question
        # mostly about things the rule base never mentions cannot score high, not so much
        # that one colloquial filler word sinks a good match.
        idfs = sorted(self._idf.values())
        self.unknown_idf = idfs[int(len(idfs) * self.unknown_quantile)] if idfs else 1.0
        for d in self._docs:
            d.phrases = [p for p in d.phrases if p]
        self._index_phrases()
        avg = {
            f: (sum(d.lengths[f] for d in self._docs) / n if n else 1.0) or 1.0
            for f in FIELD_WEIGHTS
        }
        # Postings hold the saturated BM25F term weight per document, precomputed, so a
        # query is a handful of vectorised additions (fast even at thousands of entries).
        postings: dict[str, tuple[list[int], list[float]]] = defaultdict(lambda: ([], []))
        for i, d in enumerate(self._docs):
            tf: dict[str, float] = defaultdict(float)
            for f, w in FIELD_WEIGHTS.items():
                norm = 1 - FIELD_B[f] + FIELD_B[f] * d.lengths[f] / avg[f]
                for t, c in d.fields[f].items():
                    tf[t] += w * c / norm
            for t, v in tf.items():
                ids, ws = postings[t]
                ids.append(i)
                ws.append(v / (K1 + v))
        self._postings = {
            t: (np.asarray(ids, dtype=np.int32), np.asarray(ws, dtype=np.float32))
            for t, (ids, ws) in postings.items()
        }

    def _index_phrases(self) -> None:
        """Postings for the nearest-question cosine: per word, the phrases (title and
        questions) that use it with ``weight² / |phrase|``, so one query scores every
        phrase with a few vectorised additions instead of a Python loop per phrase."""
        postings: dict[str, tuple[list[int], list[float]]] = defaultdict(lambda: ([], []))
        starts: list[int] = []
        phrase = 0
        for d in self._docs:
            starts.append(phrase)
            for tokens in d.phrase_tokens:
                norm = math.sqrt(sum(self._weight(t) ** 2 for t in tokens))
                for t in tokens:
                    ids, values = postings[t]
                    ids.append(phrase)
                    values.append(self._weight(t) ** 2 / norm)
                phrase += 1
        self._phrase_count = phrase
        self._phrase_starts = np.asarray(starts, dtype=np.intp)
        self._phrase_postings = {
            t: (np.asarray(ids, dtype=np.intp), np.asarray(values, dtype=np.float64))
            for t, (ids, values) in postings.items()
        }

    # -- scoring ---------------------------------------------------------------------------
    def _bm25(self, tokens: Sequence[str]) -> tuple[np.ndarray, float]:
        scores = np.zeros(len(self._docs), dtype=np.float32)
        total = 0.0
        for t, qtf in Counter(tokens).items():
            weight = self._weight(t) * min(qtf, 2)
            # Unknown words still count in the denominator: a query that is mostly about
            # things the rule base never mentions cannot reach a high normalised score.
            total += weight
            posting = self._postings.get(t)
            if posting is not None:
                scores[posting[0]] += weight * posting[1]
        return scores, total

    def _fuzzy(self, prepared: str, doc: _Doc) -> float:
        if not prepared or not doc.phrases:
            return 0.0
        # One C-level pass over the phrases (the index dropped the empty ones).
        best = float(process.extractOne(prepared, doc.phrases, scorer=fuzz.ratio)[1])
        if len(prepared) <= 6:
            for p in doc.phrases:
                if len(p) >= len(prepared):
                    # Keyword-only queries: a short query wholly inside a title or keyword.
                    best = max(best, 0.9 * fuzz.partial_ratio(prepared, p))
        return best / 100.0

    def _weight(self, token: str) -> float:
        idf = self._idf.get(token, self.unknown_idf)
        return idf * (0.5 if token.startswith("#") else 1.0)

    def _similar_questions(self, query: Counter[str], qnorm: float) -> np.ndarray:
        """Per document, the best idf-weighted cosine between the query and one of its
        phrases (title or question)."""
        scores = np.zeros(self._phrase_count, dtype=np.float64)
        for t in query:
            posting = self._phrase_postings.get(t)
            if posting is not None:
                scores[posting[0]] += posting[1]
        return np.maximum.reduceat(scores, self._phrase_starts) / qnorm

    def signals(self, query: str) -> tuple[list[Signals], float]:
        """The best-matching documents' separate signals, and the query's coverage.

        Coverage is the idf-weighted share of the query's words that real entries use:
        words only the out-of-scope examples know (消防, 足球 …) still count as foreign.
        """
        prepared = self.analyzer.prepare(query)
        tokens = self.analyzer.tokens(prepared, prepared=True)
        if not tokens:
            return [], 0.0
        bm, total = self._bm25(tokens)
        if total <= 0 or not len(bm):
            return [], 0.0
        k = min(24, len(bm))
        best = np.argpartition(-bm, k - 1)[:k]
        top = [(int(i), float(bm[i])) for i in best if bm[i] > 0]
        if not top:
            return [], 0.0
        qtok = Counter(tokens)
        qnorm = math.sqrt(sum(self._weight(t) ** 2 for t in qtok)) or 1.0
        similar = self._similar_questions(qtok, qnorm)
        out = []
        for i, s in top:
            doc = self._docs[i]
            out.append(
                Signals(
                    doc.key,
                    s / total,
                    float(similar[i]),
                    self._fuzzy(prepared, doc),
                )
            )
        words = [t for t in tokens if not t.startswith("#")]
        known = sum(self._weight(t) for t in words if t in self._entry_terms)
        coverage = known / (sum(self._weight(t) for t in words) or 1.0)
        return out, coverage

    def rank(self, query: str) -> Ranking:
        """Entries and the best out-of-scope example, scored for ``query``."""
        found, coverage = self.signals(query)
        wl, wq, wf = self.weights
        # Words the rule base never uses signal a question about something else
        # (消防, 饭店, 足球 …): scale confidence by the share of the query it knows.
        factor = coverage**self.coverage_power
        entries: list[tuple[str, float, Signals]] = []
        out_of_scope = 0.0
        for s in found:
            value = factor * (wl * s.lexical + wq * s.similar + wf * s.fuzzy)
            if s.key.startswith(OUT_OF_SCOPE):
                out_of_scope = max(out_of_scope, value)
            else:
                entries.append((s.key, value, s))
        entries.sort(key=lambda e: -e[1])
        return Ranking(entries, out_of_scope, coverage)

    def score(self, query: str, limit: int = 8) -> list[tuple[str, float]]:
        """Scored entry ids, best first (out-of-scope examples left out)."""
        return [(k, v) for k, v, _ in self.rank(query).entries[:limit]]

    def features(self, ranking: Ranking) -> tuple[float, float, float, float, float]:
        """The confidence model's inputs for ``ranking`` (which must have an entry)."""
        (k1, v1, s1), *rest = ranking.entries
        if rest:
            k2, v2, s2 = rest[0]
            same = float(self.entries[k1].topic == self.entries[k2].topic)
            return (v1, v1 - v2, s1.lexical - s2.lexical, s1.fuzzy - s2.fuzzy, same)
        return (v1, v1, s1.lexical, s1.fuzzy, 0.0)

    def confidence(self, ranking: Ranking) -> float:
        """The chance that the best entry of ``ranking`` is the right one (0 if none)."""
        if not ranking.entries:
            return 0.0
        return self.confidence_model.probability(self.features(ranking))

    # -- decisions -------------------------------------------------------------------------
    def decide(self, query: str) -> Decision:
        """Answer, clarify or decline ``query``."""
        th = self.thresholds
        ranking = self.rank(query)
        cands = tuple(Candidate(self.entries[k], v) for k, v, _ in ranking.entries[:12])
        if not cands:
            return Decision(query, Status.NONE)
        top = cands[0].score
        oos = ranking.out_of_scope
        if oos and oos >= top + th.out_of_scope_gap:
            return Decision(query, Status.NONE, cands[:3])
        if top >= th.floor and top - oos >= th.answer_gap and self.confidence(ranking) >= th.answer:
            return Decision(query, Status.ANSWER, cands[:3])
        if top >= th.clarify:
            close = tuple(c for c in cands[:3] if c.score >= top - th.band)
            if len(close) == 1:
                # One candidate only, but not confident enough to answer outright.
                close = cands[:2] if len(cands) > 1 else close
            return Decision(query, Status.CLARIFY, close)
        return Decision(query, Status.NONE, cands[:3])


def load_out_of_scope(path: Path = DATA_DIR / "out_of_scope.yaml") -> list[str]:
    """Examples of questions to decline."""
    if not path.exists():
        return []
    data = OutOfScopeFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    return data.examples


def load_knowledge_base(
    extra_dirs: Sequence[Path] = (), thresholds: Thresholds | None = None
) -> KnowledgeBase:
    """Load, validate and index the built-in rule base plus extra folders."""
    entries = load_or_raise(extra_dirs)
    return KnowledgeBase(entries, load_out_of_scope(), thresholds)
