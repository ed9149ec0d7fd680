"""Measuring the Q&A decisions against a labelled question file (``lianzheng kb eval``).

A labelled file holds three kinds of message:

* covered questions, each with every entry that would be a right answer;
* uncovered questions: about this field, but nothing in the rule base answers them
  (labelled ``entries: []``); the right outcome is an honest decline;
* off-topic messages (chit-chat, other subjects): the right outcome is a decline.

Two shapes are read: the real-question sets (``questions`` with ``entries`` lists, plus
``offtopic``) and the older written set (``in_scope`` with ``entry``/``also``, plus
``out_of_scope``, counted as off-topic).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from knowledge.retrieval import Decision, KnowledgeBase, Status

COVERED, UNCOVERED, OFFTOPIC = "covered", "uncovered", "offtopic"


@dataclass(frozen=True)
class Labelled:
    """One message and the entries that answer it rightly (empty: decline)."""

    query: str
    entries: frozenset[str]
    kind: str = COVERED


def _rate(part: int, whole: int) -> float:
    """``part`` over ``whole``; 0.0 when there is nothing to count."""
    return part / whole if whole else 0.0


@dataclass
class Metrics:
    """Outcome counts; the figures are properties."""

    covered: int = 0
    uncovered: int = 0
    offtopic: int = 0
    answered_right: int = 0
    answered_wrong: int = 0  # covered questions answered with a wrong entry
    clarified_with_right: int = 0
    clarified_without: int = 0
    declined_covered: int = 0
    uncovered_declined: int = 0
    uncovered_answered: int = 0
    offtopic_declined: int = 0
    offtopic_answered: int = 0
    # Declined off-topic messages whose reply still suggested rules "nearby": buttons about
    # something the message never asked (工资什么时候发 → 降级).
    offtopic_suggested: int = 0
    topics: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    misses: list[tuple[str, str, str]] = field(default_factory=list)

    # -- the figures the Q&A targets are set in ----------------------------------------
    @property
    def top1(self) -> float:
        """Covered questions answered outright with a right entry."""
        return _rate(self.answered_right, self.covered)

    @property
    def found(self) -> float:
        """Covered questions whose right entry was answered or offered among the options."""
        return _rate(self.answered_right + self.clarified_with_right, self.covered)

    @property
    def uncovered_declined_rate(self) -> float:
        """Uncovered questions declined."""
        return _rate(self.uncovered_declined, self.uncovered)

    @property
    def offtopic_declined_rate(self) -> float:
        """Off-topic messages declined."""
        return _rate(self.offtopic_declined, self.offtopic)

    @property
    def answers_given(self) -> int:
        """Every outright answer, whatever the message."""
        return (
            self.answered_right
            + self.answered_wrong
            + self.uncovered_answered
            + self.offtopic_answered
        )

    @property
    def wrong_share(self) -> float:
        """Wrong answers as a share of all answers given (the worst outcome)."""
        wrong = self.answered_wrong + self.uncovered_answered + self.offtopic_answered
        return _rate(wrong, self.answers_given)

    # -- the older names, kept for the written set's tests and benches ------------------
    @property
    def in_scope(self) -> int:
        """Covered questions."""
        return self.covered

    @property
    def top1_accuracy(self) -> float:
        """Alias of :attr:`top1`."""
        return self.top1

    @property
    def clarify_recall(self) -> float:
        """Alias of :attr:`found`."""
        return self.found

    @property
    def wrong_answer_rate(self) -> float:
        """Covered questions answered with a wrong entry, over covered questions."""
        return _rate(self.answered_wrong, self.covered)

    @property
    def refusal_rate(self) -> float:
        """Messages that should be declined (uncovered and off-topic) that were."""
        declined = self.uncovered_declined + self.offtopic_declined
        return _rate(declined, self.uncovered + self.offtopic)

    @property
    def oos_answer_rate(self) -> float:
        """Messages that should be declined but were answered outright."""
        answered = self.uncovered_answered + self.offtopic_answered
        return _rate(answered, self.uncovered + self.offtopic)

    def as_rows(self) -> list[tuple[str, str]]:
        """The figures, as ``kb eval`` prints them."""

        def share(part: int, whole: int) -> str:
            return f"{part / whole:.1%} ({part}/{whole})" if whole else "—"

        wrong = self.answered_wrong + self.uncovered_answered + self.offtopic_answered
        return [
            ("right entry first, covered", share(self.answered_right, self.covered)),
            (
                "right entry first or among the options",
                share(self.answered_right + self.clarified_with_right, self.covered),
            ),
            ("uncovered declined", share(self.uncovered_declined, self.uncovered)),
            ("off-topic declined", share(self.offtopic_declined, self.offtopic)),
            ("wrong answers, share of answers given", share(wrong, self.answers_given)),
            (
                "off-topic declined without suggestions",
                share(self.offtopic_declined - self.offtopic_suggested, self.offtopic),
            ),
        ]

    def topic_rows(self) -> list[tuple[str, int, float, float]]:
        """Per topic of the right entry: covered questions, top-1 and found."""
        out = []
        for topic, c in sorted(self.topics.items()):
            n = c["n"]
            out.append((topic, n, c["right"] / n if n else 0.0, c["found"] / n if n else 0.0))
        return out


def load_labelled(path: Path) -> tuple[list[Labelled], list[str]]:
    """Read a labelled file; returns (covered and uncovered questions, off-topic messages)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict) or not {"questions", "in_scope", "out_of_scope"} & set(data):
        raise ValueError("not a labelled question file (it needs a `questions:` list)")
    labelled: list[Labelled] = []
    if "questions" in data:
        for number, item in enumerate(data["questions"] or [], 1):
            if not isinstance(item, dict) or "q" not in item:
                raise ValueError(f"question {number} has no `q:` (the question's text)")
            ids = frozenset(str(i) for i in (item.get("entries") or []))
            labelled.append(Labelled(str(item["q"]), ids, COVERED if ids else UNCOVERED))
        offtopic = [
            str(item["q"]) if isinstance(item, dict) else str(item)
            for item in data.get("offtopic") or []
        ]
        return labelled, offtopic
    for item in data.get("in_scope") or []:
        ids = frozenset([item["entry"], *(item.get("also") or [])])
        labelled.append(Labelled(str(item["q"]), ids))
    return labelled, [str(q) for q in data.get("out_of_scope") or []]


