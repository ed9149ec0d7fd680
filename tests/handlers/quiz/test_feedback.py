"""Quiz feedback: right or wrong, why and the rule after each practice answer; nothing about
answers while the closed-book test runs, a per-question review once it is over; the score
and what to read at the end."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from handlers.core.app import Assistant
from handlers.core.clock import ManualClock
from handlers.core.types import QuizReply, TextReply
from knowledge.quiz import QuizQuestion, quiz_bank
from knowledge.retrieval import KnowledgeBase, Status
from tests.handlers.core.fakes import FakeUnitOfWorkFactory
from tests.handlers.core.helpers import say, texts
from tests.handlers.quiz.test_quiz import answer, quizzes
from tests.handlers.reminders.helpers import FakeSender, make_dispatcher

CADRE = 1104  # 马丽娟
#: 10 August 2026, 10:00 in Shanghai: inside the education month, when /test is open.
IN_TEST_MONTH = datetime(2026, 8, 10, 2, 0, tzinfo=UTC)


def question_of(poll: QuizReply) -> QuizQuestion:
    """The bank question behind a poll ``(i/n) question``."""
    text = poll.question.split(") ", 1)[1]
    [q] = [q for q in quiz_bank().values() if q.question == text]
    return q


def wrong(poll: QuizReply) -> int:
    return (poll.correct_index + 1) % 4


async def miss_the_first(core: Assistant) -> tuple[QuizQuestion, list]:
    """The cadre starts a practice and answers its first question wrongly; returns that
    question and the replies to the answer."""
    poll = quizzes(await say(core, CADRE, "/quiz"))[0]
    return question_of(poll), await answer(core, CADRE, poll.token, wrong(poll))


async def test_practice_says_right_or_wrong_why_and_the_rule_after_each_answer(
    core: Assistant, kb: KnowledgeBase
) -> None:
    first, replies = await miss_the_first(core)
    feedback = texts(replies)
    entry = kb.entries[first.entry]
    assert "答错了" in feedback and f"正确答案：“{first.options[first.correct]}”" in feedback
    assert first.explanation in feedback
    # The rule, as /ask cites it: 【title】 and the documents.
    assert f"📖 依据：【{entry.title}】{kb.citation(entry)}" in feedback
    # Feedback first, then the next question.
    assert isinstance(replies[0], TextReply) and isinstance(replies[-1], QuizReply)
    poll = quizzes(replies)[0]
    second = question_of(poll)
    feedback = texts(await answer(core, CADRE, poll.token, poll.correct_index))
    assert "答对了" in feedback and "答错了" not in feedback
    assert second.explanation in feedback and "📖 依据：【" in feedback


async def test_practice_ends_with_the_score_and_what_to_read(
    core: Assistant, kb: KnowledgeBase
) -> None:
    missed, replies = await miss_the_first(core)
    while quizzes(replies):
        poll = quizzes(replies)[0]
        replies = await answer(core, CADRE, poll.token, poll.correct_index)
    end = replies[-1]
    assert isinstance(end, TextReply)
    assert "4/5" in end.text and "不记录" in end.text
    title = kb.entries[missed.entry].title
    assert "📚 建议复习：" in end.text and f"· 【{title}】" in end.text
    assert "/ask" in end.text and "全部答对" not in end.text


async def test_practice_all_right_says_so_and_lists_nothing(core: Assistant) -> None:
    replies = await say(core, CADRE, "/quiz")
    while quizzes(replies):
        poll = quizzes(replies)[0]
        replies = await answer(core, CADRE, poll.token, poll.correct_index)
    end = texts(replies[-1:])
    assert "5/5" in end and "全部答对" in end and "建议复习" not in end


async def test_closed_book_test_reveals_no_answer_until_it_is_over_then_reviews(
    core: Assistant, clock: ManualClock, kb: KnowledgeBase
) -> None:
    clock.set(IN_TEST_MONTH)
    replies = await say(core, CADRE, "/test")
    assert "测试结束后统一公布" in texts(replies)  # said up front
    poll = quizzes(replies)[0]
    asked: list[QuizReply] = []
    for i in range(10):
        asked.append(poll)
        # The poll itself carries no explanation (Telegram would show it on answering).
        assert poll.explanation == ""
        replies = await answer(
            core, CADRE, poll.token, wrong(poll) if i < 2 else poll.correct_index
        )
        if i < 9:
            # While the test runs an answer brings the next question and nothing else.
            assert [type(r) for r in replies] == [QuizReply]
            poll = quizzes(replies)[0]
    [end] = replies
    assert isinstance(end, TextReply)
    assert "测试结束" in end.text and "8/10" in end.text
    assert "逐题回顾（测试期间不公布答案）" in end.text
    assert "✅ 答对：第 3、4、5、6、7、8、9、10 题" in end.text
    for number, poll in enumerate(asked[:2], 1):
        q = question_of(poll)
        assert f"❌ 第 {number} 题：正确答案“{q.options[q.correct]}”。" in end.text
        assert f"· 【{kb.entries[q.entry].title}】" in end.text
    assert end.text.index("逐题回顾") < end.text.index("📚 建议复习")


async def test_a_test_closed_by_the_dispatcher_still_gets_its_review(
    core: Assistant, clock: ManualClock, fake_uow: FakeUnitOfWorkFactory
) -> None:
    clock.set(IN_TEST_MONTH)
    poll = quizzes(await say(core, CADRE, "/test"))[0]
    first = question_of(poll)
    await answer(core, CADRE, poll.token, poll.correct_index)
    clock.advance(timedelta(minutes=21))
    sender = FakeSender()
    assert (await make_dispatcher(fake_uow, sender, clock, sources=()).dispatch_once()).tests_closed
    [message] = sender.texts_to(CADRE)
    assert "1/10" in message and "逐题回顾" in message
    assert "✅ 答对：第 1 题" in message and "❌ 第 2 题（未作答）：正确答案" in message
    assert first.explanation not in message  # answered right: no explanation needed


async def test_every_quiz_rule_title_is_answered_by_ask(kb: KnowledgeBase) -> None:
    """The reading list says "send /ask with a title": that must find the very entry."""
    for entry_id in {q.entry for q in quiz_bank().values()}:
        decision = kb.decide(kb.entries[entry_id].title)
        assert decision.status == Status.ANSWER and decision.best is not None, entry_id
        assert decision.best.entry.id == entry_id
