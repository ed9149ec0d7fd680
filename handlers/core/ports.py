"""Interfaces the core needs from storage and the outside world.

Storage implements these with SQLAlchemy; unit tests implement them with in-memory fakes.
Repositories never commit: the unit of work does, once per request.

The unit of work declared here holds only what every capability shares (units, people,
audit, conversations, buttons …). Each feature declares the repositories it needs in its
own ``ports`` module as a :class:`Capability` (``records_of(uow)``, ``pledges_of(uow)`` …):
storage's unit of work offers them all, so the core never names a feature.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from types import TracebackType
from typing import Any, Generic, Protocol, TypeVar, cast

from handlers.core.domain import (
    AskedQuestion,
    AuditEntry,
    FormState,
    Invitation,
    IssuedButton,
    NewPerson,
    Person,
    QuestionCount,
    Role,
    Unit,
    UnitLevel,
)


class Clock(Protocol):
    """Source of the current time; tests move it instead of sleeping."""

    def now(self) -> datetime:
        """The current moment, timezone-aware (UTC)."""
        ...


class UnitRepository(Protocol):
    """Units of the organisation tree."""

    async def add(self, code: str, name: str, level: UnitLevel, parent_id: int | None) -> Unit:
        """Create a unit under ``parent_id`` (None for a root)."""
        ...

    async def get(self, unit_id: int) -> Unit | None:
        """The unit with this id, or None."""
        ...

    async def by_code(self, code: str) -> Unit | None:
        """The unit with this code, or None."""
        ...

    async def find(self, text: str, within: Sequence[str]) -> list[Unit]:
        """Units whose code or name matches ``text``, restricted to subtrees ``within``."""
        ...

    async def children(self, unit_id: int) -> list[Unit]:
        """Direct children of a unit, ordered by code."""
        ...

    async def within(self, paths: Sequence[str], limit: int) -> list[Unit]:
        """Every unit of the subtrees ``paths`` (their tops included), in path order, at most
        ``limit`` of them."""
        ...

    async def count(self) -> int:
        """How many units exist."""
        ...


class PersonRepository(Protocol):
    """People and their role grants."""

    async def add(self, new: NewPerson) -> Person:
        """Create a person."""
        ...

    async def get(self, person_id: int) -> Person | None:
        """The person with this id (active or not), or None."""
        ...

    async def by_telegram_id(self, telegram_user_id: int) -> Person | None:
        """The person bound to this Telegram account, or None."""
        ...

    async def find(self, text: str, within: Sequence[str]) -> list[Person]:
        """Active people whose name matches ``text`` inside subtrees ``within``."""
        ...

    async def grant(self, person_id: int, role: Role, unit_id: int) -> bool:
        """Give a role over a unit; False when it was already held."""
        ...

    async def revoke(self, person_id: int, role: Role, unit_id: int) -> bool:
        """Take a role away; False when it was not held."""
        ...

    async def bind_telegram(self, person_id: int, telegram_user_id: int) -> None:
        """Attach a Telegram account to a person."""
        ...

    async def set_language(self, person_id: int, language: str) -> None:
        """Remember the person's interface language."""
        ...

    async def set_active(self, person_id: int, active: bool, at: datetime | None = None) -> None:
        """Deactivate (noting when, ``at``) or reactivate a person."""
        ...

    async def in_units(self, paths: Sequence[str], role: Role | None = None) -> list[Person]:
        """Active people whose unit lies in the given subtrees, optionally with a role."""
        ...

    async def named_in_unit(self, name: str, unit_id: int) -> list[Person]:
        """People of that exact name listed in the unit, deactivated ones too."""
        ...

    async def find_deactivated(self, text: str, within: Sequence[str]) -> list[Person]:
        """Deactivated people whose name matches ``text`` (or whose id it is) inside
        subtrees ``within`` (to reactivate one)."""
        ...

    async def holders_over(self, unit_path: str, role: Role) -> list[Person]:
        """Active people holding ``role`` over the unit at ``unit_path`` or an ancestor."""
        ...

    async def count(self) -> int:
        """How many people exist."""
        ...

    async def unblock_chat(self, person_id: int) -> None:
        """Clear the person's blocked-chat mark (they wrote to us, so the chat works again)."""
        ...


class InvitationRepository(Protocol):
    """Invitation codes."""

    async def add(self, invitation: Invitation) -> None:
        """Store a new invitation."""
        ...

    async def get_for_update(self, code: str) -> Invitation | None:
        """The invitation with this code, locked against concurrent use where supported."""
        ...

    async def open_in(self, unit_paths: Sequence[str], now: datetime) -> list[Invitation]:
        """Unused, unexpired invitations for units under ``unit_paths``, soonest expiry first."""
        ...

    async def cancel(self, code: str) -> bool:
        """Delete an unused invitation; False when it does not exist or was used."""
        ...

    async def mark_used(self, code: str, person_id: int, at: datetime) -> bool:
        """Consume the code; False if someone else consumed it first."""
        ...


class AuditLog(Protocol):
    """Append-only audit trail; there is deliberately no update or delete."""

    async def append(self, entry: AuditEntry) -> None:
        """Record one entry."""
        ...

    async def since(
        self, at: datetime, unit_paths: Sequence[str] | None = None
    ) -> list[AuditEntry]:
        """Entries from ``at`` on, optionally only those about units in the given subtrees."""
        ...


