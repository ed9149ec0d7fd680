"""One pledge item changed or removed from the review (改第2项, 第2条改成…, 删掉第3条)
instead of typing the whole list again."""

from __future__ import annotations

import pytest

from handlers.core.app import Assistant
from handlers.core.form_items import ItemRequest, item_request
from tests.handlers.core.fakes import FakeUnitOfWorkFactory
from tests.handlers.core.helpers import buttons, say, texts
from tests.handlers.pledges.helpers import (
    HE_JING,
    ITEMS,
    LIN_TAO,
    confirm,
    has,
    make_pledge,
    start_pledge,
    zh,
)
from tests.handlers.pledges.test_form import pledges_of

FOUR = (*ITEMS, "不在企业兼职取酬，不违规经商办企业")


@pytest.mark.parametrize(
    ("typed", "wanted"),
    [
        ("改第2项", ItemRequest(2)),
        ("修改第二条：不收受礼品礼金", ItemRequest(2, text="不收受礼品礼金")),
        ("把第2条改为不收受礼品礼金。", ItemRequest(2, text="不收受礼品礼金")),
        ("第三项换成不打麻将", ItemRequest(3, text="不打麻将")),
        ("删掉第3条", ItemRequest(3, remove=True)),
        ("第4条不要了", ItemRequest(4, remove=True)),
        ("Change item 2 to No gifts", ItemRequest(2, text="No gifts")),
        ("delete item 1", ItemRequest(1, remove=True)),
        ("修改日期", None),  # a field, not an item
        ("改为明天", None),
        ("第2条", None),  # names an item but asks nothing
        ("改第3条的内容", ItemRequest(3)),  # the item itself, not new text
        ("修改第二条内容", ItemRequest(2)),
        ("第3条的内容改为不收礼金", ItemRequest(3, text="不收礼金")),
        ("改第十二项", ItemRequest(12)),
        ("改第二十项", ItemRequest(20)),
    ],
)
def test_which_item_a_typed_request_names(typed: str, wanted: ItemRequest | None) -> None:
    assert item_request(typed) == wanted


