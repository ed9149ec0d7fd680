"""Retrieval over the rule base: field-weighted BM25, nearest question and fuzzy matching.

:class:`KnowledgeBase` indexes the entries and ranks them for a message; the decision over
that ranking (answer, clarify, decline) lives in :mod:`knowledge.decision`, whose names are
re-exported here for the callers that import them with the index. Examples of out-of-scope
questions (``data/out_of_scope.yaml``) help declining: a query closest to one is declined.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

import numpy as np

from knowledge.case_reading import CaseReading
from knowledge.checks import citation
from knowledge.decision import Candidate, Deciding, Decision, Ranking, Signals, Status
from knowledge.decision_models import (
    DECISION_MODEL,
    FEATURES,
    LEXICAL_DECISION_MODEL,
    LEXICAL_FEATURES,
    DecisionModel,
    DecisionModels,
    Thresholds,
    features_of,
    model_file,
)
from knowledge.documents import Registry, load_registry
from knowledge.english import dictionary_for
from knowledge.index_parts import (
    FIELD_B,
    FIELD_WEIGHTS,
    K1,
    SUBJECT_WORD_IDF,
    SUBJECT_WORD_MIN_DOCS,
    IndexedDoc,
    Postings,
    subject_names,
)
from knowledge.loader import load_twins
from knowledge.normalize import normalise
from knowledge.question_context import document_context
from knowledge.schema import Entry
from knowledge.semantic import Embedder, PhraseVectors, VectorStore, default_embedder
from knowledge.text import Analyzer

__all__ = [
    "DECISION_MODEL",
    "FEATURES",
    "LEXICAL_DECISION_MODEL",
    "LEXICAL_FEATURES",
    "Candidate",
    "Decision",
    "DecisionModel",
    "DecisionModels",
    "KnowledgeBase",
    "Ranking",
    "Signals",
    "Status",
    "Thresholds",
]

OUT_OF_SCOPE = "__out_of_scope__"


class KnowledgeBase(Deciding):
    """An in-memory index over rule-base entries."""

    def __init__(
        self,
        entries: Sequence[Entry],
        out_of_scope: Sequence[str] = (),
        thresholds: Thresholds | None = None,
        analyzer: Analyzer | None = None,
        registry: Registry | None = None,
        models: DecisionModels | None = None,
        embedder: Embedder | None = None,
        vectors: VectorStore | None = None,
        semantic: bool = True,
    ) -> None:
        self.entries = {e.id: e for e in entries}
        self.twins = {
            i: frozenset(group) - {i} for group in load_twins() for i in group if i in self.entries
        }
        self.registry = registry or load_registry()
        models = models or DecisionModels.load(model_file(semantic), features_of(semantic))
        self.answer_model, self.offer_model = models.answer, models.offer
        self.thresholds = thresholds or models.thresholds
        self.unknown_quantile = 0.5
        # Combined score = coverage^power × (lexical BM25F, nearest question, fuzzy) weighted;
        # chosen with the thresholds on the dev half of the labelled set.
        self.weights = (0.5, 0.3, 0.2)
        self.coverage_power = 1.5
        self.analyzer = analyzer or self.analyzer_for(entries)
        self.cases = CaseReading.load()
        # How much the meaning signal re-orders the candidates (dev set: the right entry is
        # first for 84 of 107 covered questions, against 81 by the words alone).
        self.semantic_weight = 2.0
        self._docs: list[IndexedDoc] = []
        for e in entries:
            self._docs.append(self._doc(e.id, e.title, e.questions, e.keywords, e.answer))
        for i, example in enumerate(out_of_scope):
            self._docs.append(self._doc(f"{OUT_OF_SCOPE}{i}", "", [example], [], ""))
        self._index()
        self._semantic = (
            PhraseVectors(
                embedder or default_embedder(),
                [[normalise(p) for p in (e.title, *e.questions)] for e in entries]
                + [[normalise(example)] for example in out_of_scope],
                vectors,
            )
            if semantic
            else None
        )
        self._keys = [d.key for d in self._docs]
        self._is_example = np.asarray([k.startswith(OUT_OF_SCOPE) for k in self._keys], dtype=bool)

    @property
    def semantic(self) -> bool:
        """Whether the meaning signal is on (else the words-only mode)."""
        return self._semantic is not None

    # -- presenting -------------------------------------------------------------------------
    def citation(self, entry: Entry) -> str:
        """The documents an answer rests on, as its 依据 line shows them."""
        return citation(entry, self.registry)

    def current_for(self, entry: Entry) -> Entry | None:
        """For a history entry, the entry that gives today's rule."""
        return self.entries.get(entry.current) if entry.current else None

    @property
    def as_of(self) -> str:
        """The date the rule base was last checked against the texts in force."""
        return self.registry.as_of

    # -- building --------------------------------------------------------------------------
    @staticmethod
    def analyzer_for(entries: Sequence[Entry]) -> Analyzer:
        """The analyzer with the entries' keywords and titles in its domain dictionary."""
        return Analyzer(
            domain_terms=[k for e in entries for k in e.keywords] + [e.title for e in entries]
        )

    def _doc(
        self, key: str, title: str, questions: Sequence[str], keywords: Sequence[str], answer: str
    ) -> IndexedDoc:
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
        names = subject_names(a, title, keywords)
        return IndexedDoc(
            key,
            fields,
            {f: sum(c.values()) for f, c in fields.items()},
            phrases,
            phrase_tokens,
            names,
        )

    def _index(self) -> None:
        n = len(self._docs)
        df: Counter[str] = Counter()
        for d in self._docs:
            df.update(set().union(*(c.keys() for c in d.fields.values())))
        self._idf = {t: math.log(1 + (n - c + 0.5) / (c + 0.5)) for t, c in df.items()}
        used: Counter[str] = Counter()  # word -> how many entries use it
        for d in self._docs:
            if not d.key.startswith(OUT_OF_SCOPE):
                used.update(set().union(*(c.keys() for c in d.fields.values())))
        self._entry_terms = frozenset(used)
        # English words are looked up among the entries' (a copy: analyzers may be shared).
        self.english = self.analyzer.english.with_dictionary(dictionary_for(used))
        self._max_idf = math.log(1 + (n + 0.5) / 0.5)
        # An unknown word weighs like a fairly common known one: enough that a question
        # mostly about things the rule base never mentions cannot score high, not so much
        # that one colloquial filler word sinks a good match.
        idfs = sorted(self._idf.values())
        self.unknown_idf = idfs[int(len(idfs) * self.unknown_quantile)] if idfs else 1.0
        self._doc_by_key = {d.key: d for d in self._docs}
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
        self._postings = Postings(postings, np.int32, np.float32)
        for d in self._docs:
            d.slim()

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
        self._phrase_ends = np.append(self._phrase_starts[1:], phrase).astype(np.intp)
        self._phrase_postings = Postings(postings, np.intp, np.float64)

    # -- scoring ---------------------------------------------------------------------------
    def _bm25(
        self, tokens: Sequence[str], scale: Mapping[str, float]
    ) -> tuple[np.ndarray, np.ndarray, float]:
        """BM25F per document, the idf weight of the query's words each document has, and
        the query's total weight (each word's weight times its ``scale``, default 1)."""
        weights = {
            t: self._weight(t) * min(n, 2) * scale.get(t, 1.0) for t, n in Counter(tokens).items()
        }
        # Unknown words still count in the denominator: a query that is mostly about
        # things the rule base never mentions cannot reach a high normalised score.
        total = sum(weights.values())
        scores, present = self._postings.weighted_sums(weights, len(self._docs), presence=True)
        return scores, present, total

    def _weight(self, token: str) -> float:
        idf = self._idf.get(token, self.unknown_idf)
        return idf * (0.5 if token.startswith("#") else 1.0)

    def _similar_questions(
        self, query: Counter[str], qnorm: float, scale: Mapping[str, float], docs: list[int]
    ) -> np.ndarray:
        """For each of ``docs`` (ascending), the best idf-weighted cosine between the query
        and one of the document's phrases (title or questions), the query's words weighted
        by ``scale``."""
        # One slot past the last phrase, so the last document's end is a valid index.
        scores, _ = self._phrase_postings.weighted_sums(
            {t: scale.get(t, 1.0) for t in query}, self._phrase_count + 1
        )
        # Only the candidates' phrase ranges are reduced (start, end pairs; every other result).
        bounds = np.empty(2 * len(docs), dtype=np.intp)
        bounds[0::2] = self._phrase_starts[docs]
        bounds[1::2] = self._phrase_ends[docs]
        best = np.maximum.reduceat(scores, bounds)[0::2]  # an empty range yields its start's value
        return np.where(bounds[0::2] < bounds[1::2], best, 0.0) / qnorm

    def signals(self, query: str) -> tuple[list[Signals], float]:
        """The best-matching documents' separate signals, and the query's coverage.

        Coverage is the idf-weighted share of the query's words that real entries use:
        words only the out-of-scope examples know (消防, 足球 …) still count as foreign.
        """
        found, coverage, _ = self._signals(query)
        return found, coverage

    def _signals(self, query: str) -> tuple[list[Signals], float, np.ndarray | None]:
        """:meth:`signals` plus every document's semantic cosine (None in the words-only
        mode)."""
        prepared = self.analyzer.prepare(query)
        tokens = self.analyzer.tokens(prepared, prepared=True)
        if not tokens:
            return [], 0.0, None
        scale, rest = document_context(query, self.analyzer, self._entry_terms)
        if scale:
            # The fuzzy match compares the question's own words, not the document's name.
            prepared = self.analyzer.prepare(rest)
        bm, present, total = self._bm25(tokens, scale)
        if total <= 0 or not len(bm):
            return [], 0.0, None
        k = min(24, len(bm))
        best = np.argpartition(-bm, k - 1)[:k]
        top = {int(i) for i in best if bm[i] > 0}
        if not top:
            return [], 0.0, None
        semantic = None
        if self._semantic is not None:
            # The encoder reads the question repaired, not alias-rewritten (Analyzer.repair).
            meaning = self._semantic.query(self.analyzer.repair(query))
            semantic = self._semantic.best_cosines(meaning)
            # The entries closest in meaning join the lexical candidates: a question worded
            # unlike every question of its entry still reaches it.
            near = min(8, len(semantic))
            top.update(int(i) for i in np.argpartition(-semantic, near - 1)[:near])
        qtok = Counter(tokens)
        qnorm = math.sqrt(sum((self._weight(t) * scale.get(t, 1.0)) ** 2 for t in qtok)) or 1.0
        candidates = sorted(top)
        similar = self._similar_questions(qtok, qnorm, scale, candidates)
        out = []
        for i, best_phrase in zip(candidates, similar, strict=True):
            doc = self._docs[i]
            out.append(
                Signals(
                    doc.key,
                    float(bm[i]) / total,
                    float(best_phrase),
                    doc.fuzzy(prepared),
                    float(present[i]) / total,
                    float(semantic[i]) if semantic is not None else 0.0,
                )
            )
        words = [t for t in tokens if not t.startswith("#")]
        known = sum(self._weight(t) * scale.get(t, 1.0) for t in words if t in self._entry_terms)
        coverage = known / (sum(self._weight(t) * scale.get(t, 1.0) for t in words) or 1.0)
        return out, coverage, semantic

    def rank(self, query: str) -> Ranking:
        """Entries and the best out-of-scope example, scored for ``query``."""
        found, coverage, semantic = self._signals(query)
        wl, wq, wf = self.weights
        # Words the rule base never uses signal a question about something else
        # (消防, 饭店, 足球 …): scale confidence by the share of the query it knows.
        factor = coverage**self.coverage_power
        # The meaning signal re-orders the candidates: each loses its semantic distance to
        # the closest candidate in meaning, so the best-scored keeps a comparable score.
        closest = max((s.semantic for s in found), default=0.0)
        entries: list[tuple[str, float, Signals]] = []
        out_of_scope = 0.0
        for s in found:
            lexical = factor * (wl * s.lexical + wq * s.similar + wf * s.fuzzy)
            value = lexical + self.semantic_weight * (s.semantic - closest)
            if s.key.startswith(OUT_OF_SCOPE):
                out_of_scope = max(out_of_scope, value)
            else:
                entries.append((s.key, value, s))
        entries.sort(key=lambda e: -e[1])
        # A one- or two-word query (处分, 诫勉) is a subject, not a question: the decision
        # models learn to offer options for it rather than pick one entry.
        length = min(len(normalise(query)) / 20.0, 1.0)
        if self._semantic is None or semantic is None:
            return Ranking(entries, out_of_scope, coverage, length)
        rivals, example = self._semantic.closest(semantic, self._is_example, self._keys, 6)
        return Ranking(
            entries,
            out_of_scope,
            coverage,
            length,
            semantic_rivals=rivals,
            semantic_out_of_scope=example,
        )

    def score(self, query: str, limit: int = 8) -> list[tuple[str, float]]:
        """Scored entry ids, best first (out-of-scope examples left out)."""
        return [(k, v) for k, v, _ in self.rank(query).entries[:limit]]

    @property
    def entry_terms(self) -> frozenset[str]:
        """Every word some entry is indexed under."""
        return self._entry_terms

    def prepared(self, query: str) -> str:
        """``query`` with its aliases and typos rewritten, as the index reads it."""
        return self.analyzer.prepare(query)

    def query_words(self, query: str) -> list[str]:
        """The content words of ``query`` (no character bigrams)."""
        return self.analyzer.words(query)

    def subject_words(self, key: str) -> frozenset[str]:
        """The words that name an entry's subject (``subject_names``: its title's words,
        its keywords' whole words and their first and last words), empty for an unknown
        key. Words most entries use (什么, 处分, 规定, 单位: idf under about a quarter of
        the highest) name no subject, so they are left out."""
        doc = self._doc_by_key.get(key)
        if doc is None:
            return frozenset()
        # Over a handful of documents every word is common: idf tells nothing.
        floor = SUBJECT_WORD_IDF * self._max_idf if len(self._docs) >= SUBJECT_WORD_MIN_DOCS else 0
        return frozenset(w for w in doc.names if self._idf.get(w, -1.0) >= floor)

    def keyword_words(self, key: str) -> Counter[str]:
        """The words of an entry's keywords (empty for an unknown key)."""
        doc = self._doc_by_key.get(key)
        return doc.fields["keywords"] if doc is not None else Counter()
