"""SQL repository of the summary digest subscriptions. It never commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.domain import Role
from handlers.domain_reminders import DigestFrequency, DigestSubscription
from storage.models import PersonRow, RoleGrantRow
from storage.models_digest import DigestSubscriptionRow

S = DigestSubscriptionRow


def _subscription(row: DigestSubscriptionRow) -> DigestSubscription:
    return DigestSubscription(row.person_id, DigestFrequency(row.frequency), row.since)


class SqlDigestRepository:
    """Digest subscriptions: one row per subscribed person."""

    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def get(self, person_id: int) -> DigestSubscription | None:
        """The person's subscription."""
        row = await self.s.get(S, person_id)
        return _subscription(row) if row else None

    async def choose(
        self, person_id: int, frequency: DigestFrequency | None, now: datetime
    ) -> DigestSubscription | None:
        """Upsert or delete the person's row; the same frequency again keeps ``since``."""
        if frequency is None:
            await self.s.execute(delete(S).where(S.person_id == person_id))
            return None
        # The row is locked for the update, so two presses at once cannot both insert it.
        row = await self.s.scalar(select(S).where(S.person_id == person_id).with_for_update())
        if row is None:
            row = S(person_id=person_id, frequency=frequency.value, since=now, updated_at=now)
            self.s.add(row)
        elif row.frequency != frequency.value:
            row.frequency, row.since, row.updated_at = frequency.value, now, now
        await self.s.flush()
        return _subscription(row)

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
