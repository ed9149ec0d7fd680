"""What people type into an open pledge form that is not an answer (fakes): a feature's name,
an acknowledgement, 完成 for the Done button, a button's label, punctuation alone. None of
it may be stored as a pledge item, an explanation or a reason."""

from __future__ import annotations

from datetime import UTC, datetime

from handlers.core.app import Assistant
from handlers.core.clock import ManualClock
from handlers.pledges.domain import Fulfilment
from tests.handlers.core.fakes import FakeUnitOfWorkFactory
from tests.handlers.core.helpers import say, texts
from tests.handlers.pledges.helpers import (
    HE_JING,
    ITEMS,
    LIN_TAO,
    checkins_of,
    confirm,
    has,
    make_pledge,
    pledged,
    start_pledge,
    zh,
)

JUNE_10 = datetime(2026, 6, 10, 2, 0, tzinfo=UTC)
FEATURE = "“{text}” is the name of a feature, not an answer. The form is still open: please type your answer to “{label}”, or type “cancel” to leave the form first."


def items_in_form(fake_uow: FakeUnitOfWorkFactory) -> list[str]:
    """The items the open form holds so far."""
    [state] = fake_uow.db.conversations.values()
    return list(state.data.get("items") or [])


async def test_a_feature_name_or_an_acknowledgement_is_not_a_pledge_item(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    await start_pledge(core, "2026", "member")
    for typed in ("我的提醒", "我要报告践诺", "收到", "统计一下今年的情况"):
        reply = texts(await say(core, HE_JING, typed))
        assert zh("Item {n} noted. Send the next one, or press Done.", n=1) not in reply, typed
        # 收到 answers a reminder (none waits here) and says the form still waits.
        assert (typed in reply or typed == "收到") and "取消" in reply, typed
    for typed in ("ok", "好的"):
        assert "ok" not in items_in_form(fake_uow)
        reply = texts(await say(core, HE_JING, typed))
        # An acknowledgement is "not an answer", never "the name of a feature".
        assert f"“{typed}”不是" in reply and "功能名称" not in reply, reply
    assert items_in_form(fake_uow) == []


async def test_typing_done_ends_the_list_like_the_button(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    await start_pledge(core, "2026", "member")
    await say(core, HE_JING, ITEMS[0])
    too_few = texts(await say(core, HE_JING, "完成"))
    assert zh("Please enter at least {n} items.", n=3) in too_few
    for item in ITEMS[1:3]:
        await say(core, HE_JING, item)
    moved_on = await say(core, HE_JING, "完成了。")
    assert items_in_form(fake_uow) == list(ITEMS[:3])
    [state] = fake_uow.db.conversations.values()
    assert state.step == "via", texts(moved_on)


async def test_typing_done_in_english_ends_the_list(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    await say(core, HE_JING, "/lang en")
    await start_pledge(core, "2026", "member")
    for item in ITEMS[:3]:
        await say(core, HE_JING, item)
    await say(core, HE_JING, "Done")
    [state] = fake_uow.db.conversations.values()
    assert state.step == "via" and "Done" not in state.data["items"]


async def check_in_typing(core: Assistant, clock: ManualClock, *typed: str) -> None:
    """He Jing pledges, and in June opens /checkin and types ``typed``."""
    await pledged(core)
    clock.set(JUNE_10)
    for text in ("/checkin", *typed):
        await say(core, HE_JING, text)


async def test_check_in_explanations_must_say_something(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    await check_in_typing(core, clock, "已践诺")  # the button's label typed
    refused = {
        "跳过": "This one is needed and cannot be skipped; please type it, or press Cancel.",
        "。": "Please write this in words; a number, a date or an emoji alone is not enough.",
        "-": "This one is needed and cannot be skipped; please type it, or press Cancel.",
    }
    for typed, message in refused.items():
        assert has(await say(core, HE_JING, typed), message), typed
    for typed in ("我的承诺", "确认"):
        assert typed in texts(await say(core, HE_JING, typed)), typed
    # 收到 answers a reminder, never the explanation; the form stays where it was.
    assert "表单仍停在原处" in texts(await say(core, HE_JING, "收到"))
    [state] = fake_uow.db.conversations.values()
    assert state.step == "x0" and "explanation" not in state.data["entries"][0]
    await say(core, HE_JING, "按要求执行，没有违规")
    await say(core, HE_JING, "。")  # evidence: a lone full stop is no note either
    [state] = fake_uow.db.conversations.values()
    assert state.step == "v0"


async def test_a_status_label_is_read_in_any_case(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    await say(core, HE_JING, "/lang en")
    await check_in_typing(core, clock, "partly KEPT")
    [state] = fake_uow.db.conversations.values()
    assert state.data["entries"][0]["status"] == Fulfilment.PARTLY.value
    assert not checkins_of(fake_uow, HE_JING)


async def test_a_pledge_not_yet_public_cannot_be_appraised(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    # Today is 10 March 2026 (the fixtures' clock): a 2027 pledge drafted for January.
    await make_pledge(core, HE_JING, year=2027, when="2027-01-20")
    await confirm(core, HE_JING)
    refused = await say(core, LIN_TAO, "/appraise 何静")
    assert has(
        refused,
        "{name} has no pledge that can be appraised yet: a pledge is appraised in its own year, once it has been made public.",
        name="何静",
    )
    assert not fake_uow.db.conversations


async def test_part_of_a_choice_label_picks_it_but_never_rewrites_an_item(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    await start_pledge(core, "2026", "member")
    await say(core, HE_JING, "不经商办企业")  # part of a suggestion: kept as typed
    assert items_in_form(fake_uow) == ["不经商办企业"]
    for item in ITEMS[:2]:
        await say(core, HE_JING, item)
    await say(core, HE_JING, "完成")
    await say(core, HE_JING, "会议")  # for 会议公开
    [state] = fake_uow.db.conversations.values()
    assert state.step == "date" and state.data["via"] == "meeting"


async def test_a_later_steps_label_or_a_case_variant_is_not_an_item(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    await say(core, HE_JING, "/lang en")
    await start_pledge(core, "2026", "member")
    await say(core, HE_JING, "no side business")
    # Typing ahead: how the pledge is made public is asked after the items.
    ahead = texts(await say(core, HE_JING, "news media"))
    assert "“news media” is an answer to" in ahead and "Please type the answer" in ahead
    # The same item with other capitals is the same item.
    again = texts(await say(core, HE_JING, "No side business"))
    assert again == "That item is already in your pledge."
    assert items_in_form(fake_uow) == ["no side business"]


async def test_english_none_words_skip_and_a_status_word_is_no_explanation(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    await say(core, HE_JING, "/lang en")
    await check_in_typing(core, clock, "kept")
    refused = texts(await say(core, HE_JING, "kept"))  # the status typed again as explanation
    assert "“kept” is an answer to" in refused
    [state] = fake_uow.db.conversations.values()
    assert "explanation" not in state.data["entries"][0]
    await say(core, HE_JING, "followed the rules all year")
    await say(core, HE_JING, "n/a")  # the evidence step may be skipped: no note "n/a"
    [state] = fake_uow.db.conversations.values()
    assert state.step != "v0" and state.data["entries"][0].get("evidence") in (None, "")


async def test_post_and_publication_typed_as_people_say_them(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    """一般干部 for 一般科级干部, 开会公开的 for 会议公开: read, not refused."""
    await start_pledge(core, "2026")
    await say(core, HE_JING, "一般干部")
    [state] = fake_uow.db.conversations.values()
    assert state.data["post"] == "section"
    for item in ITEMS[:3]:
        await say(core, HE_JING, item)
    await say(core, HE_JING, data="f:done")
    await say(core, HE_JING, "开会公开的")
    [state] = fake_uow.db.conversations.values()
    assert state.data["via"] == "meeting"


async def test_courtesies_and_dates_are_no_pledge_items(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    """好的谢谢, 下周一, ok thanks and tomorrow had been kept as pledge items."""
    await start_pledge(core, "2026", "member")
    for typed in ("好的谢谢", "下周一", "ok thanks", "tomorrow"):
        reply = await say(core, HE_JING, typed)
        assert zh("Item {n} noted. Send the next one, or press Done.", n=1) not in texts(reply)
    assert items_in_form(fake_uow) == []


async def test_same_as_above_repeats_the_previous_explanation(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    """同上 at the second item's explanation repeats the first's; at the first there is
    nothing above; 略, 好的谢谢 and hh explain nothing."""
    await check_in_typing(core, clock, "已践诺")
    for typed in ("同上", "略", "好的谢谢", "hh"):
        await say(core, HE_JING, typed)
        [state] = fake_uow.db.conversations.values()
        assert state.step == "x0" and "explanation" not in state.data["entries"][0], typed
    await say(core, HE_JING, "按要求执行，没有违规")
    await say(core, HE_JING, data="f:skip")
    await say(core, HE_JING, "已践诺")
    await say(core, HE_JING, "同上")
    [state] = fake_uow.db.conversations.values()
    assert state.data["entries"][1]["explanation"] == "按要求执行，没有违规"
