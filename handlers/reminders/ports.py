"""Ports of the reminders and quiz features: storage interfaces and the front ends' sender."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from handlers.core.domain import Role
from handlers.core.ports import Capability, UnitOfWork
from handlers.core.types import Reply
from handlers.reminders.domain import (
    AckStatus,
    ClaimedDelivery,
    Deadline,
    DeliveryView,
    DigestFrequency,
    DigestSubscription,
    Occurrence,
    OccurrenceSpec,
    Planned,
    Series,
)


class Outcome(StrEnum):
    """How one send went."""

    OK = "ok"
    RETRY_AFTER = "retry_after"  # Telegram said 429: wait ``retry_after`` seconds
    PERMANENT = "permanent"  # blocked, chat not found, …: never retry
    TRANSIENT = "transient"  # network trouble: try again later


@dataclass(frozen=True)
class DeliveryOutcome:
    """The result of :meth:`Sender.deliver`."""

    outcome: Outcome
    retry_after: float = 0.0
    reason: str = ""

    @classmethod
    def ok(cls) -> DeliveryOutcome:
        """Delivered."""
        return cls(Outcome.OK)


class Sender(Protocol):
    """What a front end offers the reminder dispatcher: deliver one reply to one chat."""

    async def deliver(self, chat_id: int, reply: Reply) -> DeliveryOutcome:
        """Send ``reply`` to ``chat_id`` once (no retries) and say how it went."""
        ...


#: A source of personal deadlines: ``(uow, now) -> deadlines`` (planned by
#: handlers/reminders/plan.py; the sources are wired in handlers/registry.py).
DeadlineSource = Callable[[UnitOfWork, datetime], Awaitable[list[Deadline]]]


class ReminderRepository(Protocol):
    """Calendar dates, reminder occurrences and their deliveries."""

    async def ensure_occurrence(self, spec: OccurrenceSpec, now: datetime) -> Occurrence:
        """The occurrence with ``spec.key``, created if missing (idempotent, race-safe)."""
        ...

    async def occurrence(self, occurrence_id: int) -> Occurrence | None:
        """One occurrence by id."""
        ...

    async def add_deliveries(
        self, occurrence_id: int, person_ids: Sequence[int], due_at: datetime
    ) -> int:
        """Plan deliveries; existing (occurrence, person) pairs are left alone, except one the
        planner cancelled as no longer applying (a notice whose report was then returned):
        it is pending again, at ``due_at``. Returns the rows added or revived."""
        ...

    async def add_audience_deliveries(
        self, occurrence_id: int, roles: Sequence[Role], section_level_only: bool, due_at: datetime
    ) -> int:
        """Plan deliveries for every active holder of ``roles`` in one statement (the
        calendar's audiences can be 100,000 people). Returns the number of new rows."""
        ...

    async def audience(self, roles: Sequence[Role], section_level_only: bool) -> list[int]:
        """Ids of active people holding one of ``roles`` (optionally section level only)."""
        ...

    async def claim(
        self, now: datetime, lease_until: datetime, limit: int
    ) -> list[ClaimedDelivery]:
        """Take up to ``limit`` due deliveries (pending and due, or sending with an expired
        lease), mark them sending until ``lease_until``; other claimers skip them."""
        ...

    async def mark_sent(self, delivery_id: int, at: datetime, repeat_at: datetime | None) -> None:
        """Record a successful send; with ``repeat_at`` the delivery waits for a repeat."""
        ...

    async def mark_missed(self, delivery_id: int, at: datetime) -> None:
        """Record that the delivery fell due too long ago and was not sent."""
        ...

    async def mark_failed(self, delivery_id: int, at: datetime, reason: str) -> None:
        """Record a permanent failure; the delivery is never retried."""
        ...

    async def mark_cancelled(self, delivery_id: int, at: datetime, reason: str) -> None:
        """Record that a claimed delivery is no longer relevant and was not sent."""
        ...

    async def release(self, delivery_id: int, due_at: datetime) -> None:
        """Give a claimed delivery back (a retry at ``due_at``), counting the attempt."""
        ...

    async def block_chat(self, person_id: int) -> None:
        """Remember that the bot cannot write to this person (people.chat_blocked)."""
        ...

    async def delivery(self, delivery_id: int) -> DeliveryView | None:
        """One delivery by id."""
        ...

    async def acknowledge(
        self, delivery_id: int, ack: AckStatus, at: datetime, snooze_until: datetime | None
    ) -> None:
        """Store the recipient's answer; stops repeats (a snooze schedules one more send)."""
        ...

    async def for_person(self, person_id: int, since: datetime) -> list[DeliveryView]:
        """The person's deliveries due since ``since`` (and all later ones), by due time."""
        ...

    async def in_units(self, paths: Sequence[str], since: datetime) -> list[DeliveryView]:
        """Sent deliveries of acknowledgeable kinds (events, deadlines) of people in the
        subtrees, of occurrences due since ``since``."""
        ...

    async def claim_escalations(self, now: datetime, limit: int) -> list[Occurrence]:
        """Occurrences whose escalation time has come, marked escalated (each taken once)."""
        ...

    async def unacknowledged_units(self, series: Series) -> list[int]:
        """Units of the people who were sent a round of ``series`` and acknowledged none."""
        ...

    async def unacknowledged(self, series: Series, paths: Sequence[str]) -> list[DeliveryView]:
        """One sent, unacknowledged delivery of ``series`` per person in the subtrees who
        acknowledged no round of it (cancelled deliveries do not count), by unit."""
        ...

    async def cancel_stale(self, planned: Planned) -> int:
        """Cancel the deliveries under ``planned.prefix`` that it no longer plans
        (:meth:`Planned.stale`): the ones still to be sent (first send, repeat or snooze) and
        the sent ones nobody acknowledged, so they neither repeat nor get escalated."""
        ...


class DigestRepository(Protocol):
    """Who receives the summary digest, and how often."""

    async def get(self, person_id: int) -> DigestSubscription | None:
        """The person's subscription, or None when they receive no digest."""
        ...

    async def choose(
        self, person_id: int, frequency: DigestFrequency | None, now: datetime
    ) -> DigestSubscription | None:
        """Subscribe (or switch) to ``frequency``, or unsubscribe with None. Choosing the
        frequency already held keeps its ``since``."""
        ...

    async def subscribers(
        self, frequency: DigestFrequency, before: datetime, roles: Sequence[Role]
    ) -> list[int]:
        """Ids of active people holding one of ``roles`` who chose ``frequency`` before
        ``before`` (the end of the period to send), ordered by id."""
        ...


#: Reminder occurrences and their deliveries, on a unit of work.
reminders_of: Capability[ReminderRepository] = Capability("reminders")
#: Who receives the supervisors' summary digest, and how often, on a unit of work.
digests_of: Capability[DigestRepository] = Capability("digests")


__all__ = [
    "DeadlineSource",
    "DeliveryOutcome",
    "DigestRepository",
    "Outcome",
    "ReminderRepository",
    "Sender",
    "digests_of",
    "reminders_of",
]
