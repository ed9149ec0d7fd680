"""What a quiz says about the answers: right or wrong and why, the review at the end of the
closed-book test, and what to read next.

Practice (/quiz) gets :func:`answer_feedback` after every answer. The timed test (/test)
says nothing about an answer while it runs, so a right answer cannot be passed on to
colleagues still taking it; :func:`review` goes out with the score instead. Both end with
:func:`reading`: the rule-base entries of the questions missed.

Functions take a :class:`Translator` rather than a ``Ctx`` because the dispatcher closes
abandoned tests without one (handlers/quiz/close.py); there ``kb`` is None and the rule
lines are left out.
"""

from __future__ import annotations

from handlers.core.i18n import Translator
from handlers.quiz.domain import QuizAttempt
from knowledge.quiz import QuizQuestion, quiz_bank
from knowledge.retrieval import KnowledgeBase
from knowledge.schema import Entry

#: At most this many entries under "what to read": a reading list, not a syllabus.
MAX_READING = 5
#: Longest explanation quoted in the end-of-test review (the bank allows 200 characters;
#: ten of those would fill a phone screen several times over).
MAX_REVIEW_EXPLANATION = 80


def _sep(t: Translator) -> str:
    """How a list of question numbers is joined in the reader's language."""
    return ", " if t.language == "en" else "、"


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def basis(t: Translator, kb: KnowledgeBase | None, entry_id: str) -> str:
    """The rule a question tests, as the Q&A answer shows its basis (handlers/qa/ask.py):
    ``📖 依据：【title】documents``; empty without the rule base or the entry."""
    entry = kb.entries.get(entry_id) if kb is not None else None
    if kb is None or entry is None:
        return ""
    return t._("📖 Basis: {source}", source=f"【{entry.title}】{kb.citation(entry)}")


def answer_feedback(t: Translator, kb: KnowledgeBase | None, q: QuizQuestion, chosen: int) -> str:
    """Practice feedback on one answer: right or wrong, the explanation, and the rule."""
    if chosen == q.correct:
        head = t._("✅ Right.")
    else:
        head = t._("❌ Wrong. The answer is “{option}”.", option=q.options[q.correct])
    lines = [head, q.explanation]
    rule = basis(t, kb, q.entry)
    if rule:
        lines.append(rule)
    return "\n".join(lines)


def _answered(attempt: QuizAttempt) -> list[tuple[int, QuizQuestion, int | None]]:
    """(number from 1, question, answer) for the attempt's questions still in the bank."""
    bank = quiz_bank()
    return [
        (i, bank[qid], a)
        for i, (qid, a) in enumerate(zip(attempt.question_ids, attempt.answers, strict=True), 1)
        if qid in bank
    ]


def review(t: Translator, attempt: QuizAttempt) -> list[str]:
    """The closed-book test's per-question review, given only once the test is over:
    the numbers answered right on one line, then each miss with its answer and why."""
    rows = _answered(attempt)
    right = [str(i) for i, q, a in rows if a == q.correct]
    lines = [t._("Review (answers were not shown during the test):")]
    if right:
        lines.append(t._("✅ Right: question(s) {numbers}", numbers=_sep(t).join(right)))
    for i, q, a in rows:
        if a == q.correct:
            continue
        why = _clip(q.explanation, MAX_REVIEW_EXPLANATION)
        option = q.options[q.correct]
        if a is None:
            lines.append(
                t._(
                    "❌ Question {i} (not answered): the answer is “{option}”. {why}",
                    i=i,
                    option=option,
                    why=why,
                )
            )
        else:
            lines.append(
                t._("❌ Question {i}: the answer is “{option}”. {why}", i=i, option=option, why=why)
            )
    return lines


def missed_entries(kb: KnowledgeBase, attempt: QuizAttempt) -> list[Entry]:
    """The rule-base entries behind the questions answered wrongly (or not at all), once
    each, in question order."""
    out: list[Entry] = []
    for _, q, a in _answered(attempt):
        entry = kb.entries.get(q.entry)
        if a != q.correct and entry is not None and all(e.id != entry.id for e in out):
            out.append(entry)
    return out


def reading(t: Translator, kb: KnowledgeBase | None, attempt: QuizAttempt) -> list[str]:
    """What to read after a quiz: the entries missed (a short list) or "all correct".

    Empty without the rule base (the dispatcher's closing message): no titles to give."""
    rows = _answered(attempt)
    if rows and all(a == q.correct for _, q, a in rows):
        return [t._("🎉 All correct: nothing to review.")]
    if kb is None:
        return []
    entries = missed_entries(kb, attempt)
    if not entries:
        return []
    lines = [t._("📚 To read:")]
    lines += [f"· 【{e.title}】{kb.citation(e)}" for e in entries[:MAX_READING]]
    if len(entries) > MAX_READING:
        lines.append(t._("…and {n} more.", n=len(entries) - MAX_READING))
    # A quiz entry's title, asked with /ask, is answered with that very entry
    # (tests/handlers/quiz/test_feedback.py checks it for every entry the bank cites).
    lines.append(t._("Send /ask with a title to read the rule."))
    return lines
