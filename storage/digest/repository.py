"""SQL repository of the summary digest subscriptions. It never commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select, update

from handlers.core.domain import Role
from handlers.reminders.domain import DigestFrequency, DigestSubscription
from storage.core.models import PersonRow, RoleGrantRow
from storage.core.sql import SqlRepository, dialect_insert
from storage.digest.models import DigestSubscriptionRow

S = DigestSubscriptionRow


class SqlDigestRepository(SqlRepository):
    """Digest subscriptions: one row per subscribed person."""

    async def get(self, person_id: int) -> DigestSubscription | None:
        """The person's subscription."""
        # Plain columns, not the ORM object: choose() updates rows without the identity map.
        row = (
            await self.s.execute(select(S.frequency, S.since).where(S.person_id == person_id))
        ).first()
        return (
            DigestSubscription(person_id, DigestFrequency(row.frequency), row.since)
            if row
            else None
        )

    async def choose(
        self, person_id: int, frequency: DigestFrequency | None, now: datetime
    ) -> DigestSubscription | None:
        """Upsert or delete the person's row; the same frequency again keeps ``since``."""
        if frequency is None:
            await self.s.execute(delete(S).where(S.person_id == person_id))
            return None
        # INSERT … ON CONFLICT DO NOTHING, then switch an existing row: two presses at once
        # (two instances) cannot both insert, and the second one changes nothing.
        await self.s.execute(
            dialect_insert(self.s)(S.__table__)
            .values(person_id=person_id, frequency=frequency.value, since=now, updated_at=now)
            .on_conflict_do_nothing(index_elements=["person_id"])
        )
        await self.s.execute(
            update(S)
            .where(S.person_id == person_id, S.frequency != frequency.value)
            .values(frequency=frequency.value, since=now, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        chosen = await self.get(person_id)
        assert chosen is not None
        return chosen

    async def subscribers(
        self, frequency: DigestFrequency, before: datetime, roles: Sequence[Role]
    ) -> list[int]:
        """Active role holders subscribed to ``frequency`` since before ``before``."""
        stmt = (
            select(S.person_id)
            .join(PersonRow, PersonRow.id == S.person_id)
            .where(
                S.frequency == frequency.value,
                S.since < before,
                PersonRow.active.is_(True),
                S.person_id.in_(
                    select(RoleGrantRow.person_id).where(
                        RoleGrantRow.role.in_([r.value for r in roles])
                    )
                ),
            )
            .order_by(S.person_id)
        )
        return list(await self.s.scalars(stmt))
