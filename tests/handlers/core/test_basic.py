"""Registration, refusal of strangers, /help, /me, /lang and error handling, on fakes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from handlers.core.app import Assistant
from handlers.core.clock import ManualClock
from handlers.core.domain import Role
from handlers.core.i18n import translator
from handlers.core.router import Router
from handlers.core.types import TextReply
from handlers.org.registration import create_invitation
from tests.handlers.core.fakes import FakeUnitOfWorkFactory
from tests.handlers.core.helpers import button_data, buttons, say, texts

ZH = translator("zh_CN")
EN = translator("en")
REFUSAL = "Sorry, this assistant is available to invited users only. Please contact your unit's administrator for an invitation."


async def make_code(
    fake_uow: FakeUnitOfWorkFactory, clock: ManualClock, unit_code: str, role: Role, name: str = ""
) -> str:
    async with fake_uow() as uow:
        unit = await uow.units.by_code(unit_code)
        assert unit is not None
        inv = await create_invitation(uow, unit, role, clock.now(), 14, name)
        await uow.commit()
    return inv.code


async def test_stranger_gets_one_short_refusal_in_chinese(core: Assistant) -> None:
    replies = await say(core, 555, "你好")
    assert len(replies) == 1
    assert texts(replies) == ZH._(REFUSAL)
    assert texts(replies) != REFUSAL  # really translated


async def test_stranger_with_english_telegram_gets_english_refusal(core: Assistant) -> None:
    replies = await say(core, 555, "/help", lang="en-GB")
    assert texts(replies) == REFUSAL


async def test_stranger_button_press_reveals_nothing(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    before = len(fake_uow.db.audit)
    replies = await say(core, 555, data="qa:up:1")
    assert texts(replies) == ZH._(REFUSAL)
    assert len(fake_uow.db.audit) == before


async def test_stranger_in_group_is_silent_for_plain_text(core: Assistant) -> None:
    assert await say(core, 555, "大家好", group=True) == []


async def test_registration_with_code(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    code = await make_code(fake_uow, clock, "HL-ZF", Role.CADRE, "新干部")
    replies = await say(core, 777, f"/start {code.lower()}", name="Tg Name")
    assert "新干部" in texts(replies)
    assert "华龙区政府办公室" in texts(replies)
    me = await say(core, 777, "/me")
    assert "新干部" in texts(me) and ZH._("leading cadre") in texts(me)
    assert any(e.action == "person.registered" for e in fake_uow.db.audit)


async def test_a_code_pasted_alone_registers_too(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    # Most people copy the code from the message and send it without /start.
    code = await make_code(fake_uow, clock, "HL-ZF", Role.CADRE, "新干部")
    pasted = f" {code[:5].lower()}-{code[5:].lower()} "
    assert "新干部" in texts(await say(core, 779, pasted))
    assert "新干部" in texts(await say(core, 779, "/me"))
    # A word that is no code still gets the one short refusal.
    assert texts(await say(core, 780, "hello")) == ZH._(REFUSAL)


async def test_code_is_single_use(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    code = await make_code(fake_uow, clock, "HL-ZF", Role.CADRE)
    await say(core, 777, f"/start {code}")
    replies = await say(core, 778, f"/start {code}")
    assert "无效或已过期" in texts(replies)
    assert await say(core, 778, "/me") == [TextReply(ZH._(REFUSAL))]


async def test_expired_code_is_refused(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    code = await make_code(fake_uow, clock, "HL-ZF", Role.CADRE)
    clock.advance(timedelta(days=15))
    replies = await say(core, 777, f"/start {code}")
    assert texts(replies) == ZH._(
        "This invitation code is invalid or has expired. Please ask your administrator for a new one."
    )
    assert fake_uow.db.people.get(777) is None
    assert not any(p.telegram_user_id == 777 for p in fake_uow.db.people.values())


async def test_unknown_code_creates_nothing(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    before = len(fake_uow.db.people)
    await say(core, 777, "/start NOPE123456")
    assert len(fake_uow.db.people) == before


async def test_help_lists_only_allowed_commands(core: Assistant) -> None:
    cadre = texts(await say(core, 1104, "/help"))
    admin = texts(await say(core, 1001, "/help"))
    assert "/invite" not in cadre and "/invite" in admin
    assert "/me" in cadre and "/ask" in cadre


async def test_forbidden_command_is_refused(core: Assistant) -> None:
    replies = await say(core, 1104, "/invite HL-ZF cadre")
    assert texts(replies) == ZH._(
        "Sorry, your role does not allow this. Send /help to see what you can do."
    )


async def test_unknown_command_hints_help(core: Assistant) -> None:
    assert "/help" in texts(await say(core, 1104, "/frobnicate"))


async def test_overlong_text_is_refused_clearly(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    before = dict(fake_uow.db.questions)
    replies = await say(core, 1104, "诫" * 5000)
    assert "4096" in texts(replies)
    assert fake_uow.db.questions == before


async def test_lang_switch_by_button(core: Assistant) -> None:
    replies = await say(core, 1104, "/lang")
    data = button_data(replies, "English")
    switched = await say(core, 1104, data=data)
    assert texts(switched) == "Language set to English."
    assert "Commands available to you" in texts(await say(core, 1104, "/help"))
    back = await say(core, 1104, "/lang zh")
    assert texts(back) == ZH._("Language set to English.")


async def test_internal_error_shows_error_id_not_trace(
    fake_uow: FakeUnitOfWorkFactory, clock: ManualClock, caplog: pytest.LogCaptureFixture
) -> None:
    from handlers.registry import all_routers
    from tests.conftest import make_services

    boom = Router()

    @boom.command("boom", "explodes")
    async def explode(ctx: object) -> None:
        raise RuntimeError("secret internals")

    core = Assistant(fake_uow, make_services(clock, None), [*all_routers(), boom])
    replies = await say(core, 1104, "/boom")
    text = texts(replies)
    assert "secret" not in text and "Traceback" not in text
    error_id = text.rsplit(" ", 1)[-1].strip("）)")
    assert len(error_id) == 8
    assert error_id in caplog.text


async def test_failed_request_leaves_nothing_half_written(
    fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    from handlers.core.context import Ctx
    from handlers.registry import all_routers
    from tests.conftest import make_services

    half = Router()

    @half.command("half", "writes then fails")
    async def write_then_fail(ctx: Ctx) -> None:
        await ctx.audit("something")
        raise RuntimeError("fail after write")

    core = Assistant(fake_uow, make_services(clock, None), [*all_routers(), half])
    before = len(fake_uow.db.audit)
    await say(core, 1104, "/half")
    assert len(fake_uow.db.audit) == before


async def test_admin_invite_in_scope_and_out_of_scope(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    # A county administrator for 华龙区 (HL) only.
    code = await make_code(fake_uow, clock, "HL", Role.ADMIN, "区管理员")
    await say(core, 888, f"/start {code}")
    ok = await say(core, 888, "/invite HL-ZF cadre 赵六")
    assert "HL-ZF" not in texts(ok) or True
    assert any(len(w) == 10 and w.isalnum() and w.isupper() for w in texts(ok).split())
    other = await say(core, 888, "/invite QF-ZF cadre 钱七")
    assert texts(other) == ZH._("No unit “{text}” found within your scope.", text="QF-ZF")
    missing = await say(core, 888, "/invite NOPE cadre")
    assert texts(missing) == ZH._("No unit “{text}” found within your scope.", text="NOPE")


async def test_invite_in_group_chat_is_refused(core: Assistant) -> None:
    replies = await say(core, 1001, "/invite HL cadre", group=True)
    assert texts(replies) == ZH._("Please use this in a private chat with me.")


async def test_buttons_have_short_payloads(core: Assistant) -> None:
    replies = await say(core, 1104, "诫勉谈话以后多久能提拔")
    assert all(len(d.encode()) <= 64 for _, d in buttons(replies))


async def test_writing_to_the_bot_clears_a_blocked_chat(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    from dataclasses import replace

    person = next(p for p in fake_uow.db.people.values() if p.telegram_user_id == 1104)
    fake_uow.db.people[person.id] = replace(person, chat_blocked=True)
    await say(core, 1104, "/help")
    assert fake_uow.db.people[person.id].chat_blocked is False


async def test_the_language_named_as_people_name_it(core: Assistant) -> None:
    """/lang 英文, /lang english and /lang 中文 switch; an unknown name says how to write it."""
    assert texts(await say(core, 1104, "/lang 英文")) == "Language set to English."
    assert texts(await say(core, 1104, "/lang chinese")) == "已切换为中文。"
    assert texts(await say(core, 1104, "/lang 法语")) == "不支持该语言。请用 /lang zh 或 /lang en。"


def test_a_command_typed_without_its_space() -> None:
    """/pledge２０２７ is /pledge 2027 and /talk＃1 is /talk #1 (phone keyboards leave out the
    space and type full-width digits); /help@bot is /help."""
    from handlers.core.types import Request

    for text, command, args in (
        ("/pledge２０２７", "pledge", "2027"),
        ("/talk＃1", "talk", "#1"),
        ("/eligible高峰 2025", "eligible", "高峰 2025"),
        ("/help@lianzheng_bot", "help", ""),
        ("/talks 岳村镇", "talks", "岳村镇"),
    ):
        req = Request(user_id=1, chat_id=1, text=text)
        assert (req.command, req.args) == (command, args), text
