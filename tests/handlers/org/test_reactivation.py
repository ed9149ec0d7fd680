"""/reactivate brings back a deactivated person with their records (not a namesake)."""

from __future__ import annotations

from handlers.core.app import Assistant
from tests.handlers.core.fakes import FakeUnitOfWorkFactory
from tests.handlers.core.helpers import button_data, say, texts
from tests.handlers.org.test_leaving import deactivate, person
from tests.handlers.records.support import ADMIN, HL_CADRE, HL_HEAD, QF_INSPECTOR, ZH


async def test_reactivating_brings_the_same_person_back(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    await deactivate(core, ADMIN, "马丽娟")
    before = person(fake_uow, "马丽娟")
    asked = await say(core, ADMIN, "/reactivate 马丽娟")
    assert f"P{before.id}" in texts(asked) and not person(fake_uow, "马丽娟").active
    done = texts(await say(core, ADMIN, data=button_data(asked, "确定启用")))
    assert "马丽娟" in done and person(fake_uow, "马丽娟").active
    assert person(fake_uow, "马丽娟").id == before.id
    assert "/mypledge" in texts(await say(core, HL_CADRE, "/help"))  # answered again
    assert any(e.action == "person.reactivated" for e in fake_uow.db.audit)


async def test_typed_yes_and_no(core: Assistant, fake_uow: FakeUnitOfWorkFactory) -> None:
    await deactivate(core, ADMIN, "马丽娟")
    await say(core, ADMIN, "/reactivate 马丽娟")
    kept = texts(await say(core, ADMIN, "不用"))
    assert kept == ZH._("Nothing changed: {name} stays deactivated.", name="马丽娟")
    assert not person(fake_uow, "马丽娟").active
    await say(core, ADMIN, "/reactivate 马丽娟")
    await say(core, ADMIN, "好的")
    assert person(fake_uow, "马丽娟").active


async def test_refusals(core: Assistant, fake_uow: FakeUnitOfWorkFactory) -> None:
    assert texts(await say(core, ADMIN, "/reactivate 马丽娟")) == ZH._(
        "{name} is active; nothing to reactivate.", name="马丽娟"
    )
    assert texts(await say(core, ADMIN, "/reactivate 查无此人")) == ZH._(
        "No deactivated person “{text}” found within your scope.", text="查无此人"
    )
    assert texts(await say(core, ADMIN, "/reactivate")) == ZH._(
        "Usage: /reactivate NAME or /reactivate P-NUMBER"
    )
    await deactivate(core, ADMIN, "马丽娟")
    # An inspector (no administrator role) may not.
    refused = ZH._("Sorry, your role does not allow this. Send /help to see what you can do.")
    assert texts(await say(core, QF_INSPECTOR, "/reactivate 马丽娟")) == refused
    assert not person(fake_uow, "马丽娟").active


async def test_a_unit_head_reactivates_a_cadre_of_the_own_unit(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    await deactivate(core, ADMIN, "马丽娟")
    asked = await say(core, HL_HEAD, "/reactivate 马丽娟")
    await say(core, HL_HEAD, data=button_data(asked, "确定启用"))
    assert person(fake_uow, "马丽娟").active
    await deactivate(core, ADMIN, "何静")  # 岳村镇: not the head's unit
    assert "找到" in texts(await say(core, HL_HEAD, "/reactivate 何静"))
    assert not person(fake_uow, "何静").active


async def test_a_stale_button_is_checked_again(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    await deactivate(core, ADMIN, "马丽娟")
    asked = await say(core, ADMIN, "/reactivate 马丽娟")
    await say(core, ADMIN, data=button_data(asked, "确定启用"))
    again = texts(await say(core, ADMIN, data=button_data(asked, "确定启用")))
    assert again == ZH._("{name} is active; nothing to reactivate.", name="马丽娟")


async def test_deactivating_twice_says_so_and_numbers_are_quoted_as_typed(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    await deactivate(core, ADMIN, "马丽娟")
    ma = person(fake_uow, "马丽娟")
    again = texts(await say(core, ADMIN, "/deactivate 马丽娟"))
    assert f"/reactivate P{ma.id}" in again and "已经停用" in again
    other = person(fake_uow, "孙伟")
    # An active person typed by number is named (the bare number 27 had been quoted).
    assert texts(await say(core, ADMIN, f"/reactivate P{other.id}")) == ZH._(
        "{name} is active; nothing to reactivate.", name="孙伟"
    )
    assert texts(await say(core, ADMIN, "/reactivate P999999")) == ZH._(
        "No deactivated person “{text}” found within your scope.", text="P999999"
    )
