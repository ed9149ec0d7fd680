"""Demo education-month test results: the last August's closed-book test taken by some of
华龙区's cadres (not by all, so participation is below 100%), so ``/test scores``, the
summaries' test participation and the review of a finished test have something to show;
and a practice round 1104 马丽娟 is in the middle of (``/quiz`` goes on with question 3).

Who to try: 1103 孙伟 (unit principal: ``/test scores``), 1101 吴刚 (supervisor: ``/summary``
shows participation), 1104 马丽娟 (took the test; ``/quiz`` resumes her practice round).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from handlers.core.ports import UnitOfWork
from handlers.quiz.domain import QuizAttempt
from handlers.quiz.ports import quiz_of
from knowledge.quiz import quiz_bank

TIMEZONE = ZoneInfo("Asia/Shanghai")
#: (telegram id, questions answered right out of 10); 1110 高峰 did not take the test.
SCORES = ((1103, 10), (1104, 9), (1108, 7), (1109, 6))
QUESTIONS = 10


def _test_year(now: datetime) -> int:
    """The year of the last education month that is over (this year's from September)."""
    today = now.astimezone(TIMEZONE).date()
    return today.year if today >= date(today.year, 9, 1) else today.year - 1


async def seed_quiz(uow: UnitOfWork, now: datetime) -> None:
    """Add finished, scored test attempts of the last education month, and a practice round
    in progress."""
    await _running_practice(uow, now)
    year = _test_year(now)
    bank = list(quiz_bank().values())
    for n, (telegram_id, right) in enumerate(SCORES):
        person = await uow.people.by_telegram_id(telegram_id)
        if person is None:
            continue
        # A different set of questions for each person, deterministically.
        questions = [bank[(n * 7 + i * 3) % len(bank)] for i in range(QUESTIONS)]
        answers = tuple(
            q.correct if i < right else (q.correct + 1) % len(q.options)
            for i, q in enumerate(questions)
        )
        started = datetime.combine(date(year, 8, 10 + n), time(9, 30), TIMEZONE).astimezone(UTC)
        attempt = await quiz_of(uow).start(
            QuizAttempt(
                id=0,
                person_id=person.id,
                year=year,
                practice=False,
                question_ids=tuple(q.id for q in questions),
                answers=(None,) * QUESTIONS,
                started_at=started,
                deadline_at=started + timedelta(minutes=20),
            )
        )
        finished = QuizAttempt(
            id=attempt.id,
            person_id=person.id,
            year=year,
            practice=False,
            question_ids=attempt.question_ids,
            answers=answers,
            started_at=started,
            deadline_at=attempt.deadline_at,
            finished_at=started + timedelta(minutes=12),
            score=right,
        )
        await quiz_of(uow).finish(finished)


async def _running_practice(uow: UnitOfWork, now: datetime) -> None:
    """1104 马丽娟 answered two of five practice questions a few minutes ago."""
    person = await uow.people.by_telegram_id(1104)
    if person is None:
        return
    bank = list(quiz_bank().values())
    questions = [bank[(i * 11 + 5) % len(bank)] for i in range(5)]
    first, second = questions[0], questions[1]
    await quiz_of(uow).start(
        QuizAttempt(
            id=0,
            person_id=person.id,
            year=now.astimezone(TIMEZONE).year,
            practice=True,
            question_ids=tuple(q.id for q in questions),
            answers=(first.correct, (second.correct + 1) % len(second.options), None, None, None),
            started_at=now - timedelta(minutes=5),
            deadline_at=None,
        )
    )
