"""The core side of dispatching: what to send for a claimed delivery, repeats, escalation.

The dispatcher (bot/scheduler/dispatcher.py) claims rows and talks to the front end's sender; every
decision about content and timing is made here, framework-free.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from handlers.calendar.ports import calendar_of
from handlers.core.domain import Role, Unit
from handlers.core.i18n import translator
from handlers.core.ports import UnitOfWork
from handlers.core.types import TextReply
from handlers.reminders.deadline_items import DEADLINE_ITEMS, body_with_items
from handlers.reminders.domain import (
    ACKNOWLEDGEABLE_KINDS,
    AckStatus,
    ClaimedDelivery,
    DeliveryStatus,
    Occurrence,
    OccurrenceKind,
    OccurrenceSpec,
    ReminderConfig,
    series_of,
)
from handlers.reminders.ports import reminders_of
from handlers.reminders.text import ack_buttons, reminder_text, topic_title
from handlers.reminders.timing import schedule

#: Escalation lists show at most this many units, and this many names per unit (the rest
#: is counted).
ESCALATION_LINES = 40
ESCALATION_NAMES = 30
#: An escalation list always fits one Telegram message (4,096 characters): the dispatcher
#: sends a delivery as a whole, so a list split in two would be sent again whole when its
#: second part failed. Units beyond this budget are counted, not listed.
ESCALATION_BUDGET = 3900


#: Composes the message of a claimed delivery whose content another capability owns (a
#: digest's figures); None when there is nothing to send any more.
DeliveryComposer = Callable[[ClaimedDelivery], Awaitable[TextReply | None]]


class Composer:
    """Builds replies for claimed deliveries; caches units and places for one batch.

    Digests are composed by ``digests`` (the digest capability's, wired in
    :mod:`handlers.registry`): reminders send them but do not know summaries.
    """

    def __init__(
        self,
        uow: UnitOfWork,
        tz: ZoneInfo,
        now: datetime | None = None,
        *,
        digests: DeliveryComposer,
    ) -> None:
        self.uow = uow
        self.tz = tz
        self.now = now  # when the batch is sent
        # The batch's local day, which reminders are worded from (once, not per delivery).
        self.today = now.astimezone(tz).date() if now is not None else None
        self.digests = digests
        self._units: dict[int, Unit | None] = {}
        self._places: dict[int, dict[str, str]] = {}
        self._items: dict[int, dict[int, list[int]]] = {}

    async def _unit(self, unit_id: int) -> Unit | None:
        if unit_id not in self._units:
            self._units[unit_id] = await self.uow.units.get(unit_id)
        return self._units[unit_id]

    async def _place(self, occ: Occurrence) -> str:
        year = int(occ.params.get("year", 0))
        if year not in self._places:
            dates = await calendar_of(self.uow).dates(year)
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
            return await self.digests(d)
        place = await self._place(occ) if occ.kind == OccurrenceKind.EVENT else ""
        text = reminder_text(t, occ, place, repeat=d.sends > 0, today=self.today)
        # Which notices a shared deadline reminder is about, for this person (looked up
        # once per occurrence in a batch, not once per recipient).
        if occ.id not in self._items:
            self._items[occ.id] = await DEADLINE_ITEMS.by_person(self.uow, occ)
        numbers = self._items[occ.id].get(d.person_id, [])
        return TextReply(
            body_with_items(t, text, numbers), ack_buttons(t, d.id), chat_id=d.telegram_user_id
        )

    async def _escalation_text(self, d: ClaimedDelivery) -> str | None:
        t = translator(d.language)
        recipient = await self.uow.people.get(d.person_id)
        original = await reminders_of(self.uow).occurrence(int(d.occurrence.params.get("of", 0)))
        if recipient is None or original is None:
            return None
        series = series_of(original.key)
        if series is None:
            return None
        # Worked out now, not when the escalation was planned: whoever acknowledged since
        # (any round of the series) is left out.
        scope = recipient.scope_paths(*escalation_roles(original.kind))
        by_unit: dict[int, list[str]] = {}
        for v in await reminders_of(self.uow).unacknowledged(series, scope):
            if v.person_id != recipient.id:  # a principal is not told about himself
                by_unit.setdefault(v.unit_id, []).append(v.person_name)
        if not by_unit:
            return None
        lines = [
            t._(
                "📋 Not yet acknowledged ({n}): “{title}”",
                n=sum(len(names) for names in by_unit.values()),
                title=topic_title(t, original),
            )
        ]
        size = len(lines[0])
        listed = 0
        for unit_id, names in list(by_unit.items())[:ESCALATION_LINES]:
            unit = await self._unit(unit_id)
            shown = t.join(names[:ESCALATION_NAMES])
            if len(names) > ESCALATION_NAMES:
                shown += t._(" and {n} more", n=len(names) - ESCALATION_NAMES)
            line = f"· {t.aside(unit.name if unit else unit_id, len(names))}{t.colon}{shown}"
            if size + 1 + len(line) > ESCALATION_BUDGET:
                break
            lines.append(line)
            size += 1 + len(line)
            listed += 1
        if len(by_unit) > listed:
            lines.append(t._("… and {n} more units", n=len(by_unit) - listed))
        return "\n".join(lines)


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


def escalation_roles(kind: OccurrenceKind) -> tuple[Role, ...]:
    """Who is told who has not acknowledged: unit principals and supervisors over the
    people's units; for personal deadlines also discipline inspectors, who follow up
    pledges, check-ins and rectification notices."""
    if kind == OccurrenceKind.DEADLINE:
        return (Role.UNIT_HEAD, Role.SUPERVISOR, Role.INSPECTOR)
    return (Role.UNIT_HEAD, Role.SUPERVISOR)


async def escalate(uow: UnitOfWork, now: datetime, limit: int = 50) -> int:
    """Plan escalation messages for rounds whose acknowledgement delay has passed.

    Every round people must acknowledge (each lead time of an event, each phase of a
    personal deadline) has an escalation time, so a list goes out even when the first round
    was never planned (a date set late, a deadline found late). But what a principal wants
    is one list per event date or deadline, not one per round: the escalation occurrence is
    keyed by the *series* (``esc:`` + :attr:`Series.key`) and deliveries are unique per
    (occurrence, recipient), so each recipient gets at most one list per series: the first
    round that falls due with people still silent sends it, while there is time to act, and
    later rounds only reach principals whose units had nobody silent before. The list is
    composed when it is sent and leaves out whoever acknowledged any round meanwhile; when
    nobody in the recipient's units is left, nothing is sent. Returns deliveries planned.
    """
    planned = 0
    paths: dict[int, str] = {}
    holders: dict[tuple[str, Role], list[int]] = {}
    for occ in await reminders_of(uow).claim_escalations(now, limit):
        series = series_of(occ.key)
        if series is None:
            continue
        recipients: set[int] = set()
        for unit_id in await reminders_of(uow).unacknowledged_units(series):
            if unit_id not in paths:
                unit = await uow.units.get(unit_id)
                paths[unit_id] = unit.path if unit else ""
            if not paths[unit_id]:
                continue
            for role in escalation_roles(occ.kind):
                key = (paths[unit_id], role)
                if key not in holders:
                    holders[key] = [p.id for p in await uow.people.holders_over(key[0], role)]
                recipients.update(holders[key])
        if not recipients:
            continue
        spec = OccurrenceSpec(
            f"esc:{series.key}", OccurrenceKind.ESCALATION, occ.topic, now, params={"of": occ.id}
        )
        esc = await reminders_of(uow).ensure_occurrence(spec, now)
        planned += await reminders_of(uow).add_deliveries(esc.id, sorted(recipients), now)
    return planned
