"""The education-month quiz: question bank validation, the timed test, scoring, practice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from handlers.core.app import Assistant
from handlers.core.clock import ManualClock
from handlers.core.types import PollAnswer, QuizReply, Reply, Request
from handlers.quiz.domain import QuizAttempt
from knowledge.quiz import load_quiz, validate_quiz
from knowledge.retrieval import KnowledgeBase
from tests.handlers.core.fakes import FakeUnitOfWorkFactory
from tests.handlers.core.helpers import say, texts
from tests.handlers.reminders.helpers import FakeSender, make_dispatcher


def this_year(fake_uow: FakeUnitOfWorkFactory) -> list[QuizAttempt]:
    """Attempts made in the test (the demo, loaded on 1 January, brings last year's test
    results and a practice round in progress)."""
    loaded = datetime(2026, 1, 2, tzinfo=UTC)
    return [
        a
        for a in fake_uow.db.reminder_tables.attempts.values()
        if a.year == 2026 and a.started_at > loaded
    ]


def quizzes(replies: list[Reply]) -> list[QuizReply]:
    return [r for r in replies if isinstance(r, QuizReply)]


async def answer(core: Assistant, user: int, poll_id: str, option: int) -> list[Reply]:
    req = Request(user_id=user, chat_id=user, poll_answer=PollAnswer(poll_id, (option,)))
    return await core.handle(req)


def test_question_bank_is_valid_and_cites_existing_entries(kb: KnowledgeBase) -> None:
    questions, problems = load_quiz()
    assert problems == []
    assert len(questions) >= 60
    assert all(len(q.options) == 4 and 0 <= q.correct < 4 for q in questions)
    history = [i for i, e in kb.entries.items() if e.status == "history"]
    assert history  # the rule base still explains earlier practice …
    assert validate_quiz(questions, kb.entries, history) == []  # … but the test asks today's
    assert validate_quiz(questions[:1], []) != []  # the check can fail
    old = questions[0].model_copy(update={"id": "old", "entry": history[0]})
    assert validate_quiz([old], kb.entries, history) == [
        f"old: cites {history[0]!r}, which describes earlier practice, not today's rule"
    ]
    twice = validate_quiz([questions[0], questions[0].model_copy(update={"id": "x"})], kb.entries)
    assert twice == [f"x: the same question as {questions[0].id}"]


async def test_test_is_closed_outside_the_education_month(core: Assistant) -> None:
    out = texts(await say(core, 1005, "/test"))
    assert "教育月" in out and "/quiz" in out


async def test_test_closes_on_its_deadline_even_inside_the_month(
    core: Assistant, clock: ManualClock
) -> None:
    # The administrator closes the test on 25 August; the month runs to the 31st.
    assert "已保存" in texts(await say(core, 1001, "/calendar set 教育月闭卷测试截止 2026-08-25"))
    clock.set(datetime(2026, 8, 25, 14, 0, tzinfo=UTC))  # 22:00 on the 25th: still open
    assert "20 分钟" in texts(await say(core, 1005, "/test"))
    clock.set(datetime(2026, 8, 26, 2, 0, tzinfo=UTC))  # the 26th: closed, and says until when
    closed = texts(await say(core, 1104, "/test"))
    assert "2026-08-25" in closed and "/quiz" in closed
    assert "20 分钟" not in closed


async def test_timed_test_scores_once_and_admin_allows_another(
    core: Assistant, clock: ManualClock, fake_uow: FakeUnitOfWorkFactory
) -> None:
    clock.set(datetime(2026, 8, 10, 2, 0, tzinfo=UTC))
    replies = await say(core, 1005, "/test")
    assert "20 分钟" in texts(replies)
    quiz = quizzes(replies)[0]
    seen = []
    for _ in range(10):
        seen.append(quiz.question)
        assert quiz.open_seconds is not None and quiz.open_seconds <= 600
        replies = await answer(core, 1005, quiz.token, quiz.correct_index)
        if not quizzes(replies):
            break
        quiz = quizzes(replies)[0]
    assert len(set(seen)) == 10
    assert "10/10" in texts(replies)
    attempts = this_year(fake_uow)
    assert [(a.practice, a.score) for a in attempts] == [(False, 10)]
    assert "已参加" in texts(await say(core, 1005, "/test"))
    assert "没有此人" in texts(await say(core, 1001, "/test allow 不存在的人"))
    assert "可再参加 1 次" in texts(await say(core, 1001, "/test allow 陈静"))
    assert quizzes(await say(core, 1005, "/test"))
    scores = texts(await say(core, 1004, "/test scores"))
    assert "陈静：10/10" in scores
    # The cadre sees her own score (not the unit's list), by command or in words, and
    # after the month /test says it too; someone who took none is told so.
    own = "您2026年的闭卷测试：最高 10/10 分（共 1 次）。"
    assert texts(await say(core, 1005, "/test scores")) == own
    assert texts(await say(core, 1005, "我的考试成绩")) == own
    clock.set(datetime(2026, 9, 2, 2, 0, tzinfo=UTC))
    await say(core, 1005, "/test")  # closes the second attempt, left open above (0/10)
    after = texts(await say(core, 1005, "/test"))
    assert after.startswith("您2026年的闭卷测试：最高 10/10 分（共 2 次）。\n"), after
    assert texts(await say(core, 1009, "/test scores")) == "您还没有参加2026年的闭卷测试。"


async def test_time_runs_out(core: Assistant, clock: ManualClock) -> None:
    clock.set(datetime(2026, 8, 10, 2, 0, tzinfo=UTC))
    quiz = quizzes(await say(core, 1005, "/test"))[0]
    quiz = quizzes(await answer(core, 1005, quiz.token, quiz.correct_index))[0]
    wrong = (quiz.correct_index + 1) % 4
    quiz = quizzes(await answer(core, 1005, quiz.token, wrong))[0]
    clock.advance(timedelta(minutes=21))
    out = texts(await answer(core, 1005, quiz.token, quiz.correct_index))
    assert "时间到" in out and "1/10" in out
    assert "已结束" in texts(await answer(core, 1005, quiz.token, quiz.correct_index))


async def test_telegram_poll_ids_map_to_tokens(core: Assistant, clock: ManualClock) -> None:
    clock.set(datetime(2026, 8, 10, 2, 0, tzinfo=UTC))
    quiz = quizzes(await say(core, 1005, "/test"))[0]
    await core.remember_poll("5012345678901234567", quiz.token)
    nxt = quizzes(await answer(core, 1005, "5012345678901234567", quiz.correct_index))
    assert nxt and nxt[0].question.startswith("(2/10)")
    # Someone else answering with the same poll id changes nothing.
    assert not await answer(core, 1006, "5012345678901234567", 0)


async def test_practice_is_not_recorded(core: Assistant, fake_uow: FakeUnitOfWorkFactory) -> None:
    replies = await say(core, 1009, "/quiz")
    quiz = quizzes(replies)[0]
    assert quiz.open_seconds is None
    for _ in range(5):
        replies = await answer(core, 1009, quiz.token, quiz.correct_index)
        if not quizzes(replies):
            break
        quiz = quizzes(replies)[0]
    assert "不记录" in texts(replies) and "5/5" in texts(replies)
    assert all(a.practice and a.score is None for a in this_year(fake_uow))
    assert "陈静" not in texts(await say(core, 1001, "/test scores"))


async def test_the_dispatcher_closes_an_abandoned_test_and_tells_the_result_once(
    core: Assistant, clock: ManualClock, fake_uow: FakeUnitOfWorkFactory
) -> None:
    # 20:50 in Shanghai: the time runs out in quiet hours, when no reminder goes out, but
    # the result answers the person's own test and is sent all the same.
    clock.set(datetime(2026, 8, 10, 12, 50, tzinfo=UTC))
    quiz = quizzes(await say(core, 1005, "/test"))[0]
    quiz = quizzes(await answer(core, 1005, quiz.token, quiz.correct_index))[0]
    quiz = quizzes(await answer(core, 1005, quiz.token, (quiz.correct_index + 1) % 4))[0]
    await say(core, 1009, "/quiz")  # practice has no time limit: never closed
    sender = FakeSender()
    d = make_dispatcher(fake_uow, sender, clock, sources=())
    clock.advance(timedelta(minutes=19))
    assert (await d.dispatch_once()).tests_closed == 0 and not sender.sent
    clock.advance(timedelta(minutes=2))
    report = await d.dispatch_once()
    assert report.quiet and report.tests_closed == 1
    [message] = sender.texts_to(1005)
    assert "20 分钟" in message and "1/10" in message
    [test] = [a for a in this_year(fake_uow) if not a.practice]
    assert test.score == 1 and test.finished_at == datetime(2026, 8, 10, 13, 10, tzinfo=UTC)
    assert [a.finished_at for a in this_year(fake_uow) if a.practice] == [None]
    assert fake_uow.db.audit[-1].action == "quiz.test_finished"
    # Once only: the next passes find nothing, a late answer finds the test finished.
    clock.advance(timedelta(minutes=30))
    assert (await d.dispatch_once()).tests_closed == 0
    assert len(sender.texts_to(1005)) == 1
    assert "已结束" in texts(await answer(core, 1005, quiz.token, quiz.correct_index))
    assert "已参加" in texts(await say(core, 1005, "/test"))


async def test_a_late_answer_closes_the_test_at_its_deadline(
    core: Assistant, clock: ManualClock, fake_uow: FakeUnitOfWorkFactory
) -> None:
    clock.set(datetime(2026, 8, 10, 2, 0, tzinfo=UTC))
    quiz = quizzes(await say(core, 1005, "/test"))[0]
    clock.advance(timedelta(minutes=45))
    assert "时间到" in texts(await answer(core, 1005, quiz.token, quiz.correct_index))
    sender = FakeSender()
    assert (
        await make_dispatcher(fake_uow, sender, clock, sources=()).dispatch_once()
    ).tests_closed == 0
    [test] = this_year(fake_uow)
    assert test.finished_at == datetime(2026, 8, 10, 2, 20, tzinfo=UTC) and test.score == 0
    assert not sender.sent


async def test_an_unfinished_practice_round_is_resumed_within_the_hour(
    core: Assistant, clock: ManualClock, fake_uow: FakeUnitOfWorkFactory
) -> None:
    first = quizzes(await say(core, 1104, "/quiz"))[0]
    await answer(core, 1104, first.token, first.correct_index)
    again = await say(core, 1104, "/quiz")
    assert "第 2 题" in texts(again)
    assert len([a for a in this_year(fake_uow) if a.practice]) == 1  # the same round
    clock.advance(timedelta(hours=2))
    fresh = await say(core, 1104, "/quiz")
    assert "第 2 题" not in texts(fresh) and quizzes(fresh)
    assert len([a for a in this_year(fake_uow) if a.practice]) == 2


async def test_no_extra_attempt_after_the_test_closed_and_supervisors_are_told_why(
    core: Assistant, clock: ManualClock, fake_uow: FakeUnitOfWorkFactory
) -> None:
    clock.set(datetime(2026, 12, 6, 2, 0, tzinfo=UTC))
    closed = texts(await say(core, 1001, "/test allow 陈静"))
    assert "2026-08-31" in closed and "可再参加" not in closed
    assert not any(e.action == "quiz.attempt_allowed" for e in fake_uow.db.audit)
    supervisor = texts(await say(core, 1101, "/test"))
    assert "/test scores" in supervisor


async def test_an_answer_typed_instead_of_tapped(
    core: Assistant, clock: ManualClock, fake_uow: FakeUnitOfWorkFactory
) -> None:
    """B, 选c, ２ or the option's own words answer the open round's current question; a
    letter past the options says how many there are; with no round open, B is not an
    answer (it goes on to the rule base)."""
    quiz = quizzes(await say(core, 1104, "/quiz"))[0]
    letter = "ABCD"[quiz.correct_index]
    right = await say(core, 1104, letter)
    assert "答对了" in texts(right), texts(right)
    quiz = quizzes(right)[0]
    wrong = (quiz.correct_index + 1) % 4
    typed = await say(core, 1104, f"选{'abcd'[wrong]}")
    assert "答错了" in texts(typed)
    quiz = quizzes(typed)[0]
    words = await say(core, 1104, quiz.options[quiz.correct_index])
    assert "答对了" in texts(words)
    quiz = quizzes(words)[0]
    assert texts(await say(core, 1104, "F")) == "该题只有第 1 至 4 个选项。"
    number = await say(core, 1104, "２")  # full-width, as phone keyboards give it
    assert ("答对了" if quiz.correct_index == 1 else "答错了") in texts(number)
    [attempt] = [a for a in this_year(fake_uow) if a.practice]
    assert attempt.answers[:4] == (
        attempt.answers[0],
        wrong,
        attempt.answers[2],
        1,
    )
    clock.advance(timedelta(hours=2))  # the round is no longer open
    late = texts(await say(core, 1104, "B"))
    assert "答对了" not in late and "答错了" not in late


async def test_cancel_stops_a_practice_round_and_answers_said_loosely(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    """D吧 / 选第一个 answer; 取消 stops the round (it said there was nothing to cancel and
    /quiz resumed it), and /quiz then starts a fresh one."""
    first = quizzes(await say(core, 1104, "/quiz"))[0]
    loose = await say(core, 1104, "选第一个")
    assert ("答对了" if first.correct_index == 0 else "答错了") in texts(loose)
    second = quizzes(loose)[0]
    d_answer = await say(core, 1104, "D吧")
    assert ("答对了" if second.correct_index == 3 else "答错了") in texts(d_answer)
    stopped = texts(await say(core, 1104, "取消"))
    assert stopped == "练习已结束，没有记录任何内容。发送 /quiz 可重新开始。"
    [attempt] = [a for a in this_year(fake_uow) if a.practice]
    assert attempt.finished_at is not None
    fresh = await say(core, 1104, "/quiz")
    assert "第 3 题" not in texts(fresh) and quizzes(fresh)
    assert texts(await say(core, 1109, "取消")) == "没有需要取消的内容。"
