"""The closed-book test's polls hide the answer; practice polls show it.

Telegram highlights a quiz poll's correct option as soon as someone votes, so the timed test
asks front ends for a regular poll (``QuizReply.reveal`` False) while practice keeps quiz
polls for their immediate feedback.
"""

from __future__ import annotations

from datetime import UTC, datetime

from handlers.core.app import Assistant
from handlers.core.clock import ManualClock
from handlers.core.types import QuizReply
from tests.handlers.core.helpers import say
from tests.handlers.quiz.test_quiz import answer, quizzes

CADRE = 1104  # 马丽娟
#: 10 August 2026, 10:00 in Shanghai: inside the education month, when /test is open.
IN_TEST_MONTH = datetime(2026, 8, 10, 2, 0, tzinfo=UTC)


def test_a_quiz_reply_reveals_its_answer_unless_told_otherwise() -> None:
    # Every other producer of QuizReply keeps today's behaviour without saying anything.
    assert QuizReply("q", ("a", "b"), 0).reveal is True


async def test_timed_test_questions_hide_the_answer_from_first_to_last(
    core: Assistant, clock: ManualClock
) -> None:
    clock.set(IN_TEST_MONTH)
    poll = quizzes(await say(core, CADRE, "/test"))[0]
    asked = [poll]
    while True:
        replies = await answer(core, CADRE, poll.token, poll.correct_index)
        if not quizzes(replies):
            break
        poll = quizzes(replies)[0]
        asked.append(poll)
    assert len(asked) == 10
    assert all(not p.reveal and p.explanation == "" for p in asked)


async def test_resumed_test_question_hides_the_answer_too(
    core: Assistant, clock: ManualClock
) -> None:
    clock.set(IN_TEST_MONTH)
    first = quizzes(await say(core, CADRE, "/test"))[0]
    await answer(core, CADRE, first.token, first.correct_index)
    # /test again while it runs sends the next question again: it must stay hidden as well.
    [resumed] = quizzes(await say(core, CADRE, "/test"))
    assert resumed.question.startswith("(2/10)") and not resumed.reveal


async def test_practice_questions_reveal_the_answer(core: Assistant, clock: ManualClock) -> None:
    clock.set(IN_TEST_MONTH)  # practice during the test month is still practice
    poll = quizzes(await say(core, CADRE, "/quiz"))[0]
    assert poll.reveal and poll.explanation
    replies = await answer(core, CADRE, poll.token, poll.correct_index)
    assert all(p.reveal for p in quizzes(replies))
