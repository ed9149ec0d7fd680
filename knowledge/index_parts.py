"""The parts the rule-base index is built from: documents and packed postings.

:class:`knowledge.retrieval.KnowledgeBase` holds one :class:`IndexedDoc` per entry and per
out-of-scope example, and two :class:`Postings` tables (BM25F weights per document, and
per-phrase weights for the nearest-question cosine). Both are pickled into the index cache,
so they keep only what a query reads.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz, process

from knowledge.text import Analyzer

# Field weights of the BM25F score: what a question looks like matters more than the
# answer's wording, which shares many general words across entries.
FIELD_WEIGHTS = {"title": 2.5, "questions": 2.0, "keywords": 2.5, "answer": 0.8}
FIELD_B = {"title": 0.3, "questions": 0.6, "keywords": 0.3, "answer": 0.75}
K1 = 1.2

#: A title or keyword word names an entry's subject only if its idf is at least this share of
#: the highest idf (about 1.6 at the built-in size: 影响 and 政务 fall under it, 党员 and
#: 诫勉 over it); over fewer documents than SUBJECT_WORD_MIN_DOCS idf tells nothing.
SUBJECT_WORD_IDF = 0.23
SUBJECT_WORD_MIN_DOCS = 100


@dataclass
class IndexedDoc:
    """One document of the index (an entry or an out-of-scope example): its words per
    field, field lengths, phrases for the fuzzy match and per-phrase words."""

    key: str
    fields: dict[str, Counter[str]]
    lengths: dict[str, int]
    phrases: list[str] = field(default_factory=list)
    phrase_tokens: list[Counter[str]] = field(default_factory=list)
    #: The whole words of the title and keywords (not the dictionary words found inside
    #: them: 开发 inside 公开发布 names nothing the entry is about).
    names: frozenset[str] = frozenset()

    def slim(self) -> None:
        """Drop what only building the index reads. A query reads the key, the phrases
        the keyword words and the names; the rest would make the on-disk cache several
        times larger and slower to load (tens of thousands of counters at 5,000 extra entries)."""
        self.fields = {"keywords": self.fields["keywords"]}
        self.lengths = {}
        self.phrase_tokens = []

    def fuzzy(self, prepared: str) -> float:
        """Character-level similarity (0–1) of a prepared query with the closest phrase."""
        if not prepared or not self.phrases:
            return 0.0
        # One C-level pass over the phrases (the index dropped the empty ones).
        best = float(process.extractOne(prepared, self.phrases, scorer=fuzz.ratio)[1])
        if len(prepared) <= 6:
            for p in self.phrases:
                if len(p) >= len(prepared):
                    # Keyword-only queries: a short query wholly inside a title or keyword.
                    best = max(best, 0.9 * fuzz.partial_ratio(prepared, p))
        return best / 100.0


class Postings:
    """Per word, the documents that use it and a value each, packed into two flat arrays.

    One array pair per word would be a hundred thousand small arrays at 5,000 extra
    entries, and unpickling them dominated a warm start; a word's postings are now a slice
    (a view, no copy) of the shared arrays, read only through :meth:`weighted_sums`.
    """

    __slots__ = ("_ids", "_spans", "_values")

    def __init__(
        self,
        postings: dict[str, tuple[list[int], list[float]]],
        id_type: type[np.generic],
        value_type: type[np.generic],
    ) -> None:
        spans: dict[str, tuple[int, int]] = {}
        ids: list[int] = []
        values: list[float] = []
        for word, (word_ids, word_values) in postings.items():
            spans[word] = (len(ids), len(ids) + len(word_ids))
            ids.extend(word_ids)
            values.extend(word_values)
        self._spans = spans
        self._ids = np.asarray(ids, dtype=id_type)
        self._values = np.asarray(values, dtype=value_type)

    def weighted_sums(
        self, weights: Mapping[str, float], size: int, presence: bool = False
    ) -> tuple[np.ndarray, np.ndarray]:
        """Per slot (0 … ``size`` - 1), the sum over the known words of weight × value, and
        with ``presence`` the sum of the weights of the words the slot has (else an empty
        array).

        One ``bincount`` over all the words' postings adds them up in a single C pass,
        about twice as fast as a scatter-add per word at 5,000 extra entries.
        """
        ids: list[np.ndarray] = []
        values: list[np.ndarray] = []
        known: list[float] = []
        lengths: list[int] = []
        for word, weight in weights.items():
            span = self._spans.get(word)
            if span is None:
                continue
            start, end = span
            ids.append(self._ids[start:end])
            values.append(self._values[start:end])
            known.append(weight)
            lengths.append(end - start)
        if not ids:
            return np.zeros(size), np.zeros(size if presence else 0)
        slots = np.concatenate(ids)
        # Each word's weight repeated over its postings: two array operations for the whole
        # query instead of two per word. The weights take the values' type, so each product
        # is the one a per-word ``weight * values`` gives.
        repeated = np.repeat(np.asarray(known), lengths)
        products = repeated.astype(self._values.dtype) * np.concatenate(values)
        sums = np.bincount(slots, products, minlength=size)
        if not presence:
            return sums, np.zeros(0)
        return sums, np.bincount(slots, repeated, minlength=size)

    def __getstate__(self) -> tuple[dict[str, tuple[int, int]], np.ndarray, np.ndarray]:
        return self._spans, self._ids, self._values

    def __setstate__(
        self, state: tuple[dict[str, tuple[int, int]], np.ndarray, np.ndarray]
    ) -> None:
        self._spans, self._ids, self._values = state


def subject_names(analyzer: Analyzer, title: str, keywords: Sequence[str]) -> frozenset[str]:
    """The words that may name an entry's subject: the words of its title (every title is
    one dictionary term too, so its parts are its words) and of its keywords, their whole
    words and the words they start or end with (谈话 in 诫勉谈话, 立案 in 立案调查), not
    those found in their middle (开发 in 公开发布)."""
    whole = [w for k in keywords for w, part in analyzer.pieces(k) if not part]
    return frozenset(
        [w for w, _ in analyzer.pieces(title)]
        + [x for w in whole for x in (w, w[:2], w[:3], w[-2:], w[-3:]) if len(x) >= 2]
    )
