"""One scenario, as data, for every front end: python-telegram-bot, aiogram and the console.

A scenario is a list of :class:`Step`: one action (send a text, press a button, answer a
quiz poll, let a reminder fall due …) and what must be seen afterwards. Drivers
(tests/e2e/drivers.py) carry the actions out through a real front end and check the
expectations on what that front end put out — Bot API calls for Telegram, printed lines for
the console. Steps that only make sense on Telegram (group chats, a redelivered update, a
429 answer) say so in ``only``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date

from handlers.core.domain import Role
from handlers.core.ports import UnitOfWork
from handlers.reminders.domain import AckStatus

TELEGRAM = frozenset({"ptb", "aiogram"})
EVERYWHERE = frozenset({"ptb", "aiogram", "console"})
#: The day the scenario plays on (the drivers' clock): Tuesday 10 March 2026, 10:00 Shanghai.
TODAY = date(2026, 3, 10)


# -- actions ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Send:
    """``user`` sends ``text`` (``{var}`` is filled from earlier steps).

    ``duplicate``: the update is delivered twice; ``throttled``: the first reply is refused
    with 429 and retry_after (both Telegram only).
    """

    user: int
    text: str
    group: bool = False
    duplicate: bool = False
    throttled: bool = False


@dataclass(frozen=True)
class Press:
    """``user`` presses a button of the latest message with buttons they got: the one whose
    label contains ``label``, or the ``position``-th one."""

    user: int
    label: str | None = None
    position: int = 0


@dataclass(frozen=True)
class AnswerPoll:
    """``user`` answers the latest quiz poll they got with option ``option`` (from 0)."""

    user: int
    option: int


@dataclass(frozen=True)
class Invite:
    """Setup: an invitation made the way ``lianzheng invite create`` makes one; its code is
    remembered as ``{var}``."""

    var: str
    unit: str
    role: Role
    name: str


@dataclass(frozen=True)
class FollowDeepLink:
    """``user`` opens the invitation in the latest reply to ``inviter``.

    On Telegram that reply must carry ``https://t.me/<bot>?start=CODE``, and opening it makes
    Telegram send ``/start CODE``; the console has no links, so there the code is typed.
    """

    user: int
    inviter: int


@dataclass(frozen=True)
class ReminderDue:
    """A reminder row falls due for ``user`` and the real dispatcher runs once, sending it
    through the front end's sender."""

    user: int


Action = Send | Press | AnswerPoll | Invite | FollowDeepLink | ReminderDue


# -- expectations -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Reply:
    """Replies to the action contain every text in ``contains``.

    ``buttons``: at least this many buttons; ``edited``: the reply replaced the message whose
    button was pressed (Telegram's editMessageText; the console just prints it); ``to``: a
    chat other than the actor's private chat (a group); ``messages``: exactly this many text
    messages.
    """

    contains: tuple[str, ...] = ()
    buttons: int = 0
    edited: bool = False
    to: int | None = None
    messages: int | None = None


@dataclass(frozen=True)
class Nothing:
    """No reply at all."""


@dataclass(frozen=True)
class Picture:
    """A PNG picture."""


@dataclass(frozen=True)
class Poll:
    """A quiz poll with four options."""


@dataclass(frozen=True)
class Document:
    """A file whose name ends in ``suffix`` and whose content starts with ``magic``."""

    suffix: str
    magic: bytes


DbCheck = Callable[[UnitOfWork], Awaitable[str | None]]


@dataclass(frozen=True)
class Stored:
    """A database check; ``check`` returns None when all is well, else what is wrong."""

    what: str
    check: DbCheck


Expectation = Reply | Nothing | Picture | Document | Poll | Stored


@dataclass(frozen=True)
class Step:
    """One action and what must follow it."""

    action: Action
    expect: tuple[Expectation, ...] = ()
    only: frozenset[str] = EVERYWHERE


