"""A yes/no question asked with two buttons may be answered by typing 好的 / 不用 (people on
phones do), and only while it is the question just asked."""

from __future__ import annotations

import pytest

from handlers.core.app import Assistant
from handlers.core.types import TextReply
from tests.handlers.core.fakes import FakeUnitOfWorkFactory
from tests.handlers.core.helpers import button_data, say, texts
from tests.handlers.records.support import ADMIN, ZH

CADRE = 1110  # 高峰, 岳村镇 (华龙区: inspector 1102 徐芳)
QUESTION = "我们镇食堂承包给亲戚经营有没有规定说不行"


def active(fake_uow: FakeUnitOfWorkFactory, name: str) -> bool:
    return next(p for p in fake_uow.db.people.values() if p.name == name).active


@pytest.mark.parametrize("word", ["好的", "是", "确定停用", " 确认！", "OK"])
async def test_a_typed_yes_does_what_the_yes_button_does(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, word: str
) -> None:
    await say(core, ADMIN, "/deactivate 马丽娟")
    reply = texts(await say(core, ADMIN, word))
    assert "已停用" in reply and not active(fake_uow, "马丽娟")
    assert any(e.action == "person.deactivated" for e in fake_uow.db.audit)


@pytest.mark.parametrize("word", ["不用", "不", "算了", "取消", "不停用", "no"])
async def test_a_typed_no_keeps_everything(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, word: str
) -> None:
    await say(core, ADMIN, "/deactivate 马丽娟")
    reply = texts(await say(core, ADMIN, word))
    assert "马丽娟" in reply and active(fake_uow, "马丽娟")
    # The question is over: a later 好 confirms nothing.
    assert "已停用" not in texts(await say(core, ADMIN, "好"))
    assert active(fake_uow, "马丽娟")


async def test_anything_else_typed_ends_the_question_unanswered(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    await say(core, ADMIN, "/deactivate 马丽娟")
    await say(core, ADMIN, "诫勉谈话影响提拔吗")  # a question to the rule base instead
    assert "已停用" not in texts(await say(core, ADMIN, "好的"))
    assert active(fake_uow, "马丽娟")


@pytest.mark.parametrize("moved_on", ["/help", "button"])
async def test_a_command_or_button_in_between_ends_the_question(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, moved_on: str
) -> None:
    asked = await say(core, ADMIN, "/deactivate 马丽娟")
    if moved_on == "button":
        await say(core, ADMIN, data=button_data(asked, "不停用"))
    else:
        await say(core, ADMIN, moved_on)
    await say(core, ADMIN, "好的")
    assert active(fake_uow, "马丽娟")


async def test_a_typed_yes_passes_a_declined_question_on(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    replies = await say(core, CADRE, QUESTION)
    await say(core, CADRE, data=button_data(replies, ZH._("Pass to staff")))
    sent = await say(core, CADRE, "好的")
    assert [r for r in sent if isinstance(r, TextReply) and r.chat_id == 1102]


async def test_an_open_form_keeps_its_typed_answers(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    """/deactivate typed in the middle of a form does not take the form's place."""
    await say(core, ADMIN, "/talk 马丽娟")
    state = await _state(fake_uow)
    assert state is not None and state.form != "_yesno"
    await say(core, ADMIN, "/deactivate 马丽娟")
    assert (await _state(fake_uow)).form == state.form  # type: ignore[union-attr]
    await say(core, ADMIN, "好的")
    assert active(fake_uow, "马丽娟")


async def _state(fake_uow: FakeUnitOfWorkFactory):  # type: ignore[no-untyped-def]
    async with fake_uow() as uow:
        return await uow.conversations.load(ADMIN, ADMIN)
