"""Long button payloads behind server-side tokens, and the choice buttons that need them.

Telegram limits callback_data to 64 bytes. The core stores longer payloads with the person
and chat they were issued to and an expiry, and puts ``~:<token>`` in the button; a press
resolves only for that person in that chat before the expiry.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.frontends.outgoing import keyboard_rows
from handlers.core.app import Assistant
from handlers.core.button_tokens import TOKEN_PREFIX, shorten
from handlers.core.clock import ManualClock
from handlers.core.context import Ctx, Services
from handlers.core.domain import NewPerson, Role
from handlers.core.i18n import translator
from handlers.core.router import Router
from handlers.core.types import MAX_BUTTON_PAYLOAD, Button, TextReply
from tests.handlers.core.fakes import FakeUnitOfWorkFactory
from tests.handlers.core.helpers import buttons, say, texts
from tests.handlers.reminders.helpers import FakeSender, make_dispatcher

ZH = translator("zh_CN")
EXPIRED = ZH._("This button has expired. Please run the command again.")
#: 1001 (王建国) administers the whole city, where two units are called …政府办公室.
LONG_NAME = "华龙区政府办公室新任副主任（试用期）"
INVITE = f"/invite 政府办公室 cadre {LONG_NAME}"


def invitations(fake_uow: FakeUnitOfWorkFactory) -> int:
    return len(fake_uow.db.invitations)


async def ambiguous_invite(core: Assistant) -> dict[str, str]:
    """Send the ambiguous /invite; (label → data) of the choice buttons."""
    replies = await say(core, 1001, INVITE)
    assert "有多个单位符合" in texts(replies) and "请在下方选择" in texts(replies)
    return dict(buttons(replies))


async def invite_button(core: Assistant, label: str) -> str:
    """The data of the ambiguous /invite's choice button with that label."""
    return (await ambiguous_invite(core))[label]


