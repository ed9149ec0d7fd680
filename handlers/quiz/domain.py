"""Domain types of the education month's closed-book test."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class QuizAttempt:
    """One run through the quiz: a timed test (scored) or practice (not scored)."""

    id: int
    person_id: int
    year: int
    practice: bool
    question_ids: tuple[str, ...]
    answers: tuple[int | None, ...]
    started_at: datetime
    deadline_at: datetime | None
    finished_at: datetime | None = None
    score: int | None = None

    @property
    def next_index(self) -> int | None:
        """Index of the first unanswered question, or None when all are answered."""
        for i, a in enumerate(self.answers):
            if a is None:
                return i
        return None
