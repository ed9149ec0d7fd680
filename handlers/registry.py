"""The one module that imports every capability: the routers the assistant is built from,
and what one capability takes from another without importing it (the deadlines reminders
plan, the digests they send, the rating check of the assessment form). One place to add a
module.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from handlers.calendar import commands as calendar_cmd
from handlers.core.domain import Role
from handlers.core.ports import UnitOfWork
from handlers.core.rating_bars import RATING_BARS
from handlers.core.router import Router
from handlers.digest import commands as digest
from handlers.digest.send import DigestComposer
from handlers.eligibility import commands as eligibility
from handlers.eligibility.judging import rating_bars
from handlers.home import commands as basic
from handlers.org import admin, reactivation, registration, role_admin
from handlers.org.role_hooks import ROLE_GRANTED
from handlers.pledges import commands as pledge
from handlers.pledges.commands import pending_checkins, pending_pledges
from handlers.qa import ask
from handlers.quiz import commands as quiz
from handlers.quiz import typed as quiz_typed
from handlers.records import commands as records
from handlers.records.notice_changes import tell_new_principal
from handlers.records.notice_deadlines import notices_due
from handlers.reminders import commands as reminders
from handlers.reminders.deadline_items import DEADLINE_ITEMS
from handlers.reminders.domain import Deadline
from handlers.reminders.ports import DeadlineSource
from handlers.reminders.send import Composer
from handlers.shortcuts import typed as typed_shortcuts
from handlers.summary import commands as summary_cmd


def all_routers() -> list[Router]:
    """Every capability module's router, in registration order; assembling them also plugs
    eligibility's rating check into the forms that rate people up (records cannot import
    eligibility, which reads the records)."""
    RATING_BARS.check = rating_bars
    DEADLINE_ITEMS.lookup = notice_numbers
    ROLE_GRANTED.listeners = [tell_new_principal]
    return [
        registration.router,
        basic.router,
        ask.router,
        admin.router,
        role_admin.router,
        reactivation.router,
        pledge.router,
        records.router,
        eligibility.router,
        reminders.router,
        calendar_cmd.router,
        quiz.router,
        summary_cmd.router,
        digest.router,
        typed_shortcuts.router,
        quiz_typed.router,  # after 收到 and the named features
    ]


# -- the personal deadlines reminders plan (handlers.reminders.plan.plan_deadlines) ----------
async def pledge_deadlines(uow: UnitOfWork, now: datetime) -> list[Deadline]:
    """Cadres who still have to pledge this year (handlers.pledges.status.pending_pledges)."""
    year = now.year
    return [
        Deadline(p.person.id, f"pledge:{year}:{p.person.id}", p.due, "pledge")
        for p in await pending_pledges(uow, ["/"], year, now)
    ]


async def checkin_deadlines(uow: UnitOfWork, now: datetime) -> list[Deadline]:
    """Pledges whose check-in window is open or closed without a report."""
    return [
        Deadline(c.person.id, f"checkin:{c.pledge.id}:{c.window.period}", c.window.end, "checkin")
        for c in await pending_checkins(uow, ["/"], now.year, now)
    ]


async def notice_deadlines(uow: UnitOfWork, now: datetime, within_days: int = 60) -> list[Deadline]:
    """Open rectification notices: their recipient, or the unit's principals if none named."""
    out: list[Deadline] = []
    for due in await notices_due(uow, now.date(), within_days=within_days):
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


async def notice_numbers(uow: UnitOfWork, kind: str, due: date) -> dict[int, list[int]]:
    """Person id -> the open notices their notice deadline on ``due`` is about (as
    :func:`notice_deadlines` plans them): the reminder names them."""
    if kind != "notice":
        return {}
    numbers: dict[int, list[int]] = {}
    for deadline in await notice_deadlines_on(uow, due):
        numbers.setdefault(deadline.person_id, []).append(int(deadline.key.split(":")[1]))
    return {person: sorted(ids) for person, ids in numbers.items()}


async def notice_deadlines_on(uow: UnitOfWork, due: date) -> list[Deadline]:
    """The notice deadlines falling on ``due``."""
    day = datetime.combine(due, datetime.min.time())
    return [d for d in await notice_deadlines(uow, day, within_days=0) if d.due == due]


#: The deadline sources wired today: (kind, source). Keys of ``dl:`` occurrences use the kind.
DEFAULT_SOURCES: tuple[tuple[str, DeadlineSource], ...] = (
    ("pledge", pledge_deadlines),
    ("checkin", checkin_deadlines),
    ("notice", notice_deadlines),
)


# -- what the dispatcher sends (bot/scheduler/sending.py) ------------------------------------
def delivery_composer(uow: UnitOfWork, tz: ZoneInfo, now: datetime | None = None) -> Composer:
    """The composer of one dispatch batch: reminders and escalations by the reminders,
    digests by the digest capability."""
    return Composer(uow, tz, now, digests=DigestComposer(uow, tz, now))
