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
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from handlers.core.domain import Role
from handlers.core.ports import UnitOfWork
from handlers.org.roles import CADRE_ROLES
from handlers.pledges.calendar import default_pledge_calendar, shown_windows
from handlers.reminders.domain import Deadline, OccurrenceKind, ReminderConfig
from handlers.reminders.ports import DeadlineSource
from handlers.reminders.timing import local_at, schedule
from knowledge.calendar import Audience, EventDate, resolve

#: Roles (and whether only section-level cadres) behind each audience of the calendar.
AUDIENCE_ROLES: dict[Audience, tuple[tuple[Role, ...], bool]] = {
    Audience.SECTION_CADRES: (CADRE_ROLES, True),
    Audience.CADRES: (CADRE_ROLES, False),
    Audience.UNIT_HEADS: ((Role.UNIT_HEAD,), False),
    Audience.HEADS_AND_SECRETARIES: ((Role.UNIT_HEAD, Role.INSPECTOR), False),
}

#: Personal-deadline phases: days relative to the deadline.
PHASES = (("before", -3), ("today", 0), ("overdue", 1))


@dataclass
class PlanReport:
    """What one planning run did."""

    occurrences: int = 0
    deliveries: int = 0
    cancelled: int = 0
    sources: list[str] = field(default_factory=list)


async def year_events(uow: UnitOfWork, year: int) -> list[EventDate]:
    """The year's events with the administrators' dates applied; the pledge-report window
    follows the democratic life meeting's date (handlers/pledges/calendar.py)."""
    set_dates = await uow.reminders.dates(year)
    events = resolve(year, {c: (d.starts_on, d.ends_on, d.place) for c, d in set_dates.items()})
    return shown_windows(events, default_pledge_calendar().with_dates(set_dates.values()))


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
                occ = await uow.reminders.ensure_occurrence(
                    key,
                    OccurrenceKind.EVENT,
                    event.spec.code,
                    due,
                    escalate,
                    {"year": y, "lead": lead, "starts_on": event.starts_on.isoformat()},
                    now,
                )
                report.occurrences += 1
                roles, section_only = AUDIENCE_ROLES[event.spec.audience]
                report.deliveries += await uow.reminders.add_audience_deliveries(
                    occ.id, roles, section_only, due
                )
            # A date changed by an administrator: the old date's unsent reminders go.
            report.cancelled += await uow.reminders.cancel_stale(prefix, keep)
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
            occ = await uow.reminders.ensure_occurrence(
                key,
                OccurrenceKind.DEADLINE,
                kind,
                due,
                due + timedelta(hours=cfg.escalate_hours),
                {"due": due_day.isoformat(), "phase": phase},
                now,
            )
            report.occurrences += 1
            report.deliveries += await uow.reminders.add_deliveries(occ.id, people, due)
        report.cancelled += await uow.reminders.cancel_stale(f"dl:{name}:", [], keep_pairs=keep)
    return report


# -- deadline sources from the other capabilities -------------------------------------------
async def pledge_deadlines(uow: UnitOfWork, now: datetime) -> list[Deadline]:
    """Cadres who still have to pledge this year (handlers.pledges.commands.pending_pledges)."""
    from handlers.pledges.commands import pending_pledges

    year = now.year
    return [
        Deadline(p.person.id, f"pledge:{year}:{p.person.id}", p.due, "pledge")
        for p in await pending_pledges(uow, ["/"], year, now)
    ]


async def checkin_deadlines(uow: UnitOfWork, now: datetime) -> list[Deadline]:
    """Pledges whose check-in window is open or closed without a report."""
    from handlers.pledges.commands import pending_checkins

    return [
        Deadline(c.person.id, f"checkin:{c.pledge.id}:{c.window.period}", c.window.end, "checkin")
        for c in await pending_checkins(uow, ["/"], now.year, now)
    ]


async def notice_deadlines(uow: UnitOfWork, now: datetime) -> list[Deadline]:
    """Open rectification notices: their recipient, or the unit's principals if none named."""
    from handlers.records.notice_deadlines import notices_due

    out: list[Deadline] = []
    for due in await notices_due(uow, now.date(), within_days=60):
        n = due.notice
        if n.status.value == "submitted":
            continue  # the report awaits the inspector's decision
        recipients = [n.recipient_id] if n.recipient_id else []
        if not recipients:
            unit = await uow.units.get(n.unit_id)
            if unit is not None:
                heads = await uow.people.holders_over(unit.path, Role.UNIT_HEAD)
                recipients = [p.id for p in heads if p.unit_id == unit.id]
        out.extend(Deadline(pid, f"notice:{n.id}", n.deadline, "notice") for pid in recipients)
    return out


#: The deadline sources wired today: (kind, source). Keys of ``dl:`` occurrences use the kind.
DEFAULT_SOURCES: tuple[tuple[str, DeadlineSource], ...] = (
    ("pledge", pledge_deadlines),
    ("checkin", checkin_deadlines),
    ("notice", notice_deadlines),
)
