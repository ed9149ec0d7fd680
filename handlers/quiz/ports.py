"""Storage interface of the closed-book test (storage/reminders/quiz.py implements it)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from handlers.core.ports import Capability
from handlers.quiz.domain import QuizAttempt


class QuizRepository(Protocol):
    """Quiz attempts, extra attempts allowed by administrators, and sent polls."""

    async def start(self, attempt: QuizAttempt) -> QuizAttempt:
        """Store a new attempt (its id is assigned)."""
        ...

    async def get(self, attempt_id: int) -> QuizAttempt | None:
        """One attempt."""
        ...

    async def save(self, attempt: QuizAttempt) -> None:
        """Store the attempt's answers, finish time and score."""
        ...

    async def finish(self, attempt: QuizAttempt) -> bool:
        """Store answers, finish time and score only if the attempt is still open; True when
        it was (so of two closers, a person's answer and the dispatcher, one wins)."""
        ...

    async def expired(self, now: datetime, limit: int) -> list[QuizAttempt]:
        """Unfinished timed attempts whose deadline has passed, locked for this transaction
        (other dispatchers skip them)."""
        ...

    async def attempts(self, person_id: int, year: int, practice: bool) -> list[QuizAttempt]:
        """The person's attempts of ``year``, oldest first."""
        ...

    async def allowance(self, person_id: int, year: int) -> int:
        """Extra scored attempts an administrator allowed."""
        ...

    async def allow_more(self, person_id: int, year: int, by: int) -> int:
        """Allow one more attempt; returns the new allowance."""
        ...

    async def remember_poll(self, poll_id: str, token: str, at: datetime) -> None:
        """Map a Telegram poll id to the quiz token it carries."""
        ...

    async def token_for(self, poll_id: str) -> str | None:
        """The token of a poll sent earlier, or None."""
        ...

    async def scores(self, paths: Sequence[str], year: int) -> list[tuple[int, str, int, int]]:
        """(person id, name, best score, finished attempts) of scored tests in the subtrees."""
        ...


#: Quiz attempts, allowances and sent polls, on a unit of work.
quiz_of: Capability[QuizRepository] = Capability("quiz")
