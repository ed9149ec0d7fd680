"""Units named as people name them: 我们单位 for one's own, a unit's body after its name."""

from __future__ import annotations

from handlers.core.app import Assistant
from tests.handlers.core.helpers import say, texts

HEAD, SUPERVISOR = 1103, 1101  # 孙伟 heads 华龙区政府办公室 (HL-ZF)


async def test_a_head_names_his_own_unit_as_we_do(core: Assistant) -> None:
    """/notices 我们单位 had been refused as a search by someone else's name; /unitpledges
    本单位 and /eligible 我们单位 had found no unit."""
    by_code = texts(await say(core, HEAD, "/notices HL-ZF"))
    for words in ("我们单位", "本单位", "华龙区政府办公室的"):
        assert texts(await say(core, HEAD, f"/notices {words}")) == by_code, words
    assert texts(await say(core, HEAD, "/unitpledges 本单位")) == texts(
        await say(core, HEAD, "/unitpledges HL-ZF")
    )
    assert texts(await say(core, HEAD, "/eligible 我们单位")) == texts(
        await say(core, HEAD, "/eligible HL-ZF")
    )


async def test_a_units_body_after_its_name_is_the_unit(core: Assistant) -> None:
    """岳村镇政府 / 华龙区人民政府 are the units 岳村镇 / 华龙区 (no such unit had been found)."""
    assert texts(await say(core, SUPERVISOR, "/summary 华龙区人民政府 2026")) == texts(
        await say(core, SUPERVISOR, "/summary 华龙区 2026")
    )
    assert "没有找到" in texts(await say(core, SUPERVISOR, "/summary 不存在政府 2026"))


async def test_a_unit_typed_with_a_sound_alike_is_offered(core: Assistant) -> None:
    """越村镇 (a character that sounds the same) or yuecun for 岳村镇 had found no unit and
    no suggestion; the unit is offered with a tap, never taken on a guess."""
    from tests.handlers.core.helpers import buttons

    for typed in ("越村镇", "yuecun"):
        offered = await say(core, SUPERVISOR, f"/summary {typed} 2026")
        assert "没有找到" in texts(offered), typed
        assert [(label, data) for label, data in buttons(offered)] == [
            ("岳村镇", "rr:/summary HL-YC 2026")
        ], typed
    # The record lists, which also take a person's name, offer it too.
    listed = await say(core, 1102, "/talks 越村镇")
    assert [data for _, data in buttons(listed)] == ["rr:/talks HL-YC"]
    offered = await say(core, 1102, "/eligible 越村镇")
    assert [data for _, data in buttons(offered)] == ["rr:/eligible HL-YC"]
    # A name that sounds like nothing still gets the plain refusal.
    assert not buttons(await say(core, SUPERVISOR, "/summary 不存在 2026"))


async def test_a_sound_alike_unit_is_offered_inside_a_form(core: Assistant) -> None:
    """/assess's unit step had refused 越村镇 with no offer (no command to run again): the
    tap types the unit's code into the step."""
    from tests.handlers.core.helpers import buttons

    await say(core, 1102, "/assess")
    await say(core, 1102, "单位")
    offered = await say(core, 1102, "越村镇")
    assert ("岳村镇", "f:t:HL-YC") in buttons(offered)
    taken = texts(await say(core, 1102, data="f:t:HL-YC"))
    assert "岳村镇（HL-YC）" in taken and "哪一年度" in taken


async def test_a_sound_alike_unit_typed_with_assess_is_offered(core: Assistant) -> None:
    """/assess 越村镇 had said "no unit or person" with no offer."""
    from tests.handlers.core.helpers import buttons

    offered = await say(core, 1102, "/assess 越村镇")
    assert ("岳村镇", "rr:/assess HL-YC") in buttons(offered)
