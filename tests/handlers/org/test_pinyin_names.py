"""A name typed in pinyin (an English keyboard, English mode) finds the person when nothing
matches it as written; scope still applies."""

from __future__ import annotations

import pytest

from handlers.core.app import Assistant
from tests.handlers.core.helpers import say, texts

INSPECTOR = 1102  # 徐芳, 华龙区: sees 马丽娟 (区政府办公室) and 高峰 (岳村镇)


@pytest.mark.parametrize("typed", ["gao feng", "Gao Feng", "gaofeng", "Feng Gao"])
async def test_a_pinyin_name_opens_the_form_for_that_person(core: Assistant, typed: str) -> None:
    reply = texts(await say(core, INSPECTOR, f"/talk {typed}"))
    assert "哪一天" in reply
    assert reply.startswith("谈话对象：高峰（岳村镇）")  # the next prompt says whom it found


async def test_eligibility_reads_a_pinyin_name_given_name_first(core: Assistant) -> None:
    assert "马丽娟" in texts(await say(core, INSPECTOR, "/eligible lijuan ma"))


@pytest.mark.parametrize("typed", ["zhang", "gao fang", "ma"])
async def test_a_pinyin_that_reads_as_nobody_is_not_found(core: Assistant, typed: str) -> None:
    assert "没有找到" in texts(await say(core, INSPECTOR, f"/talk {typed}"))


async def test_one_character_is_confirmed_not_taken(core: Assistant) -> None:
    """高 (a family name) matching one person offers that person instead of choosing them."""
    reply = await say(core, INSPECTOR, "/talk 高")
    assert "您是指" in texts(reply) and "高峰" in texts(reply) and "哪一天" not in texts(reply)
    assert "哪一天" in texts(await say(core, INSPECTOR, "/talk 高峰"))


async def test_inside_a_form_one_character_asks_for_the_full_name(core: Assistant) -> None:
    await say(core, INSPECTOR, "/talk")
    reply = texts(await say(core, INSPECTOR, "高"))
    assert "您是指高峰" in reply and "有多人" not in reply
    assert texts(await say(core, INSPECTOR, "高峰")).startswith("谈话对象：高峰")


@pytest.mark.parametrize("typed", ["高 峰", "高峰同志", "高峰副镇长"])
async def test_a_chinese_name_as_typed_in_a_hurry_finds_the_person(
    core: Assistant, typed: str
) -> None:
    """Spaced, or with 同志 or a post after it."""
    reply = texts(await say(core, INSPECTOR, f"/talk {typed}"))
    assert reply.startswith("谈话对象：高峰（岳村镇）"), reply


@pytest.mark.parametrize("typed", ["高锋", "糕峰"])
async def test_a_sound_alike_name_is_offered_not_taken(core: Assistant, typed: str) -> None:
    """Characters that sound the same find the person, but a record is not started on a
    guess: the person is offered, and chosen with a tap."""
    reply = texts(await say(core, INSPECTOR, f"/talk {typed}"))
    assert "您是指" in reply and "高峰" in reply and "哪一天" not in reply, reply
    # So does /eligible: another person's clearance is not shown on a guess.
    asked = await say(core, INSPECTOR, f"/eligible {typed}")
    assert texts(asked) == "您是指这位吗？" and "高峰（岳村镇）" in str(asked[0].buttons)


async def test_a_sound_alike_outside_the_scope_is_still_not_found(core: Assistant) -> None:
    """郑红 is 清丰县's inspector: 正红 (zheng hong) typed by 华龙区's finds nobody."""
    assert "没有找到" in texts(await say(core, INSPECTOR, "/talk 正红"))
    # A person number not found is named as typed, P28, not the bare 28.
    assert "“P9999”" in texts(await say(core, INSPECTOR, "/eligible P9999"))
