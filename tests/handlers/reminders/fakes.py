"""In-memory fakes of the reminder and quiz ports (handlers/reminders/ports.py)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from handlers.core.domain import Role
from handlers.quiz.domain import QuizAttempt
from handlers.reminders.domain import (
    ACKNOWLEDGEABLE_KINDS,
    AckStatus,
    CalendarDate,
    ClaimedDelivery,
    DeliveryStatus,
    DeliveryView,
    DigestFrequency,
    DigestSubscription,
    Occurrence,
    OccurrenceKind,
    OccurrenceSpec,
    Planned,
    Series,
)
from tests.handlers.core.fake_repository import TablesRepository

if TYPE_CHECKING:
    from tests.handlers.core.fakes import FakeDB


@dataclass
class FakeDelivery:
    """A mutable delivery row (copied on snapshot)."""

    id: int
    occurrence_id: int
    person_id: int
    due_at: datetime
    status: str = DeliveryStatus.PENDING.value
    lease_until: datetime | None = None
    attempts: int = 0
    sends: int = 0
    sent_at: datetime | None = None
    ack: str = AckStatus.NONE.value
    ack_at: datetime | None = None
    error: str = ""


@dataclass
class ReminderTables:
    """The reminder feature's part of :class:`tests.handlers.core.fakes.FakeDB`."""

    dates: dict[tuple[str, int], CalendarDate] = field(default_factory=dict)
    occurrences: dict[int, Occurrence] = field(default_factory=dict)
    escalated: set[int] = field(default_factory=set)
    deliveries: dict[int, FakeDelivery] = field(default_factory=dict)
    attempts: dict[int, QuizAttempt] = field(default_factory=dict)
    allowances: dict[tuple[int, int], int] = field(default_factory=dict)
    polls: dict[str, str] = field(default_factory=dict)
    ids: Any = field(default_factory=lambda: itertools.count(1))
    digests: dict[int, DigestSubscription] = field(default_factory=dict)

    def copy(self) -> ReminderTables:
        """A deep-enough copy for snapshots."""
        return ReminderTables(
            dict(self.dates),
            dict(self.occurrences),
            set(self.escalated),
            {k: replace(v) for k, v in self.deliveries.items()},
            dict(self.attempts),
            dict(self.allowances),
            dict(self.polls),
            self.ids,
            dict(self.digests),
        )


class _ReminderRepository(TablesRepository["FakeDB", ReminderTables]):
    """A fake repository over the shared database's reminder_tables."""

    tables = "reminder_tables"
    db: FakeDB  # the annotation lets type checkers see the shared database's tables


