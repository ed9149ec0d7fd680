"""Words typed instead of pressing a form's buttons: 上一步 goes back, 不弄了 cancels, and a
question typed on the review screen is offered an answer; none is stored as a value."""

from __future__ import annotations

from datetime import timedelta

import pytest

from handlers.core.app import Assistant
from handlers.core.clock import ManualClock
from handlers.core.form_questions import looks_like_question
from knowledge.decision import Status
from knowledge.retrieval import KnowledgeBase
from tests.handlers.core.fakes import FakeUnitOfWorkFactory
from tests.handlers.core.helpers import say, texts
from tests.handlers.records.support import TALK_INPUTS, ZH, run

INSPECTOR = 1102


@pytest.mark.parametrize("word", ["上一步", "返回", "◀ 上一步", "back"])
async def test_a_typed_back_word_goes_back_a_step(core: Assistant, word: str) -> None:
    await say(core, INSPECTOR, "/talk 马丽娟")
    assert "在哪里" in texts(await say(core, INSPECTOR, "今天"))
    assert "哪一天" in texts(await say(core, INSPECTOR, word))


@pytest.mark.parametrize("word", ["不弄了", "不搞了", "撤销", "放弃"])
async def test_more_ways_of_saying_cancel_leave_the_form(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, word: str
) -> None:
    before = len(fake_uow.db.record_tables.talks)
    await say(core, INSPECTOR, "/talk 马丽娟")
    await say(core, INSPECTOR, "今天")
    assert texts(await say(core, INSPECTOR, word)) == ZH._("Cancelled. Nothing was saved.")
    assert len(fake_uow.db.record_tables.talks) == before


