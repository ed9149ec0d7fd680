"""Planning the supervisors' summary digests: one occurrence per period, once it has ended.

Keys are ``digest:weekly:2026-W48`` (the ISO week) and ``digest:monthly:2026-11``, so
planning is idempotent like the other reminders. An occurrence falls due on the first
working morning after its period (send time, then the reminders' quiet hours, weekends and
holidays) and gets one delivery per person who chose that frequency before the period
ended. What it says is decided only when it is sent (handlers/digest/send.py): the figures
of the recipient's scope at that moment.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from handlers.core.ports import UnitOfWork
from handlers.reminders import local_at, schedule
from handlers.reminders.domain import (
    DigestFrequency,
    Occurrence,
    OccurrenceKind,
    OccurrenceSpec,
    PlanReport,
    ReminderConfig,
)
from handlers.reminders.ports import digests_of, reminders_of
from handlers.summary import SUMMARY_ROLES, month_period, parse_period, range_period
from handlers.summary.domain import Period

#: Key prefix of digest occurrences.
PREFIX = "digest"
UTC = ZoneInfo("UTC")


def period_before(frequency: DigestFrequency, today: date) -> Period:
    """The last whole period before ``today``: the previous ISO week (Monday–Sunday) or the
    previous calendar month."""
    if frequency == DigestFrequency.WEEKLY:
        monday = today - timedelta(days=today.weekday() + 7)
        return range_period(monday, monday + timedelta(days=6))
    last = today.replace(day=1) - timedelta(days=1)
    return month_period(last.year, last.month)


def code_name(frequency: DigestFrequency, period: Period) -> str:
    """The period in keys: ``2026-W48`` (ISO week of its Monday) or ``2026-11``."""
    if frequency == DigestFrequency.WEEKLY:
        year, week, _ = period.start.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{period.start.year}-{period.start.month:02d}"


def digest_key(frequency: DigestFrequency, period: Period) -> str:
    """The occurrence key of one frequency's digest of one period."""
    return f"{PREFIX}:{frequency.value}:{code_name(frequency, period)}"


def period_end(period: Period, tz: ZoneInfo) -> datetime:
    """The moment the period ends: local midnight after its last day, in UTC."""
    return local_at(period.end + timedelta(days=1), time(0), tz).astimezone(UTC)


def digest_due(period: Period, cfg: ReminderConfig, tz: ZoneInfo) -> datetime:
    """When the digest of ``period`` goes out: the first working morning after it (UTC)."""
    wanted = local_at(period.end + timedelta(days=1), cfg.send_time, tz)
    return schedule(wanted, cfg, tz).astimezone(UTC)


def occurrence_period(occ: Occurrence) -> tuple[DigestFrequency, Period] | None:
    """The frequency and period a digest occurrence covers, or None if its data is bad."""
    try:
        frequency = DigestFrequency(occ.topic)
    except ValueError:
        return None
    period = parse_period(str(occ.params.get("code", "")))
    return (frequency, period) if period is not None else None


async def plan_digests(
    uow: UnitOfWork,
    now: datetime,
    cfg: ReminderConfig,
    tz: ZoneInfo,
    frequencies: tuple[DigestFrequency, ...] = tuple(DigestFrequency),
) -> PlanReport:
    """Plan the digest of each frequency's period that ended last.

    Only that one period: after a long downtime older periods are not sent at all, and a
    due time more than the grace period ago is not planned (it would only be reported as
    missed). No occurrence is created for a period nobody subscribed to.
    """
    report = PlanReport()
    today = now.astimezone(tz).date()
    earliest = now - timedelta(hours=cfg.grace_hours)
    for frequency in frequencies:
        period = period_before(frequency, today)
        due = digest_due(period, cfg, tz)
        if due < earliest:
            continue
        people = await digests_of(uow).subscribers(frequency, period_end(period, tz), SUMMARY_ROLES)
        if not people:
            continue
        params = {
            "code": period.code,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "name": code_name(frequency, period),
        }
        key = digest_key(frequency, period)
        spec = OccurrenceSpec(key, OccurrenceKind.DIGEST, frequency.value, due, params=params)
        occ = await reminders_of(uow).ensure_occurrence(spec, now)
        report.occurrences += 1
        report.deliveries += await reminders_of(uow).add_deliveries(occ.id, people, due)
    return report
