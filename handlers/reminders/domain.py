"""Domain records of durable reminders and digests (the quiz's attempts are in
handlers/quiz/domain.py).

Storage maps its rows to these dataclasses; the core and the dispatcher never see rows.
The calendar's dates (:class:`CalendarDate`) and the reminder settings
(:class:`ReminderConfig`) are defined in lower layers and offered here as well.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

# Defined with the calendar, a lower layer that reminders plan from; part of this domain.
from handlers.calendar.domain import CalendarDate as CalendarDate

# Defined in the core, which carries it in its configuration; part of this domain.
from handlers.core.settings import ReminderConfig as ReminderConfig


class DeliveryStatus(StrEnum):
    """Where one (occurrence, recipient) delivery stands."""

    PENDING = "pending"  # waiting for due_at (first send or a repeat)
    SENDING = "sending"  # claimed by a dispatcher; lease_until guards against crashes
    SENT = "sent"  # delivered and nothing more to send
    MISSED = "missed"  # fell due too long ago (downtime): reported, never sent
    FAILED = "failed"  # permanent failure (bot blocked, chat not found, no Telegram account)
    CANCELLED = "cancelled"  # no longer relevant (the pending item was done)


class AckStatus(StrEnum):
    """The recipient's answer to a reminder."""

    NONE = "none"
    RECEIVED = "received"
    DONE = "done"
    SNOOZED = "snoozed"


#: Answers that acknowledge a reminder; "remind me tomorrow" does not (the unit's status
#: list and the summary count the same way).
ACKNOWLEDGED = frozenset({AckStatus.RECEIVED, AckStatus.DONE})


class OccurrenceKind(StrEnum):
    """What an occurrence reminds of."""

    EVENT = "event"  # a calendar event, at one lead time
    DEADLINE = "deadline"  # a personal deadline (pledge, check-in, rectification notice)
    ESCALATION = "escalation"  # the list of who has not acknowledged another occurrence
    DIGEST = "digest"  # a supervisor's weekly or monthly summary (handlers/digest/)


#: Kinds whose messages carry acknowledgement buttons: only these count in acknowledgement
#: rates and in the units' acknowledgement status (escalations and digests ask for nothing).
ACKNOWLEDGEABLE_KINDS = (OccurrenceKind.EVENT, OccurrenceKind.DEADLINE)


class DigestFrequency(StrEnum):
    """How often a supervisor receives the summary digest."""

    WEEKLY = "weekly"  # the ISO week just ended (Monday–Sunday)
    MONTHLY = "monthly"  # the calendar month just ended


@dataclass(frozen=True)
class DigestSubscription:
    """A person's choice of summary digest; ``since`` is when they chose this frequency
    (periods that ended before it are never sent)."""

    person_id: int
    frequency: DigestFrequency
    since: datetime


@dataclass
class PlanReport:
    """What one planning run did."""

    occurrences: int = 0
    deliveries: int = 0
    cancelled: int = 0
    sources: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Series:
    """All rounds of one reminder: an event on one date at each of its lead times, or one
    personal deadline in each of its phases. Their occurrence keys start with ``prefix`` and
    end with ``suffix`` (see :func:`series_of`); acknowledging any round counts for all."""

    prefix: str
    suffix: str = ""

    @property
    def key(self) -> str:
        """A stable name of the series (the escalation occurrence is keyed by it)."""
        return f"{self.prefix}*{self.suffix}"


def series_of(key: str) -> Series | None:
    """The series of an occurrence key, or None for keys that belong to no series.

    ``ev:CODE:YEAR:LEAD:START`` (handlers.reminders.plan.plan_events) and
    ``dl:KIND:DUE:PHASE`` (plan_deadlines).
    """
    parts = key.split(":")
    if parts[0] == "ev" and len(parts) == 5:
        return Series(f"ev:{parts[1]}:{parts[2]}:", f":{parts[4]}")
    if parts[0] == "dl" and len(parts) == 4:
        return Series(f"dl:{parts[1]}:{parts[2]}:")
    return None


@dataclass(frozen=True)
class ClaimedDelivery:
    """A delivery claimed for sending, with what rendering needs of recipient and occurrence."""

    id: int
    occurrence: Occurrence
    person_id: int
    person_name: str
    unit_id: int
    telegram_user_id: int | None
    language: str
    chat_blocked: bool
    due_at: datetime
    sends: int
    attempts: int
    ack: AckStatus


@dataclass(frozen=True)
class DeliveryView:
    """A delivery as shown in /reminders."""

    id: int
    occurrence: Occurrence
    person_id: int
    person_name: str
    unit_id: int
    status: DeliveryStatus
    due_at: datetime
    sent_at: datetime | None
    ack: AckStatus
    ack_at: datetime | None
    sends: int


@dataclass(frozen=True)
class Deadline:
    """A personal deadline reported by a :class:`DeadlineSource`."""

    person_id: int
    key: str
    due: date
    kind: str


@dataclass(frozen=True)
class OccurrenceSpec:
    """One thing to remind of, at one moment, for a set of recipients, as a planner asks
    for it (:class:`Occurrence` is the stored one, with its id)."""

    key: str
    kind: OccurrenceKind
    topic: str
    due_at: datetime
    escalate_at: datetime | None = None
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Occurrence(OccurrenceSpec):
    """A planned occurrence as stored: its :class:`OccurrenceSpec` and its id."""

    id: int = field(kw_only=True)


@dataclass(frozen=True)
class Planned:
    """What one planning pass still plans under a key ``prefix`` (``ev:…`` for a calendar
    event's reminders, ``dl:kind:`` for a deadline source's), so the rest can be cancelled.

    Either by occurrence (``keys``: every delivery of those occurrences stays) or, when
    ``pairs`` is given, by delivery ((occurrence key, person id): a person whose deadline
    is met loses their reminders while the others keep theirs).
    """

    prefix: str
    keys: frozenset[str] = frozenset()
    pairs: frozenset[tuple[str, int]] | None = None

    def stale(self, key: str, person_id: int) -> bool:
        """True when the delivery of occurrence ``key`` to ``person_id`` falls under the
        prefix and is no longer planned."""
        if not key.startswith(self.prefix):
            return False
        if self.pairs is None:
            return key not in self.keys
        return (key, person_id) not in self.pairs
