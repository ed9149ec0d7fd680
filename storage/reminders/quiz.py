"""The education month's closed-book test: attempts in ``quiz_attempts``, extra attempts
allowed in ``quiz_allowances`` and Telegram poll ids in ``quiz_polls``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update

from handlers.quiz.domain import QuizAttempt
from storage.core.models import PersonRow, UnitRow
from storage.core.sql import SqlRepository, built, dialect_insert, in_subtrees, rowcount
from storage.reminders.models import QuizAllowanceRow, QuizAttemptRow, QuizPollRow

#: The columns an attempt starts with, besides its questions and answers (JSON lists).
_START = "person_id year practice started_at deadline_at"


def _attempt(row: QuizAttemptRow) -> QuizAttempt:
    lists = {"question_ids": tuple(row.question_ids or ()), "answers": tuple(row.answers or ())}
    return built(QuizAttempt, row, f"id {_START} finished_at score", **lists)


def _outcome(attempt: QuizAttempt) -> dict[str, Any]:
    """The columns an attempt's answers, finish time and score are kept in."""
    return {
        "answers": list(attempt.answers),
        "finished_at": attempt.finished_at,
        "score": attempt.score,
    }


class SqlQuizRepository(SqlRepository):
    """Quiz attempts, allowances and poll ids."""

    async def start(self, attempt: QuizAttempt) -> QuizAttempt:
        """Insert an attempt."""
        lists = {"question_ids": list(attempt.question_ids), "answers": list(attempt.answers)}
        row = built(QuizAttemptRow, attempt, _START, **lists)
        return _attempt(await self._insert(row))

    async def get(self, attempt_id: int) -> QuizAttempt | None:
        """One attempt."""
        return await self._one(QuizAttemptRow, attempt_id, _attempt)

    async def save(self, attempt: QuizAttempt) -> None:
        """Update answers, finish time and score."""
        await self.s.execute(
            update(QuizAttemptRow)
            .where(QuizAttemptRow.id == attempt.id)
            .values(**_outcome(attempt))
            .execution_options(synchronize_session=False)
        )

    async def finish(self, attempt: QuizAttempt) -> bool:
        """Conditional update: only an open attempt is finished."""
        result = await self.s.execute(
            update(QuizAttemptRow)
            .where(QuizAttemptRow.id == attempt.id, QuizAttemptRow.finished_at.is_(None))
            .values(**_outcome(attempt))
            .execution_options(synchronize_session=False)
        )
        return bool(rowcount(result))

    async def expired(self, now: datetime, limit: int) -> list[QuizAttempt]:
        """Open timed attempts past their deadline, locked (SKIP LOCKED on PostgreSQL)."""
        rows = await self.s.scalars(
            select(QuizAttemptRow)
            .where(
                QuizAttemptRow.finished_at.is_(None),
                QuizAttemptRow.deadline_at.is_not(None),
                QuizAttemptRow.deadline_at < now,
            )
            .order_by(QuizAttemptRow.deadline_at, QuizAttemptRow.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return [_attempt(r) for r in rows]

    async def attempts(self, person_id: int, year: int, practice: bool) -> list[QuizAttempt]:
        """Attempts of a person in a year."""
        a = QuizAttemptRow
        mine = (a.person_id == person_id, a.year == year, a.practice.is_(practice))
        return await self._all(select(a).where(*mine).order_by(a.id), _attempt)

    async def allowance(self, person_id: int, year: int) -> int:
        """Extra attempts allowed."""
        row = await self.s.get(QuizAllowanceRow, (person_id, year))
        return row.extra if row else 0

    async def allow_more(self, person_id: int, year: int, by: int) -> int:
        """One more attempt."""
        row = await self.s.get(QuizAllowanceRow, (person_id, year))
        if row is None:
            row = QuizAllowanceRow(person_id=person_id, year=year, extra=0)
            self.s.add(row)
        row.extra += 1
        row.updated_by = by
        await self.s.flush()
        return row.extra

    async def remember_poll(self, poll_id: str, token: str, at: datetime) -> None:
        """Store poll id → token (a resent poll id keeps its first token)."""
        stmt = (
            dialect_insert(self.s)(QuizPollRow.__table__)
            .values(poll_id=poll_id, token=token, created_at=at)
            .on_conflict_do_nothing(index_elements=["poll_id"])
        )
        await self.s.execute(stmt)

    async def token_for(self, poll_id: str) -> str | None:
        """Token of a poll."""
        return await self.s.scalar(select(QuizPollRow.token).where(QuizPollRow.poll_id == poll_id))

    async def scores(self, paths: Sequence[str], year: int) -> list[tuple[int, str, int, int]]:
        """Best score and number of finished scored attempts per person in the subtrees."""
        stmt = (
            select(
                PersonRow.id,
                PersonRow.name,
                func.max(QuizAttemptRow.score),
                func.count(QuizAttemptRow.id),
            )
            .join(QuizAttemptRow, QuizAttemptRow.person_id == PersonRow.id)
            .join(UnitRow, UnitRow.id == PersonRow.unit_id)
            .where(
                in_subtrees(UnitRow.path, paths),
                QuizAttemptRow.year == year,
                QuizAttemptRow.practice.is_(False),
                QuizAttemptRow.finished_at.is_not(None),
            )
            .group_by(PersonRow.id, PersonRow.name, UnitRow.path)
            .order_by(UnitRow.path, PersonRow.id)
        )
        return [
            (int(a), str(b), int(c or 0), int(d))
            for a, b, c, d in (await self.s.execute(stmt)).all()
        ]
