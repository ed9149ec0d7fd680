"""What writes the demo records: looks up demo people and units by Telegram id and code,
dates records relative to the moment the demo is loaded, and adds their revisions."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
from typing import Protocol, TypeVar
from zoneinfo import ZoneInfo

from handlers.core.ports import UnitOfWork
from handlers.records.domain import RecordType, Revision
from handlers.records.ports import records_of

TIMEZONE = ZoneInfo("Asia/Shanghai")


class _Stored(Protocol):
    """A record as its repository returns it, with the id it was given."""

    @property
    def id(self) -> int:
        """The record's id."""
        ...


Record = TypeVar("Record", bound=_Stored)


class Seeder:
    """Looks up demo people and units and writes records with a "create" revision."""

    def __init__(self, uow: UnitOfWork, now: datetime) -> None:
        self.uow = uow
        self.now = now
        self.today = now.astimezone(TIMEZONE).date()

    def ago(self, days: int) -> date:
        """The local date ``days`` before today."""
        return self.today - timedelta(days=days)

    def at(self, day: date) -> datetime:
        """Ten in the morning of ``day`` (never later than now)."""
        moment = datetime(day.year, day.month, day.day, 10, tzinfo=TIMEZONE)
        return min(moment, self.now)

    async def person(self, telegram_id: int) -> tuple[int, int]:
        """(person id, unit id) of a demo person."""
        person = await self.uow.people.by_telegram_id(telegram_id)
        assert person is not None, telegram_id
        return person.id, person.unit_id

    async def unit(self, code: str) -> int:
        """The id of a demo unit."""
        unit = await self.uow.units.by_code(code)
        assert unit is not None, code
        return unit.id

    async def add(
        self,
        record_type: RecordType,
        add: Callable[[Record], Awaitable[Record]],
        record: Record,
        actor: int,
        day: date,
    ) -> Record:
        """Store a demo record with ``add`` (its repository's) and its "create" revision by
        ``actor`` on ``day``; returns the stored record."""
        stored = await add(record)
        await self.changed(record_type, stored.id, actor, day, "create", {})
        return stored

    async def changed(
        self,
        record_type: RecordType,
        record_id: int,
        actor: int,
        day: date,
        action: str,
        changes: dict[str, list[str | None]],
    ) -> None:
        """Add a revision of a demo record."""
        await records_of(self.uow).revisions.add(
            Revision(record_type, record_id, self.at(day), actor, action, dict(changes))
        )
