"""/eligible UNIT and 岳村镇谁能评先进: everyone in a unit at once, within the asker's scope."""

from __future__ import annotations

from handlers.core.app import Assistant
from tests.handlers.core.fakes import FakeUnitOfWorkFactory
from tests.handlers.core.helpers import buttons, say, texts
from tests.handlers.records.support import (
    HL_CADRE,
    HL_HEAD,
    HL_INSPECTOR,
    QF_INSPECTOR,
    ZH,
    add_person,
    create_case,
    create_talk,
)

YC_HEAD = 1108  # 林涛, head of 岳村镇


def clear_line(text: str) -> str:
    """The line listing the people with nothing against them."""
    head = ZH._("✅ Nothing on record prevents either ({n}): {names}", n=0, names="").split("0")[0]
    return next(line for line in text.splitlines() if line.startswith(head))


async def test_unit_lists_barred_people_with_dates_and_the_rest_together(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    await create_talk(core)  # 马丽娟 of 华龙区政府办公室, held 2026-03-01
    replies = await say(core, HL_INSPECTOR, "/eligible HL-ZF")
    text = texts(replies)
    assert "华龙区政府办公室（HL-ZF）" in text
    barred = next(line for line in text.splitlines() if "马丽娟" in line)
    assert ZH._("rated advanced ❌") in barred
    assert ZH._("promotion ❌ until {date}", date="2026-08-31") in barred
    assert "孙伟" in clear_line(text) and "马丽娟" not in clear_line(text)
    ma = next(p for p in fake_uow.db.people.values() if p.name == "马丽娟")
    # One button per barred person opens the full answer, re-checked against the scope.
    assert [d for _, d in buttons(replies)] == [f"el:{ma.id}"]
    detail = texts(await say(core, HL_INSPECTOR, data=f"el:{ma.id}"))
    assert ZH._("warning talk #{id}", id=1) in detail or "诫勉" in detail
    assert any(e.action == "eligibility.unit_viewed" for e in fake_uow.db.audit)


async def test_unit_by_name_with_a_year_and_subunits_for_staff(core: Assistant) -> None:
    text = texts(await say(core, HL_INSPECTOR, "/eligible 华龙区 2025"))
    header = text.splitlines()[0]
    assert header.startswith("华龙区（HL）") and "2025" in header
    # People of subunits are named with their unit; the unit's own people without.
    clear = clear_line(text)
    assert "何静（岳村镇）" in clear and "吴刚、" in clear and "吴刚（" not in clear


async def test_a_unit_head_lists_the_own_unit_only(core: Assistant) -> None:
    cid = await create_case(core)
    await add_person(core, cid, "何静", "discipline", "govt_demerit", "2026-03-05")
    text = texts(await say(core, YC_HEAD, "/eligible 岳村镇"))
    line = next(line for line in text.splitlines() if "何静" in line)
    assert ZH._("promotion ❌ until {date}", date="2027-03-04") in line
    assert "林涛" in clear_line(text) and "何静" not in clear_line(text)
    refused = texts(await say(core, HL_HEAD, "/eligible 岳村镇"))
    outside = ZH._("No person or unit “{text}” found within your scope.", text="岳村镇")
    assert refused == outside
    # Typed, another unit's list is refused the same way (not declined as a rule question).
    assert texts(await say(core, HL_HEAD, "岳村镇谁能评先进")) == outside


async def test_outside_the_scope_a_unit_is_not_found(core: Assistant) -> None:
    refused = texts(await say(core, QF_INSPECTOR, "/eligible HL-ZF"))
    assert refused == ZH._("No person or unit “{text}” found within your scope.", text="HL-ZF")
    refused = texts(await say(core, HL_CADRE, "/eligible HL-ZF"))
    assert refused == ZH._("No person “{text}” found within your scope.", text="HL-ZF")


async def test_years_and_one_character_as_officials_type_them(core: Assistant) -> None:
    stuck = texts(await say(core, HL_INSPECTOR, "/eligible 岳村镇2025"))
    assert stuck.splitlines()[0].startswith("岳村镇（HL-YC）") and "2025" in stuck.splitlines()[0]
    for typed in ("/eligible 岳村镇 2025年度", "/eligible 岳村镇 25年"):
        assert "2025" in texts(await say(core, HL_INSPECTOR, typed)).splitlines()[0], typed
    # One character is offered as a choice, never taken as the person.
    one = await say(core, HL_INSPECTOR, "/eligible 孙")
    assert texts(one) == ZH._("Do you mean this person?") and "孙伟" in str(buttons(one))
    # 是 / 对的 typed answers it as the button would; 不是 asks for the full name.
    shown = texts(await say(core, HL_INSPECTOR, "对的"))
    assert "孙伟" in shown and ZH._("Do you mean this person?") not in shown
    await say(core, HL_INSPECTOR, "/eligible 孙")
    other = texts(await say(core, HL_INSPECTOR, "不是"))
    assert other == ZH._(
        "Please send /eligible with the person's full name (/eligible 高峰) or number (/eligible P28)."
    )
    # 啥时候能提拔 is the eligibility question too.
    assert "高峰" in texts(await say(core, HL_INSPECTOR, "高峰啥时候能提拔"))


async def test_typed_unit_questions(core: Assistant) -> None:
    await create_talk(core)
    named = texts(await say(core, HL_INSPECTOR, "华龙区政府办公室谁能评先进？"))
    assert "马丽娟" in named and ZH._("rated advanced ❌") in named
    own = texts(await say(core, HL_HEAD, "我们单位今年有谁可以提拔"))
    assert "华龙区政府办公室（HL-ZF）" in own and "马丽娟" in own
    yc = texts(await say(core, YC_HEAD, "哪些人能评先进"))
    assert "岳村镇（HL-YC）" in yc and "高峰" in yc
    # A cadre has no unit to list: the message stays a question for the rule base.
    cadre = texts(await say(core, HL_CADRE, "谁能评先进"))
    assert (
        ZH._("✅ Nothing on record prevents either ({n}): {names}", n=1, names="孙伟") not in cadre
    )
    assert "HL-ZF" not in cadre


async def test_a_bare_eligible_offers_the_units_one_heads_or_oversees(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    # A unit head typing /eligible before a commendation round gets his own answer and a
    # button for his unit's list; a cadre without such a role only the own answer.
    replies = await say(core, YC_HEAD, "/eligible")
    yc = next(u for u in fake_uow.db.units.values() if u.name == "岳村镇")
    assert ZH._("To check a whole unit at once:") in texts(replies)
    assert [d for _, d in buttons(replies)][-1] == f"elu:{yc.id}"
    listed = texts(await say(core, YC_HEAD, data=f"elu:{yc.id}"))
    assert "林涛" in clear_line(listed)
    # Another unit's button (old or forged) is refused.
    hl = next(u for u in fake_uow.db.units.values() if u.code == "HL")
    refused = texts(await say(core, YC_HEAD, data=f"elu:{hl.id}"))
    assert refused == ZH._("No person or unit “{text}” found within your scope.", text=f"#{hl.id}")
    cadre = await say(core, HL_CADRE, "/eligible")
    assert ZH._("To check a whole unit at once:") not in texts(cadre)
    assert not any(d.startswith("elu:") for _, d in buttons(cadre))


async def test_a_unit_that_failed_its_assessment_is_said_to_be_barred(core: Assistant) -> None:
    """/eligible 岳村镇 after its failed assessment: the list said nothing about the unit."""
    from tests.handlers.records.support import run

    await run(
        core, HL_INSPECTOR, "/assess", "@f:c:unit", "岳村镇", "@f:c:2025", "@f:c:failed",
        "@f:c:12345", "2025-12-20", "@f:skip", "@f:ok",
    )  # fmt: skip
    text = texts(await say(core, HL_INSPECTOR, "/eligible 岳村镇 2025"))
    assert text.startswith("⚠️ 岳村镇（HL-YC）2025年度考核不达标"), text
    other = texts(await say(core, HL_INSPECTOR, "/eligible 岳村镇 2026"))
    assert "不达标" not in other


async def test_a_name_typed_under_do_you_mean_runs_the_check_for_it(core: Assistant) -> None:
    """您是指孙伟吗 answered with another name had gone to the rule base."""
    asked = await say(core, HL_INSPECTOR, "/eligible 孙 2025")
    assert texts(asked) == ZH._("Do you mean this person?")
    shown = texts(await say(core, HL_INSPECTOR, "马丽娟"))
    assert shown.splitlines()[0].startswith("马丽娟") and "2025 年度" in shown  # its year kept
    # A question typed there is no name: it goes on to the rule base as before.
    await say(core, HL_INSPECTOR, "/eligible 孙")
    asked_again = texts(await say(core, HL_INSPECTOR, "诫勉谈话影响提拔吗？"))
    assert not asked_again.startswith("马丽娟") and "诫勉" in asked_again


async def test_thanks_is_no_name_and_a_name_after_someone_else_is(core: Assistant) -> None:
    """谢谢 under 您是指这位吗 had been looked up as a person; after "不是，换一个人" the bare
    name typed had gone to the rule base."""
    await say(core, HL_INSPECTOR, "/eligible 孙")
    thanks = texts(await say(core, HL_INSPECTOR, "谢谢"))
    assert "谢谢" not in thanks  # answered as thanks, not "no person 谢谢"
    await say(core, HL_INSPECTOR, "/eligible 孙")
    await say(core, HL_INSPECTOR, data="el:other")
    shown = texts(await say(core, HL_INSPECTOR, "马丽娟"))
    assert shown.splitlines()[0].startswith("马丽娟")


async def test_someone_else_pressed_while_a_form_waits_leaves_the_form_open(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    """ "不是，换一个人" from an older message, pressed while a talk form waits, must not
    replace the form's state with the name it expects next."""
    await say(core, HL_INSPECTOR, "/talk 马丽娟")
    await say(core, HL_INSPECTOR, data="el:other")
    state = next(iter(fake_uow.db.conversations.values()))
    assert state.form != "_yesno"
