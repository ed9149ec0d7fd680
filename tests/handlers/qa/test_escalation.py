"""Passing a declined question to the discipline inspectors: the asker is told first that
the name goes with it, and confirms (issue 18's walk)."""

from __future__ import annotations

from datetime import timedelta

from handlers.core.app import Assistant
from handlers.core.clock import ManualClock
from handlers.core.i18n import translator
from handlers.core.types import TextReply
from tests.handlers.core.fakes import FakeUnitOfWorkFactory
from tests.handlers.core.helpers import button_data, say, texts

ZH = translator("zh_CN")
CADRE = 1110  # 高峰, 岳村镇 (华龙区: inspector 1102 徐芳)
QUESTION = "我们镇食堂承包给亲戚经营有没有规定说不行"


async def test_passing_on_asks_first_and_says_the_name_goes_with_it(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    replies = await say(core, CADRE, QUESTION)
    ask = await say(core, CADRE, data=button_data(replies, ZH._("Pass to staff")))
    assert "姓名" in texts(ask)
    assert not any(q["escalated"] for q in fake_uow.db.questions.values())
    sent = await say(core, CADRE, data=button_data(ask, ZH._("Yes, pass it on")))
    to_inspector = [r for r in sent if isinstance(r, TextReply) and r.chat_id == 1102]
    assert to_inspector and QUESTION in to_inspector[0].text and "高峰" in to_inspector[0].text
    # Only the nearest inspectors (华龙区's), not the city's over them as well.
    assert {r.chat_id for r in sent if isinstance(r, TextReply) and r.chat_id} == {1102}
    assert any(e.action == "question.escalated" for e in fake_uow.db.audit)
    # Pressed again: nothing is sent twice.
    again = await say(core, CADRE, data=button_data(ask, ZH._("Yes, pass it on")))
    assert not [r for r in again if isinstance(r, TextReply) and r.chat_id == 1102]


async def test_no_keeps_the_question_to_oneself(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    replies = await say(core, CADRE, QUESTION)
    ask = await say(core, CADRE, data=button_data(replies, ZH._("Pass to staff")))
    kept = await say(core, CADRE, data=button_data(ask, ZH._("No")))
    assert texts(kept) == ZH._("Not passed on.")
    assert not [r for r in kept if isinstance(r, TextReply) and r.chat_id == 1102]
    assert not any(q["escalated"] for q in fake_uow.db.questions.values())


async def test_typing_the_buttons_words_passes_the_latest_question(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    await say(core, CADRE, QUESTION)
    await say(core, CADRE, "/help")  # the decline's buttons are no longer the last ones
    ask = await say(core, CADRE, "转给纪检监察干部")
    assert (
        "姓名" in texts(ask)
        and f"“{QUESTION}”" in texts(ask)
        and not any(q["escalated"] for q in fake_uow.db.questions.values())
    )
    sent = await say(core, CADRE, "好的")
    assert [r for r in sent if isinstance(r, TextReply) and r.chat_id == 1102]
    # Said in more words, it is the same request (a question about transfers is not).
    from handlers.shortcuts.typed import is_typed_shortcut

    assert is_typed_shortcut("刚才那个问题转人工吧") and is_typed_shortcut("帮我转纪检干部")
    assert not is_typed_shortcut("转给纪委处理的案件怎么办")
    # Passed on already: typed again, nothing is offered twice.
    again = texts(await say(core, CADRE, "转人工"))
    assert again == ZH._(NOTHING_TO_PASS)
    # An old question is not what 转人工 refers to.
    await say(core, CADRE, "我们镇的公车能不能借给村里用几天")
    clock.advance(timedelta(minutes=31))
    assert texts(await say(core, CADRE, "转人工")) == ZH._(NOTHING_TO_PASS)


NOTHING_TO_PASS = (
    "There is no recent question of yours to pass on. Type your question first; if I cannot "
    "answer it, the reply has a button to pass it to discipline-inspection staff."
)


async def test_an_off_topic_message_says_what_the_assistant_is_for(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    replies = await say(core, CADRE, "明天天气咋样")
    assert "不是我掌握的规定方面的问题" in texts(replies)
    assert not any(r.buttons for r in replies if isinstance(r, TextReply))  # nothing "nearby"
    # A rule question the rule base lacks is declined as before, with the pass button.
    assert ZH._("Pass to staff") in [
        b.text for r in await say(core, CADRE, QUESTION) for row in r.buttons for b in row
    ]  # type: ignore[attr-defined]


async def test_the_buttons_label_typed_right_after_the_decline_presses_it(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    await say(core, CADRE, QUESTION)
    ask = await say(core, CADRE, "转给纪检监察干部")
    assert "姓名" in texts(ask) and not any(q["escalated"] for q in fake_uow.db.questions.values())
    sent = await say(core, CADRE, "好的")
    assert [r for r in sent if isinstance(r, TextReply) and r.chat_id == 1102]
    assert any(q["escalated"] for q in fake_uow.db.questions.values())