class ConversationStore(Protocol):
    """Form state per (chat, user)."""

    async def load(self, chat_id: int, user_id: int) -> FormState | None:
        """The form in progress, or None."""
        ...

    async def save(self, chat_id: int, user_id: int, state: FormState) -> None:
        """Create or replace the form state."""
        ...

    async def clear(self, chat_id: int, user_id: int) -> None:
        """Forget the form state."""
        ...


class QuestionLog(Protocol):
    """Questions asked, the decision taken, and feedback on answers."""

    async def record(self, question: AskedQuestion, at: datetime) -> int:
        """Store one question; returns its id (used by feedback buttons)."""
        ...

    async def feedback(self, question_id: int, person_id: int, helpful: bool) -> bool:
        """Store 👍/👎 for a question asked by ``person_id``; False if not theirs."""
        ...

    async def escalate(self, question_id: int, person_id: int) -> str | None:
        """Mark a declined question as passed to staff; returns its text, or None."""
        ...

    async def latest_open(self, person_id: int, since: datetime) -> tuple[int, str] | None:
        """The id and text of the person's latest question asked at or after ``since`` and
        not yet passed to staff (None if there is none)."""
        ...

    async def gaps(self, limit: int) -> list[tuple[str, int]]:
        """Most frequent declined or poorly rated questions still on file, with counts
        (texts compared after decryption and normalising case and spaces)."""
        ...

    async def purge(self, before: datetime) -> int:
        """Delete questions asked before ``before``, keeping only their counts; returns how
        many were deleted."""
        ...

    async def archived(self) -> list[QuestionCount]:
        """The counts kept of purged questions, newest month first."""
        ...


class UpdateLog(Protocol):
    """Telegram update ids already handled (webhook retries and restarts redeliver them)."""

    async def claim(self, update_id: int, at: datetime) -> bool:
        """Record ``update_id``; False when it was already recorded (a duplicate)."""
        ...


class ButtonTokenStore(Protocol):
    """Long button payloads kept server-side; the chat only carries their short token."""

    async def add(self, issued: IssuedButton) -> None:
        """Store a newly issued token."""
        ...

    async def get(self, token: str) -> IssuedButton | None:
        """The issued button with this token (expired or not), or None."""
        ...

    async def purge_expired(self, now: datetime, user_id: int | None = None) -> int:
        """Delete tokens expired at ``now`` (only ``user_id``'s when given); returns how many."""
        ...


class PollStore(Protocol):
    """Which Telegram poll carries which button token (a poll answer names only the poll)."""

    async def remember_poll(self, poll_id: str, token: str, at: datetime) -> None:
        """Remember that ``poll_id`` was sent for the button ``token``."""
        ...

    async def token_for(self, poll_id: str) -> str | None:
        """The token a poll was sent for, or None for an unknown poll."""
        ...


class SnapshotCache(Protocol):
    """Figures kept pre-computed for supervisors; a change they depend on expires them."""

    async def expire_snapshot(self) -> None:
        """Mark the kept figures stale, so the next summary recomputes them."""
        ...


class UnitOfWork(Protocol):
    """One transaction: repositories share it; ``commit`` makes the work durable."""

    @property
    def units(self) -> UnitRepository:
        """The units repository of this unit of work."""
        ...

    @property
    def people(self) -> PersonRepository:
        """The people repository of this unit of work."""
        ...

    @property
    def invitations(self) -> InvitationRepository:
        """The invitations repository of this unit of work."""
        ...

    @property
    def audit(self) -> AuditLog:
        """The audit repository of this unit of work."""
        ...

    @property
    def conversations(self) -> ConversationStore:
        """The conversations repository of this unit of work."""
        ...

    @property
    def questions(self) -> QuestionLog:
        """The questions repository of this unit of work."""
        ...

    @property
    def updates(self) -> UpdateLog:
        """The processed-updates log of this unit of work."""
        ...

    @property
    def buttons(self) -> ButtonTokenStore:
        """Long button payloads behind short tokens."""
        ...

    @property
    def polls(self) -> PollStore:
        """Telegram poll ids and the button tokens they were sent for."""
        ...

    @property
    def snapshot_cache(self) -> SnapshotCache:
        """The supervisors' kept figures, to expire when what they count changes."""
        ...

    async def __aenter__(self) -> UnitOfWork: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    async def commit(self) -> None:
        """Make everything done in this unit of work durable."""
        ...

    async def rollback(self) -> None:
        """Discard everything done in this unit of work."""
        ...


class UnitOfWorkFactory(Protocol):
    """Creates a fresh unit of work per request."""

    def __call__(self) -> UnitOfWork: ...


S = TypeVar("S")


class Capability(Generic[S]):
    """A feature's store, kept on the unit of work under one attribute name; calling it
    with a unit of work returns that store (``records_of(uow).talks``).

    The core's :class:`UnitOfWork` names only the stores every capability shares, so the
    core never imports a feature; storage's unit of work offers every capability's store as
    well. The cast trusts it to: mypy checks storage's attributes against the ports
    (``storage/uow.py``), and a test checks that storage's and the fake unit of work offer
    every capability declared in ``handlers`` (``tests/storage/test_capabilities.py``).
    """

    def __init__(self, attribute: str) -> None:
        self.attribute = attribute

    def __call__(self, uow: UnitOfWork) -> S:
        """The store of this capability on ``uow``."""
        return cast(S, getattr(uow, self.attribute))

    def __repr__(self) -> str:
        return f"Capability({self.attribute!r})"


JSON = dict[str, Any]
