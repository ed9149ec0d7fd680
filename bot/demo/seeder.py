"""What writes the demo records: looks up demo people and units by Telegram id and code,
dates records relative to the moment the demo is loaded, and adds their revisions."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
from typing import Any, Protocol, TypeVar
from zoneinfo import ZoneInfo

from handlers.core.ports import UnitOfWork
from handlers.records.domain import (
    AccountabilityCase,
    Assessment,
    CasePerson,
    RecordType,
    RectificationNotice,
    Revision,
    WarningTalk,
)
from handlers.records.ports import RecordStore, records_of

TIMEZONE = ZoneInfo("Asia/Shanghai")


class _Stored(Protocol):
    """A record as its repository returns it, with the id it was given."""

    @property
    def id(self) -> int:
        """The record's id."""
        ...


Record = TypeVar("Record", bound=_Stored)

#: Each kind of demo record: its type in revisions, and the repository method storing it.
_KINDS: dict[type, tuple[RecordType, Callable[[RecordStore], Callable[[Any], Awaitable[Any]]]]] = {
    WarningTalk: (RecordType.TALK, lambda r: r.talks.add),
    RectificationNotice: (RecordType.NOTICE, lambda r: r.notices.add),
    Assessment: (RecordType.ASSESSMENT, lambda r: r.assessments.add),
    AccountabilityCase: (RecordType.CASE, lambda r: r.cases.add),
    CasePerson: (RecordType.CASE_PERSON, lambda r: r.cases.add_person),
}


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

    async def add(self, record: Record, actor: int, day: date) -> Record:
        """Store a demo record in its kind's repository, with its "create" revision by
        ``actor`` on ``day``; returns the stored record."""
        _, repository = _KINDS[type(record)]
        stored: Record = await repository(records_of(self.uow))(record)
        await self.changed(stored, actor, day, "create", {})
        return stored

    async def changed(
        self,
        record: _Stored,
        actor: int,
        day: date,
        action: str,
        changes: dict[str, list[str | None]],
    ) -> None:
        """Add a revision of a stored demo record."""
        record_type, _ = _KINDS[type(record)]
        await records_of(self.uow).revisions.add(
            Revision(record_type, record.id, self.at(day), actor, action, dict(changes))
        )
