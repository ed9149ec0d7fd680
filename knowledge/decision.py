"""The decision over a ranking: answer, clarify or decline, and the types it speaks in.

The decision is one of ``answer`` (one confident entry), ``clarify`` (two or three close
candidates to choose from) or ``none`` (decline, naming what is covered nearby). A confident
wrong answer about discipline rules is the worst outcome, so the thresholds favour
clarifying or declining. Whether to answer, offer options or decline is judged by two small
logistic models (:class:`knowledge.decision_models.DecisionModels`, with the cut-offs): the
chance that the best entry is right, and the chance that a right entry is among the first
three, fitted by ``bench/calibrate_retrieval.py``. :class:`Deciding` holds the decision
itself; the index that ranks (:class:`knowledge.retrieval.KnowledgeBase`) builds on it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from enum import StrEnum

from knowledge.case_reading import CaseReading
from knowledge.decision_models import (
    DecisionModel,
    Thresholds,
)
from knowledge.english import EnglishGlossary
from knowledge.schema import Entry
from knowledge.small_talk import SmallTalk
from knowledge.small_talk import classify as classify_small_talk

#: How far below the closest candidate in meaning an entry may be and still be named as
#: covered nearby in a decline (dev, train, phone-typed, probe, written and English dev sets
#: together: 5 fewer suggestions to off-topic messages, 2 fewer wrong ones to covered
#: questions, none fewer naming a right entry; the words-only mode has no meaning signal,
#: every semantic score is 0 and nothing changes there).
NEARBY_MEANING_GAP = 0.02
#: A declined message closer in meaning to an out-of-scope example than to any entry by more
#: than this is off-topic (天气, 帮我写个总结): declined without "nearby" rules and without
#: offering to pass it to staff. On nine readable sets it marks 130 of 284 off-topic
#: messages, 10 of 190 uncovered and 3 of 1,845 covered questions (whose status it never
#: changes; only the decline's wording).
OFF_TOPIC_MEANING_GAP = 0.01


class Status(StrEnum):
    """What the assistant does with a question."""

    ANSWER = "answer"
    CLARIFY = "clarify"
    NONE = "none"


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
    length: float = 1.0  # the query's length in characters over 20, at most 1
    # The entries closest in meaning over the whole rule base (id, cosine), best first, and
    # the closest out-of-scope example's cosine.
    semantic_rivals: tuple[tuple[str, float], ...] = ()
    semantic_out_of_scope: float = 0.0


@dataclass(frozen=True)
class Decision:
    """The outcome for one query."""

    query: str
    status: Status
    candidates: tuple[Candidate, ...] = ()
    # Set when the message was said to the assistant (你好, 谢谢, 你能做什么), not asked of
    # the rule base: the status is NONE and the reply is conversational, not a decline.
    small_talk: SmallTalk | None = None
    # A decline of a message about something else altogether (see OFF_TOPIC_MEANING_GAP).
    off_topic: bool = False

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
            "source": [{"doc": b.doc, "art": b.art} for b in best.entry.basis] if best else None,
            "small_talk": self.small_talk.value if self.small_talk else None,
        }


@dataclass(frozen=True)
class Signals:
    """How well one document matches a query, signal by signal (each about 0–1)."""

    key: str
    lexical: float  # BM25F score over the query's total idf weight
    similar: float  # idf-weighted cosine with the closest question or title
    fuzzy: float  # character-level similarity with the closest phrase
    share: float = 0.0  # idf-weighted share of the query's words this document uses
    semantic: float = 0.0  # cosine in sentence meaning with the closest question or title


class Deciding:
    """Answer, clarify or decline, given a ranking (mixed into the knowledge base)."""

    entries: dict[str, Entry]
    english: EnglishGlossary  # reads a question typed in English (the index sets it)
    cases: CaseReading  # reads a case told in a sentence (the index sets it)
    twins: dict[str, frozenset[str]]  # entry id -> the other entries of its twins group
    thresholds: Thresholds
    answer_model: DecisionModel
    offer_model: DecisionModel

    @property
    def semantic(self) -> bool:
        """Whether the meaning signal is on, so the features include it (the index says)."""
        raise NotImplementedError

    def rank(self, query: str) -> Ranking:
        """Entries scored for ``query`` (the index provides it)."""
        raise NotImplementedError

    def query_words(self, query: str) -> list[str]:
        """The content words of a query (the index provides it)."""
        raise NotImplementedError

    def keyword_words(self, key: str) -> Counter[str]:
        """The words of an entry's keywords (the index provides it)."""
        raise NotImplementedError

    def subject_words(self, key: str) -> frozenset[str]:
        """The words that name an entry's subject: its title's and keywords' (the index
        provides it)."""
        raise NotImplementedError

    def in_rule_terms(self, query: str) -> str:
        """``query`` as the index reads it: a question typed in English rewritten into the
        rules' Chinese terms (:mod:`knowledge.english`), and a case told in a sentence
        given the term of the conduct it describes (:mod:`knowledge.case_reading`)."""
        text = self.english.rewrite(query)
        concepts = self.cases.concepts(text)
        if not concepts:
            return text
        # A term the question already names through an alias (办几桌 is 大操大办) is not
        # added again: it would count twice.
        named = self.prepared(text)
        added = [c for c in concepts if c not in named]
        return f"{text} {' '.join(added)}" if added else text

    def prepared(self, query: str) -> str:
        """``query`` with its aliases and typos rewritten (the index provides it)."""
        raise NotImplementedError

    def _asked_words(self, query: str) -> frozenset[str]:
        """The question's words that may name an entry (two characters or more), segmented
        once per decision however many entries are then checked against them."""
        return frozenset(w for w in self.query_words(query) if len(w) >= 2)

    def _names_the_entry(self, asked: frozenset[str], key: str) -> bool:
        """Whether the question's words (``asked``) include one that names the entry's
        subject, so the entry may be suggested as covered "nearby" in a decline. A word
        only in its answer or example questions, one found inside a longer keyword (开发 in
        公开发布), or one most entries use (什么) is not what the entry is about."""
        return not asked.isdisjoint(self.subject_words(key))

    def features(self, ranking: Ranking) -> tuple[float, ...]:
        """The decision models' inputs (:data:`FEATURES`) for ``ranking`` (which must have
        an entry)."""
        (k1, v1, s1), *rest = ranking.entries
        # A twin (an entry answering the same question from another text) is not a rival:
        # the lead is measured over the next entry outside the best entry's group.
        twins = self.twins.get(k1, frozenset())
        rest = [r for r in rest if r[0] not in twins]
        if rest:
            k2, v2, s2 = rest[0]
            same = float(self.entries[k1].topic == self.entries[k2].topic)
            lead = (v1 - v2, s1.lexical - s2.lexical, s1.fuzzy - s2.fuzzy, same, s2.share)
        else:
            lead = (v1, s1.lexical, s1.fuzzy, 0.0, 0.0)
        margin, lexical_margin, fuzzy_margin, same, runner_share = lead
        lexical = (
            v1,
            margin,
            lexical_margin,
            fuzzy_margin,
            same,
            s1.share,
            runner_share,
            ranking.coverage,
            s1.similar,
            v1 - ranking.out_of_scope,
            ranking.length,
        )
        if not self.semantic:
            return lexical
        # The closest other entry in meaning; none among the nearest means a clear lead.
        other = [c for k, c in ranking.semantic_rivals if k != k1 and k not in twins]
        rivals = [c for _, c in ranking.semantic_rivals]
        meaning_lead = s1.semantic - (other[0] if other else min(rivals, default=s1.semantic))
        return (*lexical, s1.semantic, meaning_lead, s1.semantic - ranking.semantic_out_of_scope)

    def confidence(self, ranking: Ranking) -> float:
        """The chance that the best entry of ``ranking`` is a right answer (0 if none)."""
        if not ranking.entries:
            return 0.0
        return self.answer_model.probability(self.features(ranking))

    def offer_confidence(self, ranking: Ranking) -> float:
        """The chance that a right entry is among the first three of ``ranking``."""
        if not ranking.entries:
            return 0.0
        return self.offer_model.probability(self.features(ranking))

    # -- decisions -------------------------------------------------------------------------
    def decide(self, query: str) -> Decision:
        """Answer, clarify or decline ``query``."""
        talk = classify_small_talk(query)
        if talk is not None:
            return Decision(query, Status.NONE, small_talk=talk)
        if names_nothing(query):
            return Decision(query, Status.NONE)
        asked = self.in_rule_terms(query)
        ranking = self.rank(asked)
        decision = self.decide_ranking(asked, ranking)
        if decision.status == Status.NONE and _off_topic(ranking):
            decision = replace(decision, candidates=(), off_topic=True)
        # The decision keeps the question as typed (the gap log and the reply quote it).
        return decision if asked == query else replace(decision, query=query)

    def decide_ranking(self, query: str, ranking: Ranking) -> Decision:
        """The decision for an already computed ranking (the calibration re-decides one
        ranking under many thresholds)."""
        th = self.thresholds
        # An entry scoring at or below zero has no evidence (it only trails in meaning).
        ranked = [r for r in ranking.entries[:12] if r[1] > 0]
        cands = tuple(Candidate(self.entries[k], v) for k, v, _ in ranked)
        if not cands:
            return Decision(query, Status.NONE)
        top = cands[0].score
        oos = ranking.out_of_scope
        if oos and oos >= top + th.out_of_scope_gap:
            return Decision(query, Status.NONE, self._nearby(query, ranked))
        features = self.features(ranking)
        twins = self.twins.get(cands[0].entry.id, frozenset())
        rivals = [c for c in cands[1:] if c.entry.id not in twins]
        # Any entry outside the best one's twins scores within the band of the best.
        rival_near = any(c.score >= top - th.band for c in rivals)
        subject_only = ranking.length * 20 <= th.short_query and rival_near
        p_answer = self.answer_model.probability(features)
        if (
            not subject_only
            and top >= th.floor
            and p_answer >= th.answer
            # Last: it segments the query again, needed only for an answer about to be given.
            and self._names_its_subject(query, ranking)
        ):
            return Decision(query, Status.ANSWER, cands[:3])
        if self.offer_model.probability(features) >= th.offer:
            # Options only about the question's own subject, and close to the best.
            close_signals = [
                (c, sig)
                for c, (_, _, sig) in zip(cands[:3], ranked[:3], strict=True)
                if c.score >= top - th.band and self._on_subject(sig, th.clarify_share)
            ]
            close = tuple(c for c, _ in close_signals)
            if (
                bool(close)
                and close[0] is cands[0]  # the best entry itself, not only a runner-up
                and not rival_near
                and top >= th.lone_floor
                and p_answer >= th.lone_answer
                and self._names_its_subject(query, ranking)
            ):
                # The best entry stands alone, well ahead of every other and about the
                # question's own words: a clear answer even where the model, which sees
                # only the lead over the runner-up, is less sure.
                return Decision(query, Status.ANSWER, cands[:3])
            if len(close) >= 2:
                return Decision(query, Status.CLARIFY, close)
            if close:
                # One entry alone near the question: an honest decline that names it as
                # what is covered nearby, one tap away, rather than "did you mean" as if it
                # were the answer. (The count that set this rule, 18 uncovered dev questions
                # to 4 covered, has since turned: 55 right to 18 not on six readable sets.
                # A one-option "did you mean" at p >= 0.5 was tried and lost on the
                # calibration's merit, BENCHMARKS.md, eighteenth session.)
                return Decision(query, Status.NONE, self._named(query, close_signals, ranked))
        return Decision(query, Status.NONE, self._nearby(query, ranked))

    def _named(
        self,
        query: str,
        close: list[tuple[Candidate, Signals]],
        ranked: list[tuple[str, float, Signals]],
    ) -> tuple[Candidate, ...]:
        """The lone close entries a decline may name: those the question names, or is very
        close to in meaning (a case told in a sentence shares few words with its rule). An
        entry named by a word only must not trail the closest candidate in meaning, as in
        :meth:`_nearby` (six readable sets: 1 fewer wrong entry named, none fewer right)."""
        asked = self._asked_words(query)
        closest = _closest_meaning(ranked)
        return tuple(
            c
            for c, sig in close
            if sig.semantic >= self.thresholds.option_meaning
            or (
                self._names_the_entry(asked, c.entry.id)
                and sig.semantic >= closest - NEARBY_MEANING_GAP
            )
        )

    def _names_its_subject(self, query: str, ranking: Ranking) -> bool:
        """False for a one-word message whose word is not one of the best entry's keywords.

        A lone everyday word (请假, 几点, 测试) can match a phrase inside one entry's
        questions and score high there, yet it names no rule: such a message is not
        answered outright. A lone keyword (诫勉, 留置) names its subject and may be.
        """
        words = set(self.query_words(query))
        if len(words) > 1:
            return True
        keywords = self.keyword_words(ranking.entries[0][0])
        return any(w in keywords for w in words)

    def _on_subject(self, sig: Signals, share: float) -> bool:
        """Whether an entry may be offered as about the question's own subject: it uses
        ``share`` of the question's words, or (with the meaning signal) is close in meaning."""
        return sig.share >= share or sig.semantic >= self.thresholds.option_meaning

    def _nearby(
        self, query: str, ranked: list[tuple[str, float, Signals]]
    ) -> tuple[Candidate, ...]:
        """For a decline: the entries that share the question's subject words, if any, so
        the reply can say what the rule base does cover nearby (never unrelated ones).

        Read in rank order and stopped at the first that falls short: when a better-scored
        entry does not use enough of the question's words, one below it that does is
        matching the asker's context (当科长了还能炒股不 → an entry about 科长 losing their
        post), not the subject (dev and written sets: 5 fewer suggestions to off-topic
        messages, none fewer with the right entry)."""
        floor = max(self.thresholds.clarify_share, 0.5)
        asked = self._asked_words(query)
        # An entry that shares the question's words but is clearly further in meaning than
        # another candidate is matching a context word, not the subject (统计数据改了 党纪咋处理
        # names the assistant's own 统计 help by its words, while 弄虚作假 is the closest in
        # meaning): it is not named.
        closest = _closest_meaning(ranked)
        out: list[Candidate] = []
        for k, v, sig in ranked[:3]:
            # The words alone here: a decline about a subject the rule base does not hold
            # (明天下雨吗, close in meaning to the calendar help) must not name it.
            if sig.share < floor:
                break
            if self._names_the_entry(asked, k) and sig.semantic >= closest - NEARBY_MEANING_GAP:
                out.append(Candidate(self.entries[k], v))
        return tuple(out)


def names_nothing(query: str) -> bool:
    """Whether a message has fewer than two letters (a lone number, date, emoji or
    punctuation): it names no subject, so there is nothing to answer, offer or log."""
    return sum(ch.isalpha() for ch in query) < 2


def _off_topic(ranking: Ranking) -> bool:
    """Whether the message is closer in meaning to an out-of-scope example than to every
    entry (never in the words-only mode, whose meaning scores are all 0)."""
    best = max((sig.semantic for _, _, sig in ranking.entries[:12]), default=0.0)
    return best > 0 and ranking.semantic_out_of_scope - best > OFF_TOPIC_MEANING_GAP


def _closest_meaning(ranked: list[tuple[str, float, Signals]]) -> float:
    """The best meaning score among the first five candidates (0 in the words-only mode)."""
    return max((sig.semantic for _, _, sig in ranked[:5]), default=0.0)
