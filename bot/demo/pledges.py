"""Demo pledges, check-ins and appraisals on top of the demo organisation (see bot/demo/organisation.py).

Relative to ``now`` (year Y in Shanghai): last year has complete records for most cadres
(pledge, both check-ins — a few late — and an appraisal); this year has pledges made public
on 15 January (once that day has come) and check-ins for windows that have opened, some
on time, some late, some missing, so /unitpledges has something to show. 何静 (1109) and
萧然 (1210) have not pledged at all, and 程远 (1211) is not at section level.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from handlers.calendar.domain import Period
from handlers.core.domain import Grade, Person, Role
from handlers.core.ports import UnitOfWork
from handlers.pledges.calendar import DEFAULT_TZ, local_date, pledge_calendar
from handlers.pledges.domain import (
    Appraisal,
    CheckinEntry,
    Evidence,
    EvidenceKind,
    Fulfilment,
    NewCheckin,
    PledgeContent,
    PostType,
    PublishVia,
)
from handlers.pledges.ports import appraisals_of, checkins_of, pledges_of
from handlers.pledges.status import must_pledge
from knowledge.pledges import default_suggestions

#: Demo people who have made no pledge (so reminders and "who is missing" have examples).
NEVER_PLEDGED = frozenset({1109, 1210})
#: Who reported the mid-year check-in late (by Telegram id), and who not at all this year.
LATE = frozenset({1006, 1205})
MISSING_THIS_YEAR = frozenset({1110, 1209})

EXPLANATIONS = (
    "按计划推进，已在班子会上通报进展。",
    "全年严格执行，未发现违反情况。",
    "已建立台账，逐项对照落实。",
    "部分工作受客观因素影响，尚在推进中。",
)
GRADES = (Grade.PASSED, Grade.EXCELLENT, Grade.PASSED, Grade.PASSED, Grade.FAILED)
SHARES = ((86.0, 11.0, 3.0), (92.5, 6.0, 1.5), (78.0, 18.0, 4.0), (81.0, 15.0, 4.0))


@dataclass(frozen=True)
class _Cadre:
    person: Person
    telegram_id: int
    index: int


def _at(day: date, hour: int = 10) -> datetime:
    """A Shanghai wall-clock hour on ``day``, as UTC."""
    return datetime.combine(day, time(hour), DEFAULT_TZ).astimezone(UTC)


def post_type_of(person: Person) -> PostType:
    """A plausible post type for a demo person."""
    if person.has_role(Role.UNIT_HEAD):
        return PostType.PRINCIPAL
    if person.has_role(Role.INSPECTOR):
        return PostType.DISCIPLINE
    return PostType.MEMBER if "副" in person.post or "长" in person.post else PostType.SECTION


def _items(post: PostType, index: int) -> list[str]:
    options = default_suggestions()[post.value]
    count = 3 + index % 2
    return [options[(index + k) % len(options)].zh for k in range(count)]


def _entries(items: list[str], index: int, with_note: bool) -> list[CheckinEntry]:
    out = []
    for k, _item in enumerate(items):
        status = Fulfilment.PARTLY if (index + k) % 5 == 3 else Fulfilment.KEPT
        explanation = EXPLANATIONS[3] if status == Fulfilment.PARTLY else EXPLANATIONS[k % 3]
        evidence = (
            Evidence(EvidenceKind.NOTE, "详见本单位专题民主生活会会议记录。")
            if with_note and k == 0
            else None
        )
        out.append(CheckinEntry(status, explanation, evidence))
    return out


async def _cadres(uow: UnitOfWork) -> list[_Cadre]:
    root = await uow.units.by_code("PY")
    people = await uow.people.in_units([root.path]) if root else []
    people.sort(key=lambda p: p.telegram_user_id or 0)
    return [
        _Cadre(p, p.telegram_user_id or 0, index)
        for index, p in enumerate(people)
        if must_pledge(p) and p.telegram_user_id not in NEVER_PLEDGED
    ]


async def _appraiser(uow: UnitOfWork, person: Person) -> Person | None:
    """The unit principal over the person's unit, or for a principal the nearest inspector."""
    unit = await uow.units.get(person.unit_id)
    if unit is None:
        return None
    for role in (Role.UNIT_HEAD, Role.INSPECTOR):
        holders = [p for p in await uow.people.holders_over(unit.path, role) if p.id != person.id]
        # The holder whose grant is closest to the unit (longest path) is the direct superior.
        holders.sort(key=lambda p: -max(len(g.unit_path) for g in p.grants if g.role == role))
        if holders:
            return holders[0]
    return None


async def _year(uow: UnitOfWork, cadres: list[_Cadre], year: int, today: date) -> None:
    """Pledges and whatever check-ins and appraisals ``today`` allows for one year."""
    calendar = await pledge_calendar(uow)
    made = date(year, 1, 10)
    if today < made:
        return
    for c in cadres:
        post = post_type_of(c.person)
        items = _items(post, c.index)
        via = PublishVia.MEETING if c.index % 3 else PublishVia.MEDIA
        content = PledgeContent(post, tuple(items), via, date(year, 1, 15))
        pledge = await pledges_of(uow).add(c.person.id, c.person.unit_id, year, content, _at(made))
        reported = 0
        for window in calendar.windows_for(year):
            if c.telegram_id in MISSING_THIS_YEAR and year == today.year:
                break
            late = c.telegram_id in LATE and window.period == Period.MIDYEAR
            if late:
                when = window.end + timedelta(days=5)
            else:
                when = min(window.start + timedelta(days=14), window.end)
            if when > today:
                break
            entries = _entries(items, c.index, with_note=c.index % 2 == 0)
            new = NewCheckin(pledge.id, c.person.id, window.period, tuple(entries), late)
            await checkins_of(uow).add(new, _at(when))
            reported += 1
        if reported == len(calendar.windows) and year < today.year:
            appraiser = await _appraiser(uow, c.person)
            if appraiser is None:
                continue
            good, fair, poor = SHARES[c.index % len(SHARES)]
            score = 80.0 + c.index % 15 if c.index % 4 == 0 else None
            await appraisals_of(uow).put(
                Appraisal(
                    pledge_id=pledge.id,
                    person_id=c.person.id,
                    grade=GRADES[c.index % len(GRADES)],
                    by_id=appraiser.id,
                    at=_at(date(year, 12, 28)),
                    good=None if score else good,
                    fair=None if score else fair,
                    poor=None if score else poor,
                    score=score,
                ),
                0,
            )


async def seed_pledges(uow: UnitOfWork, now: datetime) -> None:
    """Add demo pledges for last year and this year (see the module docstring)."""
    today = local_date(now)
    cadres = await _cadres(uow)
    await _year(uow, cadres, today.year - 1, today)
    await _year(uow, cadres, today.year, today)