async def test_a_question_on_the_review_screen_is_offered_an_answer(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    await run(core, INSPECTOR, "/talk 马丽娟", *TALK_INPUTS)
    reply = await say(core, INSPECTOR, "处分期间能提拔吗")
    assert "尚未保存" in texts(reply)
    labels = [b.text for r in reply for row in r.buttons for b in row]  # type: ignore[attr-defined]
    assert ZH._("Answer the question") in labels and ZH._("✅ Confirm") in labels
    before = len(fake_uow.db.record_tables.talks)
    await say(core, INSPECTOR, "确认")  # the form was kept
    assert len(fake_uow.db.record_tables.talks) == before + 1


@pytest.mark.parametrize(
    "text",
    [
        "党风廉政建设责任制规定是啥",
        "事业单位人员处分依据什么",
        "处分期间能不能提拔",
        "诫勉影响几年",
        "这咋办",
        "要写几条啊",
        "写啥好",
        "承诺要写多少条呀",
        "公车私用怎么处理",
        "诫勉谈话后多久不能提拔",
        "整改通知一般给多长期限",
        "问题要写多详细",
        "does a warning talk block promotion",
    ],
)
def test_questions_without_a_question_mark_are_read_as_questions(text: str) -> None:
    assert looks_like_question(text)


@pytest.mark.parametrize(
    "text",
    [
        "指出收受礼品问题，要求一个月内退还",
        "纪委谈话室",
        "本人表示接受批评，询问了是不是还要写检查，已说明需要书面检查并在一周内交回",
        "不论什么场合都不收礼",
        "管好身边人啊",
        "不收礼",
        "已当面指出问题并要求说明如何整改到位",
        "没啥问题",
        "Do not accept gifts from anyone I supervise",
        "Is committed to returning the money",
    ],
)
def test_answers_are_not_read_as_questions(text: str) -> None:
    assert not looks_like_question(text)


async def test_text_typed_long_after_a_form_was_left_is_asked_about_first(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    """A form left open is not fed whatever is typed hours later (a question that does not
    look like one had become a talk's place); the person says whether it is the answer."""
    await say(core, INSPECTOR, "/talk 马丽娟")
    await say(core, INSPECTOR, "今天")
    clock.advance(timedelta(hours=3))
    asked = await say(core, INSPECTOR, "责任制规定主要内容")
    assert "还停在" in texts(asked)
    async with fake_uow() as uow:
        state = await uow.conversations.load(INSPECTOR, INSPECTOR)
    assert state is not None and state.step == "place" and "place" not in state.data
    # Said to be the answer, it is used; answers typed right after are taken as they come.
    assert "谈话人" in texts(await say(core, INSPECTOR, data="f:use"))
    assert "记录人" in texts(await say(core, INSPECTOR, "我"))


async def test_a_day_the_calendar_does_not_have_is_named_as_such(core: Assistant) -> None:
    await say(core, INSPECTOR, "/talk 马丽娟")
    assert texts(await say(core, INSPECTOR, "2月30日")) == ZH._(
        "There is no such day as “{text}”: please check the month and the day.", text="2月30日"
    )
    assert "没有“2026-02-30”这一天" in texts(
        await say(core, 1001, "/calendar set 年终考核 2026-02-30")
    )


@pytest.mark.parametrize("typed", ["先回答这个问题", "作为填写内容"])
async def test_the_question_prompts_labels_typed_are_its_buttons(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, typed: str
) -> None:
    """Typing a label of the "question or answer?" buttons presses it (先回答这个问题 had been
    stored as the field's value)."""
    await say(core, INSPECTOR, "/talk 马丽娟")
    await say(core, INSPECTOR, "今天")
    await say(core, INSPECTOR, "诫勉影响提拔吗")
    reply = texts(await say(core, INSPECTOR, typed))
    async with fake_uow() as uow:
        state = await uow.conversations.load(INSPECTOR, INSPECTOR)
    assert state is not None
    if typed == "作为填写内容":
        assert state.data["place"] == "诫勉影响提拔吗" and "谈话人" in reply
    else:
        assert "place" not in state.data and state.step == "place"
        assert "先回答这个问题" not in str(state.data.values())


@pytest.mark.parametrize("word", ["不用", "嗯", "是的", "no"])
async def test_a_yes_or_no_is_never_a_fields_value(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, word: str
) -> None:
    await say(core, INSPECTOR, "/talk 马丽娟")
    await say(core, INSPECTOR, "今天")
    reply = texts(await say(core, INSPECTOR, word))
    assert "不是“谈话地点”的内容" in reply or "不能跳过" in reply  # "no" is also a skip word
    async with fake_uow() as uow:
        state = await uow.conversations.load(INSPECTOR, INSPECTOR)
    assert state is not None and state.step == "place" and "place" not in state.data


async def test_a_question_kept_as_the_answer_of_a_button_step_shows_the_buttons(
    core: Assistant,
) -> None:
    # At the talk's reason (buttons only), a question is not offered as the answer: the
    # question's button comes with the step's own choices.
    await run(core, INSPECTOR, "/talk 马丽娟", *TALK_INPUTS[:4])
    asked = await say(core, INSPECTOR, "公车私用怎么处理")
    offered = [d for r in asked for row in r.buttons for b in row if (d := b.data)]  # type: ignore[attr-defined]
    assert "f:use" not in offered and any(d.startswith("rr:") for d in offered)
    assert "f:c:integrity_breach" in offered
    # A "use it" pressed on an older message is refused with the choices all the same.
    refused = await say(core, INSPECTOR, data="f:use")
    choices = [
        d for r in refused for row in r.buttons for b in row if (d := b.data).startswith("f:c:")
    ]  # type: ignore[attr-defined]
    assert "integrity_breach" in {c.removeprefix("f:c:") for c in choices}


async def test_a_question_answered_while_a_form_waits_says_the_form_is_still_open(
    core: Assistant,
) -> None:
    await run(core, INSPECTOR, "/talk 马丽娟", *TALK_INPUTS[:2])
    asked = await say(core, INSPECTOR, "诫勉影响提拔吗")
    [answer] = [
        d for r in asked for row in r.buttons for b in row if (d := b.data).startswith("rr:")
    ]  # type: ignore[attr-defined]
    answered = texts(await say(core, INSPECTOR, data=answer))
    assert "表单仍在原处等待" in answered
    # Its button brings the step back with the step's own buttons (the talk's place here).
    again = await say(core, INSPECTOR, data="f:again")
    assert "谈话人" in texts(again) and any(
        b.data == "f:cancel" for r in again for row in r.buttons for b in row
    )  # type: ignore[attr-defined]
    # Without a form, nothing is said about one.
    await say(core, INSPECTOR, "取消")
    assert "表单" not in texts(await say(core, INSPECTOR, "诫勉影响提拔吗"))


async def test_a_question_from_inside_a_form_is_read_with_the_forms_subject(
    core: Assistant, kb: KnowledgeBase
) -> None:
    """要写几条啊 says nothing on its own; asked from the pledge form it is about pledges."""
    assert kb.decide("要写几条啊").status == Status.NONE  # declined on its own
    await say(core, 1110, "/pledge 2027")
    asked = await say(core, 1110, "要写几条啊")
    [answer] = [
        d for r in asked for row in r.buttons for b in row if (d := b.data).startswith("rr:")
    ]  # type: ignore[attr-defined]
    answered = texts(await say(core, 1110, data=answer))
    assert "规则库没有涵盖" not in answered and "承诺" in answered


async def test_a_courtesy_word_where_buttons_wait_says_to_choose(core: Assistant) -> None:
    """确认 at /assess's first step had been told "type the content" under two buttons."""
    await say(core, INSPECTOR, "/assess")
    reply = texts(await say(core, INSPECTOR, "确认"))
    assert reply.startswith("“确认”不是对“考核对象类型”的回答") and "按钮" in reply
    # Where the step is typed, the plain refusal stays.
    await say(core, INSPECTOR, "/talk 马丽娟")
    await say(core, INSPECTOR, "今天")
    assert "不是“谈话地点”的内容" in texts(await say(core, INSPECTOR, "好的"))
