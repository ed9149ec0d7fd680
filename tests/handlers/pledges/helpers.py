"""Helpers that drive the pledge forms through the core, shared by unit and integration tests."""

from __future__ import annotations

from collections.abc import Sequence

from handlers.core.app import Assistant
from handlers.core.i18n import translator
from handlers.core.types import Attachment, AttachmentKind, ChatType, Reply, Request
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
    await say(core, user, "/pledge")
    await say(core, user, data=f"f:c:{year}")
    await say(core, user, data=f"f:c:{post}")
    for item in items:
        await say(core, user, item)
    if len(items) < 8:
        await say(core, user, data="f:done")
    await say(core, user, data=f"f:c:{via}")
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
