"""Questions asked in the chat (``questions``, encrypted) and, once purged, their monthly
counts (``question_counts``)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import cast

from sqlalchemy import Table, delete, insert, or_, select, update

from handlers.core.domain import GAP_SCAN_LIMIT, AskedQuestion, QuestionCount, group_gaps
from storage.core.models import QuestionCountRow, QuestionRow
from storage.core.sql import SqlRepository, rowcount

_INSERT_QUESTION = insert(cast(Table, QuestionRow.__table__))


class SqlQuestionLog(SqlRepository):
    """Questions and answer feedback."""

    async def record(self, question: AskedQuestion, at: datetime) -> int:
        """Insert a question row and return its id."""
        row = {"at": at, **asdict(question), "helpful": None, "escalated": False}
        result = await self.s.execute(_INSERT_QUESTION, row)
        return int(result.inserted_primary_key[0])  # type: ignore[attr-defined]

    async def feedback(self, question_id: int, person_id: int, helpful: bool) -> bool:
        """Record 👍/👎 on one's own question."""
        result = await self.s.execute(
            update(QuestionRow)
            .where(QuestionRow.id == question_id, QuestionRow.person_id == person_id)
            .values(helpful=helpful)
        )
        return rowcount(result) == 1

    async def escalate(self, question_id: int, person_id: int) -> str | None:
        """Mark one's own question as passed to staff and return its text."""
        row = await self.s.get(QuestionRow, question_id)
        if row is None or row.person_id != person_id or row.escalated:
            return None  # not theirs, or already passed on (a second press sends nothing)
        row.escalated = True
        await self.s.flush()
        return row.query

    async def latest_open(self, person_id: int, since: datetime) -> tuple[int, str] | None:
        """The person's latest question since ``since`` not yet passed to staff."""
        stmt = (
            select(QuestionRow.id, QuestionRow.escalated, QuestionRow.query)
            .where(QuestionRow.person_id == person_id, QuestionRow.at >= since)
            .order_by(QuestionRow.at.desc(), QuestionRow.id.desc())
            .limit(1)
        )
        row = (await self.s.execute(stmt)).first()
        # Only the very latest counts: an older question is not what 转人工 refers to.
        return (int(row[0]), str(row[2])) if row is not None and not row[1] else None

    async def gaps(self, limit: int) -> list[tuple[str, int]]:
        """Most frequent declined or 👎 questions still on file.

        The texts are encrypted with a random nonce, so equal questions differ in the
        database: they are grouped here, after decryption, on a normalised form.
        """
        stmt = (
            select(QuestionRow.query)
            .where(or_(QuestionRow.status == "none", QuestionRow.helpful.is_(False)))
            .order_by(QuestionRow.at.desc())
            .limit(GAP_SCAN_LIMIT)
        )
        return group_gaps((await self.s.scalars(stmt)).all(), limit)

    async def purge(self, before: datetime) -> int:
        """Fold questions asked before ``before`` into monthly counts and delete them."""
        stmt = select(
            QuestionRow.at, QuestionRow.status, QuestionRow.entry_id,
            QuestionRow.helpful, QuestionRow.escalated,
        ).where(QuestionRow.at < before)  # fmt: skip
        tally: dict[tuple[str, str, str], list[int]] = {}
        deleted = 0
        for at, status, entry_id, helpful, was_escalated in (await self.s.execute(stmt)).all():
            counts = tally.setdefault((f"{at:%Y-%m}", status, entry_id or ""), [0, 0, 0])
            counts[0] += 1
            counts[1] += int(helpful is False)
            counts[2] += int(bool(was_escalated))
            deleted += 1
        for key, (asked, unhelpful, escalated) in tally.items():
            row = await self.s.get(QuestionCountRow, key)
            if row is None:
                month, status, entry_id = key
                row = QuestionCountRow(month=month, status=status, entry_id=entry_id,
                                       asked=0, unhelpful=0, escalated=0)  # fmt: skip
                self.s.add(row)
            row.asked += asked
            row.unhelpful += unhelpful
            row.escalated += escalated
        if deleted:
            await self.s.execute(delete(QuestionRow).where(QuestionRow.at < before))
            await self.s.flush()
        return deleted

    async def archived(self) -> list[QuestionCount]:
        """The counts kept of purged questions, newest month first."""
        stmt = select(QuestionCountRow).order_by(
            QuestionCountRow.month.desc(), QuestionCountRow.status, QuestionCountRow.entry_id
        )
        return [
            QuestionCount(r.month, r.status, r.entry_id, r.asked, r.unhelpful, r.escalated)
            for r in (await self.s.scalars(stmt)).all()
        ]