# -- database checks ----------------------------------------------------------------------------
async def _person_id(uow: UnitOfWork, telegram_id: int) -> int:
    person = await uow.people.by_telegram_id(telegram_id)
    assert person is not None, telegram_id
    return person.id


def acknowledged(user: int) -> DbCheck:
    """The user's latest reminder is acknowledged as received."""

    async def check(uow: UnitOfWork) -> str | None:
        from datetime import UTC, datetime

        views = await uow.reminders.for_person(
            await _person_id(uow, user), datetime(2000, 1, 1, tzinfo=UTC)
        )
        if not views:
            return "no reminder delivery"
        latest = views[-1]
        if latest.ack != AckStatus.RECEIVED or latest.ack_at is None:
            return f"acknowledgement is {latest.ack}"
        return None

    return check


def talk_recorded(about: int, place: str) -> DbCheck:
    """A warning talk about ``about`` held today at ``place`` is stored."""

    async def check(uow: UnitOfWork) -> str | None:
        talks = await uow.records.talks.for_person(await _person_id(uow, about))
        if not any(t.talk_date == TODAY and t.place == place for t in talks):
            return f"no talk on {TODAY} at {place}: {[(t.talk_date, t.place) for t in talks]}"
        return None

    return check


def pledged(user: int, items: int) -> DbCheck:
    """The user's pledge for this year has ``items`` items."""

    async def check(uow: UnitOfWork) -> str | None:
        pledge = await uow.pledges.of_person(await _person_id(uow, user), TODAY.year)
        if pledge is None:
            return "no pledge"
        if len(pledge.items) != items:
            return f"{len(pledge.items)} items"
        return None

    return check


def registered(user: int, name: str) -> DbCheck:
    """Telegram user ``user`` is now a registered, active person called ``name``."""

    async def check(uow: UnitOfWork) -> str | None:
        person = await uow.people.by_telegram_id(user)
        if person is None or not person.active:
            return "not registered"
        return None if person.name == name else f"registered as {person.name}"

    return check


# -- the scenario -------------------------------------------------------------------------------
#: A name long enough that the command carrying it does not fit 64 bytes of callback data.
LONG_NAME = "华龙区政府办公室新任副主任（试用期）"
TALK_PLACE = "区纪委谈话室"