class FakeReminders(_ReminderRepository):
    async def set_date(self, value: CalendarDate) -> None:
        self.t.dates[(value.event_code, value.year)] = value

    async def dates(self, year: int) -> dict[str, CalendarDate]:
        return {code: v for (code, y), v in self.t.dates.items() if y == year}

    async def dates_of(self, event_codes: Sequence[str]) -> list[CalendarDate]:
        return sorted(
            (v for (code, _), v in self.t.dates.items() if code in event_codes),
            key=lambda v: (v.year, v.event_code),
        )

    async def ensure_occurrence(self, spec: OccurrenceSpec, now: datetime) -> Occurrence:
        for o in self.t.occurrences.values():
            if o.key == spec.key:
                return o
        o = Occurrence(**vars(spec) | {"params": dict(spec.params)}, id=next(self.t.ids))
        self.t.occurrences[o.id] = o
        return o

    async def occurrence(self, occurrence_id: int) -> Occurrence | None:
        return self.t.occurrences.get(occurrence_id)

    async def add_deliveries(
        self, occurrence_id: int, person_ids: Sequence[int], due_at: datetime
    ) -> int:
        return self._add(occurrence_id, person_ids, due_at, revive=True)

    def _add(
        self, occurrence_id: int, person_ids: Sequence[int], due_at: datetime, revive: bool
    ) -> int:
        existing = {(d.occurrence_id, d.person_id): d for d in self.t.deliveries.values()}
        added = 0
        for pid in dict.fromkeys(person_ids):
            old = existing.get((occurrence_id, pid))
            if old is not None:
                if revive and old.status == "cancelled" and not old.error and old.ack == "none":
                    old.status, old.due_at, old.lease_until = "pending", due_at, None
                    added += 1  # cancelled as stale, and it applies again: revived
                continue
            did = next(self.t.ids)
            self.t.deliveries[did] = FakeDelivery(did, occurrence_id, pid, due_at)
            added += 1
        return added

    async def add_audience_deliveries(
        self, occurrence_id: int, roles: Sequence[Role], section_level_only: bool, due_at: datetime
    ) -> int:
        people = await self.audience(roles, section_level_only)
        return self._add(occurrence_id, people, due_at, revive=False)  # as the SQL does

    async def audience(self, roles: Sequence[Role], section_level_only: bool) -> list[int]:
        return sorted(
            p.id
            for p in self.db.people.values()
            if p.active
            and any(g.role in roles for g in p.grants)
            and (p.section_level or not section_level_only)
        )

    def _view(self, d: FakeDelivery) -> DeliveryView:
        p = self.db.people[d.person_id]
        return DeliveryView(
            d.id,
            self.t.occurrences[d.occurrence_id],
            d.person_id,
            p.name,
            p.unit_id,
            DeliveryStatus(d.status),
            d.due_at,
            d.sent_at,
            AckStatus(d.ack),
            d.ack_at,
            d.sends,
        )

    async def claim(
        self, now: datetime, lease_until: datetime, limit: int
    ) -> list[ClaimedDelivery]:
        due = sorted(
            (
                d
                for d in self.t.deliveries.values()
                if (d.status == "pending" and d.due_at <= now)
                or (d.status == "sending" and d.lease_until is not None and d.lease_until < now)
            ),
            key=lambda d: (d.due_at, d.id),
        )[:limit]
        out = []
        for d in due:
            d.status, d.lease_until, d.attempts = "sending", lease_until, d.attempts + 1
            p = self.db.people[d.person_id]
            out.append(
                ClaimedDelivery(
                    d.id,
                    self.t.occurrences[d.occurrence_id],
                    p.id,
                    p.name,
                    p.unit_id,
                    p.telegram_user_id,
                    p.language,
                    p.chat_blocked or not p.active,
                    d.due_at,
                    d.sends,
                    d.attempts,
                    AckStatus(d.ack),
                )
            )
        return out

    async def mark_sent(self, delivery_id: int, at: datetime, repeat_at: datetime | None) -> None:
        d = self.t.deliveries[delivery_id]
        d.sends += 1
        d.sent_at, d.lease_until = at, None
        if repeat_at is not None:
            d.status, d.due_at = "pending", repeat_at
        else:
            d.status = "sent"

    async def mark_missed(self, delivery_id: int, at: datetime) -> None:
        d = self.t.deliveries[delivery_id]
        d.status, d.lease_until = "missed", None

    async def mark_failed(self, delivery_id: int, at: datetime, reason: str) -> None:
        d = self.t.deliveries[delivery_id]
        d.status, d.lease_until, d.error = "failed", None, reason

    async def mark_cancelled(self, delivery_id: int, at: datetime, reason: str) -> None:
        d = self.t.deliveries[delivery_id]
        d.status, d.lease_until, d.error = "cancelled", None, reason

    async def release(self, delivery_id: int, due_at: datetime) -> None:
        d = self.t.deliveries[delivery_id]
        d.status, d.lease_until, d.due_at = "pending", None, due_at

    async def block_chat(self, person_id: int) -> None:
        self.db.people[person_id] = replace(self.db.people[person_id], chat_blocked=True)

    async def delivery(self, delivery_id: int) -> DeliveryView | None:
        d = self.t.deliveries.get(delivery_id)
        return self._view(d) if d else None

    async def acknowledge(
        self, delivery_id: int, ack: AckStatus, at: datetime, snooze_until: datetime | None
    ) -> None:
        d = self.t.deliveries[delivery_id]
        d.ack, d.ack_at = ack.value, at
        if snooze_until is not None:
            d.status, d.due_at = "pending", snooze_until
        elif d.status == "pending" and d.sends > 0:
            d.status = "sent"

    async def for_person(self, person_id: int, since: datetime) -> list[DeliveryView]:
        return [
            self._view(d)
            for d in sorted(self.t.deliveries.values(), key=lambda d: (d.due_at, d.id))
            if d.person_id == person_id
            and d.due_at >= since
            and self.t.occurrences[d.occurrence_id].kind != OccurrenceKind.ESCALATION
        ]

    async def in_units(self, paths: Sequence[str], since: datetime) -> list[DeliveryView]:
        out = []
        for d in self.t.deliveries.values():
            o = self.t.occurrences[d.occurrence_id]
            unit = self.db.units[self.db.people[d.person_id].unit_id]
            if (
                d.sends > 0
                and d.status != "cancelled"
                and o.due_at >= since
                and o.kind in ACKNOWLEDGEABLE_KINDS
                and any(unit.path.startswith(p) for p in paths)
            ):
                out.append(self._view(d))
        return sorted(out, key=lambda v: (v.occurrence.due_at, v.occurrence.id, v.person_id))

    async def claim_escalations(self, now: datetime, limit: int) -> list[Occurrence]:
        out = [
            o
            for o in sorted(self.t.occurrences.values(), key=lambda o: o.id)
            if o.escalate_at is not None and o.escalate_at <= now and o.id not in self.t.escalated
        ][:limit]
        self.t.escalated.update(o.id for o in out)
        return out

    def _in_series(self, d: FakeDelivery, series: Series) -> bool:
        key = self.t.occurrences[d.occurrence_id].key
        return (
            key.startswith(series.prefix)
            and key.endswith(series.suffix)
            and len(key) >= len(series.prefix) + len(series.suffix)
        )

    def _unacknowledged(self, series: Series) -> list[FakeDelivery]:
        rows = [d for d in self.t.deliveries.values() if self._in_series(d, series)]
        acked = {d.person_id for d in rows if d.ack != "none"}
        return [
            d
            for d in sorted(rows, key=lambda d: d.id)
            if d.sends > 0 and d.ack == "none" and d.status != "cancelled"
            and d.person_id not in acked
        ]  # fmt: skip

    async def unacknowledged_units(self, series: Series) -> list[int]:
        return sorted({self.db.people[d.person_id].unit_id for d in self._unacknowledged(series)})

    async def unacknowledged(self, series: Series, paths: Sequence[str]) -> list[DeliveryView]:
        out: dict[int, DeliveryView] = {}
        for d in self._unacknowledged(series):
            unit = self.db.units[self.db.people[d.person_id].unit_id]
            if any(unit.path.startswith(p) for p in paths):
                out.setdefault(d.person_id, self._view(d))
        units = {u.id: u.path for u in self.db.units.values()}
        return sorted(out.values(), key=lambda v: (units[v.unit_id], v.person_id))

    async def cancel_stale(self, planned: Planned) -> int:
        n = 0
        for d in self.t.deliveries.values():
            key = self.t.occurrences[d.occurrence_id].key
            still_open = d.status == "pending" or (d.status == "sent" and d.ack == "none")
            if planned.stale(key, d.person_id) and still_open:
                d.status = "cancelled"
                n += 1
        return n


