"""Small talk (你好, 谢谢, 你能做什么, 再见) is answered in kind, not declined as a gap."""

from __future__ import annotations

import pytest

from handlers.core.app import Assistant
from handlers.core.i18n import translator
from knowledge.retrieval import KnowledgeBase, Status
from knowledge.small_talk import SmallTalk, classify
from tests.handlers.core.fakes import FakeUnitOfWorkFactory
from tests.handlers.core.helpers import buttons, say, texts

ZH = translator("zh_CN")
CADRE = 1110


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("你好", SmallTalk.GREETING),
        ("老师您好！", SmallTalk.GREETING),
        ("你好，在吗？？", SmallTalk.GREETING),
        ("Hi", SmallTalk.GREETING),
        ("你吃饭了吗", SmallTalk.GREETING),
        ("吃了没", SmallTalk.GREETING),
        ("好的谢谢您", SmallTalk.THANKS),
        ("谢谢啦~", SmallTalk.THANKS),
        ("你能做什么", SmallTalk.CAPABILITY),
        ("你是干啥的？", SmallTalk.CAPABILITY),
        ("怎么用", SmallTalk.CAPABILITY),
        ("你是谁开发的", SmallTalk.CAPABILITY),
        ("你是人工还是机器人", SmallTalk.CAPABILITY),
        ("拜拜", SmallTalk.FAREWELL),
        ("收到", SmallTalk.ACKNOWLEDGEMENT),
        ("好的", SmallTalk.ACKNOWLEDGEMENT),
        ("明白了！", SmallTalk.ACKNOWLEDGEMENT),
        ("嗯嗯", SmallTalk.ACKNOWLEDGEMENT),
        # A particle between two phrases, and laughter (both had been offered to staff).
        ("谢谢啊辛苦了", SmallTalk.THANKS),
        ("哈哈哈哈", SmallTalk.ACKNOWLEDGEMENT),
        # Two kinds in one message, and praise.
        ("多谢多谢 明白了", SmallTalk.THANKS),
        ("拜拜 下次再问", SmallTalk.FAREWELL),
        ("你是谁啊 机器人吗", SmallTalk.CAPABILITY),
        ("你真厉害", SmallTalk.THANKS),
        ("收到谢谢", SmallTalk.THANKS),
        ("好嘞谢谢", SmallTalk.THANKS),
        ("行谢谢", SmallTalk.THANKS),
        ("Noted, thanks", SmallTalk.THANKS),
        ("will do", SmallTalk.ACKNOWLEDGEMENT),
        ("/start", SmallTalk.COMMAND),
    ],
)
def test_conversational_messages_are_recognised(message: str, kind: SmallTalk) -> None:
    assert classify(message) == kind


@pytest.mark.parametrize(
    "message",
    [
        "你好 诫勉谈话后多久能提拔",  # a greeting before a question: still a question
        "谢谢你的回答 那记过呢",
        "哈哈 那诫勉呢",  # laughter before a question
        "谢谢 那降级呢",  # thanks, then a question: one part is no small talk
        "好用吗",
        "收到红包怎么办",
        "收到函询怎么回复",  # 收到 starting a question is not an acknowledgement
        "好的 那记过影响几年",
        "你能提拔吗",  # about promotion, not about the assistant
        "公车私用",
        "早上好，请问年初会议开什么",
        "吃饭了吗 老板请的能去不",  # a greeting-like start, then the question
        "吃了饭 对方买单 算违纪吗",
    ],
)
def test_questions_are_not_small_talk(message: str) -> None:
    assert classify(message) is None


def test_the_decision_declines_small_talk_without_candidates(kb: KnowledgeBase) -> None:
    decision = kb.decide("你能做什么")
    assert decision.status == Status.NONE
    assert decision.small_talk == SmallTalk.CAPABILITY
    assert decision.candidates == ()
    assert decision.as_json()["small_talk"] == "capability"
    question = kb.decide("你好，诫勉谈话后多久能提拔")
    assert question.small_talk is None and question.status != Status.NONE


async def test_a_greeting_gets_a_greeting_not_a_decline(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    before = dict(fake_uow.db.questions)
    hello = await say(core, CADRE, "您好")
    assert texts(hello).startswith("您好")
    assert "/help" in texts(hello)
    assert ZH._("Pass to staff") not in [label for label, _ in buttons(hello)]
    thanks = await say(core, CADRE, "谢谢")
    assert texts(thanks) == ZH._("You are welcome. Ask me again whenever you need.")
    # 嗯嗯 / 了解 are not reminder acknowledgements (收到 is, handled before the Q&A).
    nod = await say(core, CADRE, "嗯嗯")
    assert texts(nod) == ZH._("All right. Ask me whenever you have a question.")
    assert texts(nod) == "好的。有问题随时问我。" and not buttons(nod)
    what = await say(core, CADRE, "你能干啥")
    assert "廉政助手" in texts(what) and "/help" in texts(what)
    # Nothing was stored as a question, so nothing shows up as a gap for the curators.
    assert fake_uow.db.questions == before


async def test_a_question_after_a_greeting_is_still_answered(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    replies = await say(core, CADRE, "你好，请问诫勉谈话以后多久不能提拔")
    assert "依据" in texts(replies)
    assert len(fake_uow.db.questions) == 1


@pytest.mark.parametrize("message", ["2", "B", "？？", "👍", "2026-12-01", "/ask 3"])
async def test_a_stray_number_or_sign_is_not_a_question(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, message: str
) -> None:
    # A quiz option typed after the quiz ended, an emoji or a date says nothing to answer:
    # a hint to ask in words, no decline, nothing logged as a gap or offered to pass on.
    before = dict(fake_uow.db.questions)
    replies = await say(core, CADRE, message)
    assert texts(replies) == ZH._("Please type your question in words, for example: 收到红包怎么办")
    assert not buttons(replies)
    assert fake_uow.db.questions == before
