"""The whole pledge year through the core on SQLite and PostgreSQL, including a restart."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from handlers.core.app import Assistant
from handlers.core.clock import ManualClock
from handlers.core.domain import Grade
from handlers.core.types import AttachmentKind
from handlers.pledges.domain import EvidenceKind, Fulfilment
from handlers.pledges.status import pending_checkins, pending_pledges
from handlers.registry import all_routers
from tests.conftest import make_services
from tests.handlers.core.helpers import button_data, say, texts
from tests.handlers.pledges.helpers import (
    HE_JING,
    ITEMS,
    LIN_TAO,
    answer_checkin,
    confirm,
    has,
    item_too_long,
    make_pledge,
    send_file,
    start_pledge,
    zh,
)

pytestmark = pytest.mark.storage


async def _person(sql_uow, telegram_id: int):  # type: ignore[no-untyped-def]
    async with sql_uow() as uow:
        return await uow.people.by_telegram_id(telegram_id)


async def test_pledge_edit_lock_checkin_appraisal_and_views(
    sql_core: Assistant,
    sql_uow,  # type: ignore[no-untyped-def]
    clock: ManualClock,
) -> None:
    core = sql_core
    clock.set(datetime(2026, 1, 10, 2, 0, tzinfo=UTC))  # drafted before the January meeting
    await make_pledge(core, HE_JING, when="2026-01-20")
    await confirm(core, HE_JING)
    await say(core, HE_JING, "/pledge")
    await say(core, HE_JING, data="f:edit:items")
    for item in (*ITEMS, "新增一条承诺"):
        await say(core, HE_JING, item)
    await say(core, HE_JING, data="f:done")
    await confirm(core, HE_JING)
    he = await _person(sql_uow, HE_JING)
    async with sql_uow() as uow:
        pledge = await uow.pledges.of_person(he.id, 2026)
        assert pledge is not None and pledge.items == (*ITEMS, "新增一条承诺")
    clock.set(datetime(2026, 1, 21, 2, 0, tzinfo=UTC))
    assert has(
        await say(core, HE_JING, "/pledge"),
        "Your pledge for {year} was made public on {date} and is now locked. Corrections go through your unit principal and are kept as revisions.",
        year=2026,
        date="2026-01-20",
    )
    # Check-in inside the window, with a photo for item 1 and a note for item 2.
    clock.set(datetime(2026, 6, 10, 2, 0, tzinfo=UTC))
    await say(core, HE_JING, "/checkin")
    await say(core, HE_JING, data="f:c:kept")
    await say(core, HE_JING, "做到了")
    await send_file(core, HE_JING, "AgACAgIAAxkBAAIB", AttachmentKind.PHOTO)
    await answer_checkin(
        core,
        HE_JING,
        [
            ("partly", "部分做到", "见会议记录"),
            ("kept", "做到了", None),
            ("not_kept", "没做到", None),
        ],
    )
    await confirm(core, HE_JING)
    async with sql_uow() as uow:
        [checkin] = await uow.checkins.for_pledge(pledge.id)
    assert not checkin.late and checkin.entries[0].evidence is not None
    assert checkin.entries[0].evidence.kind == EvidenceKind.PHOTO
    assert checkin.entries[1].evidence.kind == EvidenceKind.NOTE  # type: ignore[union-attr]
    assert checkin.entries[3].status == Fulfilment.NOT_KEPT
    # The unit principal appraises it from the list.
    listing = await say(core, LIN_TAO, "/unitpledges")
    assert "何静" in texts(listing) and "孙伟" not in texts(listing)
    record = await say(core, LIN_TAO, data=button_data(listing, "何静"))
    await say(core, LIN_TAO, data=button_data(record, zh("Enter appraisal")))
    await say(core, LIN_TAO, "40/8/2")
    await say(core, LIN_TAO, data="f:c:excellent")
    await confirm(core, LIN_TAO)
    async with sql_uow() as uow:
        appraisal = await uow.appraisals.get(pledge.id)
    assert appraisal is not None and appraisal.grade == Grade.EXCELLENT
    assert (appraisal.good, appraisal.fair, appraisal.poor) == (80.0, 16.0, 4.0)
    mine = texts(await say(core, HE_JING, "/mypledge"))
    assert zh("Organisational assessment: {grade}", grade=zh("excellent")) in mine
    assert "新增一条承诺" in mine and "见会议记录" in mine


async def test_late_checkin_on_demo_data_and_pending_queries(
    sql_core: Assistant,
    sql_uow,  # type: ignore[no-untyped-def]
    clock: ManualClock,
) -> None:
    gao_feng = 1110  # demo: pledged for 2026 (the demo was seeded in March, before any window)
    clock.set(datetime(2026, 7, 20, 2, 0, tzinfo=UTC))
    async with sql_uow() as uow:
        yc = (await uow.units.by_code("HL-YC")).path
        due = await pending_checkins(uow, [yc], 2026, clock.now())
        unpledged = await pending_pledges(uow, [yc], 2026, clock.now())
    assert [(p.person.name, p.overdue) for p in due] == [("林涛", True), ("高峰", True)]
    assert [p.person.name for p in unpledged] == ["何静"]
    core = sql_core
    await say(core, gao_feng, "/checkin")
    count = len(await _pledge_items(sql_uow, gao_feng))
    await answer_checkin(core, gao_feng, [("kept", "补报", None)] * count)
    done = await confirm(core, gao_feng)
    assert has(done, "It is marked late: the window closed on {date}.", date="2026-07-15")
    async with sql_uow() as uow:
        still = await pending_checkins(uow, [yc], 2026, clock.now())
        assert [p.person.name for p in still] == ["林涛"]
        last_year = await uow.appraisals.in_units([yc], 2025)
    assert len(last_year) == 2  # demo: 林涛 and 高峰 were appraised for 2025


async def _pledge_items(sql_uow, telegram_id: int) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
    person = await _person(sql_uow, telegram_id)
    async with sql_uow() as uow:
        pledge = await uow.pledges.of_person(person.id, 2026)
    assert pledge is not None
    return pledge.items


async def test_a_restart_in_the_middle_of_a_checkin(
    sql_core: Assistant,
    sql_uow,  # type: ignore[no-untyped-def]
    clock: ManualClock,
) -> None:
    await make_pledge(sql_core, HE_JING)
    await confirm(sql_core, HE_JING)
    clock.set(datetime(2026, 6, 10, 2, 0, tzinfo=UTC))
    await say(sql_core, HE_JING, "/checkin")
    await answer_checkin(sql_core, HE_JING, [("kept", "第一条做到了", None)])
    await say(sql_core, HE_JING, data="f:c:partly")
    # The bot restarts: a new assistant on the same database continues the form.
    restarted = Assistant(sql_uow, make_services(clock, None), all_routers())
    step = await say(restarted, HE_JING, "第二条部分做到")
    assert has(
        step,
        "Send a photo or a document as evidence, or type a short note. Press Skip if there is none.",
    )
    await say(restarted, HE_JING, data="f:skip")
    review = await answer_checkin(restarted, HE_JING, [("kept", "第三条做到了", None)])
    assert "第一条做到了" in texts(review) and "第二条部分做到" in texts(review)
    await confirm(restarted, HE_JING)
    he = await _person(sql_uow, HE_JING)
    async with sql_uow() as uow:
        pledge = await uow.pledges.of_person(he.id, 2026)
        [checkin] = await uow.checkins.for_pledge(pledge.id)  # type: ignore[union-attr]
        assert await uow.conversations.load(HE_JING, HE_JING) is None
    assert [e.status for e in checkin.entries] == [
        Fulfilment.KEPT,
        Fulfilment.PARTLY,
        Fulfilment.KEPT,
    ]


async def test_bad_input_rolls_back_on_the_database(
    sql_core: Assistant,
    sql_uow,  # type: ignore[no-untyped-def]
) -> None:
    await start_pledge(sql_core, "2026", "member")
    refused = await say(sql_core, HE_JING, "廉" * 201)
    assert item_too_long(refused)
    async with sql_uow() as uow:
        state = await uow.conversations.load(HE_JING, HE_JING)
    assert state is not None and state.step == "items" and state.data.get("items") in (None, [])
    await say(sql_core, HE_JING, data="f:cancel")
    he = await _person(sql_uow, HE_JING)
    async with sql_uow() as uow:
        assert await uow.pledges.for_person(he.id) == []
        assert await uow.conversations.load(HE_JING, HE_JING) is None
