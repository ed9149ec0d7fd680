"""Composing a summary digest at send time, for the recipient's scope as it is *now*.

The occurrence names only the frequency and the period; who the recipient is, what they may
see and in which language are read when the dispatcher sends it, so a supervisor moved to
another county gets that county's figures and one who lost the role gets nothing.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from handlers.core.domain import Unit
from handlers.core.i18n import Translator, translator
from handlers.core.ports import UnitOfWork
from handlers.core.types import Button, TextReply
from handlers.digest.plan import occurrence_period
from handlers.reminders.domain import ClaimedDelivery, DigestFrequency
from handlers.reminders.ports import digests_of
from handlers.summary import (
    SUMMARY_ROLES,
    attribution_line,
    build_summary,
    figure_lines,
    period_label,
    scope_units,
)
from handlers.summary.domain import Period, Summary

#: Scope roots given a section each (a person rarely has more than one); the rest are named.
MAX_UNITS = 4


def digest_period_label(t: Translator, frequency: DigestFrequency, period: Period) -> str:
    """``2026 week 48 (11-23 – 11-29)`` or the month as /summary names it."""
    if frequency == DigestFrequency.WEEKLY:
        year, week, _ = period.start.isocalendar()
        return t._(
            "{year} week {week} ({start} – {end})",
            year=year,
            week=week,
            start=period.start.strftime("%m-%d"),
            end=period.end.strftime("%m-%d"),
        )
    return period_label(t, period)


def digest_title(t: Translator, frequency: DigestFrequency, unit: Unit, label: str) -> str:
    """The first line of one unit's section."""
    if frequency == DigestFrequency.WEEKLY:
        return t._("📬 Weekly digest: {unit} · {period}", unit=unit.name, period=label)
    return t._("📬 Monthly digest: {unit} · {period}", unit=unit.name, period=label)


async def compose_digest(
    uow: UnitOfWork,
    d: ClaimedDelivery,
    now: datetime,
    tz: ZoneInfo,
    summaries: dict[tuple[int, str], Summary] | None = None,
) -> TextReply | None:
    """The digest for ``d``, or None when the recipient should no longer get it (no summary
    role any more, unsubscribed or switched frequency, nothing in scope).

    ``summaries`` (per unit and period) is shared by one dispatch batch: every supervisor of
    a county gets the same figures, computed once rather than once per recipient.
    """
    covered = occurrence_period(d.occurrence)
    person = await uow.people.get(d.person_id)
    if covered is None or person is None or not person.active:
        return None
    frequency, period = covered
    if not person.has_role(*SUMMARY_ROLES):
        return None
    subscription = await digests_of(uow).get(person.id)
    if subscription is None or subscription.frequency != frequency:
        return None
    units = await scope_units(uow, person)
    if not units:
        return None
    t = translator(person.language)
    label = digest_period_label(t, frequency, period)
    sections: list[str] = []
    buttons: list[tuple[Button, ...]] = []
    for unit in units[:MAX_UNITS]:
        key = (unit.id, period.code)
        s = summaries.get(key) if summaries is not None else None
        if s is None:
            s = await build_summary(uow, unit, period, now, tz)
            if summaries is not None:
                summaries[key] = s
        lines = [digest_title(t, frequency, unit, label)]
        lines += figure_lines(t, s.total, s.has_reminders, s.has_quiz)
        sections.append("\n".join(lines))
        text = t._("📊 Full summary") if len(units) == 1 else unit.name
        buttons.append((Button(text, f"sum:{unit.id}:{period.code}"),))
    if len(units) > MAX_UNITS:
        sections.append(t._("… and {n} more units: see /summary.", n=len(units) - MAX_UNITS))
    note = attribution_line(t, period)
    if note:  # a weekly or monthly digest still carries the year's annual figures
        sections.append(note)
    sections.append(t._("Sent because you chose this digest; change it with /digest."))
    return TextReply("\n\n".join(sections), tuple(buttons), chat_id=d.telegram_user_id)


class DigestComposer:
    """Composes the digests of one dispatch batch (the reminders' ``DeliveryComposer`` for
    digest deliveries), sharing each unit's figures between recipients."""

    def __init__(self, uow: UnitOfWork, tz: ZoneInfo, now: datetime | None = None) -> None:
        self.uow = uow
        self.tz = tz
        self.now = now  # when the batch is sent: the figures are as of then
        self._summaries: dict[tuple[int, str], Summary] = {}

    async def __call__(self, d: ClaimedDelivery) -> TextReply | None:
        """The digest for ``d`` (see :func:`compose_digest`)."""
        return await compose_digest(self.uow, d, self.now or d.due_at, self.tz, self._summaries)