async def test_long_payload_is_stored_and_the_button_carries_a_short_token(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    choices = await ambiguous_invite(core)
    assert set(choices) == {"华龙区政府办公室（HL-ZF）", "清丰县政府办公室（QF-ZF）"}
    for data in choices.values():
        assert data.startswith(f"{TOKEN_PREFIX}:") and len(data.encode()) <= 64
    stored = {b.payload for b in fake_uow.db.button_tokens.values()}
    assert stored == {
        f"rr:/invite HL-ZF cadre {LONG_NAME}",
        f"rr:/invite QF-ZF cadre {LONG_NAME}",
    }
    assert all(len(p.encode()) > 64 for p in stored)  # they really did not fit
    issued = next(iter(fake_uow.db.button_tokens.values()))
    assert (issued.user_id, issued.chat_id) == (1001, 1001)


async def test_pressing_the_token_runs_the_command_with_the_chosen_unit(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    choices = await ambiguous_invite(core)
    before = invitations(fake_uow)
    replies = await say(core, 1001, data=choices["华龙区政府办公室（HL-ZF）"])
    assert "华龙区政府办公室" in texts(replies) and LONG_NAME in texts(replies)
    assert "https://t.me/lianzheng_test_bot?start=" in texts(replies)
    assert invitations(fake_uow) == before + 1
    [invitation] = [i for i in fake_uow.db.invitations.values() if i.name == LONG_NAME]
    hl = await _unit_id(fake_uow, "HL-ZF")
    assert invitation.unit_id == hl


async def _unit_id(fake_uow: FakeUnitOfWorkFactory, code: str) -> int:
    async with fake_uow() as uow:
        unit = await uow.units.by_code(code)
    assert unit is not None
    return unit.id


async def test_someone_elses_token_is_refused_and_changes_nothing(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    data = await invite_button(core, "华龙区政府办公室（HL-ZF）")
    before = invitations(fake_uow)
    # 1002 is a supervisor, not an administrator; 1003 an inspector: neither may use it,
    # and neither learns what it would have done.
    for other in (1002, 1003):
        assert texts(await say(core, other, data=data)) == EXPIRED
    assert invitations(fake_uow) == before


async def test_token_is_bound_to_the_chat_it_was_issued_in(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    choices = await ambiguous_invite(core)
    before = invitations(fake_uow)
    replies = await say(core, 1001, data=choices["华龙区政府办公室（HL-ZF）"], group=True)
    assert texts(replies) == EXPIRED
    assert invitations(fake_uow) == before


@pytest.mark.parametrize(
    "forged",
    [
        "~:",
        "~:AAAAAAAAAAAAAAAA",  # well-formed, never issued
        "~:../../etc/passwd",
        "~:" + "9" * 16,
        "~:abc:def",
    ],
)
async def test_unknown_or_malformed_tokens_get_the_expired_message(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, forged: str
) -> None:
    before = (invitations(fake_uow), len(fake_uow.db.audit))
    assert texts(await say(core, 1001, data=forged)) == EXPIRED
    assert (invitations(fake_uow), len(fake_uow.db.audit)) == before


async def test_tampered_token_is_refused(core: Assistant, fake_uow: FakeUnitOfWorkFactory) -> None:
    data = await invite_button(core, "华龙区政府办公室（HL-ZF）")
    last = data[-1]
    tampered = data[:-1] + ("A" if last != "A" else "B")
    before = invitations(fake_uow)
    assert texts(await say(core, 1001, data=tampered)) == EXPIRED
    assert invitations(fake_uow) == before


async def test_expired_token_is_refused_in_english_too(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    data = await invite_button(core, "华龙区政府办公室（HL-ZF）")
    clock.advance(timedelta(days=7))  # the default lifetime, to the second
    before = invitations(fake_uow)
    assert texts(await say(core, 1001, data=data)) == EXPIRED
    await say(core, 1001, "/lang")
    await say(core, 1001, data="lang:en")
    assert texts(await say(core, 1001, data=data)) == (
        "This button has expired. Please run the command again."
    )
    assert invitations(fake_uow) == before


async def test_token_works_until_it_expires_and_more_than_once(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    data = await invite_button(core, "清丰县政府办公室（QF-ZF）")
    clock.advance(timedelta(days=6, hours=23))
    before = invitations(fake_uow)
    assert "清丰县政府办公室" in texts(await say(core, 1001, data=data))
    assert "清丰县政府办公室" in texts(await say(core, 1001, data=data))
    assert invitations(fake_uow) == before + 2  # a button is a shortcut, not a one-off


async def test_short_payloads_stay_inline_and_store_nothing(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    # A short command with an ambiguous unit: the choice buttons fit as they are.
    replies = await say(core, 1001, "/invite 政府办公室 cadre")
    assert buttons(replies) == [
        ("清丰县政府办公室（QF-ZF）", "rr:/invite QF-ZF cadre"),
        ("华龙区政府办公室（HL-ZF）", "rr:/invite HL-ZF cadre"),
    ]
    assert fake_uow.db.button_tokens == {}
    assert "华龙区政府办公室" in texts(await say(core, 1001, data="rr:/invite HL-ZF cadre"))


async def test_rerun_button_has_no_more_power_than_typing(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    before = invitations(fake_uow)
    # A forged inline rerun by a cadre: refused exactly as the typed command would be.
    forged = texts(await say(core, 1104, data="rr:/invite HL-ZF admin"))
    typed = texts(await say(core, 1104, "/invite HL-ZF admin"))
    assert forged == typed and "角色" in forged
    assert invitations(fake_uow) == before
    assert texts(await say(core, 1104, data="rr:not a command")) == ZH._(
        "That button is no longer valid."
    )


async def test_ambiguous_person_offers_choices_that_open_the_form(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    async with fake_uow() as uow:
        unit = await uow.units.by_code("HL-YC")
        assert unit is not None
        twin = await uow.people.add(NewPerson("马丽华", unit.id, "岳村镇干部"))
        await uow.people.grant(twin.id, Role.CADRE, unit.id)
        await uow.commit()
    replies = await say(core, 1102, "/talk 马丽")
    assert "有多人符合" in texts(replies)
    labels = dict(buttons(replies))
    chosen = next(data for label, data in labels.items() if label.startswith("马丽华"))
    assert chosen == f"rr:/talk P{twin.id}"
    replies = await say(core, 1102, data=chosen)
    assert "哪一天谈的话" in texts(replies)
    form = fake_uow.db.conversations[(1102, 1102)]
    assert form.data["person"]["id"] == twin.id


async def test_issuing_purges_the_owners_expired_tokens_only(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    await ambiguous_invite(core)
    first = set(fake_uow.db.button_tokens)
    async with fake_uow() as uow:
        # Someone else's long button, issued at the same time.
        await shorten(uow, [_long_reply("x")], 1002, 1002, clock.now(), timedelta(days=7))
        await uow.commit()
    others = set(fake_uow.db.button_tokens) - first
    clock.advance(timedelta(days=8))
    await ambiguous_invite(core)
    left = set(fake_uow.db.button_tokens)
    assert not first & left  # 1001's expired tokens went when new ones were issued
    assert others <= left  # 1002's wait for the periodic purge
    assert len(left - others) == 2


async def test_dispatcher_purges_expired_tokens_while_planning(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    await ambiguous_invite(core)
    dispatcher = make_dispatcher(fake_uow, FakeSender(), clock)
    await dispatcher.plan()
    assert len(fake_uow.db.button_tokens) == 2  # still valid: kept
    clock.advance(timedelta(days=7, seconds=1))
    await dispatcher.plan()
    assert fake_uow.db.button_tokens == {}


def _long_reply(tag: str, chat_id: int | None = None) -> TextReply:
    return TextReply("x", ((Button("long", f"rr:/summary {tag * 80}"),),), chat_id=chat_id)


async def test_messages_to_other_people_are_issued_to_the_recipient(
    fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    async with fake_uow() as uow:
        [mine, theirs] = await shorten(
            uow,
            [_long_reply("a"), _long_reply("b", chat_id=1003)],
            1001,
            1001,
            clock.now(),
            timedelta(days=1),
        )
        await uow.commit()
    tokens = fake_uow.db.button_tokens
    assert isinstance(mine, TextReply) and isinstance(theirs, TextReply)
    owner_of = {f"~:{t}": (b.user_id, b.chat_id) for t, b in tokens.items()}
    assert owner_of[mine.buttons[0][0].data] == (1001, 1001)
    assert owner_of[theirs.buttons[0][0].data] == (1003, 1003)


async def test_a_handler_may_use_long_payloads_freely(
    fake_uow: FakeUnitOfWorkFactory, clock: ManualClock, kb: object
) -> None:
    """Any handler, not only the choice buttons: the round trip is transparent."""
    router = Router()
    seen: list[list[str]] = []

    @router.command("long", "test")
    async def long_command(ctx: Ctx) -> None:
        ctx.reply("pick", ((Button("go", "longb:" + ":".join(["参数"] * 20)),),))

    @router.button("longb")
    async def long_button(ctx: Ctx, args: list[str]) -> None:
        seen.append(args)
        ctx.reply("ok")

    from handlers.registry import all_routers
    from tests.conftest import make_services

    services: Services = make_services(clock, None)
    core = Assistant(fake_uow, services, [*all_routers(), router])
    data = buttons(await say(core, 1104, "/long"))[0][1]
    assert data.startswith("~:")
    assert texts(await say(core, 1104, data=data)) == "ok"
    assert seen == [["参数"] * 20]


def test_front_ends_refuse_data_that_would_not_fit() -> None:
    with pytest.raises(ValueError, match="64 bytes"):
        keyboard_rows(((Button("x", "y" * 65),),))
    assert keyboard_rows(((Button("x", "y" * 64),),)) == [[("x", "y" * 64)]]
    with pytest.raises(ValueError):
        Button("x", "y" * (MAX_BUTTON_PAYLOAD + 1))


@pytest.mark.parametrize("prefix", ["~", "rr", "f"])
def test_handlers_cannot_register_the_reserved_prefixes(
    fake_uow: FakeUnitOfWorkFactory, clock: ManualClock, prefix: str
) -> None:
    from tests.conftest import make_services

    router = Router()

    @router.button(prefix)
    async def clash(ctx: Ctx, args: list[str]) -> None:
        ctx.reply("never")

    with pytest.raises(ValueError, match="reserved"):
        Assistant(fake_uow, make_services(clock, None), [router])


async def test_ambiguous_unit_in_a_summary_keeps_the_period(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    """Drill-down state (unit + period) survives the choice: the period typed in Chinese."""
    replies = await say(core, 1001, "/summary 纪委监委 2026年1月1日至2026年3月31日")
    choices = dict(buttons(replies))
    assert set(choices) == {
        "市纪委监委（PY-JW）",
        "华龙区纪委监委（HL-JW）",
        "清丰县纪委监委（QF-JW）",
    }
    replies = await say(core, 1001, data=choices["清丰县纪委监委（QF-JW）"])
    assert "统计汇总：清丰县纪委监委 · 2026-01-01～2026-03-31" in texts(replies)
