"""Planning reminders: occurrences (one per event lead time, deadline, digest …) and their
deliveries (one per recipient), written idempotently, and cancelling what no longer
applies."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, and_, literal, or_, select, update

from handlers.core.domain import Role
from handlers.reminders.domain import (
    AckStatus,
    DeliveryStatus,
    Occurrence,
    OccurrenceSpec,
    Planned,
)
from storage.core.models import PersonRow, RoleGrantRow, UTCDateTime
from storage.core.sql import dialect_insert, rowcount, values_of
from storage.reminders.deliveries import CHUNK, D, DeliveryTables, O, occurrence_of

#: The columns of a new delivery, as :meth:`Planning.add_deliveries` writes them.
_NEW_DELIVERY: dict[str, Any] = {
    "status": DeliveryStatus.PENDING.value,
    "lease_until": None,
    "attempts": 0,
    "sends": 0,
    "sent_at": None,
    "ack_status": AckStatus.NONE.value,
    "ack_at": None,
    "error": "",
}


#: The columns of an occurrence a planner gives (an Occurrence's id is the database's).
_SPEC = [f.name for f in fields(OccurrenceSpec)]


def _holders(roles: Sequence[Role], section_level_only: bool) -> list[ColumnElement[bool]]:
    """Conditions on ``people``: active holders of any of ``roles`` (section-level cadres
    only when asked)."""
    conds: list[ColumnElement[bool]] = [
        PersonRow.active.is_(True),
        PersonRow.id.in_(
            select(RoleGrantRow.person_id).where(RoleGrantRow.role.in_([r.value for r in roles]))
        ),
    ]
    if section_level_only:
        conds.append(PersonRow.section_level.is_(True))
    return conds


class Planning(DeliveryTables):
    """The planning part of :class:`storage.reminders.repository.SqlReminderRepository`."""

    async def ensure_occurrence(self, spec: OccurrenceSpec, now: datetime) -> Occurrence:
        """Insert-if-missing by key, then read it back (another planner may have won)."""
        stmt = (
            dialect_insert(self.s)(O.__table__)
            .values(values_of(spec, _SPEC) | {"kind": spec.kind.value, "created_at": now})
            .on_conflict_do_nothing(index_elements=["key"])
        )
        await self.s.execute(stmt)
        row = await self.s.scalar(select(O).where(O.key == spec.key))
        assert row is not None
        return occurrence_of(row)

    async def occurrence(self, occurrence_id: int) -> Occurrence | None:
        """One occurrence."""
        return await self._one(O, occurrence_id, occurrence_of)

    async def add_deliveries(
        self, occurrence_id: int, person_ids: Sequence[int], due_at: datetime
    ) -> int:
        """Multi-row INSERT … ON CONFLICT DO NOTHING on (occurrence, person); then an
        UPDATE revives those the planner itself cancelled (see the port)."""
        # executemany of one cached statement: SQLAlchemy batches it into multi-row
        # INSERTs ("insertmanyvalues"); RETURNING counts only the rows really inserted.
        stmt = (
            dialect_insert(self.s)(D.__table__)
            .on_conflict_do_nothing(index_elements=["occurrence_id", "person_id"])
            .returning(D.__table__.c.id)
        )
        added = 0
        ids = list(dict.fromkeys(person_ids))
        for start in range(0, len(ids), CHUNK):
            rows = [
                {
                    "occurrence_id": occurrence_id,
                    "person_id": pid,
                    "due_at": due_at,
                    **_NEW_DELIVERY,
                }
                for pid in ids[start : start + CHUNK]
            ]
            added += len((await self.s.execute(stmt, rows)).all())
            revived = await self.s.execute(
                update(D)
                .where(
                    D.occurrence_id == occurrence_id,
                    D.person_id.in_(ids[start : start + CHUNK]),
                    D.status == DeliveryStatus.CANCELLED.value,
                    D.error == "",  # cancelled as stale by the planner, not by a send
                    D.ack_status == AckStatus.NONE.value,
                )
                .values(status=DeliveryStatus.PENDING.value, due_at=due_at, lease_until=None)
                .execution_options(synchronize_session=False)
            )
            added += rowcount(revived)
        return added

    async def add_audience_deliveries(
        self, occurrence_id: int, roles: Sequence[Role], section_level_only: bool, due_at: datetime
    ) -> int:
        """INSERT … SELECT from people: the rows never travel through Python."""
        people = select(
            literal(occurrence_id, BigInteger),
            PersonRow.id,
            literal(due_at, UTCDateTime()),
            literal(DeliveryStatus.PENDING.value),
            literal(0),
            literal(0),
            literal(AckStatus.NONE.value),
            literal(""),
        ).where(*_holders(roles, section_level_only))
        t = D.__table__.c
        columns = [t.occurrence_id, t.person_id, t.due_at, t.status]
        columns += [t.attempts, t.sends, t.ack_status, t.error]
        stmt = (
            dialect_insert(self.s)(D.__table__)
            .from_select(columns, people)
            .on_conflict_do_nothing(index_elements=["occurrence_id", "person_id"])
        )
        return rowcount(await self.s.execute(stmt))

    async def audience(self, roles: Sequence[Role], section_level_only: bool) -> list[int]:
        """Active holders of any of ``roles`` (one query, no per-person loading)."""
        stmt = (
            select(PersonRow.id).where(*_holders(roles, section_level_only)).order_by(PersonRow.id)
        )
        return list(await self.s.scalars(stmt))

    async def _cancel(self, *where: ColumnElement[bool]) -> int:
        """Cancel the deliveries ``where`` selects; returns how many."""
        result = await self.s.execute(
            update(D)
            .where(*where)
            .values(status=DeliveryStatus.CANCELLED.value)
            .execution_options(synchronize_session=False)
        )
        return rowcount(result)

    async def cancel_stale(self, planned: Planned) -> int:
        """Cancel deliveries of occurrences that no longer apply: those still to be sent
        (first send, repeat, snooze) and the sent ones nobody acknowledged."""
        open_ = or_(
            D.status == DeliveryStatus.PENDING.value,
            and_(D.status == DeliveryStatus.SENT.value, D.ack_status == AckStatus.NONE.value),
        )
        under = O.key.startswith(planned.prefix, autoescape=True)
        if planned.pairs is None:
            # By occurrence only: one UPDATE, however many recipients.
            kept = sorted(planned.keys) or [""]
            stale_occ = select(O.id).where(under, O.key.not_in(kept))
            return await self._cancel(D.occurrence_id.in_(stale_occ), open_)
        rows = (
            await self.s.execute(
                select(D.id, O.key, D.person_id)
                .join(O, O.id == D.occurrence_id)
                .where(under, open_)
            )
        ).all()
        stale = [i for i, key, pid in rows if planned.stale(key, pid)]
        for start in range(0, len(stale), CHUNK):
            await self._cancel(D.id.in_(stale[start : start + CHUNK]))
        return len(stale)
