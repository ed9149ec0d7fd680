"""Check-ins and appraisals are not last-write-wins, on SQLite and PostgreSQL.

Two instances of the assistant on one database stand for two reviewers (or two devices):
whoever saves second on an older version is told so and nothing is overwritten.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from handlers.core.app import Assistant
from handlers.core.clock import ManualClock
from handlers.core.domain import Grade
from handlers.pledges.domain import CheckinEntry, Fulfilment
from handlers.registry import all_routers
from tests.conftest import make_services
from tests.handlers.core.helpers import say, texts
from tests.handlers.pledges.helpers import (
    HE_JING,
    LIN_TAO,
    XU_FANG,
    answer_checkin,
    confirm,
    has,
    make_pledge,
    zh,
)

pytestmark = pytest.mark.storage

APPRAISAL_STALE = "The appraisal of {name}'s pledge for {year} was entered or changed by someone else in the meantime, so nothing was saved. Please open it again."
APPRAISAL_DONE = "✅ The appraisal of {name}'s pledge for {year} is recorded."
APPRAISAL_CHANGED = "✅ The appraisal of {name}'s pledge for {year} is changed: {old} → {new}."
CHECKIN_STALE = "Your {period} check-in for {year} was changed meanwhile (by someone else or on another device), so nothing was saved. Please open it again with /checkin."


async def _pledge(sql_core: Assistant, sql_uow, clock: ManualClock):  # type: ignore[no-untyped-def]
    clock.set(datetime(2026, 1, 10, 2, 0, tzinfo=UTC))
    await make_pledge(sql_core, HE_JING, when="2026-01-20")
    await confirm(sql_core, HE_JING)
    async with sql_uow() as uow:
        he = await uow.people.by_telegram_id(HE_JING)
        return he, await uow.pledges.of_person(he.id, 2026)


async def _fill_appraisal(core: Assistant, user: int, person_id: int, grade: str) -> None:
    await say(core, user, data=f"plu:ap:{person_id}:2026")
    await say(core, user, "40/8/2")
    await say(core, user, data=f"f:c:{grade}")


@pytest.fixture
async def two_reviewers(sql_core: Assistant, sql_uow, clock: ManualClock):  # type: ignore[no-untyped-def]
    """A pledge appraised by Lin Tao here and Xu Fang on a second instance, neither confirmed."""
    he, pledge = await _pledge(sql_core, sql_uow, clock)
    clock.set(datetime(2026, 7, 20, 2, 0, tzinfo=UTC))
    other = Assistant(sql_uow, make_services(clock, None), all_routers())
    await _fill_appraisal(sql_core, LIN_TAO, he.id, "excellent")
    await _fill_appraisal(other, XU_FANG, he.id, "failed")
    return he, pledge, other


async def test_second_reviewer_on_another_instance_overwrites_nothing(
    sql_core: Assistant,
    sql_uow,
    two_reviewers,  # type: ignore[no-untyped-def]
) -> None:
    he, pledge, other = two_reviewers
    assert has(await confirm(sql_core, LIN_TAO), APPRAISAL_DONE, name="何静", year=2026)
    assert has(await confirm(other, XU_FANG), APPRAISAL_STALE, name="何静", year=2026)
    async with sql_uow() as uow:
        stored = await uow.appraisals.get(pledge.id)
        lin = await uow.people.by_telegram_id(LIN_TAO)
    assert stored is not None and stored.grade == Grade.EXCELLENT and stored.by_id == lin.id
    # Looking again, the inspector replaces it on purpose: version 1 becomes 2.
    await _fill_appraisal(other, XU_FANG, he.id, "failed")
    changed = await confirm(other, XU_FANG)
    assert has(changed, APPRAISAL_CHANGED, name="何静", year=2026, old="优秀", new="不达标")
    async with sql_uow() as uow:
        stored = await uow.appraisals.get(pledge.id)
    assert stored is not None and stored.grade == Grade.FAILED and stored.version == 2


async def test_reviewers_confirming_at_the_same_moment_save_once(
    sql_core: Assistant,
    sql_uow,
    two_reviewers,  # type: ignore[no-untyped-def]
) -> None:
    other = two_reviewers[2]
    results = await asyncio.gather(confirm(sql_core, LIN_TAO), confirm(other, XU_FANG))
    done = [r for r in results if has(r, APPRAISAL_DONE, name="何静", year=2026)]
    assert len(done) == 1, [texts(r) for r in results]
    refused = next(r for r in results if r is not done[0])
    # Refused either by the version check or, racing to create it, by the unique key.
    assert has(refused, APPRAISAL_STALE, name="何静", year=2026) or has(
        refused, "Someone else just recorded the same thing. Please look again before retrying."
    )
    async with sql_uow() as uow:
        stored = await uow.appraisals.get(two_reviewers[1].id)
    winner = Grade.EXCELLENT if done[0] is results[0] else Grade.FAILED
    assert stored is not None and stored.grade == winner and stored.version == 1


async def test_check_in_changed_on_another_device_is_not_overwritten(
    sql_core: Assistant,
    sql_uow,  # type: ignore[no-untyped-def]
    clock: ManualClock,
) -> None:
    he, pledge = await _pledge(sql_core, sql_uow, clock)
    clock.set(datetime(2026, 6, 10, 2, 0, tzinfo=UTC))
    await say(sql_core, HE_JING, "/checkin")
    await answer_checkin(sql_core, HE_JING, [("kept", "做到了", None)] * 3)
    await confirm(sql_core, HE_JING)
    assert has(await say(sql_core, HE_JING, "/checkin"), "Please check, then confirm.")
    # The other device saves its change first (through the same repository the core uses).
    phone = [CheckinEntry(Fulfilment.PARTLY, "手机上修改")] * 3
    async with sql_uow() as uow:
        [checkin] = await uow.checkins.for_pledge(pledge.id)
        assert await uow.checkins.update(checkin.id, phone, clock.now(), checkin.version)
        await uow.commit()
    refused = await confirm(sql_core, HE_JING)
    assert has(refused, CHECKIN_STALE, period=zh("mid-year"), year=2026)
    async with sql_uow() as uow:
        [stored] = await uow.checkins.for_pledge(pledge.id)
    assert stored.entries == tuple(phone) and stored.version == 2
