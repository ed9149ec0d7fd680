"""What the parts of the reminder repository share: the occurrence and delivery tables,
rows to domain values, the delivery view statement and the per-delivery UPDATE."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from handlers.reminders.domain import (
    AckStatus,
    DeliveryStatus,
    DeliveryView,
    Occurrence,
    OccurrenceKind,
    Series,
)
from storage.core.models import PersonRow
from storage.core.sql import SqlRepository, built
from storage.reminders.models import ReminderDeliveryRow, ReminderOccurrenceRow

D = ReminderDeliveryRow
O = ReminderOccurrenceRow  # noqa: E741

#: Rows per multi-row INSERT or per ``IN`` list (keeps statements well under driver limits).
CHUNK = 5000


def occurrence_of(row: ReminderOccurrenceRow) -> Occurrence:
    """The domain occurrence of a row."""
    kind, params = OccurrenceKind(row.kind), dict(row.params or {})
    return built(Occurrence, row, "id key topic due_at escalate_at", kind=kind, params=params)


def _like(text: str) -> str:
    """``text`` as a literal LIKE pattern (escape character ``\\``)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def in_series(occurrence: Any, series: Series) -> Any:
    """The occurrence's key belongs to ``series`` (prefix, any lead or phase, suffix)."""
    return occurrence.key.like(f"{_like(series.prefix)}%{_like(series.suffix)}", escape="\\")


def view_of(d: ReminderDeliveryRow, o: ReminderOccurrenceRow, p: PersonRow) -> DeliveryView:
    """The domain view of a row of :data:`VIEW`."""
    return DeliveryView(
        id=d.id,
        occurrence=occurrence_of(o),
        person_id=d.person_id,
        person_name=p.name,
        unit_id=p.unit_id,
        status=DeliveryStatus(d.status),
        due_at=d.due_at,
        sent_at=d.sent_at,
        ack=AckStatus(d.ack_status),
        ack_at=d.ack_at,
        sends=d.sends,
    )


#: Deliveries with their occurrence and person (see :func:`view_of`).
VIEW = (
    select(D, O, PersonRow)
    .join(O, O.id == D.occurrence_id)
    .join(PersonRow, PersonRow.id == D.person_id)
)


class DeliveryTables(SqlRepository):
    """The base of the reminder repository's parts."""

    async def _set(self, delivery_id: int, **values: Any) -> None:
        """Update columns of one delivery (rows of this session are not synchronised)."""
        await self.s.execute(
            update(D)
            .where(D.id == delivery_id)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