SCENARIO: list[Step] = [
    # A stranger is refused, in a private chat; in a group he is ignored.
    Step(Send(555, "/me"), (Reply(("仅供受邀人员使用",), messages=1),)),
    Step(Send(555, "大家好", group=True), (Nothing(),), only=TELEGRAM),
    # Registration by invitation code.
    Step(Invite("code", "HL-ZF", Role.CADRE, "新同志")),
    Step(
        Send(4242, "/start {code}"),
        (Reply(("新同志", "华龙区政府办公室")), Stored("registered", registered(4242, "新同志"))),
    ),
    # Registration by deep link: the administrator's /invite names a unit two units share;
    # the choice buttons carry the whole command (over 64 bytes: a server-side token).
    Step(
        Send(1001, f"/invite 政府办公室 cadre {LONG_NAME}"),
        (Reply(("有多个单位符合", "请在下方选择"), buttons=2),),
    ),
    Step(Press(1001, "华龙区政府办公室"), (Reply((LONG_NAME, "仅能使用一次")),)),
    Step(
        FollowDeepLink(5151, inviter=1001),
        (Reply((LONG_NAME,)), Stored("registered", registered(5151, LONG_NAME))),
    ),
    # A question answered with its source and feedback buttons.
    Step(Send(4242, "诫勉谈话后多久不能提拔"), (Reply(("依据",), buttons=2),)),
    Step(Press(4242, "👍"), (Reply(("谢谢您的反馈",)),)),
    # A vague question: "did you mean …" buttons; the first one is pressed.
    Step(Send(4242, "民主生活会"), (Reply(("您是想问下面哪一个",), buttons=3),)),
    Step(Press(4242, position=0), (Reply(("依据",), buttons=2),)),
    # A 429 on the reply: retried after retry_after, the text arrives once.
    Step(
        Send(4242, "/frobnicate", throttled=True),
        (Reply(("/help",), messages=1),),
        only=TELEGRAM,
    ),
    # Groups: /ask works there.
    Step(Send(1104, "/ask 三乱", group=True), (Reply((), to=-100500),), only=TELEGRAM),
    # The same update delivered twice is handled once.
    Step(Send(1104, "/me", duplicate=True), (Reply(("马丽娟",), messages=1),), only=TELEGRAM),
    # A pledge form, start to end.
    Step(Send(1109, "/pledge"), (Reply(("为哪一年作承诺",), buttons=2),)),
    Step(Press(1109, "2026"), (Reply(("岗位类型",), buttons=4),)),
    Step(Press(1109, "班子成员"), (Reply(("参考条目",), buttons=5),)),
    Step(Press(1109, "➕ 1."), (Reply(("第 1 项已记下",)),)),
    Step(Press(1109, "➕ 2."), (Reply(("第 2 项已记下",)),)),
    Step(Press(1109, "➕ 3."), (Reply(("第 3 项已记下",)),)),
    Step(Press(1109, "完成"), (Reply(("以什么方式公开",), buttons=2),)),
    Step(Press(1109, "会议公开"), (Reply(("哪一天公开",)),)),
    Step(Press(1109, "今天"), (Reply(("请核对后确认", "会议公开"), buttons=2),)),
    Step(Press(1109, "确认"), (Reply(("承诺已记录",)), Stored("pledge", pledged(1109, 3)))),
    # A warning talk recorded by an inspector.
    Step(Send(1102, "/talk 马丽娟"), (Reply(("哪一天谈的话",), buttons=1),)),
    Step(Press(1102, "今天"), (Reply(("在哪里谈的话",)),)),
    Step(Send(1102, TALK_PLACE), (Reply(("谈话人是谁",)),)),
    Step(Send(1102, "徐芳（区纪委副书记）"), (Reply(("记录人是谁",)),)),
    Step(Send(1102, "王明"), (Reply(("谈话事由",), buttons=9),)),
    Step(Press(1102, position=0), (Reply(("概述谈话内容",)),)),
    Step(Send(1102, "指出公务接待超标准问题，要求立即整改"), (Reply(("如何表态",)),)),
    Step(Send(1102, "本人认识到问题，表示坚决整改"), (Reply(("回访",)),)),
    Step(Press(1102, "跳过"), (Reply(("请核对后确认", TALK_PLACE), buttons=2),)),
    Step(
        Press(1102, "确认"),
        (Reply(("诫勉谈话 #", "已录入")), Stored("talk", talk_recorded(1104, TALK_PLACE))),
    ),
    # A supervisor's summary, its chart and its spreadsheet.
    Step(Send(1101, "/summary"), (Reply(("统计汇总", "华龙区"), buttons=3),)),
    Step(Press(1101, "图表"), (Picture(),)),
    Step(Press(1101, "导出表格"), (Document(".xlsx", b"PK"), Document(".zip", b"PK"))),
    # A practice quiz: a poll answered, the next poll follows.
    Step(Send(1104, "/quiz"), (Reply(("练习",)), Poll())),
    Step(AnswerPoll(1104, 0), (Poll(),)),
    # A reminder delivered by the dispatcher and acknowledged.
    Step(ReminderDue(1104), (Reply(("📅", "民主生活会", "地点：市委第一会议室"), buttons=3),)),
    Step(
        Press(1104, "收到"),
        (
            # The edit keeps the whole reminder (place included) and adds the answer.
            Reply(("民主生活会", "地点：市委第一会议室", "已确认收到"), edited=True),
            Stored("acknowledged", acknowledged(1104)),
        ),
    ),
]
