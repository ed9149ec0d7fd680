"""Dispatching reminders: claiming due deliveries under a lease, recording each outcome,
and claiming the escalations that fall due.

Claiming uses ``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL so several dispatchers
share the work without sending anything twice; SQLite ignores the clause (one process).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select, update

from handlers.reminders.domain import AckStatus, ClaimedDelivery, DeliveryStatus, Occurrence
from storage.core.models import PersonRow
from storage.reminders.deliveries import VIEW, D, DeliveryTables, O, occurrence_of


class Dispatching(DeliveryTables):
    """The dispatching part of :class:`storage.reminders.repository.SqlReminderRepository`."""

    async def claim(
        self, now: datetime, lease_until: datetime, limit: int
    ) -> list[ClaimedDelivery]:
        """Lock due rows (skipping rows other dispatchers hold), mark them sending."""
        due = or_(
            and_(D.status == DeliveryStatus.PENDING.value, D.due_at <= now),
            and_(D.status == DeliveryStatus.SENDING.value, D.lease_until < now),
        )
        ids = list(
            await self.s.scalars(
                select(D.id)
                .where(due)
                .order_by(D.due_at, D.id)
                .limit(limit)
                .with_for_update(skip_locked=True)
            )
        )
        if not ids:
            return []
        await self.s.execute(
            update(D)
            .where(D.id.in_(ids))
            .values(
                status=DeliveryStatus.SENDING.value,
                lease_until=lease_until,
                attempts=D.attempts + 1,
            )
            .execution_options(synchronize_session=False)
        )
        rows = (await self.s.execute(VIEW.where(D.id.in_(ids)).order_by(D.due_at, D.id))).all()
        return [
            ClaimedDelivery(
                id=d.id,
                occurrence=occurrence_of(o),
                person_id=p.id,
                person_name=p.name,
                unit_id=p.unit_id,
                telegram_user_id=p.telegram_user_id,
                language=p.language,
                chat_blocked=p.chat_blocked or not p.active,
                due_at=d.due_at,
                sends=d.sends,
                attempts=d.attempts,
                ack=AckStatus(d.ack_status),
            )
            for d, o, p in rows
        ]

    async def mark_sent(self, delivery_id: int, at: datetime, repeat_at: datetime | None) -> None:
        """Sent; pending again for a repeat when ``repeat_at`` is given."""
        status = DeliveryStatus.PENDING if repeat_at is not None else DeliveryStatus.SENT
        values: dict[str, Any] = {
            "status": status.value,
            "sent_at": at,
            "sends": D.sends + 1,
            "lease_until": None,
        }
        if repeat_at is not None:
            values["due_at"] = repeat_at
        await self._set(delivery_id, **values)

    async def mark_missed(self, delivery_id: int, at: datetime) -> None:
        """Missed during downtime."""
        await self._set(delivery_id, status=DeliveryStatus.MISSED.value, lease_until=None)

    async def mark_failed(self, delivery_id: int, at: datetime, reason: str) -> None:
        """Permanent failure."""
        await self._set(
            delivery_id, status=DeliveryStatus.FAILED.value, lease_until=None, error=reason[:200]
        )

    async def mark_cancelled(self, delivery_id: int, at: datetime, reason: str) -> None:
        """No longer relevant: not sent, never retried."""
        await self._set(
            delivery_id,
            status=DeliveryStatus.CANCELLED.value,
            lease_until=None,
            error=reason[:200],
        )

    async def release(self, delivery_id: int, due_at: datetime) -> None:
        """Back to pending for a later retry."""
        await self._set(
            delivery_id, status=DeliveryStatus.PENDING.value, lease_until=None, due_at=due_at
        )

    async def block_chat(self, person_id: int) -> None:
        """Set people.chat_blocked (Telegram refused the chat; people.unblock_chat clears it
        when the person writes again)."""
        await self.s.execute(
            update(PersonRow).where(PersonRow.id == person_id).values(chat_blocked=True)
        )

    async def claim_escalations(self, now: datetime, limit: int) -> list[Occurrence]:
        """Take occurrences whose escalation time has come (each exactly once)."""
        rows = list(
            await self.s.scalars(
                select(O)
                .where(O.escalate_at <= now, O.escalated_at.is_(None))
                .order_by(O.escalate_at, O.id)
                .limit(limit)
                .with_for_update(skip_locked=True)
            )
        )
        if rows:
            await self.s.execute(
                update(O)
                .where(O.id.in_([r.id for r in rows]))
                .values(escalated_at=now)
                .execution_options(synchronize_session=False)
            )
        return [occurrence_of(r) for r in rows]