class FakeDigests(_ReminderRepository):
    async def get(self, person_id: int) -> DigestSubscription | None:
        return self.t.digests.get(person_id)

    async def choose(
        self, person_id: int, frequency: DigestFrequency | None, now: datetime
    ) -> DigestSubscription | None:
        if frequency is None:
            self.t.digests.pop(person_id, None)
            return None
        old = self.t.digests.get(person_id)
        if old is None or old.frequency != frequency:
            self.t.digests[person_id] = DigestSubscription(person_id, frequency, now)
        return self.t.digests[person_id]

    async def subscribers(
        self, frequency: DigestFrequency, before: datetime, roles: Sequence[Role]
    ) -> list[int]:
        return sorted(
            s.person_id
            for s in self.t.digests.values()
            if s.frequency == frequency
            and s.since < before
            and self.db.people[s.person_id].active
            and self.db.people[s.person_id].has_role(*roles)
        )


class FakeQuiz(_ReminderRepository):
    async def start(self, attempt: QuizAttempt) -> QuizAttempt:
        a = replace(attempt, id=next(self.t.ids))
        self.t.attempts[a.id] = a
        return a

    async def get(self, attempt_id: int) -> QuizAttempt | None:
        return self.t.attempts.get(attempt_id)

    async def save(self, attempt: QuizAttempt) -> None:
        self.t.attempts[attempt.id] = attempt

    async def finish(self, attempt: QuizAttempt) -> bool:
        current = self.t.attempts.get(attempt.id)
        if current is None or current.finished_at is not None:
            return False
        self.t.attempts[attempt.id] = attempt
        return True

    async def expired(self, now: datetime, limit: int) -> list[QuizAttempt]:
        return [
            a
            for a in sorted(self.t.attempts.values(), key=lambda a: a.id)
            if a.finished_at is None and a.deadline_at is not None and a.deadline_at < now
        ][:limit]

    async def attempts(self, person_id: int, year: int, practice: bool) -> list[QuizAttempt]:
        return [
            a
            for a in sorted(self.t.attempts.values(), key=lambda a: a.id)
            if a.person_id == person_id and a.year == year and a.practice == practice
        ]

    async def allowance(self, person_id: int, year: int) -> int:
        return self.t.allowances.get((person_id, year), 0)

    async def allow_more(self, person_id: int, year: int, by: int) -> int:
        n = self.t.allowances.get((person_id, year), 0) + 1
        self.t.allowances[(person_id, year)] = n
        return n

    async def remember_poll(self, poll_id: str, token: str, at: datetime) -> None:
        self.t.polls.setdefault(poll_id, token)

    async def token_for(self, poll_id: str) -> str | None:
        return self.t.polls.get(poll_id)

    async def scores(self, paths: Sequence[str], year: int) -> list[tuple[int, str, int, int]]:
        best: dict[int, tuple[int, int]] = {}
        for a in self.t.attempts.values():
            p = self.db.people[a.person_id]
            unit = self.db.units[p.unit_id]
            if (
                a.year == year
                and not a.practice
                and a.finished_at is not None
                and any(unit.path.startswith(x) for x in paths)
            ):
                score, n = best.get(p.id, (0, 0))
                best[p.id] = (max(score, a.score or 0), n + 1)
        return [(pid, self.db.people[pid].name, s, n) for pid, (s, n) in sorted(best.items())]
