"""Small helpers to talk to the core in tests."""

from __future__ import annotations

from typing import TYPE_CHECKING

from handlers.core.app import Assistant
from handlers.core.typed_buttons import KEYS_FORM
from handlers.core.types import ChatType, Reply, Request, TextReply

if TYPE_CHECKING:
    from tests.handlers.core.fakes import FakeUnitOfWorkFactory


async def say(
    core: Assistant,
    user_id: int,
    text: str = "",
    *,
    data: str | None = None,
    group: bool = False,
    lang: str | None = None,
    name: str = "",
) -> list[Reply]:
    """Send text (or a button press with ``data``) as ``user_id`` and return the replies."""
    req = Request(
        user_id=user_id,
        chat_id=-100 if group else user_id,
        chat_type=ChatType.GROUP if group else ChatType.PRIVATE,
        text=text,
        callback_data=data,
        user_language=lang,
        display_name=name,
    )
    return await core.handle(req)


def texts(replies: list[Reply]) -> str:
    """All reply texts joined, for substring assertions."""
    return "\n".join(r.text for r in replies if isinstance(r, TextReply))


def buttons(replies: list[Reply]) -> list[tuple[str, str]]:
    """(label, data) of every button in the replies."""
    return [
        (b.text, b.data)
        for r in replies
        if isinstance(r, TextReply)
        for row in r.buttons
        for b in row
    ]


def button_data(replies: list[Reply], label_part: str) -> str:
    """The data of the first button whose label contains ``label_part``."""
    for label, data in buttons(replies):
        if label_part in label:
            return data
    raise AssertionError(f"no button {label_part!r} in {buttons(replies)}")


def forms_open(factory: FakeUnitOfWorkFactory) -> set[str]:
    """The forms left open in a fake store (the labels kept after a reply with buttons, to
    be pressed by typing, are no form)."""
    return {s.form for s in factory.db.conversations.values() if s.form != KEYS_FORM}
