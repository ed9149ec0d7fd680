"""Planning: turn the calendar and personal deadlines into delivery rows, idempotently.

Planning may run any number of times, from any number of instances: occurrences are keyed
(``ev:…`` for calendar events, ``dl:…`` for deadlines) and deliveries are unique per
(occurrence, person), so a second run adds only what is new (a newly registered cadre, a
date an administrator just set) and cancels what no longer applies.

Every round people are asked to acknowledge carries an escalation time (``escalate_hours``
after it is due); handlers.reminders.send.escalate explains why that still gives one list per
event date or deadline, not one per round.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from handlers.calendar.events import AUDIENCE_ROLES, year_events
from handlers.core.ports import UnitOfWork
from handlers.reminders.domain import (
    OccurrenceKind,
    OccurrenceSpec,
    Planned,
    PlanReport,
    ReminderConfig,
)
from handlers.reminders.ports import DeadlineSource, reminders_of
from handlers.reminders.timing import local_at, schedule
from knowledge.calendar import EventDate

#: Personal-deadline phases: days relative to the deadline.
PHASES = (("before", -3), ("today", 0), ("overdue", 1))


def event_moments(
    event: EventDate, cfg: ReminderConfig, tz: ZoneInfo
) -> list[tuple[int, datetime]]:
    """(lead days, UTC send time) for each of the event's lead times."""
    start = local_at(event.starts_on, cfg.day_of_time, tz)
    out = []
    for lead in event.spec.leads:
        at = cfg.day_of_time if lead == 0 else cfg.send_time
        wanted = local_at(event.starts_on - timedelta(days=lead), at, tz)
        limit = start if lead > 0 else None
        out.append((lead, schedule(wanted, cfg, tz, limit).astimezone(wanted.tzinfo)))
    return [(lead, moment.astimezone(ZoneInfo("UTC"))) for lead, moment in out]


async def plan_events(
    uow: UnitOfWork,
    now: datetime,
    cfg: ReminderConfig,
    tz: ZoneInfo,
    horizon: timedelta | None = None,
) -> PlanReport:
    """Plan calendar-event reminders falling due from ``now - grace`` to ``now + horizon``."""
    report = PlanReport()
    horizon = horizon if horizon is not None else timedelta(days=cfg.plan_horizon_days)
    earliest, latest = now - timedelta(hours=cfg.grace_hours), now + horizon
    year = now.astimezone(tz).year
    for y in range(year, latest.astimezone(tz).year + 1):
        for event in await year_events(uow, y):
            prefix = f"ev:{event.spec.code}:{y}:"
            keep: list[str] = []
            # A list of who has not acknowledged helps only while the event is still ahead
            # or running: none is planned for after its last day.
            over = local_at(event.last_day + timedelta(days=1), time(0), tz)
            for lead, due in event_moments(event, cfg, tz):
                key = f"{prefix}{lead}:{event.starts_on.isoformat()}"
                keep.append(key)
                if not earliest <= due <= latest:
                    continue
                late = due + timedelta(hours=cfg.escalate_hours)
                escalate = late if late < over else None
                params = {"year": y, "lead": lead, "starts_on": event.starts_on.isoformat()}
                spec = OccurrenceSpec(
                    key, OccurrenceKind.EVENT, event.spec.code, due, escalate, params
                )
                occ = await reminders_of(uow).ensure_occurrence(spec, now)
                report.occurrences += 1
                roles, section_only = AUDIENCE_ROLES[event.spec.audience]
                report.deliveries += await reminders_of(uow).add_audience_deliveries(
                    occ.id, roles, section_only, due
                )
            # A date changed by an administrator: the old date's unsent reminders go.
            planned = Planned(prefix, keys=frozenset(keep))
            report.cancelled += await reminders_of(uow).cancel_stale(planned)
    return report


async def plan_deadlines(
    uow: UnitOfWork,
    now: datetime,
    cfg: ReminderConfig,
    tz: ZoneInfo,
    sources: Sequence[tuple[str, DeadlineSource]],
    horizon: timedelta | None = None,
) -> PlanReport:
    """Plan before / on the day / overdue reminders of personal deadlines.

    One occurrence per (kind, deadline day, phase) shared by everyone with such a deadline;
    a person whose item is no longer pending loses the reminders not yet sent.
    """
    report = PlanReport()
    horizon = horizon if horizon is not None else timedelta(days=cfg.plan_horizon_days)
    earliest, latest = now - timedelta(hours=cfg.grace_hours), now + horizon
    for name, source in sources:
        deadlines = await source(uow, now)
        report.sources.append(name)
        groups: dict[tuple[str, date, str, int], list[int]] = defaultdict(list)
        for d in deadlines:
            for phase, offset in PHASES:
                groups[(d.kind, d.due, phase, offset)].append(d.person_id)
        keep: list[tuple[str, int]] = []
        for (kind, due_day, phase, offset), people in sorted(groups.items()):
            key = f"dl:{kind}:{due_day.isoformat()}:{phase}"
            keep.extend((key, p) for p in people)
            at = cfg.day_of_time if offset == 0 else cfg.send_time
            due = schedule(local_at(due_day + timedelta(days=offset), at, tz), cfg, tz)
            due = due.astimezone(ZoneInfo("UTC"))
            if not earliest <= due <= latest:
                continue
            late = due + timedelta(hours=cfg.escalate_hours)
            params = {"due": due_day.isoformat(), "phase": phase}
            spec = OccurrenceSpec(key, OccurrenceKind.DEADLINE, kind, due, late, params)
            occ = await reminders_of(uow).ensure_occurrence(spec, now)
            report.occurrences += 1
            report.deliveries += await reminders_of(uow).add_deliveries(occ.id, people, due)
        planned = Planned(f"dl:{name}:", pairs=frozenset(keep))
        report.cancelled += await reminders_of(uow).cancel_stale(planned)
    return report
