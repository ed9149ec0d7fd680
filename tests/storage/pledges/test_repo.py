"""The pledge repositories on SQLite and PostgreSQL, through the SQL unit of work."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from handlers.calendar.domain import Period
from handlers.core.domain import Grade, NewPerson
from handlers.core.errors import Conflict
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
from tests.storage.support import unit_tree

pytestmark = pytest.mark.storage
T0 = datetime(2026, 1, 10, 2, 0, tzinfo=UTC)
ITEMS = ("不收受礼金", "不违规插手工程", "管好身边人")
#: A section-level pledge made public in the media on 15 January 2026.
SECTION = PledgeContent(PostType.SECTION, ITEMS, PublishVia.MEDIA, date(2026, 1, 15))


async def _org(uow):  # type: ignore[no-untyped-def]
    city, a, b = await unit_tree(uow, department=False)
    p = await uow.people.add(NewPerson("张三", a.id, "局长", True, 41))
    q = await uow.people.add(NewPerson("李四", b.id, "镇长", True, 42))
    return city, a, b, p, q


async def test_pledges_revisions_and_unit_queries(sql_uow) -> None:  # type: ignore[no-untyped-def]
    async with sql_uow() as uow:
        city, a, b, p, q = await _org(uow)
        principal = replace(SECTION, post_type=PostType.PRINCIPAL)
        made = await uow.pledges.add(p.id, a.id, 2026, principal, T0)
        member = PledgeContent(PostType.MEMBER, ITEMS[:3], PublishVia.MEETING, date(2026, 1, 16))
        await uow.pledges.add(q.id, b.id, 2026, member, T0)
        earlier = replace(principal, publish_date=date(2025, 1, 15))
        await uow.pledges.add(p.id, a.id, 2025, earlier, T0)
        await uow.commit()
    async with sql_uow() as uow:
        got = await uow.pledges.get(made.id)
        assert got == made and got.items == ITEMS and got.publish_date == date(2026, 1, 15)
        assert got.created_at == T0 and got.revision == 0
        assert (await uow.pledges.of_person(p.id, 2026)) == made
        assert await uow.pledges.of_person(p.id, 2024) is None
        assert [x.year for x in await uow.pledges.for_person(p.id)] == [2026, 2025]
        assert [x.person_id for x in await uow.pledges.in_units([a.path], 2026)] == [p.id]
        assert len(await uow.pledges.in_units([city.path], 2026)) == 2
        assert await uow.pledges.in_units([], 2026) == []
        later = T0 + timedelta(days=1)
        new_items = ("新一", "新二", "新三", "新四")
        content = PledgeContent(PostType.MEMBER, new_items, PublishVia.MEETING, date(2026, 1, 20))
        updated = await uow.pledges.update(made.id, content, later)
        assert updated.items == ("新一", "新二", "新三", "新四") and updated.updated_at == later
        rev = await uow.pledges.add_revision(made.id, ITEMS, "错别字", q.id, later)
        assert rev.number == 1
        await uow.pledges.add_revision(made.id, updated.items, "再改", q.id, later)
        await uow.commit()
    async with sql_uow() as uow:
        revisions = await uow.pledges.revisions(made.id)
        assert [(r.number, r.items, r.reason) for r in revisions] == [
            (1, ITEMS, "错别字"),
            (2, ("新一", "新二", "新三", "新四"), "再改"),
        ]
        assert (await uow.pledges.get(made.id)).revision == 2
        assert (await uow.pledges.get(made.id)).post_type == PostType.MEMBER


async def test_one_pledge_per_person_and_year(sql_uow) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy.exc import IntegrityError

    async with sql_uow() as uow:
        _, a, _, p, _ = await _org(uow)
        await uow.pledges.add(p.id, a.id, 2026, SECTION, T0)
        with pytest.raises(IntegrityError):
            await uow.pledges.add(p.id, a.id, 2026, SECTION, T0)


async def test_checkins_with_evidence_and_permits(sql_uow) -> None:  # type: ignore[no-untyped-def]
    entries = (
        CheckinEntry(Fulfilment.KEPT, "做到了", Evidence(EvidenceKind.PHOTO, "AgAC-file", "")),
        CheckinEntry(Fulfilment.PARTLY, "部分", Evidence(EvidenceKind.NOTE, "见会议记录")),
        CheckinEntry(Fulfilment.NOT_KEPT, "未做到", None),
    )
    async with sql_uow() as uow:
        city, a, b, p, q = await _org(uow)
        pledge = await uow.pledges.add(p.id, a.id, 2026, SECTION, T0)
        other = await uow.pledges.add(q.id, b.id, 2026, SECTION, T0)
        late = await uow.checkins.add(
            NewCheckin(pledge.id, p.id, Period.YEAREND, entries, True), T0
        )
        mid = await uow.checkins.add(
            NewCheckin(pledge.id, p.id, Period.MIDYEAR, entries[:1], False), T0
        )
        await uow.checkins.add(NewCheckin(other.id, q.id, Period.MIDYEAR, entries, False), T0)
        assert await uow.checkins.permit(q.id, 2026, Period.YEAREND, p.id, T0)
        assert not await uow.checkins.permit(q.id, 2026, Period.YEAREND, p.id, T0)
        await uow.commit()
    async with sql_uow() as uow:
        got = await uow.checkins.get(late.id)
        assert got is not None and got.entries == tuple(entries) and got.late
        assert [c.period for c in await uow.checkins.for_pledge(pledge.id)] == [
            Period.MIDYEAR,
            Period.YEAREND,
        ]
        assert len(await uow.checkins.in_units([a.path], 2026)) == 2
        assert len(await uow.checkins.in_units([city.path], 2026)) == 3
        assert await uow.checkins.in_units([city.path], 2025) == []
        changed = await uow.checkins.update(mid.id, entries, T0 + timedelta(hours=1), 1)
        assert changed is not None and changed.version == 2
        assert changed.entries == tuple(entries) and changed.submitted_at == T0
        permits = await uow.checkins.permits(q.id, 2026)
        assert [(x.period, x.by_id) for x in permits] == [(Period.YEAREND, p.id)]
        assert await uow.checkins.permits(q.id, 2025) == []
        await uow.commit()
    async with sql_uow() as uow:
        got = await uow.checkins.get(mid.id)
        assert got is not None and len(got.entries) == 3


async def test_appraisals_are_one_per_pledge(sql_uow) -> None:  # type: ignore[no-untyped-def]
    async with sql_uow() as uow:
        city, a, b, p, q = await _org(uow)
        pledge = await uow.pledges.add(p.id, a.id, 2026, SECTION, T0)
        assert await uow.appraisals.put(
            Appraisal(pledge.id, p.id, Grade.PASSED, q.id, T0, good=84.0, fair=12.0, poor=4.0), 0
        )
        await uow.commit()
    async with sql_uow() as uow:
        first = await uow.appraisals.get(pledge.id)
        assert first is not None and (first.good, first.fair, first.poor) == (84.0, 12.0, 4.0)
        assert first.has_shares and first.at == T0
        assert first.version == 1
        assert await uow.appraisals.put(
            Appraisal(pledge.id, p.id, Grade.EXCELLENT, p.id, T0, score=92.5), 1
        )
        await uow.commit()
    async with sql_uow() as uow:
        second = await uow.appraisals.get(pledge.id)
        assert second is not None and second.score == 92.5 and second.good is None
        assert second.grade == Grade.EXCELLENT and second.by_id == p.id
        assert [x.pledge_id for x in await uow.appraisals.in_units([a.path], 2026)] == [pledge.id]
        assert await uow.appraisals.in_units([b.path], 2026) == []
        assert await uow.appraisals.get(pledge.id + 999) is None


async def test_checkin_changes_need_the_version_they_started_from(sql_uow) -> None:  # type: ignore[no-untyped-def]
    first = (CheckinEntry(Fulfilment.KEPT, "做到了"),) * 3
    second = (CheckinEntry(Fulfilment.PARTLY, "另一台设备"),) * 3
    async with sql_uow() as uow:
        city, a, b, p, q = await _org(uow)
        pledge = await uow.pledges.add(p.id, a.id, 2026, SECTION, T0)
        made = await uow.checkins.add(NewCheckin(pledge.id, p.id, Period.MIDYEAR, first, False), T0)
        assert made.version == 1
        await uow.commit()
    async with sql_uow() as uow:
        assert await uow.checkins.update(made.id, second, T0, 1) is not None
        await uow.commit()
    async with sql_uow() as uow:  # a writer still holding version 1 changes nothing
        assert await uow.checkins.update(made.id, first, T0, 1) is None
        assert await uow.checkins.update(made.id + 999, first, T0, 1) is None
        await uow.commit()
    async with sql_uow() as uow:
        got = await uow.checkins.get(made.id)
        assert got is not None and got.entries == tuple(second) and got.version == 2
        # A second check-in for the same pledge and period is a conflict, not an overwrite.
        with pytest.raises(Conflict):
            await uow.checkins.add(NewCheckin(pledge.id, p.id, Period.MIDYEAR, first, False), T0)


async def test_appraisal_changes_need_the_version_they_started_from(sql_uow) -> None:  # type: ignore[no-untyped-def]
    async with sql_uow() as uow:
        city, a, b, p, q = await _org(uow)
        pledge = await uow.pledges.add(p.id, a.id, 2026, SECTION, T0)
        await uow.commit()
    passed = Appraisal(pledge.id, p.id, Grade.PASSED, q.id, T0, score=75.0)
    excellent = Appraisal(pledge.id, p.id, Grade.EXCELLENT, q.id, T0, score=95.0)
    async with sql_uow() as uow:
        assert await uow.appraisals.put(passed, 0)
        await uow.commit()
    async with sql_uow() as uow:  # a second "first entry" and a stale change are refused
        assert not await uow.appraisals.put(excellent, 0)
        assert not await uow.appraisals.put(excellent, 2)
        await uow.commit()
    async with sql_uow() as uow:
        got = await uow.appraisals.get(pledge.id)
        assert got is not None and got.grade == Grade.PASSED and got.version == 1
        assert await uow.appraisals.put(excellent, 1)
        await uow.commit()
    async with sql_uow() as uow:
        got = await uow.appraisals.get(pledge.id)
        assert got is not None and got.grade == Grade.EXCELLENT and got.version == 2
