"""The core side of dispatching: what to send for a claimed delivery, repeats, escalation.

The dispatcher (bot/dispatcher.py) claims rows and talks to the front end's sender; every
decision about content and timing is made here, framework-free.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from handlers.digest_send import compose_digest
from handlers.domain import Role, Unit
from handlers.domain_reminders import (
    ACKNOWLEDGEABLE_KINDS,
    AckStatus,
    ClaimedDelivery,
    DeliveryStatus,
    Occurrence,
    OccurrenceKind,
    ReminderConfig,
)
from handlers.i18n import translator
from handlers.ports import UnitOfWork
from handlers.reminders_text import ack_buttons, reminder_text, topic_title
from handlers.reminders_time import schedule
from handlers.types import TextReply

#: Escalation lists longer than this are cut (the rest is counted).
ESCALATION_LINES = 40


class Composer:
    """Builds replies for claimed deliveries; caches units and places for one batch."""

    def __init__(self, uow: UnitOfWork, tz: ZoneInfo, now: datetime | None = None) -> None:
        self.uow = uow
        self.tz = tz
        self.now = now  # when the batch is sent (digests' figures are as of then)
        self._units: dict[int, Unit | None] = {}
        self._places: dict[int, dict[str, str]] = {}

    async def _unit(self, unit_id: int) -> Unit | None:
        if unit_id not in self._units:
            self._units[unit_id] = await self.uow.units.get(unit_id)
        return self._units[unit_id]

    async def _place(self, occ: Occurrence) -> str:
        year = int(occ.params.get("year", 0))
        if year not in self._places:
            dates = await self.uow.reminders.dates(year)
            self._places[year] = {c: d.place for c, d in dates.items()}
        return self._places[year].get(occ.topic, "")

    async def compose(self, d: ClaimedDelivery) -> TextReply | None:
        """The message for ``d``, or None when there is nothing to say any more."""
        assert d.telegram_user_id is not None
        t = translator(d.language)
        occ = d.occurrence
        if occ.kind == OccurrenceKind.ESCALATION:
            text = await self._escalation_text(d)
            return TextReply(text, chat_id=d.telegram_user_id) if text else None
        if occ.kind == OccurrenceKind.DIGEST:
            return await compose_digest(self.uow, d, self.now or d.due_at, self.tz)
        place = await self._place(occ) if occ.kind == OccurrenceKind.EVENT else ""
        return TextReply(
            reminder_text(t, occ, place, repeat=d.sends > 0),
            ack_buttons(t, d.id),
            chat_id=d.telegram_user_id,
        )

    async def _escalation_text(self, d: ClaimedDelivery) -> str | None:
        t = translator(d.language)
        recipient = await self.uow.people.get(d.person_id)
        original = await self.uow.reminders.occurrence(int(d.occurrence.params.get("of", 0)))
        if recipient is None or original is None:
            return None
        scope = recipient.scope_paths(Role.UNIT_HEAD, Role.SUPERVISOR)
        lines = []
        for v in await self.uow.reminders.unacknowledged(original.id):
            unit = await self._unit(v.unit_id)
            if unit is not None and any(unit.path.startswith(p) for p in scope):
                lines.append(f"· {v.person_name}（{unit.name}）")
        if not lines:
            return None
        head = t._(
            "📋 Not yet acknowledged ({n}): “{title}”",
            n=len(lines),
            title=topic_title(t, original),
        )
        shown = lines[:ESCALATION_LINES]
        if len(lines) > len(shown):
            shown.append(t._("… and {n} more", n=len(lines) - len(shown)))
        return "\n".join([head, *shown])


def repeat_at(
    d: ClaimedDelivery, now: datetime, cfg: ReminderConfig, tz: ZoneInfo
) -> datetime | None:
    """When to repeat an unacknowledged reminder just sent, or None for no more repeats.

    Only kinds that ask for an acknowledgement repeat (not escalations or digests)."""
    if d.occurrence.kind not in ACKNOWLEDGEABLE_KINDS or d.ack != AckStatus.NONE:
        return None
    if d.sends + 1 > cfg.repeat_limit:
        return None
    return schedule(now + timedelta(hours=cfg.repeat_hours), cfg, tz)


def unsent_status(d: ClaimedDelivery) -> DeliveryStatus:
    """How to record a claimed delivery that :meth:`Composer.compose` had nothing for.

    A digest whose recipient lost the role (or unsubscribed) is cancelled: it was not sent.
    An escalation everyone answered in the meantime counts as done (sent, nothing to add).
    """
    if d.occurrence.kind == OccurrenceKind.DIGEST:
        return DeliveryStatus.CANCELLED
    return DeliveryStatus.SENT


async def escalate(uow: UnitOfWork, now: datetime, limit: int = 50) -> int:
    """Plan escalation messages for occurrences whose acknowledgement delay has passed.

    Recipients: the principals of the units with unacknowledged reminders and the
    supervisors above them. Returns the number of escalation deliveries planned.
    """
    planned = 0
    for occ in await uow.reminders.claim_escalations(now, limit):
        pending = await uow.reminders.unacknowledged(occ.id)
        recipients: set[int] = set()
        paths: dict[int, str] = {}
        for v in pending:
            if v.unit_id not in paths:
                unit = await uow.units.get(v.unit_id)
                paths[v.unit_id] = unit.path if unit else ""
        for path in {p for p in paths.values() if p}:
            for role in (Role.UNIT_HEAD, Role.SUPERVISOR):
                recipients.update(p.id for p in await uow.people.holders_over(path, role))
        if not recipients:
            continue
        esc = await uow.reminders.ensure_occurrence(
            f"esc:{occ.id}",
            OccurrenceKind.ESCALATION,
            occ.topic,
            now,
            None,
            {"of": occ.id},
            now,
        )
        planned += await uow.reminders.add_deliveries(esc.id, sorted(recipients), now)
    return planned