async def test_one_item_changed_from_the_review_the_others_kept(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    await make_pledge(core, HE_JING)
    asked = texts(await say(core, HE_JING, "改第2项"))
    assert ITEMS[1] in asked and ITEMS[0] not in asked  # that item only, not the list
    review = texts(await say(core, HE_JING, "不收受可能影响公正执行公务的礼品礼金"))
    assert zh("Item {n} changed.", n=2) in review and zh("Please check, then confirm.") in review
    assert await _confirmed_items(core, fake_uow) == (
        ITEMS[0],
        "不收受可能影响公正执行公务的礼品礼金",
        ITEMS[2],
    )


async def test_new_text_typed_with_the_request_and_the_same_text_again(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    await make_pledge(core, HE_JING)
    review = texts(await say(core, HE_JING, "第3条改成带头落实一岗双责，抓好分管领域党风廉政建设"))
    assert "1. " + ITEMS[0] in review and "3. 带头落实一岗双责，抓好分管领域党风廉政建设" in review
    # The item typed again unchanged is not its own duplicate; another item's text is.
    await say(core, HE_JING, "改第1项")
    assert has(await say(core, HE_JING, ITEMS[0]), "Item {n} is unchanged.", n=1)
    refused = await say(core, HE_JING, f"第1条改为{ITEMS[1]}")
    assert has(refused, "That item is already in your pledge.")
    assert (zh("✅ Confirm"), "f:ok") in buttons(refused)  # still on the review, its buttons shown
    await confirm(core, HE_JING)
    [pledge] = pledges_of(fake_uow, HE_JING)
    assert pledge.items[0] == ITEMS[0] and pledge.items[2].endswith("党风廉政建设")


async def test_an_item_removed_only_above_the_minimum(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    await make_pledge(core, HE_JING, items=FOUR)
    removed = texts(await say(core, HE_JING, "删掉第2条"))
    assert zh("Item {n} removed: “{text}”.", n=2, text=ITEMS[1]) in removed
    refused = await say(core, HE_JING, "删掉第1条")  # three left: the least there may be
    assert "改第1项" in texts(refused) and (zh("✅ Confirm"), "f:ok") in buttons(refused)
    assert has(
        await say(core, HE_JING, "改第7项"), "There is no item {n}: the list has {m}.", n=7, m=3
    )
    assert await _confirmed_items(core, fake_uow) == (ITEMS[0], ITEMS[2], FOUR[3])


async def test_back_or_done_keeps_the_item_and_nonsense_is_refused(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    await make_pledge(core, HE_JING)
    await say(core, HE_JING, "改第2项")
    assert has(await say(core, HE_JING, data="f:back"), "Please check, then confirm.")
    await say(core, HE_JING, "修改第二条")
    assert has(await say(core, HE_JING, "好了"), "Please check, then confirm.")
    await say(core, HE_JING, "改第2项")
    refused = texts(await say(core, HE_JING, "同上"))  # a stand-in is no item
    assert zh("Please check, then confirm.") not in refused
    await say(core, HE_JING, data="f:back")
    assert await _confirmed_items(core, fake_uow) == ITEMS


async def test_a_request_typed_where_new_text_waits_is_no_items_text(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    """改第3项 typed where item 2's new text was awaited had become item 2."""
    await make_pledge(core, HE_JING)
    await say(core, HE_JING, "改第2项")
    switched = texts(await say(core, HE_JING, "改第3项"))
    assert ITEMS[2] in switched and "改第3项" not in switched
    review = texts(await say(core, HE_JING, "第2条改成不收受礼品礼金和消费卡"))
    assert "2. 不收受礼品礼金和消费卡" in review and zh("Please check, then confirm.") in review
    assert has(
        await say(core, HE_JING, "改第十二项"), "There is no item {n}: the list has {m}.", n=12, m=3
    )
    assert await _confirmed_items(core, fake_uow) == (ITEMS[0], "不收受礼品礼金和消费卡", ITEMS[2])


async def test_requests_while_the_list_is_entered_act_on_it(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    """改第2项, 删掉第1条 and change item 2 typed while the items were entered had been
    stored as items."""
    await start_pledge(core, "2026", "member")
    for item in ITEMS:
        await say(core, HE_JING, item)
    removed = texts(await say(core, HE_JING, "删掉第1条"))
    assert zh("Item {n} removed: “{text}”.", n=1, text=ITEMS[0]) in removed
    assert zh("Please check, then confirm.") not in removed  # still entering the list
    await say(core, HE_JING, "改第2项")
    back = texts(await say(core, HE_JING, "廉洁自律，不以权谋私"))
    assert "2. 廉洁自律，不以权谋私" in back and zh("Please check, then confirm.") not in back
    await say(core, HE_JING, "change item 1 to Keep my family and staff in check")
    await say(core, HE_JING, "不违规经商办企业")
    await _finish_list(core)
    assert await _confirmed_items(core, fake_uow) == (
        "Keep my family and staff in check",
        "廉洁自律，不以权谋私",
        "不违规经商办企业",
    )


async def test_back_from_an_edited_field_returns_to_the_review_unchanged(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    """上一步 from a field opened with Edit went to the step before it, and after 改2 the
    items re-entered so far replaced the pledge's."""
    await make_pledge(core, HE_JING)
    await say(core, HE_JING, data="f:edit:items")
    await say(core, HE_JING, "一条新写的承诺事项")
    back = texts(await say(core, HE_JING, "上一步"))
    assert zh("Please check, then confirm.") in back and ITEMS[0] in back
    await say(core, HE_JING, data="f:edit:date")
    assert "2026-03-10" in texts(await say(core, HE_JING, data="f:back"))
    assert await _confirmed_items(core, fake_uow) == ITEMS


async def test_a_principal_corrects_one_item_without_retyping_the_others(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    """The correction form had opened empty: fixing one word meant typing every item."""
    await make_pledge(core, HE_JING, when="2026-03-01")
    await confirm(core, HE_JING)  # made public before today (10 March): locked
    he = next(p.id for p in fake_uow.db.people.values() if p.telegram_user_id == HE_JING)
    await say(core, LIN_TAO, data=f"plu:fx:{he}:2026")
    listed = texts(await say(core, LIN_TAO, "第2条改成管好配偶子女和身边工作人员，不打招呼"))
    assert zh("Item {n} changed.", n=2) in listed and ITEMS[0] in listed
    await say(core, LIN_TAO, data="f:done")
    await say(core, LIN_TAO, "第二条表述更正")
    await confirm(core, LIN_TAO)
    [pledge] = pledges_of(fake_uow, HE_JING)
    assert pledge.items == (ITEMS[0], "管好配偶子女和身边工作人员，不打招呼", ITEMS[2])


@pytest.mark.parametrize(
    ("typed", "wanted"),
    [
        ("删掉上一条", ItemRequest(-1, remove=True)),  # the last one entered
        ("删除最后一条", ItemRequest(-1, remove=True)),
        ("改下第2条", ItemRequest(2)),
        ("改 第2项", ItemRequest(2)),
        ("第2条 改成不收礼金", ItemRequest(2, text="不收礼金")),
        ("第3条删掉吧", ItemRequest(3, remove=True)),
        ("第2条写错了", ItemRequest(2)),
    ],
)
def test_more_ways_of_asking_to_change_an_item(typed: str, wanted: ItemRequest) -> None:
    assert item_request(typed) == wanted


async def test_requests_and_courtesies_are_never_items(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    """删掉上一条, 修改公开日期 and 谢谢啊辛苦了 typed while the items were entered had been kept
    as items; 改第3项 typed as a correction's reason had been kept as the reason."""
    await start_pledge(core, "2026", "member")
    for item in (*ITEMS, "多余的一条承诺事项"):
        await say(core, HE_JING, item)
    removed = texts(await say(core, HE_JING, "删掉上一条"))
    assert zh("Item {n} removed: “{text}”.", n=4, text="多余的一条承诺事项") in removed
    for junk in ("修改公开日期", "修改：公开方式", "谢谢啊辛苦了", "拜拜 下次再问"):
        refused = texts(await say(core, HE_JING, junk))
        assert zh("Item {n} noted. Send the next one, or press Done.", n=4) not in refused, junk
    await say(core, HE_JING, "改第2项")
    refused_there = texts(await say(core, HE_JING, "修改公开日期"))  # refused there too
    assert "是要修改内容" in refused_there and zh("Item {n} changed.", n=2) not in refused_there
    assert zh("◀ Back") in [label for label, _ in buttons(await say(core, HE_JING, "同上"))]
    await say(core, HE_JING, data="f:back")
    await _finish_list(core)
    assert await _confirmed_items(core, fake_uow) == ITEMS


async def test_a_correction_left_with_too_few_items_can_go_back(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    """One new line typed in a correction replaced the items, and Done then refused with
    no way back but Cancel; Back keeps the items as they were."""
    await make_pledge(core, HE_JING, when="2026-03-01")
    await confirm(core, HE_JING)
    he = next(p.id for p in fake_uow.db.people.values() if p.telegram_user_id == HE_JING)
    await say(core, LIN_TAO, data=f"plu:fx:{he}:2026")
    await say(core, LIN_TAO, "只有一条新的承诺事项")
    short = await say(core, LIN_TAO, data="f:done")
    assert zh("Press Back to keep the items as they were.") in texts(short)
    kept = texts(await say(core, LIN_TAO, "上一步"))
    assert ITEMS[0] in kept and "只有一条新的承诺事项" not in kept
    assert "改第3项" not in texts(await say(core, LIN_TAO, data="f:done"))
    refused = texts(await say(core, LIN_TAO, "改第3项"))  # at the reason step
    assert zh("Please check, then confirm.") not in refused


async def _confirmed_items(core: Assistant, fake_uow: FakeUnitOfWorkFactory) -> tuple[str, ...]:
    """Confirm 何静's pledge on its review and return the items stored."""
    await confirm(core, HE_JING)
    [pledge] = pledges_of(fake_uow, HE_JING)
    return tuple(pledge.items)


async def _finish_list(core: Assistant) -> None:
    """Press Done on the items, then answer how and when the pledge was made public."""
    await say(core, HE_JING, data="f:done")
    await say(core, HE_JING, data="f:c:meeting")
    await say(core, HE_JING, "2026-03-10")


async def test_a_suggestion_tapped_in_a_list_entered_again_starts_the_new_list(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    """Re-entering the items from the review: the first item tapped begins the new list (the
    old items are kept aside for Back, not added to)."""
    await make_pledge(core, HE_JING)
    await say(core, HE_JING, data="f:edit:items")
    listed = texts(await say(core, HE_JING, data="f:c:§1"))
    assert zh("Item {n} noted. Send the next one, or press Done.", n=1) in listed
    assert (
        ITEMS[0]
        not in listed.split(zh("Item {n} noted. Send the next one, or press Done.", n=1))[0]
    )
    kept = texts(await say(core, HE_JING, "上一步"))  # back: the items as they were
    assert ITEMS[0] in kept and zh("Please check, then confirm.") in kept
    assert await _confirmed_items(core, fake_uow) == ITEMS
