"""A quiz answer typed instead of tapped: B, 选B, 2, or the option's own words.

The questions go out as polls, but people on a phone often type the answer (and the
console shows the options numbered). Without this, a typed ``B`` went to the rule base,
which asked for a question. A typed answer counts only while the person has a round open
(practice resumed within the hour, or a test not yet finished), and is recorded exactly as
a tap on that option would be (:func:`handlers.quiz.commands.quiz_answer`), with the same
checks: an answer after the test's time is up closes the test instead.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from functools import cache

from handlers.core.context import Ctx
from handlers.core.form_questions import looks_like_question
from handlers.core.router import Router, RunCommand
from handlers.core.typed_words import normalise
from handlers.quiz.commands import PRACTICE_RESUME, quiz_answer, token
from handlers.quiz.domain import QuizAttempt
from handlers.quiz.ports import quiz_of
from knowledge.quiz import quiz_bank

#: An option named by its letter or number, alone or after 选 / 答案 / 我选 (B, 选b, 答案是2).
_CHOICE = re.compile(
    r"^(?:就|我)?(?:选|选择|答案是?|answer|option)?\s*[:：]?\s*(?:第\s*)?"
    r"([a-h]|[1-9]|[一二三四五六七八])\s*(?:个|项)?\s*[.、)）]?\s*(?:吧|呢|啊)?$"
)
_CN_ORDINALS = "一二三四五六七八"
router = Router()


@cache
def _longest_option() -> int:
    """The longest option of the bank: a longer message is no option typed out, and the
    attempts are not read for it (most messages are questions for the rule base)."""
    return max((len(o) for q in quiz_bank().values() for o in q.options), default=0)


def typed_choice(text: str) -> int | None:
    """The option index a message names by letter or number (``B`` → 1), or None."""
    m = _CHOICE.match(normalise(unicodedata.normalize("NFKC", text)))
    if m is None:
        return None
    mark = m.group(1)
    if mark in _CN_ORDINALS:  # 选第一个
        return _CN_ORDINALS.index(mark)
    return int(mark) - 1 if mark.isdigit() else ord(mark) - ord("a")


async def open_round(ctx: Ctx) -> QuizAttempt | None:
    """The person's round still waiting for an answer: an unfinished test, else a practice
    round begun within the resume window (the newest)."""
    quiz = quiz_of(ctx.uow)
    year = ctx.local_now.year
    waiting = [
        a
        for practice in (False, True)
        for a in await quiz.attempts(ctx.me.id, year, practice=practice)
        if a.finished_at is None
        and a.next_index is not None
        and (not practice or ctx.now - a.started_at < PRACTICE_RESUME)
    ]
    # A test comes first: its answers count.
    return max(waiting, key=lambda a: (not a.practice, a.started_at), default=None)


def _option_index(text: str, attempt: QuizAttempt) -> int | None:
    """The option of the attempt's current question that ``text`` names, or None."""
    index = attempt.next_index
    question = quiz_bank().get(attempt.question_ids[index]) if index is not None else None
    if question is None:
        return None
    chosen = typed_choice(text)
    if chosen is not None:
        return chosen if chosen < len(question.options) else None
    typed = normalise(unicodedata.normalize("NFKC", text))
    for i, option in enumerate(question.options):
        if normalise(unicodedata.normalize("NFKC", option)) == typed:
            return i
    return None


@router.shortcut
async def typed_quiz_answer(ctx: Ctx, run_command: RunCommand) -> bool:
    """Record a typed answer to the open round's current question; True when it was one."""
    text = ctx.req.text.strip()
    if not text or len(text) > _longest_option():
        return False
    if typed_choice(text) is None and looks_like_question(text):
        return False  # a question for the rule base: no need to look for a round
    attempt = await open_round(ctx)
    if attempt is None or attempt.next_index is None:
        return False
    chosen = _option_index(text, attempt)
    if chosen is None:
        if typed_choice(text) is None:
            return False  # not an answer at all: the other shortcuts or the rule base
        count = len(quiz_bank()[attempt.question_ids[attempt.next_index]].options)
        ctx.reply(ctx._("That question has options 1 to {n} only.", n=count))
        return True
    await quiz_answer(ctx, [token(attempt.id, attempt.next_index), str(chosen)])
    return True


@router.canceller
async def stop_practice(ctx: Ctx) -> bool:
    """取消 during a practice round ends it (nothing is recorded); a scored test is not
    abandoned this way: it ends when its time is up."""
    attempt = await open_round(ctx)
    if attempt is None:
        return False
    if not attempt.practice:
        ctx.reply(
            ctx._(
                "The test is still running; it ends when all questions are answered or its time is up."
            )
        )
        return True
    await quiz_of(ctx.uow).finish(replace(attempt, finished_at=ctx.now))
    ctx.reply(ctx._("Practice stopped; nothing was recorded. Send /quiz to start again."))
    return True
