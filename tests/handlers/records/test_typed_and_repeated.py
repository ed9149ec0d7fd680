"""Records made twice, people counted once, a case's dates kept in order, and a button's
label typed instead of pressed (fakes)."""

from __future__ import annotations

from datetime import date

from handlers.core.app import Assistant
from tests.handlers.core.fakes import FakeUnitOfWorkFactory
from tests.handlers.core.helpers import say, texts
from tests.handlers.records.support import (
    HL_INSPECTOR,
    TALK_INPUTS,
    ZH,
    add_person,
    create_case,
    create_notice,
    create_talk,
    issue_notice,
    run,
)
from tests.handlers.records.test_cases import tables


async def test_a_talk_confirmed_twice_is_recorded_once(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    first = await create_talk(core)
    again = await run(core, HL_INSPECTOR, "/talk 马丽娟", *TALK_INPUTS, "@f:ok")
    assert f"#{first}" in texts(again)
    assert [t.id for t in tables(fake_uow).talks.values() if t.talk_date == date(2026, 3, 1)] == [
        first
    ]
    # Another day is another talk.
    assert await create_talk(core, day="2026-03-02") != first


async def test_a_notice_issued_twice_is_recorded_once(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    before = len(tables(fake_uow).notices)
    first = await create_notice(core)
    again = await issue_notice(core)
    assert f"#{first}" in texts(again)
    assert len(tables(fake_uow).notices) == before + 1
    await create_notice(core, deadline="2026-04-15")  # a different deadline: a second notice
    assert len(tables(fake_uow).notices) == before + 2


async def test_a_case_counts_people_not_handlings(core: Assistant) -> None:
    cid = await create_case(core)
    await add_person(core, cid)  # a party serious warning …
    await add_person(core, cid, kind="govt_demerit")  # … and a demerit: one person
    await add_person(core, cid, "孙伟", "organisational", "warning_talk", "2026-03-10")
    listed = texts(await say(core, HL_INSPECTOR, "/cases"))
    assert ZH._("{n} involved", n=2) in listed
    detail = texts(await say(core, HL_INSPECTOR, data=f"cs:o:{cid}"))
    assert ZH._("People held accountable ({n}):", n=2) in detail
    assert detail.count("马丽娟") == 2  # both handlings are still listed


async def test_editing_a_case_cannot_open_it_after_its_decisions(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    cid = await create_case(core)  # opened 2026-03-01
    await add_person(core, cid)  # effective 2026-03-05
    refused = await run(
        core, HL_INSPECTOR, f"@cs:e:{cid}", "@f:edit:opened_on", "2026-03-08", "@f:ok"
    )
    assert "2026-03-05" in texts(refused)
    assert tables(fake_uow).cases[cid].opened_on == date(2026, 3, 1)
    await say(core, HL_INSPECTOR, "/cancel")
    fine = await run(core, HL_INSPECTOR, f"@cs:e:{cid}", "@f:edit:opened_on", "2026-03-04", "@f:ok")
    assert tables(fake_uow).cases[cid].opened_on == date(2026, 3, 4), texts(fine)


async def test_typing_none_picks_the_none_button(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    before = len(tables(fake_uow).assessments)
    steps = ("/assess", "@f:c:person", "马丽娟", "@f:c:2026", "@f:c:passed", "1 3 5")
    await run(core, HL_INSPECTOR, *steps)
    moved_on = texts(await say(core, HL_INSPECTOR, "无"))  # the 无 button's label, typed
    assert (
        ZH._("This one is needed and cannot be skipped; please type it, or press Cancel.")
        not in moved_on
    )
    await run(core, HL_INSPECTOR, "2026-03-05", "@f:skip", "@f:ok")
    assert len(tables(fake_uow).assessments) == before + 1


async def test_a_command_run_mid_form_says_the_form_still_waits(core: Assistant) -> None:
    """/eligible typed while a talk form waits for its date: the answer, then a note that
    the form is open (前天 next is the talk's date, not a person looked up)."""
    await say(core, HL_INSPECTOR, "/talk 马丽娟")
    looked_up = texts(await say(core, HL_INSPECTOR, "/eligible 高峰"))
    note = ZH._(
        "Your form is still open where you left it: your next message is taken as its answer. Type “cancel” to leave it."
    )
    assert "高峰" in looked_up and looked_up.endswith(note)
    # A command that ends the form, or a form's own step, adds nothing.
    assert note not in texts(await say(core, HL_INSPECTOR, "前天"))
    assert note not in texts(await say(core, HL_INSPECTOR, "/cancel"))
    assert note not in texts(await say(core, HL_INSPECTOR, "/eligible 高峰"))


async def test_a_new_record_asked_for_inside_a_form_is_not_stored_as_an_answer(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    """给岳村镇发个整改通知 月底前 typed where a notice's problem is asked had been stored as the
    problem; a new request is refused, and the form keeps waiting for its answer."""
    await say(core, HL_INSPECTOR, "/notice HL-ZF")
    before = dict(next(iter(fake_uow.db.conversations.values())).data)
    for typed in ("给岳村镇发个整改通知 月底前", "记一下高峰的诫勉谈话", "立个案", "再立一个案"):
        reply = texts(await say(core, HL_INSPECTOR, typed))
        assert "不是对" in reply and "取消" in reply, reply
        assert dict(next(iter(fake_uow.db.conversations.values())).data) == before
    # A problem that mentions a notice is still a problem.
    await run(core, HL_INSPECTOR, "未及时下发整改通知", "@f:c:2026-03-10", "2026-04-01", "@f:ok")
    assert any(n.problems == "未及时下发整改通知" for n in tables(fake_uow).notices.values())


async def test_pointers_and_placeholders_are_not_kept_as_record_text(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    """同上 as a talk's place, 待定 as who held it, 略 / 见上文所述 / same as above had been kept
    as the record's words."""
    await run(core, HL_INSPECTOR, "/talk 马丽娟", "2026-03-01")
    state = dict(next(iter(fake_uow.db.conversations.values())).data)
    for typed in ("同上", "略", "待定", "见上文所述", "same as above", "TBD"):
        reply = texts(await say(core, HL_INSPECTOR, typed))
        assert (
            ZH._("“{text}” says nothing the record could keep; please write it out.", text=typed)
            in reply
        ), typed
    assert dict(next(iter(fake_uow.db.conversations.values())).data) == state
    # At a notice's problem, which wants four characters, 同上。 is said to say nothing (not
    # "at least 4 characters", which invited padding: 同上同上 is refused too).
    await run(core, HL_INSPECTOR, "取消", "/notice HL-ZF")
    for typed in ("同上。", "同上同上", "内容见附件"):
        reply = texts(await say(core, HL_INSPECTOR, typed))
        assert "没有可记录的内容" in reply, (typed, reply)


async def test_a_request_to_change_an_earlier_answer_is_not_the_next_fields_value(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    """修改单位 where a notice's problem is asked, and 修改谈话日期 / 日期填错了 / 改一下日期
    where a talk's place is, had been stored as those fields (thirty-sixth session's walk)."""
    await say(core, HL_INSPECTOR, "/notice HL-ZF")
    before = dict(next(iter(fake_uow.db.conversations.values())).data)
    reply = texts(await say(core, HL_INSPECTOR, "修改单位"))
    assert "要修改前面填的内容" in reply, reply
    assert dict(next(iter(fake_uow.db.conversations.values())).data) == before
    await run(core, HL_INSPECTOR, "取消", "/talk 马丽娟", "2026-03-01")
    state = dict(next(iter(fake_uow.db.conversations.values())).data)
    for typed in ("修改谈话日期", "日期填错了", "改一下日期", "写错了"):
        reply = texts(await say(core, HL_INSPECTOR, typed))
        assert "要修改前面填的内容" in reply, (typed, reply)
        assert dict(next(iter(fake_uow.db.conversations.values())).data) == state
    # The assistant's own form controls typed with no such button waiting (a role walk had
    # stored 继续填写表单 as the place and 先回答这个问题 as who held the talk).
    for typed in ("继续填写表单", "先回答这个问题", "作为填写内容", "继续填写"):
        reply = texts(await say(core, HL_INSPECTOR, typed))
        assert "是按钮上的字" in reply, (typed, reply)
        assert dict(next(iter(fake_uow.db.conversations.values())).data) == state
    # A place that starts with 改 is still a place; putting it off and a pointer are not.
    for typed in ("明天再说", "详见谈话笔录"):
        assert "没有可记录的内容" in texts(await say(core, HL_INSPECTOR, typed)), typed
    await run(core, HL_INSPECTOR, "改造后的谈话室")
    state = dict(next(iter(fake_uow.db.conversations.values())).data)
    assert "改造后的谈话室" in state.values()


async def test_the_same_form_started_again_says_the_first_was_left(core: Assistant) -> None:
    """/talk typed again mid-talk started it afresh without a word."""
    await run(core, HL_INSPECTOR, "/talk 马丽娟", "2026-03-01")
    again = await say(core, HL_INSPECTOR, "/talk")
    assert texts(again[:1]) == ZH._(
        "The form you had open before was left unfinished; nothing of it was saved."
    )


async def test_owning_up_to_a_mistake_in_a_talk_is_kept_as_the_talks_words(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    """日期填错了 asks to change the date; 认识到自己选错了 said by the person talked to is a
    record's words, not a request to the assistant."""
    await run(core, HL_INSPECTOR, "/talk 马丽娟", "2026-03-01")
    assert "要修改前面填的内容" in texts(await say(core, HL_INSPECTOR, "日期填错了"))
    await say(core, HL_INSPECTOR, "认识到自己选错了")
    state = dict(next(iter(fake_uow.db.conversations.values())).data)
    assert "认识到自己选错了" in state.values()
