"""What a reminder says: text and acknowledgement buttons, in the recipient's language."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from handlers.core.i18n import Translator
from handlers.core.types import Button, Keyboard
from handlers.reminders.domain import AckStatus, DeliveryStatus, Occurrence, OccurrenceKind
from knowledge.calendar import event_by_code

#: Button prefix of the acknowledgement buttons: ``rem:r|d|t:DELIVERY_ID``.
ACK_PREFIX = "rem"
ACK_CODES = {"r": AckStatus.RECEIVED, "d": AckStatus.DONE, "t": AckStatus.SNOOZED}


def fmt_day(day: date) -> str:
    """A date as people write it (2026-08-01)."""
    return day.isoformat()


def event_name(t: Translator, code: str) -> str:
    """The calendar event's name in the translator's language."""
    spec = event_by_code(code)
    return spec.label(t.language) if spec else code


def deadline_name(t: Translator, kind: str) -> str:
    """What a personal deadline is about."""
    names = {
        "pledge": t._("your integrity pledge (/pledge)"),
        "checkin": t._("your pledge fulfilment report (/checkin)"),
        "notice": t._("the rectification report on a time-limited rectification notice"),
    }
    return names.get(kind, kind)


def topic_title(t: Translator, occ: Occurrence) -> str:
    """A short title for lists: the event or the deadline with its date, or the digest."""
    if occ.kind == OccurrenceKind.DIGEST:
        name = occ.params.get("name", "")
        if occ.topic == "weekly":
            return t._("Weekly summary digest, {period}", period=name)
        return t._("Monthly summary digest, {period}", period=name)
    if occ.kind == OccurrenceKind.DEADLINE:
        return t._(
            "Deadline: {what}, {day}",
            what=deadline_name(t, occ.topic),
            day=occ.params.get("due", ""),
        )
    return t._(
        "{event}, {day}", event=event_name(t, occ.topic), day=occ.params.get("starts_on", "")
    )


def _days_to(day: str, today: date | None) -> int | None:
    """Days from ``today`` to the ISO ``day`` (None when either is unknown)."""
    try:
        return (date.fromisoformat(day) - today).days if today is not None else None
    except ValueError:
        return None


def reminder_text(
    t: Translator,
    occ: Occurrence,
    place: str = "",
    repeat: bool = False,
    today: date | None = None,
) -> str:
    """The body of an event or deadline reminder. With ``today`` (the day it is sent), the
    wording is worked out from the dates: a "today" reminder repeated or snoozed to the
    next day must not say "today" again."""
    p = occ.params
    if occ.kind == OccurrenceKind.DEADLINE:
        what, day = deadline_name(t, occ.topic), p.get("due", "")
        phase = p.get("phase")
        left = _days_to(day, today)
        if left is not None and phase in ("before", "today"):
            phase = "before" if left > 0 else "today" if left == 0 else "overdue"
        if phase == "before":
            text = t._("⏰ Reminder: {what} is due on {day}.", what=what, day=day)
        elif phase == "today":
            text = t._("⏰ Today is the deadline for {what} ({day}).", what=what, day=day)
        else:
            text = t._(
                "⚠️ Overdue: {what} was due on {day}. Please see to it now.", what=what, day=day
            )
    else:
        spec = event_by_code(occ.topic)
        name = spec.label(t.language) if spec else occ.topic
        day = p.get("starts_on", "")
        left = _days_to(day, today)
        lead = int(p.get("lead", 0)) if left is None else left
        if lead < 0:
            text = t._("📅 {event} took place on {day}.", event=name, day=day)
        elif lead == 0:
            text = t._("📅 Today: {event}.", event=name)
        else:
            text = t.n_(
                "📅 In {n} day: {event} on {day}.",
                "📅 In {n} days: {event} on {day}.",
                lead,
                event=name,
                day=day,
            )
        if place:
            text += "\n" + t._("Place: {place}", place=place)
        note = spec.note_in(t.language) if spec else ""
        if note:
            text += "\n" + note
    if repeat:
        text = t._("(Reminder again)") + " " + text
    return text


def ack_buttons(t: Translator, delivery_id: int) -> Keyboard:
    """收到 / 已完成 / 明天提醒我."""
    return (
        (
            Button(t._("Got it"), f"{ACK_PREFIX}:r:{delivery_id}"),
            Button(t._("Done"), f"{ACK_PREFIX}:d:{delivery_id}"),
        ),
        (Button(t._("Remind me tomorrow"), f"{ACK_PREFIX}:t:{delivery_id}"),),
    )


def ack_label(t: Translator, ack: AckStatus) -> str:
    """How an acknowledgement is shown."""
    return {
        AckStatus.NONE: t._("not acknowledged"),
        AckStatus.RECEIVED: t._("got it"),
        AckStatus.DONE: t._("done"),
        AckStatus.SNOOZED: t._("remind tomorrow"),
    }[ack]


def status_label(
    t: Translator, status: DeliveryStatus, due_at: datetime, tz: ZoneInfo, sends: int = 0
) -> str:
    """How a delivery's state is shown in /reminders; one already sent and due again (a
    repeat, "remind me tomorrow") says both, not "planned" as if never sent."""
    when = due_at.astimezone(tz).strftime("%m-%d %H:%M")
    if status == DeliveryStatus.PENDING and sends > 0:
        return t._("sent; again {when}", when=when)
    return {
        DeliveryStatus.PENDING: t._("to be sent {when}", when=when),
        DeliveryStatus.SENDING: t._("sending"),
        DeliveryStatus.SENT: t._("sent"),
        DeliveryStatus.MISSED: t._("missed (the bot was down)"),
        DeliveryStatus.FAILED: t._("could not be delivered"),
        DeliveryStatus.CANCELLED: t._("no longer needed"),
    }[status]
