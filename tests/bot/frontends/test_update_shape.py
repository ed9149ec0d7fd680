"""The webhook's shape check lets real Telegram updates through and stops forged ones."""

from __future__ import annotations

from typing import Any

import pytest

from bot.frontends.update_shape import malformed
from bot.frontends.webhook import is_envelope
from tests.e2e.fake_bot_api import FakeBotApi

API = FakeBotApi()
SENDER = {"id": 1104, "is_bot": False, "first_name": "丽娟", "language_code": "zh-hans"}
CHAT = {"id": 1104, "type": "private", "first_name": "丽娟"}


def message(**fields: Any) -> dict[str, Any]:
    return {"message_id": 9, "date": 1_773_000_000, "chat": CHAT, "from": SENDER, **fields}


REAL = [
    API.text(1104, "/me"),
    API.text(1104, "/ask 三乱", group=True),
    API.press(1104, "qa:up:3"),
    {"message": message(photo=[{"file_id": "p", "file_unique_id": "u", "width": 9, "height": 9}])},
    {"message": message(document={"file_id": "d", "file_unique_id": "u"}, caption="报告")},
    {"message": message(sticker={"file_id": "s"})},  # no text at all
    {"channel_post": {"message_id": 1, "date": 1, "chat": {"id": -1001, "type": "channel"}}},
    # a button under an inline message: no message, an inline_message_id instead
    {"callback_query": {"id": "5", "from": SENDER, "chat_instance": "c", "inline_message_id": "x"}},
    # a button under a message too old to be shown: date 0
    {
        "callback_query": {
            "id": "6",
            "from": SENDER,
            "chat_instance": "c",
            "data": "f:ok",
            "message": {"message_id": 3, "date": 0, "chat": CHAT},
        }
    },
    {"poll_answer": {"poll_id": "1", "user": SENDER, "option_ids": [0]}},
    {"poll_answer": {"poll_id": "1", "voter_chat": CHAT, "option_ids": []}},  # no user
    {"my_chat_member": {"anything": True}},  # a kind the bot does not read
]


@pytest.mark.parametrize("update", REAL)
def test_real_updates_pass(update: dict[str, Any]) -> None:
    assert malformed(update) is None


FORGED = [
    {"message": "hello"},
    {"message": message(text=12345)},
    {"message": message(chat={"id": "1104", "type": "private"})},
    {"message": message(**{"from": {"id": 2**70, "is_bot": False, "first_name": "x"}})},
    {"message": message(**{"from": {"id": True, "is_bot": False, "first_name": "x"}})},
    {"message": message(**{"from": {"id": 1, "is_bot": "no", "first_name": "x"}})},
    {"message": message(**{"from": {"id": 1, "is_bot": False}})},
    {"message": message(photo=[])},
    {"message": message(document={"file_id": 3})},
    {"message": {"chat": CHAT, "text": "/me"}},
    {"callback_query": {"id": 5, "from": SENDER, "data": "f:ok"}},
    {"callback_query": {"id": "5", "from": SENDER, "data": ["f", "ok"]}},
    {"callback_query": {"id": "5", "data": "f:ok"}},
    {"callback_query": {"id": "5", "from": SENDER, "message": {"message_id": "3"}}},
    {"poll_answer": {"poll_id": "1", "user": SENDER, "option_ids": [2**64]}},
    {"poll_answer": {"poll_id": "1", "user": SENDER}},
]


@pytest.mark.parametrize("update", FORGED)
def test_forged_updates_are_named(update: dict[str, Any]) -> None:
    assert malformed(update)


@pytest.mark.parametrize(
    ("body", "ok"),
    [
        ({"update_id": 1}, True),
        ({"update_id": 2**63 - 1}, True),
        ({"update_id": 2**63}, False),
        ({"update_id": -1}, False),
        ({"update_id": True}, False),
        ({"update_id": "1"}, False),
        ({}, False),
        ([{"update_id": 1}], False),
    ],
)
def test_envelope(body: object, ok: bool) -> None:
    assert is_envelope(body) is ok