def evaluate(
    kb: KnowledgeBase,
    labelled: list[Labelled],
    offtopic: list[str],
    decide: Callable[[str], Decision] | None = None,
) -> Metrics:
    """Run every message through ``decide`` (default ``kb.decide``) and count the outcomes.

    The calibration passes a ``decide`` that reuses rankings computed once, so that many
    thresholds can be tried quickly.
    """
    decide = decide or kb.decide
    m = Metrics()
    for item in labelled:
        d = decide(item.query)
        ids = [c.entry.id for c in d.candidates]
        if item.kind == UNCOVERED:
            m.uncovered += 1
            if d.status == Status.NONE:
                m.uncovered_declined += 1
            elif d.status == Status.ANSWER:
                m.uncovered_answered += 1
                m.misses.append(("uncovered-answered", item.query, ids[0]))
            else:
                m.misses.append(("uncovered-clarify", item.query, ",".join(ids)))
            continue
        m.covered += 1
        topic = _topic(kb, item.entries)
        m.topics[topic]["n"] += 1
        if d.status == Status.ANSWER:
            if ids[0] in item.entries:
                m.answered_right += 1
                m.topics[topic]["right"] += 1
                m.topics[topic]["found"] += 1
            else:
                m.answered_wrong += 1
                m.misses.append(("wrong", item.query, f"{ids[0]} (want {_want(item)})"))
        elif d.status == Status.CLARIFY:
            if item.entries & set(ids):
                m.clarified_with_right += 1
                m.topics[topic]["found"] += 1
                m.misses.append(("clarify-ok", item.query, ",".join(ids)))
            else:
                m.clarified_without += 1
                m.misses.append(
                    ("clarify-miss", item.query, f"{','.join(ids)} (want {_want(item)})")
                )
        else:
            m.declined_covered += 1
            m.misses.append(("declined", item.query, f"{','.join(ids[:2])} (want {_want(item)})"))
    _count_offtopic(m, offtopic, decide)
    return m


def _count_offtopic(m: Metrics, offtopic: list[str], decide: Callable[[str], Decision]) -> None:
    """Add the off-topic messages' outcomes to ``m`` (each should be declined)."""
    for q in offtopic:
        m.offtopic += 1
        d = decide(q)
        if d.status == Status.NONE:
            m.offtopic_declined += 1
            if d.candidates:
                m.offtopic_suggested += 1
                m.misses.append(
                    ("offtopic-suggested", q, ",".join(c.entry.id for c in d.candidates))
                )
        elif d.status == Status.ANSWER:
            m.offtopic_answered += 1
            m.misses.append(("offtopic-answered", q, d.candidates[0].entry.id))
        else:
            m.misses.append(("offtopic-clarify", q, ",".join(c.entry.id for c in d.candidates)))


def _topic(kb: KnowledgeBase, ids: frozenset[str]) -> str:
    for i in sorted(ids):
        if i in kb.entries:
            return kb.entries[i].topic
    return "?"


def _want(item: Labelled) -> str:
    return "|".join(sorted(item.entries))


def kinds(metrics: Metrics) -> Counter[str]:
    """How many misses of each kind."""
    return Counter(k for k, _, _ in metrics.misses)


def unknown_labels(kb: KnowledgeBase, labelled: list[Labelled]) -> list[str]:
    """Labels naming entries the rule base does not have (a stale or mistyped label)."""
    return sorted({i for item in labelled for i in item.entries if i not in kb.entries})
