"""Helpers to drive the discipline-record flows in tests (fakes and SQL alike).

Inputs starting with ``@`` are button presses (the rest is the button data); everything
else is typed text. Demo people used: 1102 徐芳 (inspector of 华龙区), 1202 郑红 (inspector
of 清丰县), 1001 王建国 (administrator and city inspector), 1103 孙伟 (principal of
华龙区政府办公室), 1104 马丽娟 (cadre there, no demo records).
"""

from __future__ import annotations

import itertools
import re

from handlers.core.app import Assistant
from handlers.core.i18n import translator
from handlers.core.types import Reply
from tests.handlers.core.helpers import buttons, say, texts

ZH = translator("zh_CN")
HL_INSPECTOR, QF_INSPECTOR, ADMIN, HL_HEAD, HL_CADRE = 1102, 1202, 1001, 1103, 1104


async def run(core: Assistant, user: int, *inputs: str, group: bool = False) -> list[Reply]:
    """Send each input in turn; returns the replies to the last one."""
    replies: list[Reply] = []
    for item in inputs:
        if item.startswith("@"):
            replies = await say(core, user, data=item[1:], group=group)
        else:
            replies = await say(core, user, item, group=group)
    return replies


def created_id(replies: list[Reply], prefix: str) -> int:
    """The id in the first ``prefix:o:ID`` button of the replies."""
    for _, data in buttons(replies):
        m = re.fullmatch(rf"{prefix}:o:(\d+)", data)
        if m:
            return int(m[1])
    raise AssertionError(f"no {prefix}:o: button in {buttons(replies)}: {texts(replies)}")


def not_found(record_id: int | str) -> str:
    """The one reply for missing and out-of-scope records."""
    return ZH._("No record #{id} found within your scope.", id=record_id)


TALK_INPUTS = (
    "2026-03-01",
    "区纪委谈话室",
    "徐芳",
    "李明",
    "@f:c:integrity_breach",
    "谈话内容：指出接受宴请问题",
    "本人表态：深刻反省",
    "@f:skip",
)


async def create_talk(
    core: Assistant, user: int = HL_INSPECTOR, person: str = "马丽娟", day: str = "2026-03-01"
) -> int:
    """Record a complete warning talk held on ``day`` and return its id."""
    replies = await run(core, user, f"/talk {person}", day, *TALK_INPUTS[1:], "@f:ok")
    return created_id(replies, "tk")


async def create_notice(
    core: Assistant, user: int = HL_INSPECTOR, unit: str = "HL-ZF", deadline: str = "2026-04-01"
) -> int:
    """Issue a notice (issued 2026-03-10) and return its id."""
    return created_id(await issue_notice(core, user, unit, deadline), "nt")


async def issue_notice(
    core: Assistant, user: int = HL_INSPECTOR, unit: str = "HL-ZF", deadline: str = "2026-04-01"
) -> list[Reply]:
    """Fill and confirm the notice form (issued 2026-03-10); returns the replies."""
    return await run(
        core, user, f"/notice {unit}", "制度不健全，台账缺失", "@f:c:2026-03-10", deadline, "@f:ok"
    )


async def create_assessment(
    core: Assistant,
    user: int = HL_INSPECTOR,
    subject: str = "person",
    target: str = "马丽娟",
    year: str = "2026",
    result: str = "failed",
) -> int:
    """Record an assessment result and return its id."""
    replies = await run(
        core,
        user,
        "/assess",
        f"@f:c:{subject}",
        target,
        f"@f:c:{year}",
        f"@f:c:{result}",
        "1 3 5",
        # A failed result answers the commendation itself ("none").
        *(() if result == "failed" else ("@f:c:none",)),
        "2026-03-05",
        "@f:skip",
        "@f:ok",
    )
    return created_id(replies, "as")


_CASE_TITLES = itertools.count(1)


async def create_case(
    core: Assistant, user: int = HL_INSPECTOR, unit: str = "HL-ZF", title: str | None = None
) -> int:
    """Open an accountability case and return its id (each with a title of its own unless
    ``title`` is given: the same title and day twice is refused as a duplicate)."""
    replies = await run(
        core,
        user,
        f"/case {unit}",
        title or f"违规公款吃喝问题{next(_CASE_TITLES)}",
        "@f:c:r19_management",
        "办公室人员违规公款吃喝",
        "2026-03-01",  # opened before the handlings the tests add (2026-03-05 by default)
        "@f:ok",
    )
    return created_id(replies, "cs")


async def add_person(
    core: Assistant,
    case_id: int,
    person: str = "马丽娟",
    category: str = "discipline",
    kind: str = "party_serious_warning",
    effective: str = "2026-03-05",
    user: int = HL_INSPECTOR,
) -> list[Reply]:
    """Add a person's handling to a case; returns the replies to the confirmation."""
    return await run(
        core,
        user,
        f"@cs:p:{case_id}",
        person,
        f"@f:c:{category}",
        f"@f:c:{kind}",
        effective,
        "@f:skip",
        "@f:ok",
    )
