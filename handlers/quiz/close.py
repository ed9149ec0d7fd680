"""Closing timed tests nobody finished: the dispatcher loop scores them when time is up.

A cadre who starts the closed-book test and walks away would otherwise keep an open
attempt until his next action. The reminder dispatcher (bot/scheduler/dispatcher.py) calls
:func:`close_expired_tests` on every pass: each attempt past its deadline is scored on the
answers given (unanswered questions count as wrong), recorded as finished at its deadline,
and the person is told the result once. Closing is a conditional update, so when the
person's late answer and the dispatcher race, exactly one of them closes the test and
speaks. The result goes out at any hour: it answers the person's own action minutes ago,
it is not a reminder. It carries the per-question review the test withheld while it ran
(handlers/quiz/feedback.py), without the reading list: the dispatcher has no rule base.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from handlers.core.domain import AuditEntry
from handlers.core.i18n import translator
from handlers.core.ports import UnitOfWork
from handlers.core.types import TextReply
from handlers.quiz.commands import finished, summary
from handlers.quiz.feedback import reading, review
from handlers.quiz.ports import quiz_of

#: Attempts closed per pass (the next pass takes the rest).
BATCH = 200


@dataclass(frozen=True)
class ClosedTest:
    """A test closed for running out of time, and what to tell its person (None: no chat)."""

    attempt_id: int
    person_id: int
    score: int
    chat_id: int | None
    reply: TextReply | None


async def close_expired_tests(
    uow: UnitOfWork, now: datetime, limit: int = BATCH
) -> list[ClosedTest]:
    """Close every timed attempt whose deadline passed before ``now``; the caller commits,
    then sends the replies."""
    out: list[ClosedTest] = []
    for attempt in await quiz_of(uow).expired(now, limit):
        done = finished(attempt, attempt.deadline_at or now)
        if not await quiz_of(uow).finish(done):
            continue  # the person's own answer closed it meanwhile
        score = done.score or 0
        person = await uow.people.get(attempt.person_id)
        await uow.audit.append(
            AuditEntry(
                action="quiz.test_finished",
                actor_id=None,  # the dispatcher, not a person
                chat_id=None,
                object_type="quiz_attempt",
                object_id=str(attempt.id),
                unit_id=person.unit_id if person else None,
                details={"score": score, "timed_out": True},
                at=now,
            )
        )
        chat = person.telegram_user_id if person else None
        if person is None or chat is None or person.chat_blocked or not person.active:
            out.append(ClosedTest(attempt.id, attempt.person_id, score, None, None))
            continue
        t = translator(person.language)
        deadline = attempt.deadline_at or now
        head = t._(
            "⏱ Your closed-book test has ended: the {minutes} minutes are up. Your score: {score} of {total} (questions not answered count as wrong).",
            minutes=round((deadline - attempt.started_at).total_seconds() / 60),
            score=score,
            total=len(attempt.question_ids),
        )
        text = summary(head, review(t, attempt), reading(t, None, attempt))
        out.append(ClosedTest(attempt.id, person.id, score, chat, TextReply(text, chat_id=chat)))
    return out
