"""Helpers that drive the pledge forms through the core, shared by unit and integration tests."""

from __future__ import annotations

from collections.abc import Sequence

from handlers.core.app import Assistant
from handlers.core.i18n import translator
from handlers.core.types import Attachment, AttachmentKind, ChatType, Reply, Request
from handlers.pledges.domain import Appraisal, Checkin
from tests.handlers.core.fakes import FakeUnitOfWorkFactory
from tests.handlers.core.helpers import say, texts

ZH = translator("zh_CN")

ITEMS = (
    "严格执行中央八项规定精神，不违规接受宴请",
    "管好配偶子女和身边工作人员",
    "带头落实“一岗双责”，抓好分管领域廉政建设",
)

# Demo people used by the pledge tests (see bot/demo/organisation.py and bot/demo/pledges.py).
HE_JING = 1109  # cadre in 岳村镇 (HL-YC), no demo pledges at all
LIN_TAO = 1108  # unit principal of 岳村镇
XU_FANG = 1102  # inspector over 华龙区 (HL)
WU_GANG = 1101  # supervisor over 华龙区: may look, not act
XIE_DONG = 1205  # unit principal of 六塔乡 in 清丰县: outside 华龙区
CHENG_YUAN = 1211  # 科员: not at section level
ZHANG_WEIDONG = 1003  # inspector only, no cadre role

NOT_OPEN = "The {period} check-in for {year} opens on {start} and closes on {end}. Before it opens you can check in only if your unit principal or a discipline inspector allows it (for example when your unit's democratic life meeting is earlier)."


async def start_pledge(core: Assistant, *choices: str, user: int = HE_JING) -> list[Reply]:
    """Send /pledge and tap the given choices (year, kind of post); returns the last replies."""
    replies = await say(core, user, "/pledge")
    for choice in choices:
        replies = await say(core, user, data=f"f:c:{choice}")
    return replies


async def make_pledge(
    core: Assistant,
    user: int,
    year: int = 2026,
    items: Sequence[str] = ITEMS,
    post: str = "member",
    via: str = "meeting",
    when: str = "2026-03-10",
) -> list[Reply]:
    """Fill the pledge form up to the review screen; returns the review replies."""
    await start_pledge(core, str(year), post, user=user)
    for item in items:
        await say(core, user, item)
    if len(items) < 8:
        await say(core, user, data="f:done")
    await say(core, user, data=f"f:c:{via}")
    return await say(core, user, when)


async def pledge_next_year(
    core: Assistant, user: int, post: str, when: str, year: int = 2027
) -> list[Reply]:
    """Send /pledge YEAR and fill the form up to its date (returns the date's replies)."""
    await say(core, user, f"/pledge {year}")
    await say(core, user, data=f"f:c:{post}")
    for item in ITEMS:
        await say(core, user, item)
    await say(core, user, data="f:done")
    await say(core, user, data="f:c:meeting")
    return await say(core, user, when)


async def confirm(core: Assistant, user: int) -> list[Reply]:
    """Press the review screen's confirm button."""
    return await say(core, user, data="f:ok")


async def send_file(
    core: Assistant, user: int, file_ref: str, kind: AttachmentKind, name: str = ""
) -> list[Reply]:
    """Send a photo or document, as a Telegram front end would."""
    req = Request(
        user_id=user,
        chat_id=user,
        chat_type=ChatType.PRIVATE,
        attachment=Attachment(kind, file_ref, name),
    )
    return await core.handle(req)


async def answer_checkin(
    core: Assistant, user: int, answers: Sequence[tuple[str, str, str | None]]
) -> list[Reply]:
    """Answer every item (status, explanation, note or None to skip); returns the review."""
    replies: list[Reply] = []
    for status, explanation, note in answers:
        await say(core, user, data=f"f:c:{status}")
        await say(core, user, explanation)
        replies = await (say(core, user, note) if note else say(core, user, data="f:skip"))
    return replies


def zh(message: str, **values: object) -> str:
    """The Chinese text of a message id, as the person sees it."""
    return ZH._(message, **values)


def has(replies: list[Reply], message: str, **values: object) -> bool:
    """True when the translated message appears in the replies."""
    return zh(message, **values) in texts(replies)


def item_too_long(replies: list[Reply]) -> bool:
    """Whether the replies refuse an item of 201 characters (at most 200)."""
    message = "An item may have at most {n} characters; this one has {m}. Please shorten it."
    return has(replies, message, n=200, m=201)


def not_open_yet(replies: list[Reply], period: str, start: str, end: str) -> bool:
    """Whether the replies say the 2026 check-in of ``period`` is not open, with its dates."""
    return has(replies, NOT_OPEN, period=zh(period), year=2026, start=start, end=end)


async def pledged(core: Assistant, when: str = "2026-03-10") -> None:
    """He Jing makes and confirms his 2026 pledge, to be made public on ``when``."""
    await make_pledge(core, HE_JING, when=when)
    await confirm(core, HE_JING)


async def pledged_record(core: Assistant, fake_uow: FakeUnitOfWorkFactory) -> list[Reply]:
    """He Jing pledges; his unit principal Lin Tao opens his 2026 record."""
    await pledged(core)
    return await say(core, LIN_TAO, data=f"plu:p:{pid(fake_uow, HE_JING)}:2026")


def pid(fake_uow: FakeUnitOfWorkFactory, telegram_id: int) -> int:
    """The id of the person with that Telegram id in the fake database."""
    return next(p.id for p in fake_uow.db.people.values() if p.telegram_user_id == telegram_id)


def appraisals_of(fake_uow: FakeUnitOfWorkFactory, telegram_id: int) -> list[Appraisal]:
    """The appraisals of that person's pledges in the fake database."""
    person = pid(fake_uow, telegram_id)
    return [a for a in fake_uow.db.pledge_tables.appraisals.values() if a.person_id == person]


def checkins_of(fake_uow: FakeUnitOfWorkFactory, telegram_id: int) -> list[Checkin]:
    """That person's check-ins in the fake database."""
    person = pid(fake_uow, telegram_id)
    return [c for c in fake_uow.db.pledge_tables.checkins.values() if c.person_id == person]
