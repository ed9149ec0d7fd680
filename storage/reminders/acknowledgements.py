"""Acknowledging reminders and the views on them: a person's reminders, the reminders of
a subtree, and who has still to acknowledge a series."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, select, update
from sqlalchemy.orm import aliased

from handlers.reminders.domain import (
    ACKNOWLEDGEABLE_KINDS,
    AckStatus,
    DeliveryStatus,
    DeliveryView,
    OccurrenceKind,
    Series,
)
from storage.core.models import PersonRow, UnitRow
from storage.core.sql import in_subtrees
from storage.reminders.deliveries import VIEW, D, DeliveryTables, O, in_series, view_of
from storage.reminders.models import ReminderDeliveryRow, ReminderOccurrenceRow


def _unacknowledged(series: Series) -> Any:
    """Conditions on D/O: a sent round of ``series``, not acknowledged, still relevant,
    to someone who acknowledged no round of it."""
    d2, o2 = aliased(ReminderDeliveryRow), aliased(ReminderOccurrenceRow)
    acked = (
        select(d2.person_id)
        .join(o2, o2.id == d2.occurrence_id)
        .where(in_series(o2, series), d2.ack_status != AckStatus.NONE.value)
    )
    return and_(
        in_series(O, series),
        D.sends > 0,
        D.ack_status == AckStatus.NONE.value,
        D.status != DeliveryStatus.CANCELLED.value,
        D.person_id.not_in(acked),
    )


class Acknowledgements(DeliveryTables):
    """The acknowledgement part of :class:`storage.reminders.repository.SqlReminderRepository`."""

    async def delivery(self, delivery_id: int) -> DeliveryView | None:
        """One delivery."""
        row = (await self.s.execute(VIEW.where(D.id == delivery_id))).first()
        return view_of(*row) if row else None

    async def acknowledge(
        self, delivery_id: int, ack: AckStatus, at: datetime, snooze_until: datetime | None
    ) -> None:
        """Store the answer; a pending repeat is dropped unless snoozed."""
        values: dict[str, Any] = {"ack_status": ack.value, "ack_at": at}
        if snooze_until is not None:
            values.update(status=DeliveryStatus.PENDING.value, due_at=snooze_until)
        await self._set(delivery_id, **values)
        if snooze_until is None:
            await self.s.execute(
                update(D)
                .where(D.id == delivery_id, D.status == DeliveryStatus.PENDING.value, D.sends > 0)
                .values(status=DeliveryStatus.SENT.value)
                .execution_options(synchronize_session=False)
            )

    async def for_person(self, person_id: int, since: datetime) -> list[DeliveryView]:
        """The person's reminders due since ``since``."""
        stmt = (
            VIEW.where(
                D.person_id == person_id,
                D.due_at >= since,
                O.kind != OccurrenceKind.ESCALATION.value,
            )
            .order_by(D.due_at, D.id)
            .limit(200)
        )
        return [view_of(*r) for r in (await self.s.execute(stmt)).all()]

    async def in_units(self, paths: Sequence[str], since: datetime) -> list[DeliveryView]:
        """Acknowledgeable reminders of people in the subtrees sent since ``since``."""
        stmt = (
            VIEW.join(UnitRow, UnitRow.id == PersonRow.unit_id)
            .where(
                in_subtrees(UnitRow.path, paths),
                O.due_at >= since,
                D.sends > 0,
                D.status != DeliveryStatus.CANCELLED.value,
                O.kind.in_([k.value for k in ACKNOWLEDGEABLE_KINDS]),
            )
            .order_by(O.due_at, O.id, UnitRow.path, PersonRow.id)
            .limit(2000)
        )
        return [view_of(*r) for r in (await self.s.execute(stmt)).all()]

    async def unacknowledged_units(self, series: Series) -> list[int]:
        """Distinct units of the people still to acknowledge."""
        stmt = (
            select(PersonRow.unit_id)
            .join(D, D.person_id == PersonRow.id)
            .join(O, O.id == D.occurrence_id)
            .where(_unacknowledged(series))
            .distinct()
        )
        return sorted(int(u) for u in await self.s.scalars(stmt))

    async def unacknowledged(self, series: Series, paths: Sequence[str]) -> list[DeliveryView]:
        """The people in the subtrees still to acknowledge, one row each, by unit."""
        stmt = (
            VIEW.join(UnitRow, UnitRow.id == PersonRow.unit_id)
            .where(_unacknowledged(series), in_subtrees(UnitRow.path, paths))
            .order_by(UnitRow.path, PersonRow.id, D.id)
        )
        out: dict[int, DeliveryView] = {}
        for row in (await self.s.execute(stmt)).all():
            view = view_of(*row)
            out.setdefault(view.person_id, view)
        return list(out.values())
